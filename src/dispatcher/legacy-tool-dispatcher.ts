import { randomUUID } from 'node:crypto';
import { createUserContext } from './context.js';
import { DEPRECATION_CODES, warnDeprecated } from './deprecation.js';
import { createToolDispatcher, type RequestScopedToolDispatcher } from './request-scoped-tool-dispatcher.js';
import type { EventSink, ToolStatus } from './types.js';

export type LegacyToolHandler = (params: Record<string, unknown>, userId: string | undefined) => unknown;

export interface LegacyToolResult {
  ok: boolean;
  status: ToolStatus;
  tool: string;
  data?: unknown;
  message?: string;
  userId?: string;
  elapsedMs: number;
}

/** What `ToolDispatcher.getInstance()` may be told about the request (all optional, see below). */
export interface LegacyToolDispatcherInit {
  /** The user; or call `setCurrentUser` before dispatching. Required one way or the other. */
  userId?: string;
  /** Default: a synthetic `legacy-run-<uuid>` per user bound. */
  runId?: string;
  /** Default: a synthetic `legacy-thread-<uuid>` per user bound. */
  threadId?: string;
  roles?: readonly string[];
  sink?: EventSink;
  toolTimeoutMs?: number;
}

const CONSTRUCT = Symbol('ssot-kit.dispatcher.legacyToolDispatcher');

/**
 * @deprecated Use `createToolDispatcher(createUserContext(...))`. The old singleton's API without
 * the singleton: `getInstance()` returns a NEW dispatcher on every call (nothing is shared between
 * callers, which was the bug), with the built-in `echo` and `current_time` tools registered. Calls
 * run on a request-scoped dispatcher bound to the current user; without a user they reject.
 */
export class ToolDispatcher {
  /** A fresh dispatcher per call (not a shared instance); warns once per process. */
  static readonly getInstance = (init: LegacyToolDispatcherInit = {}): ToolDispatcher => {
    warnDeprecated(DEPRECATION_CODES.toolDispatcher, 'ToolDispatcher.getInstance() is deprecated: use createToolDispatcher(createUserContext({ userId, runId, threadId })) from ssot-kit/dispatcher.');
    return new ToolDispatcher(CONSTRUCT, init);
  };

  /** Kept for old tests: there is no instance to forget any more. */
  static readonly resetForTests = (): void => undefined;

  private readonly handlers = new Map<string, LegacyToolHandler>();
  private readonly init: LegacyToolDispatcherInit;
  private userId: string | undefined;
  private core: RequestScopedToolDispatcher | undefined;
  private callCount = 0;

  private constructor(token: symbol, init: LegacyToolDispatcherInit) {
    if (token !== CONSTRUCT) throw new TypeError('use ToolDispatcher.getInstance()');
    this.init = init;
    this.userId = init.userId;
    this.handlers.set('echo', (params) => params);
    this.handlers.set('current_time', () => new Date().toISOString());
  }

  /** Binds later calls to this user (a new request-scoped dispatcher; calls in flight keep theirs). */
  setCurrentUser(userId: string | undefined): void {
    this.userId = userId;
    this.core = undefined;
  }

  registerTool(name: string, handler: LegacyToolHandler): void {
    this.handlers.set(name, handler);
    this.core = undefined;
  }

  hasTool(name: string): boolean {
    return this.handlers.has(name);
  }

  toolNames(): string[] {
    return [...this.handlers.keys()];
  }

  get totalCalls(): number {
    return this.callCount;
  }

  async dispatch(name: string, params: Record<string, unknown> = {}): Promise<LegacyToolResult> {
    this.callCount++;
    const core = this.bind();
    const outcome = await core.dispatch(name, params);
    const base = { tool: name, status: outcome.status, userId: core.context.userId, elapsedMs: outcome.durationMs };
    if (outcome.status === 'success') return { ok: true, data: outcome.result, ...base };
    return { ok: false, message: outcome.status === 'not_found' ? `tool not found: ${name}` : outcome.error, ...base };
  }

  async executeTool(name: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const result = await this.dispatch(name, params);
    if (!result.ok) throw new Error(result.message);
    return result.data;
  }

  private bind(): RequestScopedToolDispatcher {
    if (this.core) return this.core;
    if (this.userId === undefined) throw new Error('ToolDispatcher: no user; pass { userId } to getInstance() or call setCurrentUser(userId) first');
    const context = createUserContext({
      userId: this.userId,
      runId: this.init.runId ?? `legacy-run-${randomUUID()}`,
      threadId: this.init.threadId ?? `legacy-thread-${randomUUID()}`,
      roles: this.init.roles,
    });
    const tools = [...this.handlers].map(([name, handler]) => ({
      name,
      description: `legacy tool ${name}`,
      parameters: { type: 'object' },
      handler: (params: Record<string, unknown>, call: { context: { userId: string } }) => handler(params, call.context.userId),
    }));
    this.core = createToolDispatcher(context, { tools, sink: this.init.sink, toolTimeoutMs: this.init.toolTimeoutMs });
    return this.core;
  }
}
