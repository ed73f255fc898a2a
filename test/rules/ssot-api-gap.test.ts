import { groupConfig, ruleTester } from '../helpers/rule-tester.js';

// Issue 17, item 1: names consumers import from a legacy module that the SSOT does not export.
const ssot = [
  'export class RequestScopedToolDispatcher { dispatch(): void {} }',
  'export function createToolDispatcher(): RequestScopedToolDispatcher { return new RequestScopedToolDispatcher(); }',
  "export * from './ssot-extras';",
  'export default RequestScopedToolDispatcher;',
  '',
].join('\n');
const extras = 'export const TIMEOUT_MS = 50;\nexport type ToolCall = { name: string };\n';
const legacy = [
  'export class UnifiedToolDispatcher { dispatch(): void {} }',
  'export const RETRIES = 3;',
  'export const TIMEOUT_MS = 50;',
  'export type ToolCall = { name: string };',
  'export default UnifiedToolDispatcher;',
  '',
].join('\n');
const base = { 'src/ssot.ts': ssot, 'src/ssot-extras.ts': extras, 'src/legacy.ts': legacy };
const renamed = {
  groups: [{ ...(groupConfig() as { groups: object[] }).groups[0], legacy: [{ module: 'src/legacy.ts', renames: { UnifiedToolDispatcher: 'RequestScopedToolDispatcher', RETRIES: 'MAX_RETRIES' } }] }],
};

ruleTester('ssot-api-gap', {
  valid: [
    {
      name: 'every name exists on the SSOT: own, through export *, default, type, and renamed',
      files: { ...base, 'src/a.ts': "import Legacy, { TIMEOUT_MS, type ToolCall } from './legacy';\nexport { UnifiedToolDispatcher } from './legacy';\nexport const x: [unknown, number, ToolCall?] = [Legacy, TIMEOUT_MS];\n" },
      config: { groups: [{ ...(renamed.groups[0] as object), legacy: [{ module: 'src/legacy.ts', renames: { UnifiedToolDispatcher: 'RequestScopedToolDispatcher' } }] }] },
    },
    {
      name: 'a namespace import takes no name',
      files: { ...base, 'src/a.ts': "import * as legacy from './legacy';\nexport const r = legacy.RETRIES;\n" },
      config: groupConfig(),
    },
    {
      name: 'an allowed file may keep what it imports',
      files: { ...base, 'src/compat/a.ts': "import { RETRIES } from '../legacy';\nexport const r = RETRIES;\n" },
      config: groupConfig({ allow: ['src/legacy.ts', 'src/compat/**'] }),
    },
    {
      name: 'a name a constructions entry maps is rewritten into the factory call first',
      files: { ...base, 'src/a.ts': "import { UnifiedToolDispatcher } from './legacy';\nexport const d = new UnifiedToolDispatcher();\n" },
      config: groupConfig({ constructions: { UnifiedToolDispatcher: { factory: 'createToolDispatcher' } } }),
    },
    {
      name: 'an SSOT re-exporting a package may have it',
      files: { ...base, 'src/ssot.ts': `${ssot}export * from 'some-package';\n`, 'src/a.ts': "import { RETRIES } from './legacy';\nexport const r = RETRIES;\n" },
      config: groupConfig(),
    },
  ],
  invalid: [
    {
      name: 'a name the SSOT lacks, counted over files, located at the legacy export',
      files: {
        ...base,
        'src/a.ts': "import { RETRIES, TIMEOUT_MS } from './legacy';\nexport const r = RETRIES + TIMEOUT_MS;\n",
        'src/b.ts': "const { RETRIES } = require('./legacy');\nexport const r = RETRIES;\n",
        'src/c.ts': "export { RETRIES as retries } from './legacy';\n",
      },
      config: groupConfig(),
      errors: [{ messageId: 'missingExport', file: 'src/legacy.ts', line: 2, column: 14, endLine: 2, endColumn: 21, data: { name: 'RETRIES', count: 3, module: 'src/legacy.ts', ssot: 'src/ssot.ts', first: 'src/a.ts:1:37' } }],
    },
    {
      name: 'a rename to a name the SSOT lacks',
      files: { ...base, 'src/a.ts': "import { RETRIES } from './legacy';\nexport const r = RETRIES;\n" },
      config: renamed,
      errors: [{ messageId: 'missingRenamedExport', file: 'src/legacy.ts', line: 2, column: 14, endLine: 2, endColumn: 21, data: { name: 'RETRIES', ssotName: 'MAX_RETRIES', count: 1 } }],
    },
    {
      name: 'a default import when the SSOT has no default export',
      files: { ...base, 'src/ssot.ts': ssot.replace('export default RequestScopedToolDispatcher;\n', ''), 'src/a.ts': "import Legacy from './legacy';\nexport const l = Legacy;\n" },
      config: groupConfig(),
      errors: [{ messageId: 'missingExport', file: 'src/legacy.ts', line: 5, column: 16, endLine: 5, endColumn: 37, data: { name: 'default', count: 1 } }],
    },
  ],
});
