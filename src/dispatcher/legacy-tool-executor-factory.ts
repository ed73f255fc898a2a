import { DEPRECATION_CODES, warnDeprecated } from './deprecation.js';
import { QUIET, UnifiedToolDispatcher, type LegacyExecutionContext, type LegacyToolDefinition, type LegacyToolParams, type UnifiedDispatcherOptions } from './legacy-unified-tool-dispatcher.js';
import type { EventSink } from './types.js';

export interface ToolExecutor {
  readonly context: LegacyExecutionContext;
  execute(toolName: string, params: LegacyToolParams): Promise<unknown>;
  availableTools(): string[];
  /** New: ends the executor's dispatcher (and its run). */
  dispose(): void;
}

export interface ExecutorFactoryOptions {
  readonly defaultTools?: readonly LegacyToolDefinition[];
  readonly enableAdminTools?: boolean;
  readonly roles?: readonly string[];
}

/**
 * @deprecated Use `createToolDispatcher`. The old factory's API: each `createDispatcher` /
 * `createExecutor` builds a request-scoped dispatcher (through the `UnifiedToolDispatcher` facade)
 * for the given context. `shared()` no longer returns a process-wide factory: it returns a new one
 * each call, since a factory holds nothing worth sharing but its counter.
 */
export class ToolExecutorFactory {
  /** A new factory per call (no process-wide instance is kept). */
  static readonly shared = (): ToolExecutorFactory => new ToolExecutorFactory();

  private createdCount = 0;

  constructor(private readonly options: ExecutorFactoryOptions = {}) {
    warnDeprecated(DEPRECATION_CODES.toolExecutorFactory, 'ToolExecutorFactory is deprecated: use createToolDispatcher(createUserContext({ userId, runId, threadId })) from ssot-kit/dispatcher.');
  }

  get created(): number {
    return this.createdCount;
  }

  createDispatcher(context: LegacyExecutionContext, eventSink?: EventSink): UnifiedToolDispatcher {
    this.createdCount++;
    const options: UnifiedDispatcherOptions & { [QUIET]: true } = {
      context,
      eventSink,
      tools: this.options.defaultTools,
      enableAdminTools: this.options.enableAdminTools,
      roles: this.options.roles,
      [QUIET]: true,
    };
    return new UnifiedToolDispatcher(options);
  }

  createExecutor(context: LegacyExecutionContext, eventSink?: EventSink): ToolExecutor {
    const dispatcher = this.createDispatcher(context, eventSink);
    return {
      context,
      execute: (toolName, params) => dispatcher.executeTool(toolName, params),
      availableTools: () => dispatcher.listTools(),
      dispose: () => dispatcher.dispose(),
    };
  }
}
