import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, Options as AjvOptions, ValidateFunction } from 'ajv';

// ajv (CommonJS) is required at the first schema compiled, synchronously, so `import 'ssot-kit/dispatcher'`
// does not load it for a program that defines no tool (issue 19).
function newAjv(options: AjvOptions): AjvInstance {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv(options);
}
import { describeThrown } from './describe-thrown.js';
import type { ToolStatus, UserContext } from './types.js';

/** What a tool handler receives besides its parameters. */
export interface ToolCallContext {
  /** Aborted when the call times out, is cancelled, its run ends or the dispatcher is disposed. */
  signal: AbortSignal;
  /** The request the call belongs to (frozen). */
  context: UserContext;
}

/** A tool: a name, a JSON Schema for its parameters and a handler. */
export interface ToolDefinition<P = any, R = unknown> {
  name: string;
  description: string;
  /** JSON Schema (an object schema) the parameters must satisfy before the handler runs. */
  parameters: Record<string, unknown>;
  handler(params: P, call: ToolCallContext): R | Promise<R>;
  /** Only contexts with the `'admin'` role may call it; refusals are audited. */
  admin?: boolean;
  /** Overrides the dispatcher's `toolTimeoutMs` for this tool. */
  timeoutMs?: number;
}

/** A tool as `listTools()` describes it (no handler). */
export interface ToolInfo {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  admin: boolean;
}

/** The outcome of one tool call; `dispatch` resolves with it and never throws for tool failures. */
export interface ToolResult {
  status: ToolStatus;
  result?: unknown;
  error?: string;
  durationMs: number;
}

/** A registered tool with its compiled parameter validator. */
export interface RegisteredTool {
  readonly definition: ToolDefinition;
  readonly validate: ValidateFunction;
}

/** Key under which `defineTool` stores a tool's precompiled validator (a constant, not state). */
const COMPILED = Symbol('ssot-kit.dispatcher.compiledValidator');

type CompiledDefinition = ToolDefinition & { readonly [COMPILED]?: ValidateFunction };

/**
 * Checks a tool once and compiles its parameter schema (with full schema validation), returning a
 * frozen definition that every dispatcher can register without compiling again. Optional: plain
 * definitions work too and are compiled per dispatcher. The compiled validator is a pure function
 * of its input; ajv writes `validate.errors` on it, which the registry reads synchronously right
 * after the call, so sharing it between requests cannot leak anything between them.
 */
export function defineTool<P = any, R = unknown>(definition: ToolDefinition<P, R>): Readonly<ToolDefinition<P, R>> {
  checkDefinition(definition);
  const ajv = newAjv({ strict: false, allErrors: false });
  const validate = ajv.compile(definition.parameters);
  return Object.freeze({ ...definition, parameters: definition.parameters, [COMPILED]: validate });
}

/** One dispatcher's tools. Owned by that dispatcher; never shared. */
export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();
  private ajv: AjvInstance | undefined;

  register(definition: ToolDefinition): void {
    checkDefinition(definition);
    if (this.tools.has(definition.name)) throw new Error(`tool "${definition.name}" is already registered`);
    const validate = (definition as CompiledDefinition)[COMPILED] ?? this.compile(definition);
    this.tools.set(definition.name, { definition, validate });
  }

  get(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  list(): ToolInfo[] {
    return [...this.tools.values()].map(({ definition: d }) => ({ name: d.name, description: d.description, parameters: d.parameters, admin: d.admin === true }));
  }

  clear(): void {
    this.tools.clear();
    this.ajv = undefined;
  }

  private compile(definition: ToolDefinition): ValidateFunction {
    // Per-dispatcher compilation skips validating the schema against the meta-schema: that costs
    // milliseconds per dispatcher; `defineTool` does it once per process instead.
    this.ajv ??= newAjv({ strict: false, allErrors: false, validateSchema: false });
    try {
      return this.ajv.compile(definition.parameters);
    } catch (error) {
      throw new Error(`tool "${definition.name}": invalid parameters schema: ${describeThrown(error)}`);
    }
  }
}

/** ajv's first error as one line: `params/query must be string`. */
export function validationMessage(validate: ValidateFunction): string {
  const first = validate.errors?.[0];
  if (!first) return 'invalid parameters';
  return `params${first.instancePath} ${first.message ?? 'is invalid'}`;
}

function checkDefinition(definition: ToolDefinition): void {
  if (typeof definition !== 'object' || definition === null) throw new TypeError('a tool must be an object');
  if (typeof definition.name !== 'string' || definition.name.trim() === '') throw new TypeError('a tool needs a non-empty name');
  if (typeof definition.handler !== 'function') throw new TypeError(`tool "${definition.name}": handler must be a function`);
  if (typeof definition.parameters !== 'object' || definition.parameters === null || Array.isArray(definition.parameters)) {
    throw new TypeError(`tool "${definition.name}": parameters must be a JSON Schema object`);
  }
  if (definition.timeoutMs !== undefined && !(definition.timeoutMs > 0)) throw new TypeError(`tool "${definition.name}": timeoutMs must be positive`);
}
