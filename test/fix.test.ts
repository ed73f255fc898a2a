import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

/** A git repository holding a copy of a fixture folder, committed. */
function repoOf(fixture: string): { root: string; git: (...args: string[]) => string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ssot-fix-'));
  cpSync(path.resolve(fixture), root, { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'init.defaultBranch=main', ...args], { cwd: root, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture');
  return { root, git };
}

const read = (root: string, rel: string): string => readFileSync(path.join(root, rel), 'utf8');

function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === '.ssot-cache') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(root, abs), readFileSync(abs, 'latin1'));
    }
  };
  walk(root);
  return out;
}

describe('ssot fix (built binary) on fixtures/fix/mini-app', () => {
  it('--dry-run prints a unified diff and writes nothing', () => {
    const { root } = repoOf('fixtures/fix/mini-app');
    const before = snapshot(root);
    const r = runCli(['fix', root, '--dry-run', '--no-cache']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--- a/src/consumers/chat-handler.ts\n+++ b/src/consumers/chat-handler.ts\n');
    expect(r.stdout).toContain("-  const dispatcher = new LegacyDispatcher(userId);\n+  const dispatcher = createDispatcher(userId);\n");
    expect(r.stdout).toContain('--- a/src/tools/old-helpers.ts\n+++ /dev/null\n');
    expect(r.stderr).toContain('src/consumers/chat-handler.ts:2:34 legacy-import would be rewritten (rewrite-construction; 1 import, 1 construction)');
    expect(r.stderr).toContain('src/tools/legacy-dispatcher.ts:7:14 competing-implementation would be replaced by a facade (facade)');
    expect(r.stderr).toMatch(/dry run: 6 files would change, 3 imports rewritten, 1 constructions rewritten, 1 facades written, 1 modules removed, 1 files skipped/);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a dirty work tree unless --allow-dirty', () => {
    const { root } = repoOf('fixtures/fix/mini-app');
    writeFileSync(path.join(root, 'src/consumers/status.ts'), `${read(root, 'src/consumers/status.ts')}// local edit\n`);
    const r = runCli(['fix', root, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the git work tree has uncommitted changes: src/consumers/status.ts');
    expect(r.stderr).toContain('--allow-dirty');
    expect(read(root, 'src/consumers/chat-handler.ts')).toContain('new LegacyDispatcher');
    expect(runCli(['fix', root, '--no-cache', '--allow-dirty']).code).toBe(0);
    expect(read(root, 'src/consumers/chat-handler.ts')).toContain('createDispatcher(userId)');
  });

  it('rewrites, keeps BOM/CRLF and untouched lines, skips the unparseable file, marks deleted modules in the config, and a second run changes nothing', () => {
    const { root, git } = repoOf('fixtures/fix/mini-app');
    const r = runCli(['fix', root, '--no-cache', '--manifest', path.join(root, '..', `${path.basename(root)}-manifest.json`)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('src/tools/legacy-dispatcher.ts:7:14 competing-implementation skipped: kept: src/consumers/broken.ts does not parse and may still import it');
    expect(r.stdout).toMatch(/6 files changed, 3 imports rewritten, 1 constructions rewritten, 1 facades written, 1 modules removed, 1 files skipped/);
    const view = read(root, 'src/consumers/result-view.ts');
    expect(view.startsWith('\uFEFF// A Windows-edited file')).toBe(true);
    expect(view).toBe('\uFEFF// A Windows-edited file: BOM and CRLF stay.\r\nimport type { DispatchResult } from "../tools/dispatcher";\r\n\r\nexport function describe(result: DispatchResult): string {\r\n  return result.ok ? "ok" : "failed";\r\n}\r\n');
    expect(read(root, 'src/consumers/broken.ts')).toBe(readFileSync('fixtures/fix/mini-app/src/consumers/broken.ts', 'utf8'));
    expect(existsSync(path.join(root, 'src/tools/old-helpers.ts'))).toBe(false);
    const facade = read(root, 'src/tools/legacy-dispatcher.ts');
    expect(facade).toContain("export { Dispatcher as LegacyDispatcher } from './dispatcher'");
    expect(facade).toContain('@deprecated');
    expect(facade).toContain("code: 'SSOT_DEPRECATED_LEGACY_DISPATCHER'");
    expect(facade).toContain('src/tools/legacy-dispatcher.ts is deprecated');
    expect(JSON.parse(read(root, 'ssot.config.json')).groups[0].legacy[1]).toEqual({ module: 'src/tools/old-helpers.ts', deleted: true });
    expect(readdirSync(path.join(root, 'src/consumers')).filter((f) => f.includes('.tmp'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(root, '..', `${path.basename(root)}-manifest.json`), 'utf8'));
    expect(manifest.changes.map((c: { file: string; action: string }) => `${c.action} ${c.file}`)).toEqual([
      'modified src/consumers/chat-handler.ts', 'modified src/consumers/flush-job.ts', 'modified src/consumers/result-view.ts', 'modified src/tools/legacy-dispatcher.ts', 'deleted src/tools/old-helpers.ts', 'modified ssot.config.json',
    ]);
    git('add', '-A');
    git('commit', '-q', '-m', 'ssot fix');
    const again = runCli(['fix', root, '--no-cache']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 files changed/);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('--verify rolls back, file by file, the change that adds a type error, with the diagnostic', () => {
    const { root } = repoOf('fixtures/fix/mini-app');
    const r = runCli(['fix', root, '--no-cache', '--verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("src/consumers/flush-job.ts: rolled back: src/consumers/flush-job.ts:5:21 TS2339 Property 'flush' does not exist on type 'Dispatcher'.");
    expect(r.stdout).toMatch(/verified tsconfig.json with bundled TypeScript 6\.\d+\.\d+: (\d+) type errors before, \1 after; changed files it covers: src\/consumers\/chat-handler.ts, src\/consumers\/flush-job.ts/);
    expect(read(root, 'src/consumers/flush-job.ts')).toBe(readFileSync('fixtures/fix/mini-app/src/consumers/flush-job.ts', 'utf8'));
    expect(read(root, 'src/consumers/chat-handler.ts')).toContain('createDispatcher(userId)');
  });

  it('--phase cleanup alone refuses legacy modules that files still reach, listing them', () => {
    const { root } = repoOf('fixtures/fix/mini-app');
    const r = runCli(['fix', root, '--no-cache', '--phase', 'cleanup']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/tools/old-helpers.ts:1:1 legacy-import removed (remove-legacy)');
    expect(r.stdout).toContain([
      'src/tools/legacy-dispatcher.ts:1:1 remove-legacy refused: still reached by 4 files',
      '  src/consumers/broken.ts:1:44',
      '  src/consumers/chat-handler.ts:2:34',
      '  src/consumers/flush-job.ts:1:34',
      '  src/consumers/result-view.ts:2:35',
    ].join('\n'));
    expect(existsSync(path.join(root, 'src/tools/legacy-dispatcher.ts'))).toBe(true);
  });

  it('rejects an unknown phase with exit 2', () => {
    const r = runCli(['fix', 'fixtures/fix/mini-app', '--phase', 'everything', '--dry-run', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--phase: unknown phase "everything"');
  });
});
