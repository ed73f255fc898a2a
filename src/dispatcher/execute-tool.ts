import type { AbortWatch } from './abort-watch.js';
import { describeThrown } from './describe-thrown.js';
import type { RegisteredTool, ToolResult } from './tool-registry.js';
import type { UserContext } from './types.js';

/** How one validated call runs. */
export interface ExecuteOptions {
  context: UserContext;
  /** Any of these aborting cancels the call (the caller's signal, its run, the dispatcher). */
  signals: readonly (AbortSignal | undefined)[];
  /** The dispatcher's watch over those signals (one listener per signal, however many calls run). */
  aborts: AbortWatch;
  timeoutMs: number;
}

/**
 * Runs a handler, settling with exactly one result: success, error (it threw), timeout or
 * cancelled. On timeout or cancellation the handler's signal is aborted and its eventual outcome
 * ignored. The call's watch and timer end when the call settles, so long-lived signals (a
 * dispatcher's) do not accumulate listeners.
 */
export function executeTool(tool: RegisteredTool, params: unknown, options: ExecuteOptions): Promise<ToolResult> {
  const started = performance.now();
  const { name } = tool.definition;
  const controller = new AbortController();
  return new Promise<ToolResult>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let stopWatching: (() => void) | undefined;
    const signals = options.signals.filter((s): s is AbortSignal => s !== undefined);
    const onAbort = (): void => finish({ status: 'cancelled', error: `tool "${name}" cancelled` }, true);
    const finish = (outcome: Omit<ToolResult, 'durationMs'>, abortHandler: boolean): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      stopWatching?.();
      if (abortHandler) controller.abort(new Error(outcome.error));
      resolve({ ...outcome, durationMs: performance.now() - started });
    };
    if (signals.some((s) => s.aborted)) return onAbort();
    stopWatching = options.aborts.watch(signals, onAbort);
    if (options.timeoutMs < 2 ** 31) { // Infinity (or beyond setTimeout's range) means no limit
      timer = setTimeout(() => finish({ status: 'timeout', error: `tool "${name}" timed out after ${options.timeoutMs} ms` }, true), options.timeoutMs);
    }
    Promise.resolve()
      .then(() => tool.definition.handler(params, { signal: controller.signal, context: options.context }))
      .then(
        (result) => finish({ status: 'success', result }, false),
        (error: unknown) => finish({ status: 'error', error: describeThrown(error) }, false),
      );
  });
}
