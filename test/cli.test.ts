import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
