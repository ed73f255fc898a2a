import { groupConfig, rangeOf, ruleTester, type InvalidCase } from '../helpers/rule-tester.js';

const ssot = `export class RequestScopedToolDispatcher { dispatch(): void {} }
export function createToolDispatcher(): RequestScopedToolDispatcher { return new RequestScopedToolDispatcher(); }
`;
const legacy = `export class UnifiedToolDispatcher { dispatch(): void {} }
export type LegacyResult = { ok: boolean };
export default UnifiedToolDispatcher;
`;
const base = { 'src/ssot.ts': ssot, 'src/legacy.ts': legacy };
const config = groupConfig();

const ssotLabel = 'RequestScopedToolDispatcher (src/ssot.ts)';

/**
 * One consumer file with one legacy reference in the given form; `specifier` is the specifier as
 * written, quotes included, whose range the finding must cover exactly.
 */
function form(name: string, code: string, specifier = "'./legacy'", formName?: string): InvalidCase {
  const reexport = /^export (\{|\*)/.test(code.trim());
  const message = !formName
    ? undefined
    : reexport
      ? `Re-exports legacy module src/legacy.ts (${formName}), so its importers reach it indirectly; re-export the SSOT ${ssotLabel} instead.`
      : `Imports legacy module src/legacy.ts (${formName}); use the SSOT ${ssotLabel} instead.`;
  return {
    name,
    files: { ...base, 'src/consumer.ts': code },
    config,
    errors: [
      {
        messageId: reexport ? 'barrelReexport' : 'legacyImport',
        file: 'src/consumer.ts',
        ...rangeOf(code, specifier),
        data: { module: 'src/legacy.ts', ...(formName ? { form: formName } : {}) },
        ...(message ? { message } : {}),
      },
    ],
  };
}

ruleTester('legacy-import', {
  valid: [
    { name: 'imports the SSOT', files: { ...base, 'src/consumer.ts': "import { createToolDispatcher } from './ssot';\ncreateToolDispatcher();\n" }, config },
    {
      name: 'mentions the legacy path only in comments and strings',
      files: {
        ...base,
        'src/consumer.ts': "// import { UnifiedToolDispatcher } from './legacy';\n/* require('./legacy') */\nexport const note = \"import('./legacy')\";\nexport const tpl = `./legacy`;\n",
      },
      config,
    },
    {
      name: 'imports a look-alike module name',
      files: { ...base, 'src/legacy-metrics.ts': 'export const m = 1;\n', 'src/legacy.test-helpers.ts': 'export const h = 1;\n', 'src/consumer.ts': "import { m } from './legacy-metrics';\nimport { h } from './legacy.test-helpers';\nexport const x = m + h;\n" },
      config,
    },
    { name: 'an allowed file imports legacy', files: { ...base, 'src/compat/bridge.ts': "import { UnifiedToolDispatcher } from '../legacy';\nexport { UnifiedToolDispatcher };\n" }, config: groupConfig({ allow: ['src/compat/**'] }) },
    { name: 'no groups configured', files: { ...base, 'src/consumer.ts': "import { UnifiedToolDispatcher } from './legacy';\n" } },
    { name: 'a package with a name that only starts like the legacy package', files: { ...base, 'src/consumer.ts': "import x from 'old-dispatch-utils';\nimport y from '@old/dispatcher';\nexport { x, y };\n" }, config: groupConfig({ legacy: ['old-dispatch', '@old/dispatch'] }) },
  ],
  invalid: [
    form('named import', "import { UnifiedToolDispatcher } from './legacy';\nnew UnifiedToolDispatcher();\n", "'./legacy'", 'named import'),
    form('aliased import', "import { UnifiedToolDispatcher as Dispatcher } from './legacy';\nnew Dispatcher();\n", "'./legacy'", 'aliased import'),
    form('default import', "import Dispatcher from './legacy';\nnew Dispatcher();\n", "'./legacy'", 'default import'),
    form('namespace import', "import * as legacy from './legacy';\nnew legacy.UnifiedToolDispatcher();\n", "'./legacy'", 'namespace import'),
    form('import type', "import type { LegacyResult } from './legacy';\nexport const r: LegacyResult = { ok: true };\n", "'./legacy'", 'type import'),
    form('inline type specifier', "import { type LegacyResult, UnifiedToolDispatcher } from './legacy';\nexport const r: LegacyResult = { ok: !!UnifiedToolDispatcher };\n", "'./legacy'", 'import with inline type specifier'),
    form('side-effect import', "import './legacy';\n", "'./legacy'", 'side-effect import'),
    form('export from', "export { UnifiedToolDispatcher } from './legacy';\n", "'./legacy'", 'export … from'),
    form('export star', "export * from './legacy';\n", "'./legacy'", 'export * from'),
    form('export star as', "export * as legacyTools from './legacy';\n", "'./legacy'", 'export * as … from'),
    form('dynamic import', "export async function load() {\n  const m = await import('./legacy');\n  return m.default;\n}\n", "'./legacy'", 'dynamic import()'),
    form('require', "const legacy = require('./legacy');\nexport default legacy;\n", "'./legacy'", 'require()'),
    form('import equals require', "import legacy = require('./legacy');\nexport const d = legacy;\n", "'./legacy'", 'import = require()'),
    form('typeof import type', "export type Legacy = typeof import('./legacy');\n", "'./legacy'", 'import() type'),
    form('import type node', "export let r: import('./legacy').LegacyResult;\n", "'./legacy'", 'import() type'),
    form('JSDoc import type', "/** @param {import('./legacy').LegacyResult} r */\nexport function show(r: unknown): unknown { return r; }\n", "'./legacy'", 'JSDoc import() type'),
    form('vi.mock', "vi.mock('./legacy');\n", "'./legacy'", 'test mock'),
    form('jest.mock with factory', "jest.mock('./legacy', () => ({}));\n", "'./legacy'", 'test mock'),
    form('require.resolve', "export const where = require.resolve('./legacy');\n", "'./legacy'", 'require.resolve()'),
    form('.js suffix for .ts', "import { UnifiedToolDispatcher } from './legacy.js';\nnew UnifiedToolDispatcher();\n", "'./legacy.js'"),
    form('template literal without substitutions', 'export const m = import(`./legacy`);\n', '`./legacy`'),
    {
      name: 'directory index module',
      files: { ...base, 'src/old/index.ts': 'export const old = 1;\n', 'src/consumer.ts': "import { old } from './old';\nexport const x = old;\n" },
      config: groupConfig({ legacy: ['src/old'] }),
      errors: [{ messageId: 'legacyImport', file: 'src/consumer.ts', line: 1, column: 21, endLine: 1, endColumn: 28, data: { module: 'src/old' } }],
    },
    {
      name: 'tsconfig paths alias, with extends chain and comments',
      files: {
        ...base,
        'tsconfig.base.json': '{\n  // shared options\n  "compilerOptions": { "paths": { "@app/*": ["./src/*"], }, },\n}\n',
        'tsconfig.json': '{ "extends": "./tsconfig.base.json", /* no own paths */ }',
        'src/consumer.ts': "import { UnifiedToolDispatcher } from '@app/legacy';\nnew UnifiedToolDispatcher();\n",
      },
      config,
      errors: [{ messageId: 'legacyImport', file: 'src/consumer.ts', line: 1, column: 39, endLine: 1, endColumn: 52 }],
    },
    {
      name: 'baseUrl import',
      files: { ...base, 'tsconfig.json': '{ "compilerOptions": { "baseUrl": "src" } }', 'src/deep/consumer.ts': "import { UnifiedToolDispatcher } from 'legacy';\nnew UnifiedToolDispatcher();\n" },
      config,
      errors: [{ messageId: 'legacyImport', file: 'src/deep/consumer.ts', line: 1, column: 39, endLine: 1, endColumn: 47 }],
    },
    {
      name: 'each file under its nearest tsconfig (monorepo packages with their own paths)',
      files: {
        'packages/core/tsconfig.json': '{ "compilerOptions": { "paths": { "#lib/*": ["./lib/*"] } } }',
        'packages/core/lib/legacy.ts': legacy,
        'packages/core/lib/ssot.ts': ssot,
        'packages/core/lib/consumer.ts': "import { UnifiedToolDispatcher } from '#lib/legacy';\nnew UnifiedToolDispatcher();\n",
        'packages/web/tsconfig.json': '{ "compilerOptions": { "paths": { "#lib/*": ["./other/*"] } } }',
        'packages/web/other/legacy.ts': 'export const notLegacy = 1;\n',
        'packages/web/consumer.ts': "import { notLegacy } from '#lib/legacy';\nexport const x = notLegacy;\n",
      },
      config: { groups: [{ name: 'dispatcher', ssot: { module: 'packages/core/lib/ssot.ts' }, legacy: ['packages/core/lib/legacy.ts'] }] },
      errors: [{ messageId: 'legacyImport', file: 'packages/core/lib/consumer.ts', line: 1, column: 39, endLine: 1, endColumn: 52 }],
    },
    {
      name: 'a tsconfig extending a workspace package that is not installed still gives its paths',
      files: {
        'package.json': { name: 'root', private: true, workspaces: ['packages/*', 'configs/*'] },
        'configs/tsconfig/package.json': { name: '@corp/tsconfig' },
        'configs/tsconfig/base.json': '{ "compilerOptions": { "paths": { "~legacy": ["../../packages/app/src/legacy.ts"] } } }',
        'packages/app/tsconfig.json': '{ "extends": "@corp/tsconfig/base.json" }',
        'packages/app/src/legacy.ts': legacy,
        'packages/app/src/ssot.ts': ssot,
        'packages/app/src/consumer.ts': "import { UnifiedToolDispatcher } from '~legacy';\nnew UnifiedToolDispatcher();\n",
      },
      config: { groups: [{ name: 'dispatcher', ssot: { module: 'packages/app/src/ssot.ts' }, legacy: ['packages/app/src/legacy.ts'] }] },
      errors: [{ messageId: 'legacyImport', file: 'packages/app/src/consumer.ts', line: 1, column: 39, endLine: 1, endColumn: 48 }],
    },
    {
      name: 'workspace package import in a monorepo',
      files: {
        'package.json': { name: 'root', private: true, workspaces: ['packages/*'] },
        'packages/legacy-dispatch/package.json': { name: '@corp/legacy-dispatch', exports: { '.': { types: './src/index.ts', default: './dist/index.js' } } },
        'packages/legacy-dispatch/src/index.ts': legacy,
        'packages/app/src/ssot.ts': ssot,
        'packages/app/src/consumer.ts': "import { UnifiedToolDispatcher } from '@corp/legacy-dispatch';\nnew UnifiedToolDispatcher();\n",
      },
      config: { groups: [{ name: 'dispatcher', ssot: { module: 'packages/app/src/ssot.ts' }, legacy: ['packages/legacy-dispatch'] }] },
      errors: [{ messageId: 'legacyImport', file: 'packages/app/src/consumer.ts', line: 1, column: 39, endLine: 1, endColumn: 62 }],
    },
    {
      name: 'an external package and its subpaths',
      files: { ...base, 'src/consumer.ts': "import a from '@old/dispatch';\nimport b from '@old/dispatch/tools';\nexport { a, b };\n" },
      config: groupConfig({ legacy: ['@old/dispatch'] }),
      errors: [
        { messageId: 'legacyImport', file: 'src/consumer.ts', line: 1, column: 15, endLine: 1, endColumn: 30, data: { module: '@old/dispatch' } },
        { messageId: 'legacyImport', file: 'src/consumer.ts', line: 2, column: 15, endLine: 2, endColumn: 36 },
      ],
    },
    {
      name: 'a deleted legacy module is still caught by path',
      files: { ...base, 'src/consumer.ts': "import { gone } from './removed-dispatcher';\nexport { gone };\n" },
      config: groupConfig({ legacy: [{ module: 'src/removed-dispatcher.ts', deleted: true }] }),
      errors: [{ messageId: 'legacyImport', file: 'src/consumer.ts', line: 1, column: 22, endLine: 1, endColumn: 44 }],
    },
    {
      name: 'a barrel re-exporting legacy is flagged, its consumers are indirect (info)',
      files: {
        ...base,
        'src/barrel.ts': "export { UnifiedToolDispatcher } from './legacy';\nexport { createToolDispatcher } from './ssot';\n",
        'src/uses-legacy-name.ts': "import { UnifiedToolDispatcher } from './barrel';\nnew UnifiedToolDispatcher();\n",
        'src/uses-ssot-name.ts': "import { createToolDispatcher } from './barrel';\ncreateToolDispatcher();\n",
        'src/uses-namespace.ts': "import * as all from './barrel';\nexport { all };\n",
      },
      config,
      errors: [
        { messageId: 'barrelReexport', file: 'src/barrel.ts', line: 1, column: 39, endLine: 1, endColumn: 49, severity: 'error' },
        { messageId: 'indirectImport', file: 'src/uses-legacy-name.ts', line: 1, column: 39, endLine: 1, endColumn: 49, severity: 'info', data: { barrel: 'src/barrel.ts' } },
        { messageId: 'indirectImport', file: 'src/uses-namespace.ts', line: 1, column: 22, endLine: 1, endColumn: 32, severity: 'info' },
      ],
    },
    {
      name: 'an allowed compat barrel: only its consumers are reported, through chains of barrels',
      files: {
        ...base,
        'src/compat/index.ts': "export * from '../legacy';\n",
        'src/public.ts': "export * from './compat';\n",
        'src/consumer.ts': "import { UnifiedToolDispatcher } from './public';\nnew UnifiedToolDispatcher();\n",
      },
      config: groupConfig({ allow: ['src/legacy.ts', 'src/compat/**'] }),
      errors: [
        { messageId: 'barrelReexport', file: 'src/public.ts', line: 1, column: 15, endLine: 1, endColumn: 25 },
        { messageId: 'indirectImport', file: 'src/consumer.ts', line: 1, column: 39, endLine: 1, endColumn: 49, severity: 'info' },
      ],
    },
    {
      name: 'CRLF line endings and a BOM give editor line and column',
      files: { ...base, 'src/consumer.ts': "\uFEFF// header\r\n\r\n  import { UnifiedToolDispatcher } from './legacy';\r\n" },
      config,
      errors: [{ messageId: 'legacyImport', file: 'src/consumer.ts', line: 3, column: 41, endLine: 3, endColumn: 51 }],
    },
  ],
});
