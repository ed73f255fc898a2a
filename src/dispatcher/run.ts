import { randomUUID } from 'node:crypto';
import { describeThrown } from './describe-thrown.js';
import type { ToolResult } from './tool-registry.js';
import { EVENT_VERSION, type EventEnvelope, type EventType, type RunStatus, type UserContext } from './types.js';

/** What a run body works with. */
export interface Run {
  readonly context: UserContext;
  readonly runId: string;
  /** Aborted when the run ends: timeout, the caller's signal, dispose, or the body settling. */
  readonly signal: AbortSignal;
  /** Emits `agent_thinking`. Ignored once the run has completed. */
  thinking(text: string): void;
  /**
   * Calls a tool inside the run: `tool_executing` when it starts executing, `tool_completed` (same
   * `toolCallId`) when it ends. A call refused before executing (not_found, forbidden,
   * invalid_params, or cancelled while waiting for a concurrency slot) emits no event at all: the
   * client never saw it start, so there is nothing to complete; the body gets the result.
   */
  dispatch(name: string, params: unknown, options?: { signal?: AbortSignal }): Promise<ToolResult>;
}

/** The code of a run; its return value becomes the run's result. */
export type RunBody<R = unknown> = (run: Run) => R | Promise<R>;

export interface RunOptions {
  /** Aborting it cancels the run (status `cancelled`). */
  signal?: AbortSignal;
  /** Sent as `agent_started`'s payload `input`. */
  input?: unknown;
  /** Overrides the dispatcher's `runTimeoutMs`. */
  timeoutMs?: number;
}

/** How a run ended, and how many events it emitted (agent_started through agent_completed). */
export interface RunResult<R = unknown> {
  status: RunStatus;
  result?: R;
  error?: string;
  events: number;
}

/** What a run needs from its dispatcher. */
export interface RunHost {
  readonly context: UserContext;
  /** Aborted when the dispatcher is disposed. */
  readonly lifetime: AbortSignal;
  emit(event: EventEnvelope): void;
  /** A validated, concurrency-limited call. */
  call(name: string, params: unknown, signals: readonly (AbortSignal | undefined)[], hooks: CallHooks): Promise<ToolResult>;
}

/** Lets a run observe a call while it holds its concurrency slot. */
export interface CallHooks {
  /** Once a slot is held, before the handler runs; returning false refuses the call (cancelled). */
  onStart(): boolean;
  /** After the handler settled, before the slot is released (so completions precede the next start). */
  onEnd?(result: ToolResult): void;
}

interface Outcome<R> {
  status: RunStatus;
  result?: R;
  error?: string;
}

/**
 * Runs `body` and guarantees the event contract: `agent_started` (seq 1) first, `agent_completed`
 * last and exactly once whatever happens (the body returns or throws, the run times out, the
 * caller aborts, the dispatcher is disposed), every open tool call completed (`cancelled`) before
 * it, seq contiguous. Resolves as soon as the events are queued, never waiting for sinks.
 */
export function executeRun<R>(host: RunHost, body: RunBody<R>, options: RunOptions & { timeoutMs: number }): Promise<RunResult<R>> {
  return new Promise<RunResult<R>>((resolve) => {
    const state = new RunState<R>(host, resolve);
    state.start(options);
    if (state.done) return;
    Promise.resolve()
      .then(() => body(state.api))
      .then(
        (result) => state.finish({ status: 'success', result }),
        (error: unknown) => state.finish({ status: 'error', error: describeThrown(error) }),
      );
  });
}

class RunState<R> {
  readonly api: Run;
  private readonly controller = new AbortController();
  private readonly openCalls = new Map<string, { tool: string; started: number }>();
  private readonly started = performance.now();
  private seq = 0;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private signal: AbortSignal | undefined;

  constructor(private readonly host: RunHost, private readonly resolve: (result: RunResult<R>) => void) {
    this.api = Object.freeze({
      context: host.context,
      runId: host.context.runId,
      signal: this.controller.signal,
      thinking: (text: string) => this.thinking(text),
      dispatch: (name: string, params: unknown, options?: { signal?: AbortSignal }) => this.dispatch(name, params, options?.signal),
    });
  }

  start(options: RunOptions & { timeoutMs: number }): void {
    this.emit('agent_started', options.input === undefined ? {} : { input: options.input });
    this.signal = options.signal;
    this.signal?.addEventListener('abort', this.onCancel, { once: true });
    this.host.lifetime.addEventListener('abort', this.onDispose, { once: true });
    if (options.timeoutMs < 2 ** 31) { // Infinity (or beyond setTimeout's range) means no limit
      this.timer = setTimeout(() => this.finish({ status: 'timeout', error: `run timed out after ${options.timeoutMs} ms` }), options.timeoutMs);
    }
    if (this.signal?.aborted) this.onCancel();
    else if (this.host.lifetime.aborted) this.onDispose();
  }

  get done(): boolean {
    return this.closed;
  }

  finish(outcome: Outcome<R>): void {
    if (this.closed) return;
    this.closed = true;
    const now = performance.now();
    for (const [toolCallId, call] of this.openCalls) {
      this.emit('tool_completed', { tool: call.tool, status: 'cancelled', error: 'the run ended before the tool completed', durationMs: now - call.started }, toolCallId);
    }
    this.openCalls.clear();
    this.emit('agent_completed', { ...defined(outcome), durationMs: now - this.started });
    if (this.timer) clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onCancel);
    this.host.lifetime.removeEventListener('abort', this.onDispose);
    // Stops the tools still running; their late results are dropped (their calls are closed).
    this.controller.abort(new Error(`run ${outcome.status}`));
    this.resolve({ ...defined(outcome), events: this.seq });
  }

  private readonly onCancel = (): void => this.finish({ status: 'cancelled', error: 'run cancelled by its signal' });
  private readonly onDispose = (): void => this.finish({ status: 'cancelled', error: 'dispatcher disposed' });

  private thinking(text: string): void {
    // Any value a caller passes becomes text without throwing into the run body.
    if (!this.closed) this.emit('agent_thinking', { text: typeof text === 'string' ? text : describeThrown(text) });
  }

  private async dispatch(name: string, params: unknown, signal: AbortSignal | undefined): Promise<ToolResult> {
    const toolCallId = randomUUID();
    const onStart = (): boolean => {
      if (this.closed) return false;
      this.openCalls.set(toolCallId, { tool: name, started: performance.now() });
      this.emit('tool_executing', { tool: name, params }, toolCallId);
      return true;
    };
    const onEnd = ({ status, result, error, durationMs }: ToolResult): void => {
      // Still open means the run did not end meanwhile (it would have completed the call itself).
      if (this.openCalls.delete(toolCallId)) this.emit('tool_completed', { tool: name, ...defined({ status, result, error }), durationMs }, toolCallId);
    };
    return this.host.call(name, params, [signal, this.controller.signal], { onStart, onEnd });
  }

  private emit(type: EventType, payload: Record<string, unknown>, toolCallId?: string): void {
    const { userId, runId, threadId } = this.host.context;
    this.seq++;
    const event: EventEnvelope = { v: EVENT_VERSION, type, seq: this.seq, userId, runId, threadId, ...(toolCallId ? { toolCallId } : {}), ts: Date.now(), payload: Object.freeze(payload) };
    this.host.emit(Object.freeze(event));
  }
}

/** A copy without the keys whose value is `undefined` (payloads stay minimal and JSON-stable). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
