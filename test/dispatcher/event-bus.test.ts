import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInProcessEventBus, type ObservableEventBus } from '../../src/dispatcher/in-process-event-bus.js';
import { createRedisEventBus, parseEnvelope } from '../../src/dispatcher/redis-event-bus.js';
import type { EventEnvelope, EventType } from '../../src/dispatcher/types.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

function envelope(userId: string, seq: number, runId = `run-${userId}`, type: EventType = 'agent_thinking'): EventEnvelope {
  return { v: 1, type, seq, userId, runId, threadId: `thread-${userId}`, ts: Date.now(), payload: { text: `step ${seq}` } };
}

/** Polls until `check` holds; generous deadline, no timing assertions. */
async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 50));

function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPWrap').length;
}

describe('in-process event bus', () => {
  it('delivers asynchronously, in publish order', async () => {
    const bus = createInProcessEventBus();
    const got: number[] = [];
    await bus.subscribe('u1', (e) => got.push(e.seq));
    const publishes: Promise<void>[] = [];
    for (let seq = 1; seq <= 50; seq++) publishes.push(bus.publish(envelope('u1', seq)));
    expect(got).toEqual([]); // nothing ran synchronously inside publish
    await Promise.all(publishes);
    await waitFor(() => got.length === 50, '50 events');
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(bus.stats()).toEqual({ published: 50, delivered: 50, malformed: 0, listenerErrors: 0 });
    await bus.close();
  });

  it('isolates users and shares a user between listeners', async () => {
    const bus = createInProcessEventBus();
    const a1: EventEnvelope[] = [];
    const a2: EventEnvelope[] = [];
    const b: EventEnvelope[] = [];
    await bus.subscribe('a', (e) => a1.push(e));
    await bus.subscribe('a', (e) => a2.push(e));
    await bus.subscribe('b', (e) => b.push(e));
    await bus.publish(envelope('a', 1));
    await bus.publish(envelope('b', 1));
    await bus.publish(envelope('c', 1)); // nobody listens
    await bus.publish(envelope('a', 2));
    await tick();
    expect(a1.map((e) => [e.userId, e.seq])).toEqual([['a', 1], ['a', 2]]);
    expect(a2.map((e) => [e.userId, e.seq])).toEqual([['a', 1], ['a', 2]]);
    expect(b.map((e) => [e.userId, e.seq])).toEqual([['b', 1]]);
    await bus.close();
  });

  it('unsubscribe stops delivery, also of events already queued, and is idempotent', async () => {
    const bus = createInProcessEventBus();
    const kept: number[] = [];
    const dropped: number[] = [];
    await bus.subscribe('u', (e) => kept.push(e.seq));
    const unsubscribe = await bus.subscribe('u', (e) => dropped.push(e.seq));
    await bus.publish(envelope('u', 1));
    await tick();
    const queued = bus.publish(envelope('u', 2)); // queued for both listeners
    await unsubscribe();
    await unsubscribe();
    await queued;
    await bus.publish(envelope('u', 3));
    await tick();
    expect(kept).toEqual([1, 2, 3]);
    expect(dropped).toEqual([1]);
    await bus.close();
  });

  it('catches and counts listener errors without affecting other listeners', async () => {
    const bus = createInProcessEventBus();
    const got: number[] = [];
    await bus.subscribe('u', () => {
      throw new Error('listener bug');
    });
    await bus.subscribe('u', (e) => got.push(e.seq));
    await bus.publish(envelope('u', 1));
    await bus.publish(envelope('u', 2));
    await tick();
    expect(got).toEqual([1, 2]);
    expect(bus.stats()).toEqual({ published: 2, delivered: 4, malformed: 0, listenerErrors: 2 });
    await bus.close();
  });

  it('close is idempotent and stops everything', async () => {
    const bus = createInProcessEventBus();
    const got: number[] = [];
    await bus.subscribe('u', (e) => got.push(e.seq));
    const queued = bus.publish(envelope('u', 1));
    await bus.close();
    await bus.close();
    await queued;
    await tick();
    expect(got).toEqual([]);
    await expect(bus.publish(envelope('u', 2))).rejects.toThrow(/closed/);
    await expect(bus.subscribe('u', () => {})).rejects.toThrow(/closed/);
  });
});

describe('parseEnvelope', () => {
  it('accepts a well-formed envelope for its channel and rejects the rest', () => {
    const good = envelope('u', 3, 'r', 'tool_executing');
    expect(parseEnvelope(JSON.stringify({ ...good, toolCallId: 't1' }), 'u')).toEqual({ ...good, toolCallId: 't1' });
    for (const bad of [
      'not json',
      '[]',
      'null',
      JSON.stringify({ ...good, userId: 'someone-else' }),
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ...good, type: 'agent_exploded' }),
      JSON.stringify({ ...good, seq: 0 }),
      JSON.stringify({ ...good, seq: '1' }),
      JSON.stringify({ ...good, runId: undefined }),
      JSON.stringify({ ...good, ts: 'now' }),
      JSON.stringify({ ...good, payload: null }),
      JSON.stringify({ ...good, toolCallId: 7 }),
    ]) {
      expect(parseEnvelope(bad, 'u'), bad).toBeUndefined();
    }
  });
});

describe('Redis event bus (real redis-server)', () => {
  let server: RedisServer;
  let raw: Redis;
  let baselineSockets = 0;
  let startError: unknown;
  const open: ObservableEventBus[] = [];

  async function node(channelPrefix?: string): Promise<ObservableEventBus> {
    const bus = await createRedisEventBus({ url: server.url, ...(channelPrefix !== undefined ? { channelPrefix } : {}) });
    open.push(bus);
    return bus;
  }

  async function numsub(channel: string): Promise<number> {
    const reply = (await raw.pubsub('NUMSUB', channel)) as [string, number];
    return Number(reply[1]);
  }

  beforeAll(async () => {
    try {
      server = await startRedisServer();
    } catch (err) {
      // Recorded and rethrown by every test below, so a missing redis-server fails each one (never skips).
      startError = err;
      return;
    }
    raw = new Redis(server.url);
    await raw.ping();
    baselineSockets = tcpSockets();
  });

  beforeEach(() => {
    if (startError !== undefined) throw startError;
  });

  afterAll(async () => {
    await Promise.all(open.map((bus) => bus.close()));
    await raw?.quit();
    await server?.stop();
  });

  it('publish on node A reaches a subscriber on node B, in order, for the right user only', async () => {
    const a = await node();
    const b = await node();
    const alice: EventEnvelope[] = [];
    const bob: EventEnvelope[] = [];
    await b.subscribe('alice', (e) => alice.push(e));
    await b.subscribe('bob', (e) => bob.push(e));
    for (let seq = 1; seq <= 10; seq++) await a.publish(envelope('alice', seq));
    await a.publish(envelope('carol', 1));
    await waitFor(() => alice.length === 10, 'alice events on node B');
    await tick();
    expect(alice.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(alice.every((e) => e.userId === 'alice' && e.runId === 'run-alice')).toBe(true);
    expect(alice[0]).toEqual({ ...envelope('alice', 1), ts: alice[0]!.ts });
    expect(bob).toEqual([]);
    expect(a.stats()).toMatchObject({ published: 11, delivered: 0 });
    expect(b.stats()).toEqual({ published: 0, delivered: 10, malformed: 0, listenerErrors: 0 });
  });

  it('uses the channel prefix: one channel per user, JSON of the envelope', async () => {
    const a = await node('custom:');
    const seen: string[] = [];
    const sniffer = raw.duplicate();
    await sniffer.subscribe('custom:dora');
    sniffer.on('message', (channel: string, message: string) => seen.push(`${channel} ${message}`));
    const event = envelope('dora', 1);
    await a.publish(event);
    await waitFor(() => seen.length === 1, 'sniffed message');
    expect(seen[0]).toBe(`custom:dora ${JSON.stringify(event)}`);
    await sniffer.quit();
  });

  it('200 users x 20 events across two nodes: each subscriber gets exactly its user, gapless and in order', async () => {
    const a = await node('load:');
    const b = await node('load:');
    const USERS = 200;
    const EVENTS = 20;
    const users = Array.from({ length: USERS }, (_, i) => `user-${i}`);
    // Every user has a listener on both nodes, and every tenth user a second one on node B.
    const inboxes = new Map<string, EventEnvelope[]>();
    const subscriptions: Promise<unknown>[] = [];
    for (const [i, user] of users.entries()) {
      for (const [label, bus] of [['A', a], ['B', b], ...(i % 10 === 0 ? [['B2', b] as const] : [])] as const) {
        const inbox: EventEnvelope[] = [];
        inboxes.set(`${user}@${label}`, inbox);
        subscriptions.push(bus.subscribe(user, (e) => inbox.push(e)));
      }
    }
    await Promise.all(subscriptions);
    expect(await numsub('load:user-0')).toBe(2); // one SUBSCRIBE per node, shared by B's two listeners

    // Users' events are interleaved; even users publish from A, odd ones from B.
    const publishes: Promise<void>[] = [];
    for (let seq = 1; seq <= EVENTS; seq++) {
      for (const [i, user] of users.entries()) publishes.push((i % 2 === 0 ? a : b).publish(envelope(user, seq)));
    }
    await Promise.all(publishes);
    const expected = inboxes.size * EVENTS;
    const received = () => [...inboxes.values()].reduce((n, inbox) => n + inbox.length, 0);
    await waitFor(() => received() >= expected, `${expected} deliveries`, 60_000);
    await tick();

    expect(received()).toBe(expected);
    for (const [key, inbox] of inboxes) {
      const user = key.slice(0, key.indexOf('@'));
      expect(inbox.every((e) => e.userId === user), key).toBe(true);
      expect(inbox.map((e) => e.seq), key).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    }
    expect(a.stats().published + b.stats().published).toBe(USERS * EVENTS);
    expect(a.stats().delivered + b.stats().delivered).toBe(expected);
    expect(a.stats().malformed + b.stats().malformed).toBe(0);
  });

  it('reference-counts the SUBSCRIBE per user and unsubscribe stops delivery', async () => {
    const a = await node('rc:');
    const b = await node('rc:');
    const first: number[] = [];
    const second: number[] = [];
    const un1 = await b.subscribe('erin', (e) => first.push(e.seq));
    const un2 = await b.subscribe('erin', (e) => second.push(e.seq));
    expect(await numsub('rc:erin')).toBe(1);

    await a.publish(envelope('erin', 1));
    await waitFor(() => first.length === 1 && second.length === 1, 'event 1 on both listeners');

    await un1();
    await un1(); // idempotent: must not drop the other listener
    expect(await numsub('rc:erin')).toBe(1);
    await a.publish(envelope('erin', 2));
    await waitFor(() => second.length === 2, 'event 2 on the remaining listener');

    await un2();
    expect(await numsub('rc:erin')).toBe(0);
    await a.publish(envelope('erin', 3));
    // Resubscribing after a full unsubscribe works; the marker proves event 3 was not held back.
    const again: number[] = [];
    await b.subscribe('erin', (e) => again.push(e.seq));
    await a.publish(envelope('erin', 4));
    await waitFor(() => again.length === 1, 'event 4 after resubscribe');
    await tick();
    expect(first).toEqual([1]);
    expect(second).toEqual([1, 2]);
    expect(again).toEqual([4]);
  });

  it('drops and counts malformed messages published directly on the channel', async () => {
    const b = await node('mal:');
    const got: EventEnvelope[] = [];
    await b.subscribe('frank', (e) => got.push(e));
    await raw.publish('mal:frank', 'this is not json');
    await raw.publish('mal:frank', JSON.stringify({ hello: 'world' }));
    await raw.publish('mal:frank', JSON.stringify(envelope('mallory', 1))); // another user's event on frank's channel
    await raw.publish('mal:frank', JSON.stringify(envelope('frank', 1)));
    await waitFor(() => got.length === 1, 'the one valid event');
    expect(got.map((e) => [e.userId, e.seq])).toEqual([['frank', 1]]);
    expect(b.stats()).toEqual({ published: 0, delivered: 1, malformed: 3, listenerErrors: 0 });
  });

  it('catches and counts listener errors', async () => {
    const a = await node('err:');
    const got: number[] = [];
    await a.subscribe('gina', () => {
      throw new Error('listener bug');
    });
    await a.subscribe('gina', (e) => got.push(e.seq));
    await a.publish(envelope('gina', 1));
    await a.publish(envelope('gina', 2));
    await waitFor(() => got.length === 2, 'two events');
    expect(got).toEqual([1, 2]);
    expect(a.stats()).toEqual({ published: 2, delivered: 4, malformed: 0, listenerErrors: 2 });
  });

  it('rejects, leaving nothing open, when Redis is unreachable', async () => {
    const before = tcpSockets();
    await expect(createRedisEventBus({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/cannot connect to Redis/);
    await tick();
    expect(tcpSockets()).toBe(before);
  });

  it('close() is idempotent, unsubscribes, and closes both connections', async () => {
    const a = await createRedisEventBus({ url: server.url, channelPrefix: 'close:' });
    const b = await createRedisEventBus({ url: server.url, channelPrefix: 'close:' });
    const withBoth = tcpSockets();
    expect(withBoth).toBeGreaterThanOrEqual(baselineSockets + 4); // publisher + subscriber per bus
    const got: number[] = [];
    await b.subscribe('hank', (e) => got.push(e.seq));
    expect(await numsub('close:hank')).toBe(1);
    await Promise.all([b.close(), b.close()]);
    await b.close();
    expect(await numsub('close:hank')).toBe(0);
    await a.publish(envelope('hank', 1));
    await a.close();
    await a.close();
    await tick();
    expect(got).toEqual([]);
    await expect(a.publish(envelope('hank', 2))).rejects.toThrow(/closed/);
    await expect(b.subscribe('hank', () => {})).rejects.toThrow(/closed/);
    await waitFor(() => tcpSockets() === withBoth - 4, 'the four connections of a and b to close', 5_000);

    // Every bus this file opened is closed: the process holds no more sockets than before the first bus.
    await Promise.all(open.map((bus) => bus.close()));
    await waitFor(() => tcpSockets() === baselineSockets, 'all bus sockets to close', 5_000);
  });
});
