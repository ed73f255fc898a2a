import { groupConfig, ruleTester } from '../helpers/rule-tester.js';

const ssot = `export interface ToolDispatcherContract { dispatch(name: string): void; registerTool(name: string): void }
export class RequestScopedToolDispatcher implements ToolDispatcherContract {
  dispatch(name: string): void {}
  registerTool(name: string): void {}
  listTools(): string[] { return []; }
}
export function createToolDispatcher(): RequestScopedToolDispatcher { return new RequestScopedToolDispatcher(); }
`;
const base = { 'src/ssot.ts': ssot, 'src/legacy.ts': 'export const legacy = 1;\n' };

ruleTester('competing-implementation', {
  valid: [
    { name: 'only the SSOT plays the role', files: base, config: groupConfig() },
    { name: 'a look-alike name that does not match the glob', files: { ...base, 'src/metrics.ts': 'export class ToolDispatcherMetrics { count(): number { return 0; } }\n' }, config: groupConfig() },
    { name: 'declarations in test files are not implementations', files: { ...base, 'src/fake.test.ts': 'export class FakeToolDispatcher { dispatch(): void {} }\n' }, config: groupConfig() },
    {
      name: 'discovery ignores a DOM-style EventDispatcher and unrelated classes',
      files: {
        'src/event-dispatcher.ts': 'export class EventDispatcher { addEventListener(): void {} removeEventListener(): void {} dispatchEvent(): boolean { return true; } }\n',
        'src/tool-dispatcher.ts': 'export class ToolDispatcher { dispatch(): void {} registerTool(): void {} hasTool(): boolean { return false; } listTools(): string[] { return []; } }\n',
        'src/billing.ts': 'export class BillingService { charge(): void {} refund(): void {} invoice(): void {} }\n',
      },
    },
    {
      name: 'discovery: a subclass sharing its base API is not a competitor',
      files: {
        'src/base.ts': 'export class BaseToolDispatcher { dispatch(): void {} registerTool(): void {} hasTool(): boolean { return false; } }\n',
        'src/child.ts': "import { BaseToolDispatcher } from './base';\nexport class LoggingToolDispatcher extends BaseToolDispatcher { dispatch(): void {} registerTool(): void {} hasTool(): boolean { return true; } }\n",
      },
    },
  ],
  invalid: [
    {
      name: 'a class matching the name glob',
      files: { ...base, 'src/unified.ts': 'export class UnifiedToolDispatcher {\n  dispatch(name: string): void {}\n  registerTool(name: string): void {}\n}\n' },
      config: groupConfig(),
      errors: [{ messageId: 'competing', file: 'src/unified.ts', line: 1, column: 14, data: { name: 'UnifiedToolDispatcher', kind: 'class', group: 'dispatcher', consumers: 0 } }],
    },
    {
      name: 'a class implementing the role interface, with its consumers counted',
      files: {
        ...base,
        'src/runner.ts': "import type { ToolDispatcherContract } from './ssot';\nexport class ToolRunner implements ToolDispatcherContract { dispatch(): void {} registerTool(): void {} }\n",
        'src/a.ts': "import { ToolRunner } from './runner';\nexport const r = new ToolRunner();\n",
        'src/b.ts': "import type { ToolRunner } from './runner';\nexport let r: ToolRunner;\n",
      },
      config: groupConfig({ role: { implements: ['ToolDispatcherContract'] } }),
      errors: [{ messageId: 'competing', file: 'src/runner.ts', line: 2, column: 14, data: { name: 'ToolRunner', consumers: 2 } }],
    },
    {
      name: 'a subclass of a role base class, a singleton, a factory function and an object-literal factory',
      files: {
        ...base,
        'src/base.ts': 'export abstract class DispatcherBase { abstract dispatch(): void }\n',
        'src/sub.ts': "import { DispatcherBase } from './base';\nexport class QueueRunner extends DispatcherBase { dispatch(): void {} }\n",
        'src/single.ts': 'export class LegacyToolDispatcher {\n  private static instance?: LegacyToolDispatcher;\n  static getInstance(): LegacyToolDispatcher { return (this.instance ??= new LegacyToolDispatcher()); }\n}\n',
        'src/factories.ts': 'export function createLegacyDispatcher(): unknown { return {}; }\nexport const dispatcherFactory = { create(): unknown { return {}; }, destroy(): void {} };\n',
      },
      config: groupConfig({ role: { names: ['*ToolDispatcher', 'create*Dispatcher', '*Factory'], extends: ['DispatcherBase'] } }),
      errors: [
        { messageId: 'competing', file: 'src/factories.ts', line: 1, data: { kind: 'function', name: 'createLegacyDispatcher' } },
        { messageId: 'competing', file: 'src/factories.ts', line: 2, data: { kind: 'object-literal factory', name: 'dispatcherFactory' } },
        { messageId: 'competing', file: 'src/single.ts', line: 1, data: { kind: 'singleton', name: 'LegacyToolDispatcher' } },
        { messageId: 'competing', file: 'src/sub.ts', line: 2, data: { name: 'QueueRunner' } },
      ],
    },
    {
      name: 'shared public methods with the SSOT make a role when minSharedMethods is set',
      files: { ...base, 'src/runner.ts': 'export class JobRunner { dispatch(n: string): void {} registerTool(n: string): void {} listTools(): string[] { return []; } }\n' },
      config: groupConfig({ role: { names: [], minSharedMethods: 3 } }),
      errors: [{ messageId: 'competing', file: 'src/runner.ts', line: 1, data: { name: 'JobRunner' } }],
    },
    {
      name: 'discovery without config clusters classes whose public APIs overlap (warning)',
      files: {
        'src/request-scoped.ts': 'export class RequestScopedToolDispatcher { dispatch(): void {} registerTool(): void {} hasTool(): boolean { return false; } listTools(): string[] { return []; } dispose(): void {} }\n',
        'src/unified.ts': 'export class UnifiedToolDispatcher { dispatch(): void {} registerTool(): void {} hasTool(): boolean { return false; } listTools(): string[] { return []; } shutdown(): void {} }\n',
        'src/consumer-a.ts': "import { RequestScopedToolDispatcher } from './request-scoped';\nexport const a = new RequestScopedToolDispatcher();\n",
        'src/consumer-b.ts': "import { RequestScopedToolDispatcher } from './request-scoped';\nexport const b = new RequestScopedToolDispatcher();\n",
        'src/event-dispatcher.ts': 'export class EventDispatcher { addEventListener(): void {} removeEventListener(): void {} dispatchEvent(): boolean { return true; } }\n',
      },
      errors: [{ messageId: 'discovered', file: 'src/unified.ts', line: 1, severity: 'warning', data: { name: 'UnifiedToolDispatcher', ssot: 'RequestScopedToolDispatcher (src/request-scoped.ts)' } }],
    },
  ],
});
