import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Issue 17, items 1, 6 and 9 end to end: the built CLI on real monorepo layouts in temp git repos. `ssot fix`
 * never imports a name from an SSOT that lacks it, wires each package to its own group's SSOT, and writes
 * the SSOT specifier in the style the file used for the legacy module.
 */
const read = (root: string, rel: string): string => readFileSync(path.join(root, rel), 'utf8');
const tsc = (root: string): string => {
  const r = spawnSync(path.resolve('node_modules/.bin/tsc'), ['-p', root, '--noEmit'], { encoding: 'utf8' });
  return r.stdout + r.stderr;
};
const tsconfig = (paths: Record<string, string[]> = {}): object => ({
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, types: [], paths },
  include: ['packages', 'src'],
});

const dispatcherSsot = [
  'export class RequestScopedToolDispatcher {',
  '  dispatch(name: string): string { return name; }',
  '  register(name: string): void { void name; }',
  '}',
  'export function createToolDispatcher(): RequestScopedToolDispatcher {',
  '  return new RequestScopedToolDispatcher();',
  '}',
  '',
].join('\n');
const dispatcherLegacy = 'export class UnifiedToolDispatcher {\n  dispatch(name: string): string { return name; }\n  register(name: string): void { void name; }\n}\n';

describe('ssot fix: the SSOT lacks an imported name (item 1)', () => {
  const app = 'packages/app/src';
  const files = {
    'tsconfig.json': tsconfig(),
    [`${app}/tools/request-scoped-tool-dispatcher.ts`]: dispatcherSsot,
    [`${app}/tools/unified-tool-dispatcher.ts`]: `${dispatcherLegacy}export const RETRIES = 3;\n`,
    [`${app}/agents/alpha.ts`]: "import { UnifiedToolDispatcher, RETRIES } from '../tools/unified-tool-dispatcher';\n\nexport function run(d: UnifiedToolDispatcher): string {\n  return d.dispatch('x') + RETRIES;\n}\n",
    [`${app}/agents/beta.ts`]: "import type { UnifiedToolDispatcher } from '../tools/unified-tool-dispatcher';\n\nexport function run(d: UnifiedToolDispatcher): string {\n  return d.dispatch('y');\n}\n",
    'ssot.config.json': {
      groups: [{
        name: 'dispatcher',
        ssot: { module: `${app}/tools/request-scoped-tool-dispatcher.ts`, export: 'RequestScopedToolDispatcher', factory: 'createToolDispatcher' },
        legacy: [{ module: `${app}/tools/unified-tool-dispatcher.ts`, renames: { UnifiedToolDispatcher: 'RequestScopedToolDispatcher' } }],
        role: { names: ['*ToolDispatcher'] },
        allow: [`${app}/tools/**`],
      }],
    },
  };

  it('scan reports the gap before any rewrite', () => {
    const { root } = gitRepo(files);
    const r = runCli(['scan', root, '--no-cache', '--format', 'json']);
    const gaps = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; line: number; data: Record<string, unknown> }[] }).findings.filter((f) => f.ruleId === 'ssot-api-gap');
    expect(gaps.map((g) => ({ file: g.file, line: g.line, name: g.data.name, count: g.data.count }))).toEqual([
      { file: `${app}/tools/unified-tool-dispatcher.ts`, line: 5, name: 'RETRIES', count: 1 },
    ]);
    const status = JSON.parse(runCli(['status', root, '--no-cache', '--json']).stdout) as { groups: { group: string; apiGaps: number }[] };
    expect(status.groups).toMatchObject([{ group: 'dispatcher', apiGaps: 1 }]);
  });

  it('splits the import, keeps the name on the legacy module, reports it, and keeps the module', () => {
    const { root } = gitRepo(files);
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers', 'cleanup']);
    expect(read(root, `${app}/agents/alpha.ts`)).toBe([
      "import { RequestScopedToolDispatcher } from '../tools/request-scoped-tool-dispatcher';",
      '// ssot-kit: manual migration needed (the SSOT does not export RETRIES: kept on ../tools/unified-tool-dispatcher)',
      "import { RETRIES } from '../tools/unified-tool-dispatcher';",
      '',
      'export function run(d: RequestScopedToolDispatcher): string {',
      "  return d.dispatch('x') + RETRIES;",
      '}',
      '',
    ].join('\n'));
    expect(read(root, `${app}/agents/beta.ts`)).toContain("import type { RequestScopedToolDispatcher } from '../tools/request-scoped-tool-dispatcher';");
    expect(r.stdout).toContain(`${app}/agents/alpha.ts:2:1 fix manual migration needed: the SSOT does not export RETRIES: kept on ../tools/unified-tool-dispatcher`);
    expect(r.stdout).toContain(`${app}/tools/unified-tool-dispatcher.ts:1:1 remove-legacy refused: still reached by 1 file`);
    expect(existsSync(path.join(root, `${app}/tools/unified-tool-dispatcher.ts`))).toBe(true);
    expect(tsc(root)).toBe('');
  });

  it('leaves a destructured require whole on the legacy module', () => {
    const { root } = gitRepo({
      ...files,
      [`${app}/agents/gamma.ts`]: "declare const require: (id: string) => any;\nconst { RETRIES, UnifiedToolDispatcher } = require('../tools/unified-tool-dispatcher');\n\nexport const n: number = RETRIES + String(UnifiedToolDispatcher).length;\n",
    });
    runCli(['fix', root, '--no-cache', '--phase', 'consumers']);
    expect(read(root, `${app}/agents/gamma.ts`)).toContain("const { RETRIES, UnifiedToolDispatcher } = require('../tools/unified-tool-dispatcher');");
    expect(read(root, `${app}/agents/gamma.ts`)).not.toContain('request-scoped');
  });
});

describe('ssot fix: two packages, each its own group with the same role names (item 6)', () => {
  const pkg = (name: string): Record<string, string> => ({
    [`packages/${name}/src/tools/request-scoped-tool-dispatcher.ts`]: dispatcherSsot,
    [`packages/${name}/src/tools/unified-tool-dispatcher.ts`]: dispatcherLegacy,
    ...Object.fromEntries(['alpha', 'beta'].map((a) => [
      `packages/${name}/src/agents/${a}.ts`,
      "import { UnifiedToolDispatcher } from '../tools/unified-tool-dispatcher';\n\nexport function run(): string {\n  const d = new UnifiedToolDispatcher();\n  return d.dispatch('x');\n}\n",
    ])),
  });
  const group = (name: string): object => ({
    name: `${name}-dispatcher`,
    ssot: { module: `packages/${name}/src/tools/request-scoped-tool-dispatcher.ts`, export: 'RequestScopedToolDispatcher', factory: 'createToolDispatcher' },
    legacy: [`packages/${name}/src/tools/unified-tool-dispatcher.ts`],
    role: { names: ['*ToolDispatcher'] },
    allow: [`packages/${name}/src/tools/**`],
    constructions: { UnifiedToolDispatcher: { args: [] } },
  });
  const files = { 'tsconfig.json': tsconfig(), ...pkg('pkg1'), ...pkg('pkg2'), 'ssot.config.json': { groups: [group('pkg1'), group('pkg2')] } };

  it('scans each package against its own group only', () => {
    const { root } = gitRepo(files);
    const r = runCli(['scan', root, '--no-cache', '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; group?: string }[] }).findings;
    const crossed = findings.filter((f) => f.group && !f.file.startsWith(`packages/${f.group.replace('-dispatcher', '')}/`));
    expect(crossed).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'name-collision' || f.ruleId === 'competing-implementation').map((f) => f.file).sort()).toEqual([
      'packages/pkg1/src/tools/unified-tool-dispatcher.ts',
      'packages/pkg2/src/tools/unified-tool-dispatcher.ts',
    ]);
  });

  it('rewrites no file to another package\'s SSOT', () => {
    const { root } = gitRepo(files);
    const r = runCli(['fix', root, '--no-cache']);
    expect(r.code).toBe(0);
    for (const name of ['pkg1', 'pkg2']) {
      const dir = path.join(root, 'packages', name, 'src/agents');
      for (const f of readdirSync(dir)) {
        const text = readFileSync(path.join(dir, f), 'utf8');
        expect(text).toContain("import { createToolDispatcher } from '../tools/request-scoped-tool-dispatcher';");
        expect(text).not.toMatch(/pkg[12]/);
      }
    }
    expect(tsc(root)).toBe('');
  });
});

describe('ssot fix: the specifier keeps the file\'s style (item 9)', () => {
  const files = {
    'tsconfig.json': tsconfig({ '@legacy/*': ['./src/legacy/*'], '@core/*': ['./src/core/*'] }),
    'src/core/dispatch/index.ts': dispatcherSsot,
    'src/legacy/tool-dispatcher/index.ts': dispatcherLegacy,
    'src/app/namespace-js.ts': "import * as legacy from '@legacy/tool-dispatcher/index.js';\nexport const d: legacy.UnifiedToolDispatcher | undefined = undefined;\n",
    'src/app/bare-alias.ts': "import { UnifiedToolDispatcher } from '@legacy/tool-dispatcher';\nexport const d: UnifiedToolDispatcher | undefined = undefined;\n",
    'src/app/relative.ts': "import { UnifiedToolDispatcher } from '../legacy/tool-dispatcher';\nexport const d: UnifiedToolDispatcher | undefined = undefined;\n",
    'src/app/relative-index.ts': "import { UnifiedToolDispatcher } from '../legacy/tool-dispatcher/index';\nexport const d: UnifiedToolDispatcher | undefined = undefined;\n",
    'ssot.config.json': {
      groups: [{
        name: 'dispatcher',
        ssot: { module: 'src/core/dispatch/index.ts', export: 'RequestScopedToolDispatcher', factory: 'createToolDispatcher' },
        legacy: [{ module: 'src/legacy/tool-dispatcher', renames: { UnifiedToolDispatcher: 'RequestScopedToolDispatcher' } }],
        role: ['*ToolDispatcher'],
        allow: ['src/legacy/**', 'src/core/**'],
      }],
    },
  };

  it('alias when the file used one and an alias covers the SSOT, relative otherwise; extension and /index as written', () => {
    const { root } = gitRepo(files);
    expect(runCli(['fix', root, '--no-cache', '--phase', 'consumers']).code).toBe(0);
    const firstLine = (rel: string): string => read(root, rel).split('\n')[0]!;
    expect(firstLine('src/app/namespace-js.ts')).toBe("import * as legacy from '@core/dispatch/index.js';");
    expect(firstLine('src/app/bare-alias.ts')).toBe("import { RequestScopedToolDispatcher } from '@core/dispatch';");
    expect(firstLine('src/app/relative.ts')).toBe("import { RequestScopedToolDispatcher } from '../core/dispatch';");
    expect(firstLine('src/app/relative-index.ts')).toBe("import { RequestScopedToolDispatcher } from '../core/dispatch/index';");
    expect(tsc(root)).toBe('');
  });
});
