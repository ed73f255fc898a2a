import { groupConfig, locOf, ruleTester } from '../helpers/rule-tester.js';

const ssot = `export class RequestScopedToolDispatcher { dispatch(): void {} }
export function createToolDispatcher(): RequestScopedToolDispatcher { return new RequestScopedToolDispatcher(); }
`;
const legacy = `export class UnifiedToolDispatcher { dispatch(): void {} }
export function createUnifiedToolDispatcher(): UnifiedToolDispatcher { return new UnifiedToolDispatcher(); }
export class ToolDispatcher {
  private static instance?: ToolDispatcher;
  static getInstance(): ToolDispatcher { return (this.instance ??= new ToolDispatcher()); }
}
`;
const base = { 'src/ssot.ts': ssot, 'src/legacy.ts': legacy };
const config = groupConfig({ role: { names: ['*ToolDispatcher', 'create*Dispatcher'] } });
const aliasCode = "import { UnifiedToolDispatcher as D } from './legacy';\nexport const d = () => new D();\n";
const nsCode = "import * as legacy from './legacy';\nexport function make() { return legacy.createUnifiedToolDispatcher(); }\n";

ruleTester('factory-bypass', {
  valid: [
    { name: 'uses the SSOT factory', files: { ...base, 'src/consumer.ts': "import { createToolDispatcher } from './ssot';\nexport const d = createToolDispatcher();\n" }, config },
    { name: 'constructions inside the SSOT module and allowed files', files: base, config },
    { name: 'tests may construct role classes directly by default', files: { ...base, 'src/dispatcher.test.ts': "import { RequestScopedToolDispatcher } from './ssot';\nnew RequestScopedToolDispatcher();\n" }, config },
    { name: 'constructing an unrelated class', files: { ...base, 'src/consumer.ts': 'class Queue {}\nexport const q = new Queue();\nexport const m = new Map();\n' }, config },
    { name: 'no SSOT factory configured: constructing the SSOT is fine', files: { ...base, 'src/consumer.ts': "import { RequestScopedToolDispatcher } from './ssot';\nexport const d = new RequestScopedToolDispatcher();\n" }, config: groupConfig({ ssot: { module: 'src/ssot.ts', export: 'RequestScopedToolDispatcher' } }) },
    {
      // Issue 18, item 8: the SSOT module is a package entry that re-exports the class and its factory.
      name: 'constructions in the files that declare the SSOT and its factory behind re-exporting modules',
      files: {
        'src/client/index.ts': "export { RequestScopedToolDispatcher } from './dispatcher';\n",
        'src/client/dispatcher.ts': 'export class RequestScopedToolDispatcher { dispatch(): void {} static create(): RequestScopedToolDispatcher { return new RequestScopedToolDispatcher(); } }\n',
        'src/factory/index.ts': "export { createToolDispatcher } from './make';\n",
        'src/factory/make.ts': "import { RequestScopedToolDispatcher } from '../client/dispatcher';\nexport function createToolDispatcher() { return new RequestScopedToolDispatcher(); }\n",
        'src/legacy.ts': legacy,
      },
      config: groupConfig({ ssot: { module: 'src/client/index.ts', export: 'RequestScopedToolDispatcher', factory: 'createToolDispatcher', factoryModule: 'src/factory/index.ts' } }),
    },
    {
      // Issue 18: copies of a plain helper are a group, but calling one bypasses no factory (importing it is a legacy-import).
      name: 'a call of a competing plain function that makes nothing',
      files: { ...base, 'src/legacy.ts': `${legacy}export function normalizeToolName(n: string): string { return n.trim(); }\n`, 'src/consumer.ts': "import { normalizeToolName } from './legacy';\nexport const n = normalizeToolName(' x ');\n" },
      config: groupConfig({ role: { names: ['*ToolDispatcher', 'create*Dispatcher', 'normalizeToolName'] } }),
    },
  ],
  invalid: [
    {
      name: 'new of the SSOT class outside its factory module',
      files: { ...base, 'src/consumer.ts': "import { RequestScopedToolDispatcher } from './ssot';\nexport const d = new RequestScopedToolDispatcher();\n" },
      config,
      errors: [{ messageId: 'directConstruction', file: 'src/consumer.ts', line: 2, column: 18, data: { name: 'RequestScopedToolDispatcher' } }],
    },
    {
      name: 'new of a legacy class through an import alias',
      files: { ...base, 'src/consumer.ts': aliasCode },
      config,
      errors: [{ messageId: 'directConstruction', file: 'src/consumer.ts', ...locOf(aliasCode, 'new D'), data: { name: 'UnifiedToolDispatcher' } }],
    },
    {
      name: 'a legacy factory call through a namespace import, and a singleton accessor',
      files: { ...base, 'src/consumer.ts': nsCode, 'src/other.ts': "import { ToolDispatcher } from './legacy';\nexport const t = ToolDispatcher.getInstance();\n" },
      config,
      errors: [
        { messageId: 'legacyFactoryCall', file: 'src/consumer.ts', ...locOf(nsCode, 'legacy.create'), data: { name: 'createUnifiedToolDispatcher' } },
        { messageId: 'legacyFactoryCall', file: 'src/other.ts', line: 2, column: 18, data: { name: 'ToolDispatcher.getInstance' } },
      ],
    },
    {
      name: 'through a re-exporting barrel',
      files: { ...base, 'src/index.ts': "export * from './ssot';\n", 'src/consumer.ts': "import { RequestScopedToolDispatcher } from './index';\nexport const d = new RequestScopedToolDispatcher();\n" },
      config,
      errors: [{ messageId: 'directConstruction', file: 'src/consumer.ts', line: 2 }],
    },
    {
      name: 'a separate factory module is the only place allowed to construct',
      files: {
        ...base,
        'src/factory.ts': "import { RequestScopedToolDispatcher } from './ssot';\nexport function makeDispatcher() { return new RequestScopedToolDispatcher(); }\n",
        'src/consumer.ts': "import { RequestScopedToolDispatcher } from './ssot';\nexport const d = new RequestScopedToolDispatcher();\n",
      },
      config: groupConfig({ ssot: { module: 'src/ssot.ts', export: 'RequestScopedToolDispatcher', factory: 'makeDispatcher', factoryModule: 'src/factory.ts' } }),
      errors: [{ messageId: 'directConstruction', file: 'src/consumer.ts', line: 2 }],
    },
    {
      name: 'the SSOT module is not exempt through a consumer beside it that only imports from the barrel',
      files: {
        'src/client/index.ts': "export { RequestScopedToolDispatcher } from './dispatcher';\n",
        'src/client/dispatcher.ts': 'export class RequestScopedToolDispatcher { dispatch(): void {} }\n',
        'src/client/consumer.ts': "import { RequestScopedToolDispatcher } from './index';\nexport const d = new RequestScopedToolDispatcher();\n",
        'src/factory.ts': "import { RequestScopedToolDispatcher } from './client';\nexport function makeDispatcher() { return new RequestScopedToolDispatcher(); }\n",
        'src/legacy.ts': legacy,
      },
      config: groupConfig({ ssot: { module: 'src/client/index.ts', export: 'RequestScopedToolDispatcher', factory: 'makeDispatcher', factoryModule: 'src/factory.ts' } }),
      errors: [{ messageId: 'directConstruction', file: 'src/client/consumer.ts', line: 2 }],
    },
  ],
});
