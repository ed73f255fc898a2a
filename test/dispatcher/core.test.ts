import { describe, expect, it } from 'vitest';
import {
  RequestScopedToolDispatcher,
  aggregateMetrics,
  assertRunSequence,
  createToolDispatcher,
  createUserContext,
  defineTool,
  type AuditEntry,
  type EventEnvelope,
  type ToolDefinition,
} from '../../src/dispatcher/index.js';
import { recordingSink, sleep, types, untilAborted, waitUntil } from './helpers.js';

const ctx = (userId = 'user-1', roles: string[] = []) => createUserContext({ userId, runId: `run-${userId}`, threadId: `thread-${userId}`, roles });

const echo: ToolDefinition = {
  name: 'echo',
  description: 'returns its params',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  handler: (params) => params,
};
const fail: ToolDefinition = { name: 'fail', description: 'throws', parameters: { type: 'object' }, handler: () => { throw new Error('boom'); } };
const hang: ToolDefinition = { name: 'hang', description: 'never settles unless aborted', parameters: { type: 'object' }, handler: (_p, { signal }) => untilAborted(signal) };
const wipe: ToolDefinition = { name: 'wipe', description: 'admin only', parameters: { type: 'object' }, admin: true, handler: () => 'wiped' };

describe('createUserContext', () => {
  it('returns a deep-frozen context with default roles', () => {
    const context = createUserContext({ userId: 'u-42', runId: 'r-1', threadId: 't-1' });
    expect(context).toEqual({ userId: 'u-42', runId: 'r-1', threadId: 't-1', roles: [] });
    expect(Object.isFrozen(context)).toBe(true);
    expect(Object.isFrozen(context.roles)).toBe(true);
    const roles = ['admin'];
    const withRoles = createUserContext({ userId: 'u-42', runId: 'r-1', threadId: 't-1', roles });
    roles.push('root');
    expect(withRoles.roles).toEqual(['admin']);
  });

  it.each([
    [{ userId: '', runId: 'r', threadId: 't' }, /userId must not be empty/],
    [{ userId: '   ', runId: 'r', threadId: 't' }, /userId must not be empty/],
    [{ userId: 'u', runId: '', threadId: 't' }, /runId must not be empty/],
    [{ userId: 'u', runId: 'r', threadId: ' ' }, /threadId must not be empty/],
    [{ userId: undefined, runId: 'r', threadId: 't' }, /userId must be a string/],
    [{ userId: 'undefined', runId: 'r', threadId: 't' }, /userId "undefined" is a placeholder/],
    [{ userId: 'NULL', runId: 'r', threadId: 't' }, /userId "NULL" is a placeholder/],
    [{ userId: 'Anonymous', runId: 'r', threadId: 't' }, /userId "Anonymous" is a placeholder/],
    [{ userId: 'u', runId: 'unknown', threadId: 't' }, /runId "unknown" is a placeholder/],
    [{ userId: 'u', runId: 'r', threadId: 'default' }, /threadId "default" is a placeholder/],
    [{ userId: 'test', runId: 'r', threadId: 't' }, /userId "test" is a placeholder/],
    [{ userId: 'placeholder', runId: 'r', threadId: 't' }, /placeholder/],
    [{ userId: 'N/A', runId: 'r', threadId: 't' }, /userId "N\/A" is a placeholder/],
    [{ userId: 'u', runId: 'r', threadId: 't', roles: [''] }, /roles must be an array of non-empty strings/],
  ])('rejects %j', (init, message) => {
    expect(() => createUserContext(init as never)).toThrow(message);
  });
});

describe('RequestScopedToolDispatcher construction', () => {
  it('cannot be constructed outside createToolDispatcher', () => {
    const Ctor = RequestScopedToolDispatcher as unknown as new (...args: unknown[]) => unknown;
    expect(() => new Ctor(Symbol('forged'), ctx(), {})).toThrow(new TypeError('use createToolDispatcher()'));
    expect(() => new Ctor()).toThrow(TypeError);
    expect(createToolDispatcher(ctx())).toBeInstanceOf(RequestScopedToolDispatcher);
  });

  it('validates a plain context and rejects bad options', () => {
    expect(() => createToolDispatcher({ userId: 'anonymous', runId: 'r', threadId: 't', roles: [] })).toThrow(/placeholder/);
    expect(() => createToolDispatcher(ctx(), { maxConcurrentTools: 0 })).toThrow(/maxConcurrentTools/);
    expect(() => createToolDispatcher(ctx(), { toolTimeoutMs: -1 })).toThrow(/toolTimeoutMs/);
  });

  it('registers, lists and refuses duplicate or malformed tools', () => {
    const dispatcher = createToolDispatcher(ctx(), { tools: [echo] });
    expect(dispatcher.hasTool('echo')).toBe(true);
    expect(dispatcher.listTools()).toEqual([{ name: 'echo', description: 'returns its params', parameters: echo.parameters, admin: false }]);
    expect(() => dispatcher.registerTool(echo)).toThrow('tool "echo" is already registered');
    expect(() => dispatcher.registerTool({ ...echo, name: '' })).toThrow(/non-empty name/);
    expect(() => dispatcher.registerTool({ ...echo, name: 'x', parameters: { type: 'no-such-type' } })).toThrow(/invalid parameters schema/);
    expect(() => defineTool({ ...echo, parameters: { type: 12 } })).toThrow();
  });
});

describe('dispatch statuses', () => {
  it('success, error, not_found, invalid_params', async () => {
    const dispatcher = createToolDispatcher(ctx(), { tools: [echo, fail] });
    expect(await dispatcher.dispatch('echo', { text: 'hi' })).toMatchObject({ status: 'success', result: { text: 'hi' } });
    expect(await dispatcher.dispatch('fail', {})).toMatchObject({ status: 'error', error: 'boom' });
    expect(await dispatcher.dispatch('nope', {})).toMatchObject({ status: 'not_found', error: 'no tool named "nope"' });
    expect(await dispatcher.dispatch('echo', { text: 3 })).toMatchObject({ status: 'invalid_params', error: 'params/text must be string' });
    expect(await dispatcher.dispatch('echo', {})).toMatchObject({ status: 'invalid_params', error: "params must have required property 'text'" });
    const result = await dispatcher.dispatch('echo', { text: 'x' });
    expect(typeof result.durationMs).toBe('number');
  });

  it('forbidden for admin tools without the admin role, audited', async () => {
    const audits: AuditEntry[] = [];
    const user = createToolDispatcher(ctx('user-7'), { tools: [wipe], audit: (entry) => audits.push(entry) });
    expect(await user.dispatch('wipe', {})).toMatchObject({ status: 'forbidden' });
    expect(audits).toEqual([{ type: 'forbidden', tool: 'wipe', userId: 'user-7', runId: 'run-user-7', ts: expect.any(Number) }]);
    const admin = createToolDispatcher(ctx('admin-1', ['admin']), { tools: [wipe], audit: (entry) => audits.push(entry) });
    expect(await admin.dispatch('wipe', {})).toMatchObject({ status: 'success', result: 'wiped' });
    expect(audits).toHaveLength(1);
  });

  it('timeout: per tool and per dispatcher, and the handler signal aborts', async () => {
    let aborted = false;
    const slow: ToolDefinition = { ...hang, name: 'slow', timeoutMs: 20, handler: (_p, { signal }) => { signal.addEventListener('abort', () => { aborted = true; }); return untilAborted(signal); } };
    const dispatcher = createToolDispatcher(ctx(), { tools: [slow, hang], toolTimeoutMs: 30 });
    expect(await dispatcher.dispatch('slow', {})).toMatchObject({ status: 'timeout', error: 'tool "slow" timed out after 20 ms' });
    expect(aborted).toBe(true);
    expect(await dispatcher.dispatch('hang', {})).toMatchObject({ status: 'timeout' });
  });

  it('cancelled: by the call signal (before or during) and by dispose', async () => {
    const dispatcher = createToolDispatcher(ctx(), { tools: [hang] });
    const controller = new AbortController();
    const pending = dispatcher.dispatch('hang', {}, { signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ status: 'cancelled' });
    expect(await dispatcher.dispatch('hang', {}, { signal: AbortSignal.abort() })).toMatchObject({ status: 'cancelled' });
    const inFlight = dispatcher.dispatch('hang', {});
    await sleep(1);
    dispatcher.dispose();
    expect(await inFlight).toMatchObject({ status: 'cancelled' });
  });

  it('a precompiled tool (defineTool) is shared by many dispatchers', async () => {
    const tool = defineTool(echo);
    expect(Object.isFrozen(tool)).toBe(true);
    const a = createToolDispatcher(ctx('a'), { tools: [tool] });
    const b = createToolDispatcher(ctx('b'), { tools: [tool] });
    expect(await a.dispatch('echo', { text: 1 })).toMatchObject({ status: 'invalid_params' });
    expect(await b.dispatch('echo', { text: 'ok' })).toMatchObject({ status: 'success' });
  });
});

describe('concurrency cap', () => {
  it('never runs more than maxConcurrentTools at once in a run; excess calls wait', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const work: ToolDefinition = {
      name: 'work', description: 'tracks concurrency', parameters: { type: 'object' },
      handler: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(5);
        inFlight--;
        return 'done';
      },
    };
    const sink = recordingSink();
    const dispatcher = createToolDispatcher(ctx(), { tools: [work], maxConcurrentTools: 3, sink });
    const outcome = await dispatcher.run(async (run) => Promise.all(Array.from({ length: 12 }, () => run.dispatch('work', {}))));
    expect(outcome.status).toBe('success');
    expect((outcome.result as { status: string }[]).every((r) => r.status === 'success')).toBe(true);
    expect(maxInFlight).toBe(3);
    await dispatcher.flush();
    assertRunSequence(sink.events);
    // tool_executing is emitted when a call holds a slot: never more than 3 open at once.
    let open = 0;
    let maxOpen = 0;
    for (const event of sink.events) {
      if (event.type === 'tool_executing') maxOpen = Math.max(maxOpen, ++open);
      if (event.type === 'tool_completed') open--;
    }
    expect(maxOpen).toBe(3);
  });
});

describe('run events', () => {
  it('emits the five events in order with contiguous seq and top-level ids', async () => {
    const sink = recordingSink();
    const dispatcher = createToolDispatcher(ctx('u-9'), { tools: [echo], sink });
    const outcome = await dispatcher.run(async (run) => {
      run.thinking('let me look');
      const result = await run.dispatch('echo', { text: 'hello' });
      return result.result;
    }, { input: 'question' });
    expect(outcome).toEqual({ status: 'success', result: { text: 'hello' }, events: 5 });
    await dispatcher.flush();
    expect(types(sink.events)).toEqual(['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']);
    expect(assertRunSequence(sink.events)).toEqual({ runs: 1, events: 5 });
    const [started, thinking, executing, completed, done] = sink.events as EventEnvelope<Record<string, unknown>>[];
    expect(started).toMatchObject({ v: 1, seq: 1, userId: 'u-9', runId: 'run-u-9', threadId: 'thread-u-9', payload: { input: 'question' } });
    expect(thinking!.payload).toEqual({ text: 'let me look' });
    expect(executing!.toolCallId).toEqual(completed!.toolCallId);
    expect(executing!.payload).toEqual({ tool: 'echo', params: { text: 'hello' } });
    expect(completed!.payload).toMatchObject({ tool: 'echo', status: 'success', result: { text: 'hello' } });
    expect(done!.payload).toMatchObject({ status: 'success', result: { text: 'hello' } });
    expect(Object.isFrozen(done)).toBe(true);
  });

  it('refused calls (not_found, invalid_params, forbidden) emit no tool events', async () => {
    const sink = recordingSink();
    const audits: AuditEntry[] = [];
    const dispatcher = createToolDispatcher(ctx(), { tools: [echo, wipe], sink, audit: (entry) => audits.push(entry) });
    const outcome = await dispatcher.run(async (run) => [
      (await run.dispatch('missing', {})).status,
      (await run.dispatch('echo', { text: 5 })).status,
      (await run.dispatch('wipe', {})).status,
    ]);
    expect(outcome.result).toEqual(['not_found', 'invalid_params', 'forbidden']);
    expect(audits).toHaveLength(1);
    await dispatcher.flush();
    expect(types(sink.events)).toEqual(['agent_started', 'agent_completed']);
  });

  it('one run per dispatcher', async () => {
    const dispatcher = createToolDispatcher(ctx());
    await dispatcher.run(() => 1);
    await expect(dispatcher.run(() => 2)).rejects.toThrow(/run\(\) already called for run run-user-1/);
  });

  async function endedRun(end: 'throws' | 'timeout' | 'abort' | 'dispose') {
    const sink = recordingSink();
    const dispatcher = createToolDispatcher(ctx(), { tools: [hang, echo], sink, maxConcurrentTools: 2 });
    const controller = new AbortController();
    const pending = dispatcher.run(async (run) => {
      await run.dispatch('echo', { text: 'a' });
      void run.dispatch('hang', {});
      void run.dispatch('hang', {});
      void run.dispatch('hang', {}); // waits for a slot: never starts, so no events
      await sleep(5);
      if (end === 'throws') throw new Error('body failed');
      if (end === 'abort') controller.abort();
      if (end === 'dispose') dispatcher.dispose();
      await untilAborted(run.signal);
    }, { signal: controller.signal, timeoutMs: end === 'timeout' ? 30 : 10_000 });
    const outcome = await pending;
    await dispatcher.flush();
    return { outcome, events: sink.events };
  }

  it.each([
    ['throws', 'error', 'body failed'],
    ['timeout', 'timeout', 'run timed out after 30 ms'],
    ['abort', 'cancelled', 'run cancelled by its signal'],
    ['dispose', 'cancelled', 'dispatcher disposed'],
  ] as const)('when the run %s: agent_completed once, open calls cancelled first', async (end, status, error) => {
    const { outcome, events } = await endedRun(end);
    expect(outcome).toMatchObject({ status, error, events: 8 });
    assertRunSequence(events);
    expect(types(events)).toEqual(['agent_started', 'tool_executing', 'tool_completed', 'tool_executing', 'tool_executing', 'tool_completed', 'tool_completed', 'agent_completed']);
    expect(events.filter((e) => e.type === 'agent_completed')).toHaveLength(1);
    const cancelled = events.filter((e) => e.type === 'tool_completed' && e.payload.status === 'cancelled');
    expect(cancelled).toHaveLength(2);
    expect(events.at(-1)!.payload).toMatchObject({ status });
    // Nothing arrives later either (the abandoned handlers settle after the run).
    await sleep(10);
    expect(events).toHaveLength(8);
  });

  it('a run started on an aborted signal completes cancelled without running the body', async () => {
    const sink = recordingSink();
    const dispatcher = createToolDispatcher(ctx(), { sink });
    let ran = false;
    const outcome = await dispatcher.run(() => { ran = true; }, { signal: AbortSignal.abort() });
    expect(outcome).toMatchObject({ status: 'cancelled', events: 2 });
    expect(ran).toBe(false);
    await dispatcher.flush();
    assertRunSequence(sink.events);
  });
});

describe('sinks and listeners', () => {
  it('a throwing, a rejecting and a never-resolving sink change neither results, nor order, nor run()', async () => {
    const recorder = recordingSink();
    const stalled: EventEnvelope[] = [];
    const sinkErrors: string[] = [];
    const sinks = [
      { emit: () => { throw new Error('sink threw'); } },
      { emit: () => Promise.reject(new Error('sink rejected')) },
      { emit: (event: EventEnvelope) => { stalled.push(event); return new Promise<void>(() => undefined); } },
      recorder,
    ];
    const dispatcher = createToolDispatcher(ctx(), { tools: [echo, fail], sinks: sinks, sinkTimeoutMs: 50, onSinkError: (error) => sinkErrors.push(error.message) });
    const outcome = await dispatcher.run(async (run) => {
      run.thinking('one');
      const a = await run.dispatch('echo', { text: 'x' });
      const b = await run.dispatch('fail', {});
      return [a.status, b.status];
    });
    expect(outcome).toEqual({ status: 'success', result: ['success', 'error'], events: 7 });
    // run() resolved while the stalled sink still holds its first event: it did not wait for sinks.
    expect(stalled.map((e) => e.seq)).toEqual([1]);
    await waitUntil(() => recorder.events.length === 7);
    expect(recorder.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    assertRunSequence(recorder.events);
    // The stalled sink still gets every event, in order, each after the previous timed out.
    await dispatcher.flush();
    expect(stalled.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sinkErrors.filter((m) => m === 'sink threw')).toHaveLength(7);
    expect(sinkErrors.filter((m) => m === 'sink rejected')).toHaveLength(7);
    expect(sinkErrors.filter((m) => m.startsWith('sink did not settle within 50 ms'))).toHaveLength(7);
  });

  it('listeners see every event synchronously; a throwing listener is ignored; on() returns removal', async () => {
    const seen: string[] = [];
    const dispatcher = createToolDispatcher(ctx(), { tools: [echo] });
    dispatcher.on(() => { throw new Error('listener threw'); });
    const off = dispatcher.on((event) => seen.push(event.type));
    const outcome = await dispatcher.run(async (run) => {
      await run.dispatch('echo', { text: 'x' });
      off();
      run.thinking('after off');
      return 'ok';
    });
    expect(outcome.status).toBe('success');
    expect(seen).toEqual(['agent_started', 'tool_executing', 'tool_completed']);
  });
});

describe('dispose', () => {
  it('is idempotent and fails fast afterwards', async () => {
    const dispatcher = createToolDispatcher(ctx(), { tools: [echo] });
    dispatcher.dispose();
    dispatcher.dispose();
    expect(dispatcher.disposed).toBe(true);
    expect(dispatcher.hasTool('echo')).toBe(false);
    expect(dispatcher.listTools()).toEqual([]);
    await expect(dispatcher.dispatch('echo', { text: 'x' })).rejects.toThrow(new Error('dispatcher disposed'));
    await expect(dispatcher.run(() => 1)).rejects.toThrow(new Error('dispatcher disposed'));
    expect(() => dispatcher.registerTool(fail)).toThrow(new Error('dispatcher disposed'));
    expect(() => dispatcher.on(() => undefined)).toThrow(new Error('dispatcher disposed'));
  });

  it('listeners still receive the events of the run it cancels, then are dropped', async () => {
    const seen: string[] = [];
    const dispatcher = createToolDispatcher(ctx(), { tools: [hang] });
    dispatcher.on((event) => seen.push(`${event.type}${event.payload.status ? `:${String(event.payload.status)}` : ''}`));
    const pending = dispatcher.run(async (run) => run.dispatch('hang', {}));
    await sleep(5);
    dispatcher.dispose();
    expect(seen).toEqual(['agent_started', 'tool_executing', 'tool_completed:cancelled', 'agent_completed:cancelled']);
    expect(await pending).toMatchObject({ status: 'cancelled', error: 'dispatcher disposed' });
  });
});

describe('metrics', () => {
  it('counts statuses, success rate and latency percentiles; aggregates dispatchers', async () => {
    const a = createToolDispatcher(ctx('a'), { tools: [echo, fail] });
    const b = createToolDispatcher(ctx('b'), { tools: [echo] });
    expect(a.metrics()).toEqual({ calls: 0, byStatus: { success: 0, error: 0, not_found: 0, invalid_params: 0, forbidden: 0, timeout: 0, cancelled: 0 }, successRate: 0, latency: { p50: 0, p95: 0, p99: 0 } });
    await a.dispatch('echo', { text: 'x' });
    await a.dispatch('echo', { text: 'y' });
    await a.dispatch('fail', {});
    await a.dispatch('missing', {});
    await b.dispatch('echo', { text: 'z' });
    await b.dispatch('echo', {});
    const metricsA = a.metrics();
    expect(metricsA).toMatchObject({ calls: 4, byStatus: { success: 2, error: 1, not_found: 1 }, successRate: 0.5 });
    expect(metricsA.latency.p50).toBeLessThanOrEqual(metricsA.latency.p95);
    expect(metricsA.latency.p95).toBeLessThanOrEqual(metricsA.latency.p99);
    const total = aggregateMetrics([a, b]);
    expect(total).toMatchObject({ calls: 6, byStatus: { success: 3, error: 1, not_found: 1, invalid_params: 1 }, successRate: 0.5 });
    a.dispose();
    expect(a.metrics().calls).toBe(4);
  });

  it('keeps a bounded ring of durations', async () => {
    const { MetricsRecorder } = await import('../../src/dispatcher/metrics.js');
    const recorder = new MetricsRecorder(10);
    for (let i = 1; i <= 100; i++) recorder.record('success', i);
    const sample = recorder.metricsSample();
    expect(sample.durations).toHaveLength(10);
    expect([...sample.durations].sort((x, y) => x - y)).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100]);
    expect(recorder.snapshot()).toMatchObject({ calls: 100, latency: { p50: 95, p95: 100, p99: 100 } });
  });
});
