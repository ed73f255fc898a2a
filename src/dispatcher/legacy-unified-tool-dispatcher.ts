import { randomUUID } from 'node:crypto';
import { createUserContext } from './context.js';
import { DEPRECATION_CODES, warnDeprecated } from './deprecation.js';
import { createToolDispatcher, type RequestScopedToolDispatcher } from './request-scoped-tool-dispatcher.js';
import type { Run } from './run.js';
import type { ToolDefinition, ToolResult } from './tool-registry.js';
import type { EventSink, ToolStatus } from './types.js';

/** The identity the legacy dispatchers took (`UserExecutionContext`). */
export interface LegacyExecutionContext {
  readonly userId: string;
  readonly runId: string;
  readonly threadId: string;
}

export type LegacyToolParams = Readonly<Record<string, unknown>>;

/** A tool as `UnifiedToolDispatcher` knew it. */
export interface LegacyToolDefinition {
  readonly name: string;
  readonly description?: string;
  readonly handler: (params: LegacyToolParams, context: LegacyExecutionContext) => unknown;
  readonly timeoutMs?: number;
  /** `'admin'` tools register only with `enableAdminTools`, and now also need the `'admin'` role. */
  readonly category?: 'search' | 'data' | 'admin' | 'integration';
  /** Roles allowed to run the tool; empty means everyone. */
  readonly requiredRoles?: readonly string[];
  readonly retries?: number;
  /** JSON Schema for the parameters (default: any object). */
  readonly parameters?: Record<string, unknown>;
}

export interface UnifiedDispatchResult {
  readonly toolName: string;
  readonly runId: string;
  readonly success: boolean;
  readonly status: ToolStatus;
  readonly result?: unknown;
  readonly error?: string;
  readonly durationMs: number;
  readonly dispatcherId: string;
  readonly attempts: number;
  readonly admin: boolean;
}

export interface UnifiedDispatcherOptions {
  /** Required now: the facade serves one request (there is no `setContext`). */
  readonly context: LegacyExecutionContext;
  /** Receives the request-scoped dispatcher's events (one run from the first dispatch to `dispose`). */
  readonly eventSink?: EventSink;
  readonly tools?: readonly LegacyToolDefinition[];
  readonly enableAdminTools?: boolean;
  readonly roles?: readonly string[];
  readonly toolTimeoutMs?: number;
}

/** Lets `ToolExecutorFactory` build a facade without a second warning (a constant key, not state). */
export const QUIET = Symbol('ssot-kit.dispatcher.quiet');

interface Wrapped {
  value: unknown;
  attempts: number;
}

/**
 * @deprecated Use `createToolDispatcher(createUserContext(...))`. A facade with the old
 * `UnifiedToolDispatcher` API over one request-scoped dispatcher. Differences: `context` is
 * required and cannot be swapped (`setContext`/`bindEventSink` are gone: they leaked one user's
 * events to another); `dispose()` ends the run and the facade for good; admin tools need the
 * `'admin'` role; events follow the versioned envelope.
 */
export class UnifiedToolDispatcher {
  readonly dispatcherId = `unified-${randomUUID()}`;
  private readonly core: RequestScopedToolDispatcher;
  private readonly definitions = new Map<string, LegacyToolDefinition>();
  private readonly enableAdminTools: boolean;
  private readonly roles: readonly string[];
  private readonly legacyContext: LegacyExecutionContext;
  private readonly run: Promise<Run> | undefined;
  private runDone: Promise<unknown> | undefined;
  private endRun: (() => void) | undefined;
  private closing = false;

  constructor(options: UnifiedDispatcherOptions) {
    if (!(options as { [QUIET]?: boolean })[QUIET]) {
      warnDeprecated(DEPRECATION_CODES.unifiedToolDispatcher, 'UnifiedToolDispatcher is deprecated: use createToolDispatcher(createUserContext({ userId, runId, threadId })) from ssot-kit/dispatcher.');
    }
    if (!options?.context) throw new TypeError('UnifiedToolDispatcher: options.context ({ userId, runId, threadId }) is required; one dispatcher serves one request');
    this.enableAdminTools = options.enableAdminTools ?? false;
    this.roles = options.roles ?? [];
    const context = createUserContext({ ...options.context, roles: this.roles });
    this.legacyContext = Object.freeze({ userId: context.userId, runId: context.runId, threadId: context.threadId });
    this.core = createToolDispatcher(context, { sink: options.eventSink, runTimeoutMs: Infinity, toolTimeoutMs: options.toolTimeoutMs });
    if (options.eventSink) this.run = this.openRun();
    for (const tool of options.tools ?? []) this.registerTool(tool);
  }

  registerTool(tool: LegacyToolDefinition): void {
    if (tool.category === 'admin' && !this.enableAdminTools) return;
    // The old API silently replaced an earlier tool of the same name; that hid mistakes.
    if (this.definitions.has(tool.name)) throw new Error(`tool "${tool.name}" is already registered`);
    this.definitions.set(tool.name, tool);
    this.core.registerTool(this.adapt(tool));
  }

  hasTool(name: string): boolean {
    return this.core.hasTool(name);
  }

  listTools(): string[] {
    return this.core.listTools().map((tool) => tool.name);
  }

  listDefinitions(category?: LegacyToolDefinition['category']): LegacyToolDefinition[] {
    return [...this.definitions.values()].filter((tool) => !category || tool.category === category);
  }

  async dispatch(name: string, params: LegacyToolParams = {}): Promise<UnifiedDispatchResult> {
    if (this.closing) throw new Error('dispatcher disposed');
    const definition = this.definitions.get(name);
    const required = definition?.requiredRoles ?? [];
    let outcome: ToolResult;
    if (definition && required.length > 0 && !required.some((role) => this.roles.includes(role))) {
      outcome = { status: 'forbidden', error: `Not permitted: ${name}`, durationMs: 0 };
    } else {
      const run = await this.run;
      outcome = run ? await run.dispatch(name, params) : await this.core.dispatch(name, params);
    }
    const wrapped = outcome.status === 'success' ? (outcome.result as Wrapped) : undefined;
    return {
      toolName: name,
      runId: this.legacyContext.runId,
      success: outcome.status === 'success',
      status: outcome.status,
      ...(wrapped ? { result: wrapped.value } : { error: outcome.error }),
      durationMs: outcome.durationMs,
      dispatcherId: this.dispatcherId,
      attempts: wrapped?.attempts ?? (outcome.status === 'error' ? 1 + (definition?.retries ?? 0) : 0),
      admin: this.enableAdminTools,
    };
  }

  async executeTool(name: string, params: LegacyToolParams = {}): Promise<unknown> {
    const outcome = await this.dispatch(name, params);
    if (!outcome.success) throw new Error(outcome.error);
    return outcome.result;
  }

  /** Completes the run (agent_completed, status success) and disposes the dispatcher. Idempotent. */
  dispose(): void {
    if (this.closing) return;
    this.closing = true;
    if (!this.run) return this.core.dispose();
    void this.run
      .then(() => {
        this.endRun?.();
        return this.runDone;
      })
      .then(() => this.core.dispose());
  }

  /** The run that carries this facade's events, from construction to `dispose()`. */
  private openRun(): Promise<Run> {
    return new Promise<Run>((resolveRun) => {
      this.runDone = this.core.run((run) => {
        resolveRun(run);
        return new Promise<void>((end) => { this.endRun = end; });
      });
    });
  }

  private adapt(tool: LegacyToolDefinition): ToolDefinition {
    const context = this.legacyContext;
    const attemptsAllowed = 1 + Math.max(0, tool.retries ?? 0);
    return {
      name: tool.name,
      description: tool.description ?? tool.name,
      parameters: tool.parameters ?? { type: 'object' },
      admin: tool.category === 'admin',
      timeoutMs: tool.timeoutMs,
      async handler(params: LegacyToolParams, { signal }): Promise<Wrapped> {
        let lastError: unknown;
        for (let attempt = 1; attempt <= attemptsAllowed && !signal.aborted; attempt++) {
          try {
            return { value: await tool.handler(params, context), attempts: attempt };
          } catch (error) {
            lastError = error;
          }
        }
        throw lastError;
      },
    };
  }
}

/** @deprecated Use `createToolDispatcher`. */
export function createUnifiedToolDispatcher(options: UnifiedDispatcherOptions): UnifiedToolDispatcher {
  return new UnifiedToolDispatcher(options);
}
