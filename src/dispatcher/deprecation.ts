import { deprecate } from 'node:util';

/** Stable codes of the legacy facades' deprecation warnings (filter them with `--no-deprecation`). */
export const DEPRECATION_CODES = Object.freeze({
  unifiedToolDispatcher: 'SSOT_DEP_UNIFIED_TOOL_DISPATCHER',
  toolDispatcher: 'SSOT_DEP_TOOL_DISPATCHER',
  toolExecutorFactory: 'SSOT_DEP_TOOL_EXECUTOR_FACTORY',
} as const);

/**
 * Emits a `DeprecationWarning` with `code` at most once per process, keeping no state of our own:
 * Node's `util.deprecate` records every code it has warned about (in Node itself, per process;
 * https://nodejs.org/api/util.html#utildeprecatefn-msg-code), so a fresh wrapper per call still
 * warns only the first time. It also honours `--no-deprecation`, `--throw-deprecation` and
 * `--trace-deprecation`, like Node's own deprecations.
 */
export function warnDeprecated(code: string, message: string): void {
  deprecate(() => undefined, message, code)();
}
