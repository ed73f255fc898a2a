import { groupConfig, ruleTester } from '../helpers/rule-tester.js';

// The SSOT exports what groupConfig() names (its export and its factory), as a config check requires.
const ssot = 'export class RequestScopedToolDispatcher { dispatch(): void {} }\nexport function createToolDispatcher(): RequestScopedToolDispatcher { return new RequestScopedToolDispatcher(); }\n';
const legacy = 'export class UnifiedToolDispatcher { dispatch(): void {} }\n';
const base = { 'src/ssot.ts': ssot, 'src/legacy.ts': legacy };

ruleTester('name-collision', {
  valid: [
    { name: 'a plain re-export under the same name', files: { ...base, 'src/index.ts': "export { UnifiedToolDispatcher } from './legacy';\n" }, config: groupConfig() },
    { name: 'an alias to a name no other implementation has', files: { ...base, 'src/index.ts': "export { UnifiedToolDispatcher as LegacyDispatcher } from './legacy';\n" }, config: groupConfig() },
    { name: 'same non-role name in two modules', files: { 'src/a.ts': 'export class Options {}\n', 'src/b.ts': 'export class Options {}\n' } },
  ],
  invalid: [
    {
      name: 'export { Legacy as Ssot } from',
      files: { ...base, 'src/compat.ts': "export { UnifiedToolDispatcher as RequestScopedToolDispatcher } from './legacy';\n" },
      config: groupConfig(),
      errors: [{ messageId: 'aliasedName', file: 'src/compat.ts', line: 1, column: 10, endLine: 1, endColumn: 62, data: { name: 'RequestScopedToolDispatcher', actual: 'UnifiedToolDispatcher', otherFile: 'src/ssot.ts' } }],
    },
    {
      name: 'export const A = B',
      files: { ...base, 'src/compat.ts': "import { UnifiedToolDispatcher } from './legacy';\nexport const RequestScopedToolDispatcher = UnifiedToolDispatcher;\n" },
      config: groupConfig(),
      errors: [{ messageId: 'aliasedName', file: 'src/compat.ts', line: 2, column: 14, endLine: 2, endColumn: 41, data: { actual: 'UnifiedToolDispatcher' } }],
    },
    {
      name: 'two modules declare different classes under one role name',
      files: { ...base, 'src/v2/ssot.ts': 'export class RequestScopedToolDispatcher { dispatch(): void {} run(): void {} }\n' },
      config: groupConfig(),
      errors: [
        { messageId: 'duplicateName', file: 'src/ssot.ts', line: 1, column: 14, endLine: 1, endColumn: 41, data: { otherFile: 'src/v2/ssot.ts' } },
        { messageId: 'duplicateName', file: 'src/v2/ssot.ts', line: 1, column: 14, endLine: 1, endColumn: 41, data: { otherFile: 'src/ssot.ts' } },
      ],
    },
  ],
});
