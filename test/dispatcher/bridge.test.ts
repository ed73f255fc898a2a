import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHmacToken, verifyHmacToken } from '../../src/dispatcher/hmac-token.js';
import type { EventBus, EventEnvelope, EventType } from '../../src/dispatcher/types.js';
import {
  createWebSocketBridge,
  hmacAuthenticator,
  SLOW_CONSUMER_CODE,
  type WebSocketBridge,
  type WebSocketBridgeOptions,
} from '../../src/dispatcher/websocket-bridge.js';

const SECRET = 'test-secret-0123456789';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

const bridges: WebSocketBridge[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await Promise.all(bridges.splice(0).map((b) => b.close()));
});

async function start(opts: Partial<WebSocketBridgeOptions> = {}): Promise<WebSocketBridge> {
  const bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET), ...opts });
  bridges.push(bridge);
  return bridge;
}

interface Msg { type: string; seq?: number; runId?: string; userId?: string; payload?: { text?: string }; state?: Record<string, unknown> | null }

interface Client {
  ws: WebSocket;
  msgs: Msg[];
  closed: Promise<{ code: number; reason: string }>;
  waitFor(pred: (msgs: Msg[]) => boolean, timeoutMs?: number): Promise<void>;
  resume(runs: Record<string, number>): void;
}

function ev(userId: string, runId: string, seq: number, type: EventType = 'agent_thinking', payload: Record<string, unknown> = { text: `t${seq}` }, toolCallId?: string): EventEnvelope {
  const e: EventEnvelope = { v: 1, type, seq, userId, runId, threadId: `th-${runId}`, ts: Date.now(), payload };
  if (toolCallId) e.toolCallId = toolCallId;
  return e;
}

async function connect(bridge: WebSocketBridge, userId: string, opts: { resume?: Record<string, number> | false; autoPong?: boolean; via?: 'header' | 'query' } = {}): Promise<Client> {
  const token = createHmacToken(userId, SECRET);
  const url = opts.via === 'query' ? `ws://127.0.0.1:${bridge.port}/?token=${token}` : `ws://127.0.0.1:${bridge.port}/`;
  const headers = opts.via === 'query' ? {} : { Authorization: `Bearer ${token}` };
  const ws = new WebSocket(url, { headers, autoPong: opts.autoPong ?? true });
  clients.push(ws);
  const msgs: Msg[] = [];
  ws.on('message', (d) => msgs.push(JSON.parse(d.toString()) as Msg));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const client: Client = {
    ws,
    msgs,
    closed,
    async waitFor(pred, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(msgs)) {
        if (Date.now() > deadline) throw new Error(`timed out; have ${msgs.length} messages: ${JSON.stringify(msgs.slice(-3))}`);
        await sleep(5);
      }
    },
    resume(runs) {
      ws.send(JSON.stringify({ type: 'resume', runs }));
    },
  };
  if (opts.resume !== false) client.resume(opts.resume ?? {});
  // Let the resume reach the bridge so the socket is live.
  await sleep(30);
  return client;
}

async function until(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

const seqs = (msgs: Msg[], runId?: string): number[] => msgs.filter((m) => m.type !== 'snapshot' && (!runId || m.runId === runId)).map((m) => m.seq ?? -1);

/** A bus that misroutes: every listener gets every event, whatever user it subscribed for. */
function leakyBus(): EventBus & { subscribed: string[]; unsubscribed: string[] } {
  const listeners = new Set<(e: EventEnvelope) => void>();
  const subscribed: string[] = [];
  const unsubscribed: string[] = [];
  return {
    subscribed,
    unsubscribed,
    async publish(e) {
      for (const l of [...listeners]) l(e);
    },
    async subscribe(userId, listener) {
      subscribed.push(userId);
      listeners.add(listener);
      return async () => { unsubscribed.push(userId); listeners.delete(listener); };
    },
    async close() { listeners.clear(); },
  };
}

/** A correct in-memory bus (routes by user). */
function memoryBus(): EventBus & { subscribed: string[]; unsubscribed: string[] } {
  const byUser = new Map<string, Set<(e: EventEnvelope) => void>>();
  const subscribed: string[] = [];
  const unsubscribed: string[] = [];
  return {
    subscribed,
    unsubscribed,
    async publish(e) {
      await Promise.resolve();
      for (const l of [...(byUser.get(e.userId) ?? [])]) l(e);
    },
    async subscribe(userId, listener) {
      subscribed.push(userId);
      const set = byUser.get(userId) ?? new Set();
      set.add(listener);
      byUser.set(userId, set);
      return async () => { unsubscribed.push(userId); set.delete(listener); };
    },
    async close() { byUser.clear(); },
  };
}

/** Emit big thinking events on a filler run until the socket's outbox is in use (a coalesce happened). */
async function fillUntilQueued(bridge: WebSocketBridge, userId: string, runId: string): Promise<number> {
  const big = 'x'.repeat(64 * 1024);
  const before = bridge.stats().dropped.coalesced;
  let seq = 0;
  while (bridge.stats().dropped.coalesced === before) {
    if (seq > 4000) throw new Error('outbox never filled');
    await bridge.sink.emit(ev(userId, runId, ++seq, 'agent_thinking', { text: big }));
    if (seq % 8 === 0) await tick();
  }
  return seq;
}

describe('hmac token', () => {
  it('round-trips, expires, and rejects forged or malformed tokens', () => {
    const now = 1_700_000_000_000;
    const t = createHmacToken('alice', SECRET, { ttlSeconds: 60, now });
    expect(verifyHmacToken(t, SECRET, { now })).toBe('alice');
    expect(verifyHmacToken(t, SECRET, { now: now + 61_000 })).toBeNull();
    expect(verifyHmacToken(t, 'other-secret', { now })).toBeNull();
    const [body, sig] = t.split('.') as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ sub: 'bob', exp: Math.floor(now / 1000) + 60 })).toString('base64url');
    expect(verifyHmacToken(`${forgedBody}.${sig}`, SECRET, { now })).toBeNull();
    expect(verifyHmacToken(`${body}.${sig.slice(0, -2)}`, SECRET, { now })).toBeNull();
    for (const bad of ['', 'abc', 'a.b.c', '.x', `${body}.`, null, undefined]) expect(verifyHmacToken(bad, SECRET, { now })).toBeNull();
  });
});

describe('websocket bridge', () => {
  it('delivers each user only their own events', async () => {
    const bridge = await start();
    const a = await connect(bridge, 'alice');
    const b = await connect(bridge, 'bob', { via: 'query' });
    for (let i = 1; i <= 20; i++) {
      await bridge.sink.emit(ev('alice', 'ra', i));
      await bridge.sink.emit(ev('bob', 'rb', i));
      await bridge.sink.emit(ev('carol', 'rc', i));
    }
    await a.waitFor((m) => m.length >= 20);
    await b.waitFor((m) => m.length >= 20);
    await sleep(50);
    expect(a.msgs.every((m) => m.userId === 'alice')).toBe(true);
    expect(b.msgs.every((m) => m.userId === 'bob')).toBe(true);
    expect(seqs(a.msgs)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(seqs(b.msgs)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(bridge.stats()).toMatchObject({ sockets: 2, users: 2, delivered: 40 });
  });

  it('never delivers a forged user id and counts it; a client cannot ask for another user\'s run', async () => {
    const bus = leakyBus();
    const bridge = await start({ bus });
    const a = await connect(bridge, 'alice');
    // The misrouting bus hands bob's events to alice's subscription: the socket check must drop them.
    await bridge.sink.emit(ev('bob', 'rb', 1, 'agent_started', {}));
    await bridge.sink.emit(ev('bob', 'rb', 2));
    await bridge.sink.emit(ev('alice', 'ra', 1, 'agent_started', {}));
    await a.waitFor((m) => m.some((x) => x.runId === 'ra'));
    expect(a.msgs.some((m) => m.userId !== 'alice')).toBe(false);
    expect(bridge.stats().dropped.userMismatch).toBe(2);
    // Resuming bob's run from alice's socket yields nothing of bob's.
    a.resume({ rb: 0 });
    await a.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    await sleep(50);
    expect(a.msgs.find((m) => m.type === 'snapshot')).toMatchObject({ runId: 'rb', state: null });
    expect(a.msgs.some((m) => m.userId === 'bob')).toBe(false);
  });

  it('refuses a bad, expired or missing token with 401 and opens no socket', async () => {
    const bridge = await start();
    const attempt = (headers: Record<string, string>, query = ''): Promise<number> => new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/${query}`, { headers });
      clients.push(ws);
      ws.on('open', () => resolve(101));
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(await attempt({ Authorization: 'Bearer nonsense' })).toBe(401);
    expect(await attempt({})).toBe(401);
    expect(await attempt({ Authorization: `Bearer ${createHmacToken('alice', 'wrong-secret')}` })).toBe(401);
    expect(await attempt({}, `?token=${createHmacToken('alice', SECRET, { ttlSeconds: -10 })}`)).toBe(401);
    expect(bridge.stats()).toMatchObject({ sockets: 0, rejectedUpgrades: 4 });
  });

  it('resumes after a reconnect with exactly the missed events, once, in order', async () => {
    const bridge = await start({ resumeWindowMs: 60_000 });
    const a1 = await connect(bridge, 'alice');
    for (let i = 1; i <= 3; i++) await bridge.sink.emit(ev('alice', 'r1', i));
    await a1.waitFor((m) => m.length === 3);
    a1.ws.close();
    await a1.closed;
    await until(() => bridge.stats().sockets === 0);
    for (let i = 4; i <= 6; i++) await bridge.sink.emit(ev('alice', 'r1', i));
    await bridge.sink.emit(ev('alice', 'r2', 1, 'agent_started', {}));
    // Reconnect; a live event arrives before the client's resume: it must be neither lost nor doubled.
    const a2 = await connect(bridge, 'alice', { resume: false });
    await bridge.sink.emit(ev('alice', 'r1', 7));
    await sleep(50);
    expect(a2.msgs).toEqual([]);
    a2.resume({ r1: 3 });
    await a2.waitFor((m) => m.length >= 4);
    await bridge.sink.emit(ev('alice', 'r1', 8));
    await a2.waitFor((m) => seqs(m, 'r1').includes(8));
    await sleep(50);
    expect(seqs(a2.msgs, 'r1')).toEqual([4, 5, 6, 7, 8]);
    // r2 was not asked for: it is not replayed.
    expect(a2.msgs.some((m) => m.runId === 'r2')).toBe(false);
    // 4..7 came from the log; the held live copy of 7 was recognised as already sent.
    expect(bridge.stats().replayed).toBe(4);
    expect(bridge.stats().dropped.duplicates).toBe(1);
  });

  it('sends a snapshot when the gap is older than the log, then the logged events', async () => {
    const bridge = await start({ replayLimit: 5 });
    const a1 = await connect(bridge, 'alice');
    await bridge.sink.emit(ev('alice', 'r1', 1, 'agent_started', {}));
    await bridge.sink.emit(ev('alice', 'r1', 2));
    await a1.waitFor((m) => m.length === 2);
    a1.ws.terminate();
    await until(() => bridge.stats().sockets === 0);
    await bridge.sink.emit(ev('alice', 'r1', 3, 'tool_executing', { tool: 'search', params: {} }, 'c1'));
    await bridge.sink.emit(ev('alice', 'r1', 4, 'tool_completed', { tool: 'search', status: 'success', durationMs: 1 }, 'c1'));
    await bridge.sink.emit(ev('alice', 'r1', 5, 'tool_executing', { tool: 'fetch', params: {} }, 'c2'));
    for (let i = 6; i <= 12; i++) await bridge.sink.emit(ev('alice', 'r1', i));
    const a2 = await connect(bridge, 'alice', { resume: { r1: 2 } });
    await a2.waitFor((m) => m.length >= 6);
    await sleep(50);
    expect(a2.msgs[0]).toMatchObject({
      type: 'snapshot',
      runId: 'r1',
      state: { lastSeq: 12, eventCount: 12, completed: false, evictedThroughSeq: 7, openToolCalls: [{ toolCallId: 'c2', tool: 'fetch' }] },
    });
    expect(seqs(a2.msgs)).toEqual([8, 9, 10, 11, 12]);
    expect(bridge.stats().snapshots).toBe(1);
  });

  it('closes a slow client with 4008 while another keeps receiving in order; the slow one resumes from the log', async () => {
    const bridge = await start({ maxBufferedBytes: 256 * 1024, softBufferedBytes: 32 * 1024, replayLimit: 10_000, closeTimeoutMs: 5000 });
    const slow = await connect(bridge, 'alice');
    const fast = await connect(bridge, 'bob');
    slow.ws.pause();
    const params = { blob: 'y'.repeat(32 * 1024) };
    let seq = 0;
    while (bridge.stats().slowClosed === 0) {
      if (seq > 3000) throw new Error('slow client never closed');
      seq++;
      await bridge.sink.emit(ev('alice', 'ra', seq, 'tool_executing', { tool: 't', params }, `c${seq}`));
      await bridge.sink.emit(ev('bob', 'rb', seq, 'tool_executing', { tool: 't', params }, `c${seq}`));
      if (seq % 4 === 0) await tick();
    }
    const closedAt = seq;
    for (let i = 0; i < 20; i++) {
      seq++;
      await bridge.sink.emit(ev('alice', 'ra', seq, 'tool_executing', { tool: 't', params }, `c${seq}`));
      await bridge.sink.emit(ev('bob', 'rb', seq, 'tool_executing', { tool: 't', params }, `c${seq}`));
    }
    await fast.waitFor((m) => m.length >= seq);
    expect(seqs(fast.msgs)).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    expect(bridge.stats().slowClosed).toBe(1);
    slow.ws.resume();
    const { code, reason } = await slow.closed;
    expect(code).toBe(SLOW_CONSUMER_CODE);
    expect(reason).toBe('slow consumer: reconnect and resume');
    const got = seqs(slow.msgs);
    expect(got.length).toBeLessThan(closedAt);
    const last = got.length > 0 ? got[got.length - 1]! : 0;
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    const again = await connect(bridge, 'alice', { resume: { ra: last } });
    await again.waitFor((m) => m.length >= seq - last, 20_000);
    expect(seqs(again.msgs)).toEqual(Array.from({ length: seq - last }, (_, i) => last + i + 1));
  });

  it('coalesces thinking updates under backpressure but never drops the five events', async () => {
    const bridge = await start({ softBufferedBytes: 1024, maxBufferedBytes: 256 * 1024 * 1024 });
    const a = await connect(bridge, 'alice');
    a.ws.pause();
    const filler = await fillUntilQueued(bridge, 'alice', 'filler');
    const coalescedBefore = bridge.stats().dropped.coalesced;
    let s = 0;
    await bridge.sink.emit(ev('alice', 'r1', ++s, 'agent_started', {}));
    for (let i = 0; i < 30; i++) await bridge.sink.emit(ev('alice', 'r1', ++s, 'agent_thinking', { text: `first ${i}` }));
    await bridge.sink.emit(ev('alice', 'r1', ++s, 'tool_executing', { tool: 'search', params: {} }, 'c1'));
    await bridge.sink.emit(ev('alice', 'r1', ++s, 'tool_completed', { tool: 'search', status: 'success', durationMs: 3 }, 'c1'));
    for (let i = 0; i < 30; i++) await bridge.sink.emit(ev('alice', 'r1', ++s, 'agent_thinking', { text: `second ${i}` }));
    await bridge.sink.emit(ev('alice', 'r1', ++s, 'agent_completed', { status: 'success', durationMs: 9 }));
    expect(bridge.stats().dropped.coalesced - coalescedBefore).toBeGreaterThanOrEqual(58);
    a.ws.resume();
    await a.waitFor((m) => m.some((x) => x.type === 'agent_completed'), 30_000);
    const run = a.msgs.filter((m) => m.runId === 'r1');
    expect(run.map((m) => m.type)).toEqual(['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_thinking', 'agent_completed']);
    expect(run[1]!.payload!.text).toBe('first 29');
    expect(run[4]!.payload!.text).toBe('second 29');
    const runSeqs = seqs(run);
    expect([...runSeqs].sort((x, y) => x - y)).toEqual(runSeqs);
    expect(seqs(a.msgs, 'filler').at(-1)).toBe(filler);
    expect(bridge.stats().slowClosed).toBe(0);
  });

  it('terminates a client that stops answering pings and keeps a live one', async () => {
    const bridge = await start({ heartbeatMs: 200 });
    const dead = await connect(bridge, 'alice', { autoPong: false });
    const live = await connect(bridge, 'bob');
    const { code } = await dead.closed;
    expect(code).toBe(1006);
    await sleep(500);
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    expect(bridge.stats()).toMatchObject({ sockets: 1, heartbeatTerminated: 1 });
  });

  it('flushes queued and held events on close, then closes sockets with 1001', async () => {
    const bridge = await start({ softBufferedBytes: 1024, resumeWindowMs: 60_000, closeTimeoutMs: 10_000 });
    const held = await connect(bridge, 'bob', { resume: false });
    const a = await connect(bridge, 'alice');
    a.ws.pause();
    const filler = await fillUntilQueued(bridge, 'alice', 'filler');
    for (let i = 1; i <= 10; i++) await bridge.sink.emit(ev('alice', 'r1', i, 'tool_executing', { tool: 't', params: {} }, `c${i}`));
    for (let i = 1; i <= 5; i++) await bridge.sink.emit(ev('bob', 'rb', i));
    expect(held.msgs).toEqual([]);
    const closing = bridge.close();
    setTimeout(() => a.ws.resume(), 100);
    await closing;
    expect((await a.closed).code).toBe(1001);
    expect((await held.closed).code).toBe(1001);
    expect(seqs(a.msgs, 'r1')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seqs(a.msgs, 'filler').at(-1)).toBe(filler);
    expect(seqs(held.msgs)).toEqual([1, 2, 3, 4, 5]);
    await bridge.close();
  });

  it('closes on malformed JSON with 1003 and ignores unknown message types', async () => {
    const bridge = await start();
    const a = await connect(bridge, 'alice');
    a.ws.send(JSON.stringify({ type: 'subscribe', userId: 'bob' }));
    await until(() => bridge.stats().ignoredMessages === 1);
    expect(a.ws.readyState).toBe(WebSocket.OPEN);
    a.ws.send('{not json');
    expect((await a.closed).code).toBe(1003);
  });

  it('with a bus: publishes, subscribes per connected user and unsubscribes when the last socket closes', async () => {
    const bus = memoryBus();
    const bridge = await start({ bus });
    const a1 = await connect(bridge, 'alice');
    const a2 = await connect(bridge, 'alice');
    expect(bus.subscribed).toEqual(['alice']);
    for (let i = 1; i <= 5; i++) await bridge.sink.emit(ev('alice', 'r1', i));
    await a1.waitFor((m) => m.length === 5);
    await a2.waitFor((m) => m.length === 5);
    a1.ws.close();
    await a1.closed;
    await sleep(30);
    expect(bus.unsubscribed).toEqual([]);
    a2.ws.close();
    await a2.closed;
    await until(() => bus.unsubscribed.length === 1);
    // Events published while nobody is connected are logged by the emitting bridge and replayed.
    for (let i = 6; i <= 7; i++) await bridge.sink.emit(ev('alice', 'r1', i));
    const a3 = await connect(bridge, 'alice', { resume: { r1: 5 } });
    await a3.waitFor((m) => m.length === 2);
    await bridge.sink.emit(ev('alice', 'r1', 8));
    await a3.waitFor((m) => m.length === 3);
    expect(seqs(a3.msgs)).toEqual([6, 7, 8]);
    expect(bus.subscribed).toEqual(['alice', 'alice']);
  });
});
