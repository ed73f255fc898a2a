import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli-commands.js';
import { fixOutput } from '../src/cli-output.js';
import type { FixResult } from '../src/fix-api.js';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp-project.js';

const fixture = path.resolve('fixtures/legacy-app');

describe('ssot scan (built binary)', () => {
  it('exits 1 on the fixture, with text grouped by file and a summary', () => {
    const r = runCli(['scan', fixture, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/compat/dispatchers.ts\n  7:10     error    Exports UnifiedToolDispatcher');
    expect(r.stdout).toContain('✖ 76 findings (62 errors, 8 warnings, 6 info)');
    expect(r.stdout).toMatch(/Scanned 112 files in [\d.]+s: 112 parsed/); // 111 sources and the hand-written runtime-shims.d.ts (issue 16)
  });

  it('--format json meets the Done-when counts, every finding located', () => {
    const r = runCli(['scan', fixture, '--format', 'json', '--no-cache']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const count = (id: string) => report.findings.filter((f: { ruleId: string }) => f.ruleId === id).length;
    expect(count('legacy-import')).toBeGreaterThanOrEqual(32);
    expect(count('competing-implementation')).toBeGreaterThanOrEqual(4);
    expect(count('factory-bypass')).toBeGreaterThanOrEqual(1);
    expect(count('import-cycle')).toBeGreaterThanOrEqual(1);
    expect(count('shared-state')).toBeGreaterThanOrEqual(1);
    expect(count('name-collision')).toBeGreaterThanOrEqual(1);
    for (const f of report.findings) {
      expect(path.isAbsolute(f.file)).toBe(false);
      expect(f.line).toBeGreaterThan(0);
      expect(f.column).toBeGreaterThan(0);
    }
  });

  it('--output writes the report atomically and says so on stderr', () => {
    const out = path.join(tempProject({}), 'reports', 'ssot.sarif');
    const r = runCli(['scan', fixture, '--format', 'sarif', '--output', out, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`report written to ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  it('--format github prints annotations', () => {
    const r = runCli(['scan', fixture, '--format', 'github', '--no-cache']);
    // Paths from the repository's top (issue 19): the annotations land on fixtures/legacy-app's files.
    expect(r.stdout.split('\n')[0]).toMatch(/^::(error|warning|notice) file=fixtures\/legacy-app\/src\//);
  });

  it('exits 0 on a clean project and writes its cache under .ssot-cache', () => {
    const root = tempProject({ 'src/a.ts': 'export const a = 1;\n' });
    const r = runCli(['scan', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ no findings');
    expect(existsSync(path.join(root, '.ssot-cache'))).toBe(true);
  });

  it('exits 0 when only warnings are found', () => {
    const root = tempProject({ 'src/a.ts': 'let n = 0;\nexport const bump = () => n++;\n' });
    const r = runCli(['scan', root, '--no-cache']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning');
  });

  it('exits 2 with the file and key on a config error', () => {
    const root = tempProject({ 'ssot.config.json': { groups: [{ name: 'g', ssot: { module: 'src/nope.ts' } }] }, 'src/a.ts': '' });
    const r = runCli(['scan', root, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ssot: .*ssot\.config\.json: groups\[0\]\.ssot\.module: no such file: src\/nope\.ts/);
  });

  it('exits 2 on a missing root, a missing --config and an unknown format', () => {
    expect(runCli(['scan', '/nonexistent/root']).code).toBe(2);
    const missing = runCli(['scan', fixture, '--config', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: config file not found');
    const bad = runCli(['scan', fixture, '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'xml' is invalid");
  });

  it('prints help with examples', () => {
    const r = runCli(['scan', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });
});

describe('ssot graph (built binary)', () => {
  it('prints the fixture as mermaid by default and as dot on request', () => {
    const mermaid = runCli(['graph', fixture, '--no-cache']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.startsWith('flowchart LR')).toBe(true);
    expect(mermaid.stdout).toContain('UnifiedToolDispatcher');
    const dot = runCli(['graph', fixture, '--format', 'dot', '--no-cache']);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph /);
    expect(dot.stdout).toContain('RequestScopedToolDispatcher');
  });

  it('scan --format html writes one self-contained file', () => {
    const out = path.join(tempProject({}), 'r.html');
    const r = runCli(['scan', fixture, '--format', 'html', '--output', out, '--no-cache']);
    expect(r.code).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).toContain('RequestScopedToolDispatcher');
  });
});

describe('the command table (built binary)', () => {
  it('lists every command in `ssot --help`, each with its own help text', () => {
    const top = runCli(['--help']).stdout;
    for (const spec of COMMANDS) {
      expect(top).toContain(`  ${spec.name} [options] [root]`);
      const r = runCli([spec.name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: ssot ${spec.name} [options] [root]`);
      expect(r.stdout.endsWith(`${spec.help}\n`)).toBe(true);
      expect(r.stdout.includes('--cache-location <dir>')).toBe(!!spec.scans);
    }
  });

  it('leaves the cache folder to the API unless --cache-location names one', () => {
    const root = tempProject({ 'src/a.ts': 'export const a = 1;\n' });
    const elsewhere = path.join(tempProject({}), 'ci-cache');
    expect(runCli(['scan', root, '--cache-location', elsewhere]).code).toBe(0);
    expect(existsSync(elsewhere)).toBe(true);
    expect(existsSync(path.join(root, '.ssot-cache'))).toBe(false);
    expect(runCli(['graph', root]).code).toBe(0);
    expect(existsSync(path.join(root, '.ssot-cache'))).toBe(true);
  });

  it('--shard parses only the files the config includes, and needs --facts-out', () => {
    const root = tempProject({
      'ssot.config.json': { include: ['src/**'] },
      'src/order.ts': 'export const order = 1;\n',
      'src/invoice.ts': 'export const invoice = 2;\n',
      'scripts/seed.ts': 'export const seed = 3;\n',
    });
    const out = path.join(tempProject({}), 'facts-1.json');
    const r = runCli(['scan', root, '--shard', '1/1', '--facts-out', out, '--no-cache']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`shard 1/1: facts of 2 files written to ${out}\n`);
    const alone = runCli(['scan', root, '--shard', '1/1']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--shard and --facts-out go together');
    expect(alone.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('fixOutput (what ssot fix prints, as data)', () => {
  const zero = { filesChanged: 0, importsRewritten: 0, constructionsRewritten: 0, facadesWritten: 0, modulesRemoved: 0, filesSkipped: 0, rolledBack: 0, manualMarkers: 0, mocksToReview: 0 };
  const result = (over: Partial<FixResult> = {}): FixResult => ({
    root: '/repo', dryRun: false, phases: ['factories'], changes: [], skipped: [], refused: [], rolledBack: [], diff: '--- a/src/order.ts\n+++ b/src/order.ts\n', summary: zero, durationMs: 1500, ...over,
  });

  it('a dry run: the diff on stdout, the summary on stderr, exit 0', () => {
    const out = fixOutput(result({ dryRun: true }), {});
    expect(out.writes).toEqual([{ file: undefined, text: '--- a/src/order.ts\n+++ b/src/order.ts\n' }]);
    expect(out.stderr).toBe('dry run: 0 files would change, 0 imports rewritten, 0 constructions rewritten, 0 facades written, 0 modules removed, 0 files skipped in 1.50 s\n');
    expect(out.exitCode).toBe(0);
  });

  it('--format json to --output, the manifest without the diff first, nothing on stderr', () => {
    const out = fixOutput(result({ dryRun: true }), { format: [{ name: 'json' }], output: 'fix.json', manifest: 'manifest.json' });
    expect(out.writes.map((w) => w.file)).toEqual(['manifest.json', 'fix.json']);
    expect(JSON.parse(out.writes[0]!.text).diff).toBeUndefined();
    expect(JSON.parse(out.writes[1]!.text).diff).toContain('src/order.ts');
    expect(out.stderr).toBeUndefined();
  });

  it('exit 1 on a refusal, a rollback, nothing written, or an unverified file unless allowed', () => {
    const refused = result({ refused: [{ module: 'src/legacy.ts', consumers: [{ file: 'src/app.ts', line: 1, column: 1 }] }] });
    expect(fixOutput(refused, {}).exitCode).toBe(1);
    expect(fixOutput(result({ rolledBack: [{ file: 'src/app.ts', diagnostics: [] }] }), {}).exitCode).toBe(1);
    expect(fixOutput(result({ notWritten: [{ file: 'src/app.ts', kind: 'read-only', reason: 'read-only' }] }), {}).exitCode).toBe(1);
    const unverified = result({ verify: { projects: [], unverified: ['src/app.ts'], checker: 'tsc', errorsBefore: 0, errorsAfter: 0 } });
    expect(fixOutput(unverified, {}).exitCode).toBe(1);
    expect(fixOutput(unverified, { allowUnverified: true }).exitCode).toBe(0);
    expect(fixOutput(result(), {}).writes[0]!.text).toMatch(/^0 files changed, .* in 1\.50 s\n$/);
  });
});
