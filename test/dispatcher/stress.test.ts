import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aggregateMetrics,
  assertRunSequence,
  createToolDispatcher,
  createUserContext,
  defineTool,
  type RequestScopedToolDispatcher,
  type Run,
  type ToolCallContext,
} from '../../src/dispatcher/index.js';
import { recordingSink, seededRandom, sleep } from './helpers.js';

/** Waits `ms`, or rejects as soon as the call is aborted. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

const tools = [
  defineTool({
    name: 'lookup', description: 'answers with the caller identity',
    parameters: { type: 'object', properties: { delay: { type: 'number' } }, required: ['delay'] },
    handler: async (params: { delay: number }, { signal, context }: ToolCallContext) => { await wait(params.delay, signal); return { userId: context.userId }; },
  }),
  defineTool({
    name: 'flaky', description: 'fails when asked to',
    parameters: { type: 'object', properties: { fail: { type: 'boolean' } }, required: ['fail'] },
    handler: async (params: { fail: boolean }) => { await Promise.resolve(); if (params.fail) throw new Error('flaky failure'); return 'ok'; },
  }),
  defineTool({
    name: 'slow', description: 'may exceed its 15 ms timeout', timeoutMs: 15,
    parameters: { type: 'object', properties: { delay: { type: 'number' } } },
    handler: async (params: { delay: number }, { signal }: ToolCallContext) => wait(params.delay, signal),
  }),
  defineTool({ name: 'purge', description: 'admin only', admin: true, parameters: { type: 'object' }, handler: () => 'purged' }),
];

type Scenario = 'normal' | 'throws' | 'abort' | 'dispose' | 'timeout';

describe('500 concurrent users', () => {
  it('keep well-formed event sequences, each on its own user, under failures, timeouts and aborts', async () => {
    const random = seededRandom(20240607);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const union = recordingSink();
    const ownerOfRun = new Map<string, string>();
    const dispatchers: RequestScopedToolDispatcher[] = [];
    const leaks: string[] = [];
    const scenarios: Scenario[] = [];

    const runs = Array.from({ length: 500 }, (_, i) => {
      const context = createUserContext({ userId: `user-${i}`, runId: `run-${i}-${randomUUID()}`, threadId: `thread-${i}`, roles: i % 7 === 0 ? ['admin'] : [] });
      ownerOfRun.set(context.runId, context.userId);
      const own = recordingSink();
      const dispatcher = createToolDispatcher(context, { tools, sinks: [union, own], maxConcurrentTools: 1 + (i % 4) });
      dispatchers.push(dispatcher);
      const roll = random();
      const scenario: Scenario = roll < 0.65 ? 'normal' : roll < 0.75 ? 'throws' : roll < 0.85 ? 'abort' : roll < 0.93 ? 'dispose' : 'timeout';
      scenarios.push(scenario);
      const calls = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const tool = pick(['lookup', 'flaky', 'slow', 'purge', 'missing', 'lookup-bad-params'] as const);
        if (tool === 'lookup') return { tool, params: { delay: Math.floor(random() * 8) } };
        if (tool === 'flaky') return { tool, params: { fail: random() < 0.4 } };
        if (tool === 'slow') return { tool, params: { delay: Math.floor(random() * 30) } };
        if (tool === 'lookup-bad-params') return { tool: 'lookup', params: { delay: 'soon' } };
        return { tool, params: {} };
      });
      const stopAfter = 1 + Math.floor(random() * 20);
      const controller = new AbortController();
      const body = async (run: Run) => {
        run.thinking(`user ${i} thinking`);
        const results = await Promise.all(calls.map((call) => run.dispatch(call.tool, call.params)));
        for (const result of results) {
          const answer = result.result as { userId?: string } | undefined;
          if (answer?.userId !== undefined && answer.userId !== context.userId) leaks.push(`${context.userId} got ${answer.userId}`);
        }
        if (scenario === 'throws') throw new Error('body failed');
        if (scenario !== 'normal') await wait(1000, run.signal);
        return results.map((result) => result.status);
      };
      if (scenario === 'abort') void sleep(stopAfter).then(() => controller.abort());
      if (scenario === 'dispose') void sleep(stopAfter).then(() => dispatcher.dispose());
      return dispatcher.run(body, { signal: controller.signal, timeoutMs: scenario === 'timeout' ? stopAfter + 5 : 10_000 }).then((outcome) => ({ outcome, own, context }));
    });

    const finished = await Promise.all(runs);
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.flush()));

    expect(leaks).toEqual([]);
    expect(assertRunSequence(union.events)).toEqual({ runs: 500, events: union.events.length });
    for (const event of union.events) expect(event.userId).toBe(ownerOfRun.get(event.runId));
    for (const { own, context, outcome } of finished) {
      expect(own.events.every((event) => event.userId === context.userId && event.runId === context.runId)).toBe(true);
      expect(own.events).toHaveLength(outcome.events);
    }
    const statuses = finished.map(({ outcome }) => outcome.status);
    const expected = scenarios.map((s) => ({ normal: 'success', throws: 'error', abort: 'cancelled', dispose: 'cancelled', timeout: 'timeout' })[s]);
    expect(statuses).toEqual(expected);
    const metrics = aggregateMetrics(dispatchers);
    expect(metrics.calls).toBeGreaterThan(500);
    for (const status of ['success', 'error', 'not_found', 'invalid_params', 'forbidden', 'timeout', 'cancelled'] as const) expect(metrics.byStatus[status]).toBeGreaterThan(0);
    for (const dispatcher of dispatchers) dispatcher.dispose();
  });
});
