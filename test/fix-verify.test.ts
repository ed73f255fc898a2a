import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Issue 17, items 2, 3 and 8: `ssot fix --verify` type-checks every tsconfig project a change touches, with
 * the project's own tsc when it has one, says which changed files each covered and which none did, and stops
 * with exit 2 and nothing kept when the checker misbehaves.
 */
const compilerOptions = { target: 'ES2022', module: 'preserve', moduleResolution: 'bundler', strict: true, noEmit: true, lib: ['ES2022'], types: [] };
const tools = {
  newTools: 'export class Tools {\n  run(): number {\n    return 1;\n  }\n}\n',
  oldTools: 'export class OldTools {\n  run(): number {\n    return 1;\n  }\n  legacyOnly(): number {\n    return 2;\n  }\n}\n',
};
const group = (dir: string): object => ({
  include: ['**/*.ts'],
  groups: [{ name: 'tools', ssot: { module: `${dir}/tools/new-tools.ts`, export: 'Tools' }, legacy: [{ module: `${dir}/tools/old-tools.ts`, renames: { OldTools: 'Tools' } }] }],
});
const consumer = (from: string, method = 'run'): string => `import { OldTools } from '${from}';\nexport const value: number = new OldTools().${method}();\n`;

const packages = {
  'ssot.config.json': group('packages/api/src'),
  'packages/api/tsconfig.json': { compilerOptions, include: ['src'] },
  'packages/api/src/tools/new-tools.ts': tools.newTools,
  'packages/api/src/tools/old-tools.ts': tools.oldTools,
  'packages/api/src/app.ts': consumer('./tools/old-tools'),
  'packages/web/tsconfig.json': { compilerOptions, include: ['src'] },
  'packages/web/src/view.ts': consumer('../../api/src/tools/old-tools'),
  'packages/web/src/legacy-use.ts': consumer('../../api/src/tools/old-tools', 'legacyOnly'),
  'scripts/seed.ts': consumer('../packages/api/src/tools/old-tools'),
};

const read = (root: string, rel: string): string => readFileSync(path.join(root, rel), 'utf8');

describe('ssot fix --verify checks the projects that hold the changes (issue 17, item 2)', () => {
  it('two packages without a root tsconfig: both checked, a break in the second rolled back; a changed file outside any project is unverified, exit 1', { timeout: 180_000 }, () => {
    const files = packages;
    const { root } = gitRepo(files);
    const r = runCli(['fix', root, '--no-cache', '--verify']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^verified packages\/api\/tsconfig.json with bundled TypeScript 6[\d.]+: 0 type errors before, 0 after; changed files it covers: packages\/api\/src\/app.ts, packages\/api\/src\/tools\/old-tools.ts$/m);
    expect(r.stdout).toMatch(/^verified packages\/web\/tsconfig.json with bundled TypeScript 6[\d.]+: 0 type errors before, 0 after; changed files it covers: packages\/web\/src\/legacy-use.ts, packages\/web\/src\/view.ts$/m);
    // The plan removed old-tools.ts with its last consumer rewritten; that consumer breaks, so both go back, and the config's deleted mark with them.
    expect(r.stdout).toContain("packages/web/src/legacy-use.ts: rolled back: packages/web/src/legacy-use.ts:2:42 TS2339 Property 'legacyOnly' does not exist on type 'Tools'.");
    expect(r.stdout).toContain("packages/api/src/tools/old-tools.ts: rolled back: packages/web/src/legacy-use.ts:1:26 TS2307 Cannot find module '../../api/src/tools/old-tools'");
    expect(r.stdout).toContain('ssot.config.json: rolled back:');
    expect(r.stdout).toMatch(/^3 files changed, 3 imports rewritten, .* 3 files rolled back/m);
    expect(r.stdout).toContain('scripts/seed.ts:1:1 fix unverified: no tsconfig project that was type-checked includes this changed file');
    expect(r.code).toBe(1);
    expect(read(root, 'packages/web/src/legacy-use.ts')).toBe(files['packages/web/src/legacy-use.ts']);
    expect(read(root, 'packages/api/src/tools/old-tools.ts')).toBe(files['packages/api/src/tools/old-tools.ts']);
    expect(read(root, 'ssot.config.json')).toBe(JSON.stringify(files['ssot.config.json'], null, 2));
    expect(read(root, 'packages/web/src/view.ts')).toContain("from '../../api/src/tools/new-tools'");
  });

  it('--allow-unverified accepts changed files outside every project (exit 0 when nothing else fails)', { timeout: 180_000 }, () => {
    const clean = gitRepo({ ...packages, 'packages/web/src/legacy-use.ts': consumer('../../api/src/tools/old-tools') });
    const ok = runCli(['fix', clean.root, '--no-cache', '--verify', '--allow-unverified', '--phase', 'consumers']);
    expect(ok.stdout).toContain('scripts/seed.ts:1:1 fix unverified');
    expect(ok.code).toBe(0);
  });

  it('a root tsconfig that excludes a folder: the folder is checked by its own tsconfig, and its broken rewrite rolled back', { timeout: 180_000 }, () => {
    const files = {
      'ssot.config.json': group('src'),
      'tsconfig.json': { compilerOptions, include: ['**/*.ts'], exclude: ['frontend'] },
      'src/tools/new-tools.ts': tools.newTools,
      'src/tools/old-tools.ts': tools.oldTools,
      'src/app.ts': consumer('./tools/old-tools'),
      'frontend/tsconfig.json': { compilerOptions, include: ['src'] },
      'frontend/src/page.ts': consumer('../../src/tools/old-tools'),
      'frontend/src/legacy-page.ts': consumer('../../src/tools/old-tools', 'legacyOnly'),
    };
    const { root } = gitRepo(files);
    const r = runCli(['fix', root, '--no-cache', '--verify', '--phase', 'consumers']);
    expect(r.stdout).toMatch(/^verified frontend\/tsconfig.json with .*; changed files it covers: frontend\/src\/legacy-page.ts, frontend\/src\/page.ts$/m);
    expect(r.stdout).toMatch(/^verified tsconfig.json with .*; changed files it covers: src\/app.ts$/m);
    expect(r.stdout).toContain("frontend/src/legacy-page.ts: rolled back: frontend/src/legacy-page.ts:2:42 TS2339 Property 'legacyOnly' does not exist on type 'Tools'.");
    expect(r.stdout).not.toContain('unverified');
    expect(r.code).toBe(1);
    expect(read(root, 'frontend/src/legacy-page.ts')).toBe(files['frontend/src/legacy-page.ts']);
  });

  it('a solution-style tsconfig (files: [] and references): the referenced project holding the change is checked', { timeout: 180_000 }, () => {
    const { root } = gitRepo({
      'ssot.config.json': group('src'),
      'tsconfig.json': { files: [], references: [{ path: './configs/tsconfig.app.json' }, { path: './configs/tsconfig.node.json' }] },
      'configs/tsconfig.app.json': { compilerOptions, include: ['../src'] },
      'configs/tsconfig.node.json': { compilerOptions, include: ['../build'] },
      'src/tools/new-tools.ts': tools.newTools,
      'src/tools/old-tools.ts': tools.oldTools,
      'src/app.ts': consumer('./tools/old-tools'),
      'build/bundle.ts': 'export const entry = "src/app.ts";\n',
    });
    const r = runCli(['fix', root, '--no-cache', '--verify', '--phase', 'consumers']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^verified configs\/tsconfig.app.json with bundled TypeScript [\d.]+: 0 type errors before, 0 after; changed files it covers: src\/app.ts$/m);
    expect(r.stdout).not.toContain('tsconfig.node.json');
    expect(r.stdout).not.toContain('unverified');
    expect(r.code).toBe(0);
  });
});

/** A repository whose own `node_modules/.bin/tsc` is the given shell script (node_modules ignored by git). */
function withTsc(script: string): ReturnType<typeof gitRepo> {
  const repo = gitRepo({
    '.gitignore': 'node_modules\n',
    'ssot.config.json': group('src'),
    'tsconfig.json': { compilerOptions, include: ['src'] },
    'src/tools/new-tools.ts': tools.newTools,
    'src/tools/old-tools.ts': tools.oldTools,
    'src/app.ts': consumer('./tools/old-tools'),
    'node_modules/.bin/tsc': `#!/bin/sh\n${script}\n`,
  });
  chmodSync(path.join(repo.root, 'node_modules/.bin/tsc'), 0o755);
  return repo;
}
const version = 'if [ "$1" = "--version" ]; then echo "Version 5.4.5"; exit 0; fi';

describe('ssot fix --verify does not trust a misbehaving tsc (issue 17, item 3)', () => {
  const cases: { name: string; script: string; args?: string[]; message: RegExp }[] = [
    { name: 'exits 3', script: `${version}\necho "internal compiler error" >&2\nexit 3`, message: /tsc \(5\.4\.5\) -p tsconfig.json exited with status 3, which tsc never uses \("internal compiler error"\)/ },
    { name: 'prints garbage for everything', script: 'echo "Segmentation fault (core dumped) or so"\nexit 0', message: /tsc --version exited with status 0 and printed no TypeScript version \("Segmentation fault \(core dumped\) or so"\)/ },
    { name: 'prints garbage instead of diagnostics', script: `${version}\necho "lots of errors, none readable"\nexit 1`, message: /exited with status 1 \(errors\) but printed no diagnostic that could be read \("lots of errors, none readable"\)/ },
    { name: 'hangs', script: `${version}\nsleep 600`, args: ['--verify-timeout', '1'], message: /-p tsconfig.json did not finish within 1 s and was stopped/ },
    { name: 'passes before the rewrite and crashes after it', script: `${version}\nif [ -f "$0.ran" ]; then kill -SEGV $$; fi\ntouch "$0.ran"\nexit 0`, message: /-p tsconfig.json was killed by SIGSEGV/ },
  ];
  for (const c of cases) {
    it(`a project tsc that ${c.name}: exit 2, one message, every file as it was`, () => {
      const { root, git } = withTsc(c.script);
      const r = runCli(['fix', root, '--no-cache', '--verify', ...(c.args ?? [])]);
      expect(r.stderr).toMatch(c.message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(2);
      expect(git('status', '--porcelain')).toBe('');
    });
  }

  it('a project tsc that is not executable: exit 2 naming it, nothing written', () => {
    const { root, git } = withTsc(version);
    chmodSync(path.join(root, 'node_modules/.bin/tsc'), 0o644);
    const r = runCli(['fix', root, '--no-cache', '--verify']);
    expect(r.stderr).toMatch(/^ssot: node_modules\/.bin\/tsc: node_modules\/.bin\/tsc could not be run \(spawnSync .* EACCES\)/);
    expect(r.code).toBe(2);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('a project tsc that stops at a syntax error type-checks nothing: the project does not count, its changed files are unverified', () => {
    const { root } = withTsc(`exec ${path.resolve('node_modules/.bin/tsc')} "$@"`);
    writeFileSync(path.join(root, 'src/broken.ts'), 'export const broken = {\n');
    const r = runCli(['fix', root, '--no-cache', '--verify', '--allow-dirty']);
    expect(r.stdout).toMatch(/^not verified tsconfig.json: node_modules\/.bin\/tsc \(\d[\d.]*\) type-checked nothing: src\/broken.ts does not parse, and tsc type-checks nothing while a file has a syntax error$/m);
    expect(r.stdout).toContain('src/app.ts:1:1 fix unverified');
    expect(r.code).toBe(1);
  });

  it("uses the project's own tsc and names it", () => {
    const { root } = withTsc(`${version}\nexit 0`);
    const r = runCli(['fix', root, '--no-cache', '--verify']);
    expect(r.stdout).toMatch(/^verified tsconfig.json with node_modules\/.bin\/tsc \(5\.4\.5\): 0 type errors before, 0 after; changed files it covers: src\/app.ts, src\/tools\/old-tools.ts$/m);
    expect(r.code).toBe(0);
  });
});
