/**
 * The legacy dispatcher APIs (issue item 6), each a thin facade over `createToolDispatcher` that
 * warns once per process with a stable code (see `DEPRECATION_CODES`).
 */
export { DEPRECATION_CODES } from './deprecation.js';
export {
  UnifiedToolDispatcher,
  createUnifiedToolDispatcher,
  type LegacyExecutionContext,
  type LegacyToolDefinition,
  type LegacyToolParams,
  type UnifiedDispatchResult,
  type UnifiedDispatcherOptions,
} from './legacy-unified-tool-dispatcher.js';
export { ToolDispatcher, type LegacyToolDispatcherInit, type LegacyToolHandler, type LegacyToolResult } from './legacy-tool-dispatcher.js';
export { ToolExecutorFactory, type ExecutorFactoryOptions, type ToolExecutor } from './legacy-tool-executor-factory.js';
