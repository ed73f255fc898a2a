// The tool-dispatcher group of the generated corpus: the SSOT module and the two
// legacy modules that files of the corpus still import (see bench/generate-corpus.mjs).

/** The SSOT and the two legacy modules of the tool-dispatcher group. */
export const TOOLS_FILES = {
  "request-scoped-tool-dispatcher.ts": `/**
 * The single source of truth for tool dispatch: one dispatcher per request,
 * created with createToolDispatcher(). Do not construct it anywhere else.
 */
export interface ToolCall {
  tool: string;
  args: Record<string, unknown>;
}

export interface ToolResult {
  ok: boolean;
  output?: unknown;
  error?: string;
  durationMs: number;
}

export type ToolHandler = (args: Record<string, unknown>) => Promise<unknown>;

export interface ToolDispatcherOptions {
  requestId?: string;
  timeoutMs?: number;
  handlers?: Record<string, ToolHandler>;
}

let requestCounter = 0;

export class RequestScopedToolDispatcher {
  readonly requestId: string;
  private readonly handlers = new Map<string, ToolHandler>();
  private readonly timeoutMs: number;

  constructor(options: ToolDispatcherOptions = {}) {
    requestCounter += 1;
    this.requestId = options.requestId ?? \`req-\${requestCounter}\`;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    for (const [name, handler] of Object.entries(options.handlers ?? {})) {
      this.handlers.set(name, handler);
    }
  }

  register(name: string, handler: ToolHandler): this {
    if (this.handlers.has(name)) {
      throw new Error(\`tool \${name} is already registered for \${this.requestId}\`);
    }
    this.handlers.set(name, handler);
    return this;
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  async dispatch(call: ToolCall): Promise<ToolResult> {
    const started = Date.now();
    const handler = this.handlers.get(call.tool);
    if (!handler) {
      return { ok: false, error: \`unknown tool \${call.tool}\`, durationMs: 0 };
    }
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(\`\${call.tool} timed out\`)), this.timeoutMs),
      );
      const output = await Promise.race([handler(call.args), timeout]);
      return { ok: true, output, durationMs: Date.now() - started };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: message, durationMs: Date.now() - started };
    }
  }

  async dispatchAll(calls: ToolCall[]): Promise<ToolResult[]> {
    return Promise.all(calls.map((call) => this.dispatch(call)));
  }
}

export function createToolDispatcher(options: ToolDispatcherOptions = {}): RequestScopedToolDispatcher {
  return new RequestScopedToolDispatcher(options);
}
`,
  "unified-tool-dispatcher.ts": `/**
 * @deprecated Legacy process-wide dispatcher. Use createToolDispatcher() from
 * ./request-scoped-tool-dispatcher instead.
 */
import {
  RequestScopedToolDispatcher,
  type ToolCall,
  type ToolDispatcherOptions,
  type ToolHandler,
  type ToolResult,
} from "./request-scoped-tool-dispatcher";

export class UnifiedToolDispatcher {
  private readonly inner: RequestScopedToolDispatcher;
  private readonly history: ToolResult[] = [];

  constructor(options: ToolDispatcherOptions = {}) {
    this.inner = new RequestScopedToolDispatcher({ ...options, requestId: options.requestId ?? "unified" });
  }

  register(name: string, handler: ToolHandler): void {
    this.inner.register(name, handler);
  }

  async dispatch(call: ToolCall): Promise<ToolResult> {
    const result = await this.inner.dispatch(call);
    this.history.push(result);
    if (this.history.length > 100) {
      this.history.shift();
    }
    return result;
  }

  recent(count = 10): ToolResult[] {
    return this.history.slice(-count);
  }
}

export function createUnifiedToolDispatcher(options: ToolDispatcherOptions = {}): UnifiedToolDispatcher {
  return new UnifiedToolDispatcher(options);
}

export default UnifiedToolDispatcher;
`,
  "tool-dispatcher.ts": `/**
 * @deprecated The original singleton dispatcher. Shared mutable state across
 * requests; kept only until every caller has moved to createToolDispatcher().
 */
import { UnifiedToolDispatcher } from "./unified-tool-dispatcher";
import type { ToolCall, ToolHandler, ToolResult } from "./request-scoped-tool-dispatcher";

export class ToolDispatcher {
  private static instance: ToolDispatcher | undefined;
  private readonly unified = new UnifiedToolDispatcher({ requestId: "singleton" });

  private constructor() {}

  static getInstance(): ToolDispatcher {
    if (!ToolDispatcher.instance) {
      ToolDispatcher.instance = new ToolDispatcher();
    }
    return ToolDispatcher.instance;
  }

  register(name: string, handler: ToolHandler): void {
    this.unified.register(name, handler);
  }

  dispatch(call: ToolCall): Promise<ToolResult> {
    return this.unified.dispatch(call);
  }
}
`,
};
