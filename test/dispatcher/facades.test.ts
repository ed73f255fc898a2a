import { describe, expect, it } from 'vitest';
import {
  DEPRECATION_CODES,
  ToolDispatcher,
  ToolExecutorFactory,
  UnifiedToolDispatcher,
  assertRunSequence,
  type LegacyToolDefinition,
} from '../../src/dispatcher/index.js';
import { recordingSink, types, waitUntil } from './helpers.js';

const context = { userId: 'user-1', runId: 'run-1', threadId: 'thread-1' };
const whoami: LegacyToolDefinition = { name: 'whoami', handler: (_params, ctx) => ctx.userId };

describe('deprecation warnings', () => {
  it('each facade warns once per process with its stable code', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // The factory builds unified dispatchers without adding their warning.
      const factory = new ToolExecutorFactory();
      factory.createDispatcher(context).dispose();
      ToolExecutorFactory.shared();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => (w as Error & { code: string }).code)).toEqual(['SSOT_DEP_TOOL_EXECUTOR_FACTORY']);
      new UnifiedToolDispatcher({ context }).dispose();
      new UnifiedToolDispatcher({ context }).dispose();
      ToolDispatcher.getInstance();
      ToolDispatcher.getInstance();
      new ToolExecutorFactory();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => [w.name, (w as Error & { code: string }).code])).toEqual([
      ['DeprecationWarning', DEPRECATION_CODES.toolExecutorFactory],
      ['DeprecationWarning', DEPRECATION_CODES.unifiedToolDispatcher],
      ['DeprecationWarning', DEPRECATION_CODES.toolDispatcher],
    ]);
    expect(Object.values(DEPRECATION_CODES)).toEqual(['SSOT_DEP_UNIFIED_TOOL_DISPATCHER', 'SSOT_DEP_TOOL_DISPATCHER', 'SSOT_DEP_TOOL_EXECUTOR_FACTORY']);
  });
});

describe('UnifiedToolDispatcher facade', () => {
  it('requires a real context', () => {
    expect(() => new UnifiedToolDispatcher({} as never)).toThrow(/options.context .* is required/);
    expect(() => new UnifiedToolDispatcher({ context: { ...context, userId: 'anonymous' } })).toThrow(/userId "anonymous" is a placeholder/);
  });

  it('dispatches through a request-scoped dispatcher with the old result shape', async () => {
    let calls = 0;
    const flaky: LegacyToolDefinition = { name: 'flaky', retries: 2, handler: () => { if (++calls < 3) throw new Error('try again'); return 'third time'; } };
    const broken: LegacyToolDefinition = { name: 'broken', retries: 1, handler: () => { throw new Error('always'); } };
    const audit: LegacyToolDefinition = { name: 'audit', requiredRoles: ['auditor'], handler: () => 'audited' };
    const purge: LegacyToolDefinition = { name: 'purge', category: 'admin', handler: () => 'purged' };
    const dispatcher = new UnifiedToolDispatcher({ context, tools: [whoami, flaky, broken, audit, purge] });
    expect(dispatcher.dispatcherId).toMatch(/^unified-/);
    expect(dispatcher.listTools()).toEqual(['whoami', 'flaky', 'broken', 'audit']);
    expect(dispatcher.hasTool('purge')).toBe(false);
    expect(await dispatcher.dispatch('whoami', {})).toMatchObject({ toolName: 'whoami', runId: 'run-1', success: true, status: 'success', result: 'user-1', attempts: 1, admin: false });
    expect(await dispatcher.dispatch('flaky', {})).toMatchObject({ success: true, result: 'third time', attempts: 3 });
    expect(await dispatcher.dispatch('broken', {})).toMatchObject({ success: false, status: 'error', error: 'always', attempts: 2 });
    expect(await dispatcher.dispatch('audit', {})).toMatchObject({ success: false, status: 'forbidden', error: 'Not permitted: audit' });
    expect(await dispatcher.dispatch('nope', {})).toMatchObject({ success: false, status: 'not_found' });
    expect(await dispatcher.executeTool('whoami', {})).toBe('user-1');
    await expect(dispatcher.executeTool('broken', {})).rejects.toThrow('always');
    dispatcher.dispose();
    dispatcher.dispose();
    await expect(dispatcher.dispatch('whoami', {})).rejects.toThrow('dispatcher disposed');
  });

  it('admin tools need enableAdminTools and the admin role', async () => {
    const purge: LegacyToolDefinition = { name: 'purge', category: 'admin', handler: () => 'purged' };
    const user = new UnifiedToolDispatcher({ context, tools: [purge], enableAdminTools: true });
    expect(await user.dispatch('purge', {})).toMatchObject({ status: 'forbidden', admin: true });
    const admin = new UnifiedToolDispatcher({ context, tools: [purge], enableAdminTools: true, roles: ['admin'] });
    expect(await admin.dispatch('purge', {})).toMatchObject({ status: 'success', result: 'purged' });
  });

  it('emits one well-formed run from construction to dispose', async () => {
    const sink = recordingSink();
    const dispatcher = new UnifiedToolDispatcher({ context, tools: [whoami], eventSink: sink });
    await dispatcher.dispatch('whoami', {});
    await dispatcher.dispatch('missing', {});
    await dispatcher.dispatch('whoami', {});
    dispatcher.dispose();
    await waitUntil(() => sink.events.at(-1)?.type === 'agent_completed');
    expect(types(sink.events)).toEqual(['agent_started', 'tool_executing', 'tool_completed', 'tool_executing', 'tool_completed', 'agent_completed']);
    assertRunSequence(sink.events);
    expect(sink.events.every((event) => event.userId === 'user-1' && event.runId === 'run-1')).toBe(true);
    expect(sink.events.at(-1)!.payload).toMatchObject({ status: 'success' });
  });
});

describe('ToolDispatcher.getInstance facade', () => {
  it('returns a new dispatcher per call, with the built-in tools', () => {
    const a = ToolDispatcher.getInstance();
    const b = ToolDispatcher.getInstance();
    expect(a).not.toBe(b);
    a.registerTool('only_a', () => 'a');
    expect(a.hasTool('only_a')).toBe(true);
    expect(b.hasTool('only_a')).toBe(false);
    expect(b.toolNames()).toEqual(['echo', 'current_time']);
    expect(() => new (ToolDispatcher as unknown as new () => unknown)()).toThrow(/use ToolDispatcher.getInstance\(\)/);
    expect(ToolDispatcher.resetForTests()).toBeUndefined();
  });

  it('requires a user and passes it to handlers', async () => {
    const dispatcher = ToolDispatcher.getInstance();
    await expect(dispatcher.dispatch('echo', {})).rejects.toThrow(/no user; pass \{ userId \}/);
    dispatcher.registerTool('whoami', (_params, userId) => userId);
    dispatcher.setCurrentUser('alice');
    expect(await dispatcher.dispatch('echo', { a: 1 })).toMatchObject({ ok: true, status: 'success', tool: 'echo', data: { a: 1 }, userId: 'alice' });
    expect(await dispatcher.executeTool('whoami')).toBe('alice');
    dispatcher.setCurrentUser('bob');
    expect(await dispatcher.executeTool('whoami')).toBe('bob');
    expect(await dispatcher.dispatch('nope')).toMatchObject({ ok: false, status: 'not_found', message: 'tool not found: nope' });
    expect(typeof (await dispatcher.executeTool('current_time'))).toBe('string');
    dispatcher.setCurrentUser('undefined');
    await expect(dispatcher.dispatch('echo')).rejects.toThrow(/placeholder/);
    expect(dispatcher.totalCalls).toBe(7);
    const bound = ToolDispatcher.getInstance({ userId: 'carol', runId: 'run-c', threadId: 'thread-c' });
    expect(await bound.dispatch('echo', {})).toMatchObject({ ok: true, userId: 'carol' });
  });
});

describe('ToolExecutorFactory facade', () => {
  it('shared() returns a fresh factory; executors are bound to their context', async () => {
    expect(ToolExecutorFactory.shared()).not.toBe(ToolExecutorFactory.shared());
    const factory = new ToolExecutorFactory({ defaultTools: [whoami] });
    const alice = factory.createExecutor({ ...context, userId: 'alice' });
    const bob = factory.createExecutor({ ...context, userId: 'bob', runId: 'run-2' });
    expect(factory.created).toBe(2);
    expect(alice.availableTools()).toEqual(['whoami']);
    expect(await Promise.all([alice.execute('whoami', {}), bob.execute('whoami', {})])).toEqual(['alice', 'bob']);
    await expect(alice.execute('missing', {})).rejects.toThrow(/no tool named "missing"/);
    alice.dispose();
    await expect(alice.execute('whoami', {})).rejects.toThrow('dispatcher disposed');
    expect(await bob.execute('whoami', {})).toBe('bob');
    const sink = recordingSink();
    const dispatcher = factory.createDispatcher({ ...context, runId: 'run-3' }, sink);
    expect(dispatcher).toBeInstanceOf(UnifiedToolDispatcher);
    await dispatcher.dispatch('whoami', {});
    dispatcher.dispose();
    await waitUntil(() => sink.events.at(-1)?.type === 'agent_completed');
    assertRunSequence(sink.events);
  });
});
