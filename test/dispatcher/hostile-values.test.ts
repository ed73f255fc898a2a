import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createInProcessEventBus,
  createRedisEventBus,
  createWebSocketBridge,
  hmacAuthenticator,
  type EventBus,
  type WebSocketBridge,
} from '../../src/dispatcher/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { bridgesPerTest, ofRun, openClient, revokedProxy, runThrough, tool, type BridgeClient } from './bridge-client.js';

/**
 * Values a tool or a run body may produce that JSON cannot carry. Each goes through a real bridge to
 * a real socket: one user's bad value must reach that user as an error status and must never take
 * the process (everyone else's runs) down, neither when sent live nor when replayed on resume.
 */

const SECRET = 'hostile-values-secret';
const { setup, bridges, clients } = bridgesPerTest(SECRET);

async function connect(bridge: WebSocketBridge, userId: string, resume: Record<string, number> = {}): Promise<BridgeClient> {
  const client = await openClient(bridge.port, userId, SECRET, resume);
  clients.push(client);
  return client;
}

function circular(): unknown {
  const value: Record<string, unknown> = { name: 'loop' };
  value.self = value;
  return value;
}

/** What a tool returns, and a word the client's error message must contain. */
const unserializable: Array<[string, () => unknown, RegExp]> = [
  ['a BigInt', () => ({ total: 10n }), /BigInt/],
  ['a bare BigInt', () => 10n, /BigInt/],
  ['a circular object', circular, /circular/i],
  ['an object with a throwing getter', () => ({ get secret(): never { throw new Error('getter exploded'); } }), /getter exploded/],
  ['an object whose toJSON throws', () => ({ toJSON(): never { throw new Error('toJSON exploded'); } }), /toJSON exploded/],
  // Nested: a promise resolved with the proxy itself would already reject (reading its `then` throws).
  ['a revoked proxy', () => ({ value: revokedProxy() }), /revoked/i],
  ['a function', () => () => 1, /function/],
  ['a symbol', () => Symbol('s'), /symbol/],
];

describe('tool results JSON cannot carry', () => {
  it.each(unserializable)('%s: the client gets tool_completed with an error status and one agent_completed, and a resume replays them', async (_name, make, message) => {
    const { bridge, client } = await setup('alice');
    const { runId, result } = await runThrough(bridge, 'alice', [tool('hostile', make)], async (run) => {
      await run.dispatch('hostile', {});
      return 'done';
    });
    expect(result.status).toBe('success');
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    const completed = ofRun(client.messages(), runId, 'tool_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.payload).toMatchObject({ tool: 'hostile', status: 'error', error: expect.stringMatching(message) });
    expect(ofRun(client.messages(), runId, 'agent_completed')).toHaveLength(1);
    expect(ofRun(client.messages(), runId).map((m) => m.seq)).toEqual([1, 2, 3, 4]);

    // A second socket of the same user resumes the run from the start: the log replays the same frames.
    const late = await connect(bridge, 'alice', { [runId]: 0 });
    await late.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    expect(ofRun(late.messages(), runId)).toEqual(ofRun(client.messages(), runId));
    expect(late.frames.every((f) => f.json !== undefined)).toBe(true);

    // And the bridge goes on serving another user.
    const bob = await connect(bridge, 'bob');
    const next = await runThrough(bridge, 'bob', [tool('plain', () => 42)], (run) => run.dispatch('plain', {}));
    await bob.waitFor((m) => ofRun(m, next.runId, 'agent_completed').length > 0);
    expect(ofRun(bob.messages(), next.runId, 'tool_completed')[0]?.payload).toMatchObject({ status: 'success', result: 42 });
  });

  it('a run body returning a BigInt ends with one agent_completed carrying an error status', async () => {
    const { bridge, client } = await setup('alice');
    const { runId } = await runThrough(bridge, 'alice', [], () => ({ answer: 42n }));
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    const completed = ofRun(client.messages(), runId, 'agent_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.payload).toMatchObject({ status: 'error', error: expect.stringMatching(/BigInt/) });
  });

  it('params and input JSON cannot carry reach the client as an error on their event', async () => {
    const { bridge, client } = await setup('alice');
    const { runId } = await runThrough(bridge, 'alice', [tool('echo', () => 'ok')], (run) => run.dispatch('echo', { big: 1n }), { big: 2n });
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    expect(ofRun(client.messages(), runId).map((m) => m.type)).toEqual(['agent_started', 'tool_executing', 'tool_completed', 'agent_completed']);
    expect(ofRun(client.messages(), runId, 'agent_started')[0]?.payload).toEqual({ error: expect.stringMatching(/input.*BigInt/) });
    expect(ofRun(client.messages(), runId, 'tool_executing')[0]?.payload).toEqual({ tool: 'echo', error: expect.stringMatching(/params.*BigInt/) });
    expect(ofRun(client.messages(), runId, 'tool_completed')[0]?.payload).toMatchObject({ status: 'success', result: 'ok' });
  });

  it('a result changed after it was sent cannot break a later resume: the log keeps what was sent', async () => {
    const { bridge, client } = await setup('alice');
    const kept: Record<string, unknown> = { rows: 1 };
    const { runId } = await runThrough(bridge, 'alice', [tool('rows', () => kept)], (run) => run.dispatch('rows', {}));
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    kept.rows = 10n; // the tool's object lives on and changes after the events were delivered
    const late = await connect(bridge, 'alice', { [runId]: 0 });
    await late.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    expect(ofRun(late.messages(), runId, 'tool_completed')[0]?.payload).toMatchObject({ status: 'success', result: { rows: 1 } });
    expect(ofRun(late.messages(), runId)).toEqual(ofRun(client.messages(), runId));
  });
});

describe('across a bus: the dispatcher on node A, the socket on node B', () => {
  let redis: RedisServer;
  const buses: EventBus[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((b) => b.close()));
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it.each(['in-process', 'redis'] as const)('%s: a BigInt result reaches the client as tool_completed {status: error}, then one agent_completed', async (kind) => {
    const shared = createInProcessEventBus();
    const [busA, busB] = kind === 'redis' ? await Promise.all([createRedisEventBus({ url: redis.url }), createRedisEventBus({ url: redis.url })]) : [shared, shared];
    buses.push(...new Set([busA, busB]));
    const nodeA = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET), bus: busA });
    const nodeB = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET), bus: busB });
    bridges.push(nodeA, nodeB);
    const client = await connect(nodeB, 'alice');
    // A first run seen on the socket shows node B's subscription is live.
    const warmUp = await runThrough(nodeA, 'alice', [], () => 'ready');
    await client.waitFor((m) => ofRun(m, warmUp.runId, 'agent_completed').length > 0);
    const { runId } = await runThrough(nodeA, 'alice', [tool('hostile', () => ({ total: 10n }))], (run) => run.dispatch('hostile', {}));
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    expect(ofRun(client.messages(), runId).map((m) => m.type)).toEqual(['agent_started', 'tool_executing', 'tool_completed', 'agent_completed']);
    expect(ofRun(client.messages(), runId, 'tool_completed')[0]?.payload).toMatchObject({ status: 'error', error: expect.stringMatching(/BigInt/) });
  });
});
