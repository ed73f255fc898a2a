import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Issue 19, items 2-6: what a user installs. The packed tarball goes into an empty project under npm and
// under pnpm with hoist=false (each package sees only its own dependencies), from the npm registry; then
// the CLI scans a copy of fixtures/legacy-app and plans its fix (--dry-run), ESM import and CJS require load both entry points, and two
// TypeScript consumers (nodenext, bundler) compile with skipLibCheck false. Needs the registry and
// `npm run build` first (as every CLI test does); takes a minute or two.
const repo = process.cwd();
const work = mkdtempSync(path.join(tmpdir(), 'ssot-package-'));
let tarball = '';

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): { code: number; out: string; stdout: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env } });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/** An empty project with ssot-kit installed from the tarball (and @types/node for the TS consumers). */
function consumer(name: string, install: (dir: string) => void): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }));
  install(dir);
  cpSync(path.join(repo, 'fixtures/legacy-app'), path.join(dir, 'legacy-app'), { recursive: true });
  // The TypeScript consumers: every declaration file of ssot-kit is checked (skipLibCheck false).
  const source = [
    "import { scan, fix, check, type Finding, type ScanResult } from 'ssot-kit';",
    "import { createToolDispatcher, createUserContext, createWebSocketBridge, type BridgeOptions } from 'ssot-kit/dispatcher';",
    'export const api: [typeof scan, typeof fix, typeof check, typeof createToolDispatcher, typeof createUserContext, typeof createWebSocketBridge] = [scan, fix, check, createToolDispatcher, createUserContext, createWebSocketBridge];',
    'export type Used = [Finding, ScanResult, BridgeOptions];',
    '',
  ].join('\n');
  for (const [kind, options] of [
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ] as const) {
    mkdirSync(path.join(dir, kind));
    writeFileSync(path.join(dir, kind, 'index.ts'), source);
    writeFileSync(path.join(dir, kind, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...options, target: 'es2022', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] }, include: ['index.ts'] }));
  }
  return dir;
}

function checks(dir: string): void {
  const scanned = run(path.join(dir, 'node_modules/.bin/ssot'), ['scan', 'legacy-app', '--no-cache', '--format', 'json'], dir);
  expect(scanned.code, scanned.out.slice(-2000)).toBe(1); // findings, not a crash
  expect(JSON.parse(scanned.stdout).findings.length).toBeGreaterThan(0);

  // fix loads its own dependencies (ast-types, @babel/parser, diff, jsonc-parser) only now: they must resolve from the package.
  const fixed = run(path.join(dir, 'node_modules/.bin/ssot'), ['fix', 'legacy-app', '--dry-run', '--no-cache'], dir);
  expect(fixed.out).not.toMatch(/Cannot find (module|package)/);
  expect(fixed.code, fixed.out.slice(-2000)).not.toBe(2);
  expect(fixed.stdout).toContain('+++ ');

  const esm = run(process.execPath, ['--input-type=module', '-e', "const a = await import('ssot-kit'); const d = await import('ssot-kit/dispatcher'); console.log(typeof a.scan, typeof a.fix, typeof d.createToolDispatcher);"], dir);
  expect(esm.out.trim()).toBe('function function function');
  // require(esm): Node 20.19+ loads the ESM build through the `default` export condition.
  const cjs = run(process.execPath, ['-e', "const a = require('ssot-kit'); const d = require('ssot-kit/dispatcher'); console.log(typeof a.scan, typeof d.createToolDispatcher);"], dir);
  expect(cjs.out.trim()).toBe('function function');

  const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
  for (const kind of ['nodenext', 'bundler']) {
    const compiled = run(process.execPath, [tsc, '-p', path.join(kind, 'tsconfig.json')], dir);
    expect(compiled.out, `${kind} consumer`).toBe('');
    expect(compiled.code).toBe(0);
  }
}

describe('the packed package', () => {
  beforeAll(() => {
    // dist/ is built by `npm test`; --ignore-scripts so packing does not build it again.
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: repo, encoding: 'utf8' });
    tarball = path.join(work, out.trim().split('\n').pop()!);
  }, 120_000);

  it('ships no source maps and its LICENSE', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files).toContain('package/LICENSE');
    expect(files.filter((f) => f.startsWith('package/src/'))).toEqual([]);
  });

  it('installs with npm and works: CLI, import, require, TypeScript consumers', () => {
    const dir = consumer('npm', (d) => {
      const r = run('npm', ['install', '--no-audit', '--no-fund', tarball, '@types/node@20'], d);
      expect(r.code, r.out).toBe(0);
    });
    checks(dir);
    // `import 'ssot-kit'` loads what scanning needs, not what only fix needs.
    // A resolve hook that names every package the two imports load.
    writeFileSync(path.join(dir, 'hooks.mjs'), "import { writeSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(r.url); if (m) writeSync(2, `loaded ${m[1]}\\n`); return r; }\n");
    writeFileSync(path.join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
    const lazy = run(process.execPath, ['--import', './register.mjs', '--input-type=module', '-e', "await import('ssot-kit'); await import('ssot-kit/dispatcher');"], dir);
    expect(lazy.code, lazy.out).toBe(0);
    const loaded = [...new Set(lazy.out.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice(7)))].sort();
    expect(loaded).toContain('ssot-kit');
    for (const onlyWhenUsed of ['ast-types', 'diff', 'jsonc-parser', 'ioredis', 'ajv', 'ws']) expect(loaded).not.toContain(onlyWhenUsed);
  }, 600_000);

  it('installs with pnpm (hoist=false) and works the same', () => {
    const prefix = path.join(work, 'pnpm-cli');
    const installed = run('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, 'pnpm@10'], work);
    expect(installed.code, installed.out).toBe(0);
    const pnpm = path.join(prefix, 'node_modules/.bin/pnpm');
    const dir = consumer('pnpm', (d) => {
      writeFileSync(path.join(d, '.npmrc'), 'hoist=false\n');
      const r = run(pnpm, ['add', tarball, '@types/node@20'], d, { npm_config_store_dir: path.join(work, 'pnpm-store') });
      expect(r.code, r.out).toBe(0);
    });
    expect(readdirSync(path.join(dir, 'node_modules'))).not.toContain('typescript-6'); // not hoisted: only ssot-kit sees it
    checks(dir);
  }, 600_000);
});
