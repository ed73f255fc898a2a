import { AbortWatch } from './abort-watch.js';
import { createUserContext, isUserContext } from './context.js';
import { EventQueue, type EventListener, type SinkErrorHandler } from './event-queue.js';
import { executeTool } from './execute-tool.js';
import { MetricsRecorder, type MetricsSample, type MetricsSource, type ToolDispatcherMetrics } from './metrics.js';
import { executeRun, type CallHooks, type RunBody, type RunHost, type RunOptions, type RunResult } from './run.js';
import { Semaphore } from './semaphore.js';
import { ToolRegistry, validationMessage, type RegisteredTool, type ToolDefinition, type ToolInfo, type ToolResult } from './tool-registry.js';
import type { EventSink, UserContext } from './types.js';

/** Options of `createToolDispatcher`. */
export interface ToolDispatcherOptions {
  /** Tools registered up front (same as calling `registerTool` for each). */
  tools?: readonly ToolDefinition[];
  /** Where events go; `sinks` for several. */
  sink?: EventSink;
  sinks?: readonly EventSink[];
  /** Per-call timeout unless the tool sets `timeoutMs` (default 30 s). */
  toolTimeoutMs?: number;
  /** Whole-run timeout unless `run()` gets `timeoutMs` (default 120 s; `Infinity` for none). */
  runTimeoutMs?: number;
  /** Tool calls executing at once in the run; more wait for a slot (default 4). */
  maxConcurrentTools?: number;
  /** How long one sink `emit` may take before the queue moves on (default 1 s). */
  sinkTimeoutMs?: number;
  /** Receives security-relevant refusals (an admin tool called without the admin role). */
  audit?(entry: AuditEntry): void;
  /** Told when a sink throws, rejects or stalls (diagnostics; results are unaffected). */
  onSinkError?: SinkErrorHandler;
}

/** An audited refusal. */
export interface AuditEntry {
  type: 'forbidden';
  tool: string;
  userId: string;
  runId: string;
  ts: number;
}

/** Proves a construction came from `createToolDispatcher` (an immutable module constant, not state). */
const CONSTRUCT = Symbol('ssot-kit.dispatcher.construct');

/**
 * Dispatches tools for exactly one request: one user context, one run. It owns its registry,
 * event queue, concurrency limit and metrics; nothing is shared with another request. Build it
 * with `createToolDispatcher`.
 */
export class RequestScopedToolDispatcher implements MetricsSource {
  readonly context: UserContext;
  private readonly registry = new ToolRegistry();
  private readonly queue: EventQueue;
  private readonly semaphore: Semaphore;
  private readonly recorder = new MetricsRecorder();
  private readonly lifetime = new AbortController();
  private readonly aborts = new AbortWatch();
  private readonly toolTimeoutMs: number;
  private readonly runTimeoutMs: number;
  private readonly audit: ((entry: AuditEntry) => void) | undefined;
  private runStarted = false;

  /** @internal Use `createToolDispatcher`. */
  constructor(token: symbol, context: UserContext, options: ToolDispatcherOptions) {
    if (token !== CONSTRUCT) throw new TypeError('use createToolDispatcher()');
    this.context = context;
    this.toolTimeoutMs = positive(options.toolTimeoutMs ?? 30_000, 'toolTimeoutMs');
    this.runTimeoutMs = positive(options.runTimeoutMs ?? 120_000, 'runTimeoutMs');
    const limit = options.maxConcurrentTools ?? 4;
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError('maxConcurrentTools must be a positive integer');
    this.semaphore = new Semaphore(limit, this.aborts);
    this.audit = options.audit;
    const sinks = [...(options.sink ? [options.sink] : []), ...(options.sinks ?? [])];
    this.queue = new EventQueue(sinks, positive(options.sinkTimeoutMs ?? 1000, 'sinkTimeoutMs'), options.onSinkError);
    for (const tool of options.tools ?? []) this.registerTool(tool);
  }

  /** True once `dispose()` was called. */
  get disposed(): boolean {
    return this.lifetime.signal.aborted;
  }

  /** Adds a tool. @throws when the name is taken, the definition is malformed, or the dispatcher is disposed. */
  registerTool(tool: ToolDefinition): void {
    this.assertLive();
    this.registry.register(tool);
  }

  hasTool(name: string): boolean {
    return this.registry.has(name);
  }

  listTools(): ToolInfo[] {
    return this.registry.list();
  }

  /**
   * Calls a tool outside a run (no events). Resolves with a status for every tool failure; rejects
   * only when the dispatcher is disposed.
   */
  dispatch(name: string, params: unknown, options: { signal?: AbortSignal } = {}): Promise<ToolResult> {
    if (this.disposed) return Promise.reject(new Error('dispatcher disposed'));
    return this.call(name, params, [options.signal], { onStart: () => true });
  }

  /**
   * Runs `body` as this request's run, emitting agent_started … agent_completed to the sinks. One
   * dispatcher serves one run (its context carries one `runId`): a second call rejects; create a new
   * context and dispatcher for the next run.
   */
  run<R>(body: RunBody<R>, options: RunOptions = {}): Promise<RunResult<R>> {
    if (this.disposed) return Promise.reject(new Error('dispatcher disposed'));
    if (this.runStarted) {
      return Promise.reject(new Error(`run() already called for run ${this.context.runId}: one dispatcher serves one run; create a new context and dispatcher for the next run`));
    }
    this.runStarted = true;
    const host: RunHost = {
      context: this.context,
      lifetime: this.lifetime.signal,
      emit: (event) => this.queue.push(event),
      call: (name, params, signals, hooks) => this.call(name, params, signals, hooks),
    };
    return executeRun(host, body, { ...options, timeoutMs: positive(options.timeoutMs ?? this.runTimeoutMs, 'timeoutMs') });
  }

  /** Adds an in-process listener for this dispatcher's events (exceptions swallowed); returns its removal. */
  on(listener: EventListener): () => void {
    this.assertLive();
    return this.queue.on(listener);
  }

  /** Resolves when every event emitted so far was delivered to (or given up on by) every sink. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  metrics(): ToolDispatcherMetrics {
    return this.recorder.snapshot();
  }

  metricsSample(): MetricsSample {
    return this.recorder.metricsSample();
  }

  /**
   * Cancels running tools and the run (it completes with `cancelled`), then drops tools and
   * listeners. Idempotent. Events already emitted are still delivered to the sinks.
   */
  dispose(): void {
    if (this.disposed) return;
    this.lifetime.abort(new Error('dispatcher disposed'));
    this.registry.clear();
    this.queue.clearListeners();
  }

  private async call(name: string, params: unknown, signals: readonly (AbortSignal | undefined)[], hooks: CallHooks): Promise<ToolResult> {
    const started = performance.now();
    const checked = this.check(name, params);
    if (!('definition' in checked)) return this.record({ ...checked, durationMs: performance.now() - started });
    const all = [...signals, this.lifetime.signal];
    if (!(await this.semaphore.acquire(all))) return this.record({ status: 'cancelled', error: `tool "${name}" cancelled before it started`, durationMs: performance.now() - started });
    try {
      if (!hooks.onStart()) return this.record({ status: 'cancelled', error: `tool "${name}" cancelled before it started`, durationMs: performance.now() - started });
      const timeoutMs = checked.definition.timeoutMs ?? this.toolTimeoutMs;
      const result = this.record(await executeTool(checked, params, { context: this.context, signals: all, aborts: this.aborts, timeoutMs }));
      hooks.onEnd?.(result);
      return result;
    } finally {
      this.semaphore.release();
    }
  }

  /** not_found, forbidden (audited), invalid_params, or the tool to run. */
  private check(name: string, params: unknown): RegisteredTool | Omit<ToolResult, 'durationMs'> {
    const tool = this.registry.get(name);
    if (!tool) return { status: 'not_found', error: `no tool named "${name}"` };
    if (tool.definition.admin && !this.context.roles.includes('admin')) {
      const { userId, runId } = this.context;
      try {
        this.audit?.({ type: 'forbidden', tool: name, userId, runId, ts: Date.now() });
      } catch {
        // Auditing must not turn a refusal into a crash.
      }
      return { status: 'forbidden', error: `tool "${name}" requires the admin role` };
    }
    if (!tool.validate(params)) return { status: 'invalid_params', error: validationMessage(tool.validate) };
    return tool;
  }

  private record(result: ToolResult): ToolResult {
    this.recorder.record(result.status, result.durationMs);
    return result;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('dispatcher disposed');
  }
}

/**
 * Creates the dispatcher for one request. `context` should come from `createUserContext`; a plain
 * object is validated and frozen the same way.
 */
export function createToolDispatcher(context: UserContext, options: ToolDispatcherOptions = {}): RequestScopedToolDispatcher {
  const checked = isUserContext(context) ? context : createUserContext(context);
  return new RequestScopedToolDispatcher(CONSTRUCT, checked, options);
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !(value > 0)) throw new TypeError(`${name} must be a positive number of milliseconds`);
  return value;
}
