import { groupConfig, ruleTester } from '../helpers/rule-tester.js';

const ssot = 'export class RequestScopedToolDispatcher { dispatch(): void {} }\nexport function createToolDispatcher() { return new RequestScopedToolDispatcher(); }\n';

ruleTester('shared-state', {
  valid: [
    {
      name: 'immutable module state, locals, readonly statics, frozen objects',
      files: {
        'src/lookup.ts': "const KINDS = new Set(['a', 'b']);\nexport const isKind = (k: string) => KINDS.has(k);\nexport const TABLE: ReadonlyMap<string, number> = new Map([['a', 1]]);\n",
        'src/constants.ts': "export const LIMITS = Object.freeze({ max: 3 });\nexport const NAMES = ['a', 'b'] as const;\nconst DEFAULTS = { retries: 2 };\nexport function read() { const cache = new Map<string, number>(); cache.set('x', DEFAULTS.retries); let n = 0; n++; return n + cache.size; }\nexport class Config { static readonly version = 1; static describe(): string { return 'c'; } }\n",
      },
    },
    {
      name: 'with groups, shared state outside role modules and their imports is out of scope',
      files: { 'src/ssot.ts': ssot, 'src/legacy.ts': 'export const x = 1;\n', 'src/plain-route.ts': 'let requests = 0;\nexport function hit() { requests++; }\n' },
      config: groupConfig(),
    },
    {
      // `!x`, `-x`, `+x` and `~x` read a binding; only `++`, `--`, `delete` and assignments write one.
      name: 'a module-level let that is only read, also through unary operators',
      files: { 'src/flags.ts': 'let enabled = true;\nlet level = 2;\nexport function off() { return !enabled; }\nexport function inverse() { return -level + ~level + +level; }\n' },
    },
    { name: 'a setter on a per-request instance is fine', files: { 'src/ctx.ts': 'export class RequestContext { private user?: string; setUser(user: string) { this.user = user; } }\nexport function make() { return new RequestContext(); }\n' } },
  ],
  invalid: [
    {
      name: 'module-level mutable bindings and collections',
      files: { 'src/state.ts': "let counter = 0;\nconst runs = new Map<string, number>();\nconst seen: string[] = [];\nconst registry = {} as Record<string, string>;\nexport function hit(id: string) { counter++; runs.set(id, counter); seen.push(id); registry[id] = id; }\n" },
      errors: [
        { messageId: 'mutableBinding', file: 'src/state.ts', line: 1, column: 5, data: { name: 'counter' } },
        { messageId: 'moduleCollection', file: 'src/state.ts', line: 2, data: { name: 'runs', detail: 'Map' } },
        { messageId: 'mutatedLiteral', file: 'src/state.ts', line: 3, data: { name: 'seen', detail: 'array' } },
        { messageId: 'mutatedLiteral', file: 'src/state.ts', line: 4, data: { name: 'registry', detail: 'object' } },
      ],
    },
    {
      name: 'a getInstance() singleton, a mutable static field, and a setter that swaps a collaborator (the seed\'s leak)',
      files: {
        'src/agent-instance-factory.ts': `export class WebSocketManager { send(): void {} }
export class AgentInstanceFactory {
  private static instance: AgentInstanceFactory | undefined;
  static created = 0;
  private websocketManager?: WebSocketManager;
  static getInstance(): AgentInstanceFactory { return (this.instance ??= new AgentInstanceFactory()); }
  setWebSocketManager(manager: WebSocketManager): void { this.websocketManager = manager; }
}
`,
      },
      errors: [
        { messageId: 'singleton', file: 'src/agent-instance-factory.ts', line: 2, data: { className: 'AgentInstanceFactory', how: 'static getInstance()' } },
        { messageId: 'staticField', file: 'src/agent-instance-factory.ts', line: 4, data: { name: 'created' } },
        { messageId: 'collaboratorSetter', file: 'src/agent-instance-factory.ts', line: 7, data: { method: 'setWebSocketManager', field: 'websocketManager' } },
      ],
    },
    {
      name: 'a module-level instance makes its class shared, so its setters leak',
      files: {
        'src/bridge.ts': 'export class Bridge { private sink?: unknown; set target(v: unknown) { this.sink = v; } }\n',
        'src/shared.ts': "import { Bridge } from './bridge';\nexport const bridge = new Bridge();\n",
      },
      errors: [
        { messageId: 'collaboratorSetter', file: 'src/bridge.ts', line: 1, data: { className: 'Bridge', method: 'target' } },
        { messageId: 'moduleInstance', file: 'src/shared.ts', line: 2, data: { name: 'bridge', className: 'Bridge' } },
      ],
    },
    {
      name: 'with groups: role modules and the modules they import',
      files: {
        'src/ssot.ts': ssot,
        'src/legacy.ts': "import { cache } from './cache';\nexport class UnifiedToolDispatcher { dispatch(): void { cache.clear(); } }\n",
        'src/cache.ts': 'export const cache = new Set<string>();\n',
        'src/plain.ts': 'export const other = new Set<string>();\n',
      },
      config: groupConfig(),
      errors: [{ messageId: 'moduleCollection', file: 'src/cache.ts', line: 1, data: { name: 'cache', detail: 'Set' } }],
    },
  ],
});
