import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp-project.js';

/**
 * Issue 16, which files a scan sees: JavaScript in every module flavour, a hand-written .d.ts, a
 * dot-folder and Vue, Svelte and Astro components are analysed; compiler output under the tsconfig's
 * outDir/declarationDir, a minified file, a tool cache and everything git ignores (a .gitignore above
 * the scanned folder, info/exclude, the global excludes file) are not, and what could hold code is counted.
 */

interface Report {
  findings: { ruleId: string; file: string; line: number; column: number }[];
  coverage: { files: number; omitted?: { reason: string; count: number; paths: string[] }[] };
}

/** The fixture in a fresh git repository, with an info/exclude and a global excludes file of its own. */
function workspace(): { root: string; env: Record<string, string> } {
  const root = tempProject({}, 'ssot-workspace-files-');
  cpSync(path.resolve('fixtures/workspace-files'), root, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: root });
  writeFileSync(path.join(root, '.git/info/exclude'), 'excluded-by-info.ts\n');
  return { root, env: userConfig('*.global-ignored.ts\n') };
}

/** A HOME and XDG_CONFIG_HOME of the test's own, the global excludes file holding `globalIgnore`: the machine's git config stays out. */
function userConfig(globalIgnore = ''): Record<string, string> {
  const home = tempProject({ 'xdg/git/ignore': globalIgnore, 'home/.keep': '' }, 'ssot-home-');
  return { XDG_CONFIG_HOME: path.join(home, 'xdg'), HOME: path.join(home, 'home') };
}

function scan(root: string, env: Record<string, string>): Report {
  const r = runCli(['scan', root, '--format', 'json', '--no-cache'], process.cwd(), env);
  expect(r.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  return JSON.parse(r.stdout) as Report;
}

const legacyImports = (report: Report): string[] =>
  report.findings.filter((f) => f.ruleId === 'legacy-import').map((f) => `${f.file}:${f.line}:${f.column}`).sort();

/** Where each consumer imports the legacy module, relative to packages/app (Widget.vue's is below its template). */
const EXPECTED = [
  '.storybook/preview.ts:1:24',
  'legacy-config.cjs:1:28',
  'scripts/migrate.mjs:1:24',
  'src/Page.astro:2:24',
  'src/Panel.svelte:2:26',
  'src/Widget.vue:7:24',
  'src/esm-consumer.js:1:24',
  'src/types/legacy-shim.d.ts:1:29',
  'src/view.jsx:1:24',
];

describe('fixtures/workspace-files', () => {
  const { root, env } = workspace();

  it('finds every legacy import of what the project compiles or runs, from the top', () => {
    const report = scan(root, env);
    expect(legacyImports(report)).toEqual(EXPECTED.map((e) => `packages/app/${e}`).sort());
    expect(report.coverage.omitted).toEqual([
      { reason: 'generated', count: 2, paths: ['packages/app/out/esm-consumer.js', 'packages/app/types-out/api.d.ts'] },
      { reason: 'minified', count: 1, paths: ['packages/app/src/vendor.min.js'] },
    ]);
  });

  it('applies the ignore files above a scanned subfolder, as git does', () => {
    const report = scan(path.join(root, 'packages/app'), env);
    expect(legacyImports(report)).toEqual([...EXPECTED].sort());
    // api, old-api, data.vue (no code block) and the nine consumers; nothing ignored, cached or generated.
    expect(report.coverage.files).toBe(12);
    expect(report.coverage.omitted?.map((g) => [g.reason, g.count])).toEqual([
      ['generated', 2],
      ['minified', 1],
    ]);
  });

  it('scans what git ignores with --no-gitignore', () => {
    const r = runCli(['scan', path.join(root, 'packages/app'), '--format', 'json', '--no-cache', '--no-gitignore'], process.cwd(), env);
    const found = legacyImports(JSON.parse(r.stdout) as Report);
    for (const file of ['src/ignored-by-parent.ts', 'src/scratch.local.ts', 'src/excluded-by-info.ts', 'src/notes.global-ignored.ts']) expect(found).toContain(`${file}:1:24`);
    expect(found.some((f) => f.startsWith('.cache/'))).toBe(false);
  });
});

describe('what the walk cannot see is counted', () => {
  it('counts a dangling symbolic link, in the report and the summary line', () => {
    const root = tempProject({ 'src/a.ts': 'export const a = 1;\n' });
    symlinkSync('missing.ts', path.join(root, 'src/gone.ts'));
    const r = runCli(['scan', root, '--format', 'json', '--no-cache']);
    expect((JSON.parse(r.stdout) as Report).coverage.omitted).toEqual([{ reason: 'dangling-symlink', count: 1, paths: ['src/gone.ts'] }]);
    const text = runCli(['scan', root, '--no-cache']);
    expect(text.stdout + text.stderr).toContain('left out: 1 dangling symlink(s) (src/gone.ts)');
  });

  it('names a folder it cannot read', (ctx) => {
    // root reads every folder whatever its mode: the scan then runs as nobody (setpriv), else it cannot be tested.
    const asRoot = process.getuid?.() === 0;
    const drop = ['--reuid=65534', '--regid=65534', '--clear-groups'];
    if (asRoot && spawnSync('setpriv', [...drop, 'true']).status !== 0) return ctx.skip('running as root without a working setpriv: a folder cannot be made unreadable');
    const root = tempProject({ 'src/a.ts': 'export const a = 1;\n', 'src/locked/b.ts': "import { a } from '../a';\nexport const b = a;\n" });
    chmodSync(root, 0o755);
    chmodSync(path.join(root, 'src'), 0o755);
    chmodSync(path.join(root, 'src/a.ts'), 0o644);
    chmodSync(path.join(root, 'src/locked'), 0o000);
    try {
      const env = { ...process.env, NO_COLOR: '1', CI: 'true', SSOT_CODE_CACHE: '0' };
      const run = (...extra: string[]): { stdout: string; stderr: string } => {
        const args = [path.resolve('bin/ssot.js'), 'scan', root, '--no-cache', ...extra];
        return asRoot ? spawnSync('setpriv', [...drop, process.execPath, ...args], { encoding: 'utf8', env }) : spawnSync(process.execPath, args, { encoding: 'utf8', env });
      };
      const report = JSON.parse(run('--format', 'json').stdout) as Report;
      expect(report.coverage.files).toBe(1);
      expect(report.coverage.omitted).toEqual([{ reason: 'unreadable-folder', count: 1, paths: ['src/locked'] }]);
      const text = run();
      expect(text.stdout + text.stderr).toContain('left out: 1 unreadable folder(s) (src/locked)');
    } finally {
      chmodSync(path.join(root, 'src/locked'), 0o755);
    }
  });
});

describe('dot-folders', () => {
  it('walks .config and .github/scripts but not tool caches', () => {
    const root = tempProject({
      'src/legacy.ts': 'export const old = 1;\n',
      '.config/tool.ts': "import { old } from '../src/legacy';\nexport const t = old;\n",
      '.github/scripts/release.mjs': "import { old } from '../../src/legacy';\nconsole.log(old);\n",
      '.next/server/page.js': "import { old } from '../../src/legacy';\n",
      '.turbo/cache.js': "import { old } from '../src/legacy';\n",
      'ssot.config.json': { groups: [{ name: 'g', ssot: { module: 'src/new.ts', export: 'x' }, legacy: ['src/legacy.ts'] }] },
      'src/new.ts': 'export const x = 1;\n',
    });
    mkdirSync(path.join(root, '.git'));
    const report = JSON.parse(runCli(['scan', root, '--format', 'json', '--no-cache'], process.cwd(), userConfig()).stdout) as Report;
    expect(legacyImports(report)).toEqual(['.config/tool.ts:1:21', '.github/scripts/release.mjs:1:21']);
  });
});
