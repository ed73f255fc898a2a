import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  assertRunSequence,
  createHmacToken,
  createRedisEventBus,
  createToolDispatcher,
  createUserContext,
  createWebSocketBridge,
  defineTool,
  hmacAuthenticator,
  type EventEnvelope,
  type WebSocketBridge,
} from '../../src/dispatcher/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { seededRandom } from './helpers.js';

const secret = 'end-to-end-secret';
const USERS = 500;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/**
 * Two nodes: dispatchers run on node A, the users' sockets are held by node B, Redis pub/sub in
 * between. 500 users at once, several tools each, with random failures, timeouts and aborts.
 */
describe('500 users through two nodes (real sockets, real Redis)', () => {
  it('every run: one agent_started, one agent_completed, tool pairs closed, seq gapless, nothing on another user\'s socket', async () => {
    const url = redis.url;
    const [busA, busB] = await Promise.all([createRedisEventBus({ url }), createRedisEventBus({ url })]);
    const nodeA: WebSocketBridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(secret), bus: busA });
    const nodeB: WebSocketBridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(secret), bus: busB });
    const random = seededRandom(234);
    const flaky = defineTool({
      name: 'flaky',
      description: 'fails one time in four',
      parameters: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
      handler: async ({ n }: { n: number }) => {
        await new Promise((r) => setTimeout(r, 1 + (n % 5)));
        if (n % 4 === 0) throw new Error(`flaky ${n}`);
        return n * 2;
      },
    });
    const slow = defineTool({
      name: 'slow',
      description: 'sometimes slower than its timeout',
      parameters: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] },
      timeoutMs: 30,
      handler: async ({ ms }: { ms: number }, { signal }) =>
        new Promise((resolve, reject) => {
          const t = setTimeout(() => resolve(ms), ms);
          signal.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new Error('aborted'));
          });
        }),
    });
    const users = Array.from({ length: USERS }, (_, i) => `user-${i}`);
    const received = new Map<string, EventEnvelope[]>(users.map((u) => [u, []]));
    const sockets = await Promise.all(
      users.map(
        (user) =>
          new Promise<WebSocket>((resolve, reject) => {
            const socket = new WebSocket(`ws://127.0.0.1:${nodeB.port}/?token=${createHmacToken(user, secret)}`);
            socket.on('message', (data) => {
              const message = JSON.parse(String(data)) as EventEnvelope | { type: 'snapshot' };
              if (message.type !== 'snapshot') received.get(user)!.push(message as EventEnvelope);
            });
            socket.once('open', () => {
              socket.send(JSON.stringify({ type: 'resume', runs: {} }));
              resolve(socket);
            });
            socket.once('error', reject);
          }),
      ),
    );
    // Give node B's subscriptions time to reach Redis before node A publishes.
    await new Promise((r) => setTimeout(r, 500));
    const statuses = await Promise.all(
      users.map(async (user, i) => {
        const context = createUserContext({ userId: user, runId: `run-${i}`, threadId: `thread-${i}` });
        const dispatcher = createToolDispatcher(context, { tools: [flaky, slow], sink: nodeA.sink, maxConcurrentTools: 2 });
        const controller = new AbortController();
        const abortAfter = random() < 0.1 ? 5 + Math.floor(random() * 20) : undefined;
        if (abortAfter !== undefined) setTimeout(() => controller.abort(), abortAfter);
        const calls = 2 + Math.floor(random() * 4);
        const plan = Array.from({ length: calls }, () => ({ slow: random() < 0.3, n: Math.floor(random() * 100), ms: 5 + Math.floor(random() * 60) }));
        const result = await dispatcher.run(
          async (run) => {
            run.thinking(`planning ${calls} calls`);
            await Promise.all(plan.map((p) => (p.slow ? run.dispatch('slow', { ms: p.ms }) : run.dispatch('flaky', { n: p.n }))));
            return 'done';
          },
          { signal: controller.signal },
        );
        await dispatcher.flush();
        dispatcher.dispose();
        return result.status;
      }),
    );
    const complete = () => users.every((u) => received.get(u)!.some((e) => e.type === 'agent_completed'));
    for (let i = 0; i < 200 && !complete(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(complete()).toBe(true);
    const all: EventEnvelope[] = [];
    for (const user of users) {
      const events = received.get(user)!;
      expect(events.every((e) => e.userId === user)).toBe(true);
      expect(events.filter((e) => e.type === 'agent_started')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'agent_completed')).toHaveLength(1);
      all.push(...events);
    }
    expect(assertRunSequence(all)).toMatchObject({ runs: USERS });
    expect(new Set(statuses)).toEqual(new Set(['success', 'cancelled']));
    const toolStatuses = new Set(all.filter((e) => e.type === 'tool_completed').map((e) => (e.payload as { status: string }).status));
    for (const s of ['success', 'error', 'timeout']) expect(toolStatuses).toContain(s);
    for (const socket of sockets) socket.close();
    await Promise.all([nodeA.close(), nodeB.close()]);
    await Promise.all([busA.close(), busB.close()]);
  });
});
