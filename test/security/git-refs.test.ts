import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * Issue 15: git refs and the trees they name are input too. `check --since` passed the ref to git as
 * it was (a ref starting with '-' is an option to git), and wrote every path of the ref's tree below
 * a temp folder, `..` segments included.
 */
describe('check --since with hostile refs and trees', () => {
  it('refuses a ref that git would read as an option, exit 2, and runs nothing', () => {
    const { root } = gitRepo({ 'src/a.ts': 'export const a = 1;\n' });
    const out = path.join(root, 'pwned');
    const r = runCli(['check', root, `--since=--output=${out}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since:');
    expect(r.stderr).toContain('is not a git ref');
    expect(existsSync(out)).toBe(false);
  });

  it('never writes a tree entry with `..` outside its temp folder', () => {
    const { root, git } = gitRepo({ 'src/a.ts': 'export const a = 1;\n' });
    const run = (args: string[], input?: string): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', ...(input ? { input } : {}) }).trim();
    const blob = run(['hash-object', '-w', '--stdin'], 'export const evil = 1;\n');
    let tree = run(['mktree'], `100644 blob ${blob}\tevil.ts\n`);
    for (const name of ['..', '..', 'src']) tree = run(['mktree'], `040000 tree ${tree}\t${name}\n`);
    git('branch', 'hostile', run(['commit-tree', tree, '-p', 'HEAD', '-m', 'hostile']));
    expect(run(['ls-tree', '-r', '--name-only', 'hostile'])).toBe('src/../../evil.ts');
    const tmp = mkdtempSync(path.join(tmpdir(), 'ssot-refs-'));
    const r = runCli(['check', root, '--since', 'hostile', '-q'], process.cwd(), { TMPDIR: tmp });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.ts'))).toEqual([]);
    expect(existsSync(path.join(path.dirname(tmp), 'evil.ts'))).toBe(false);
  });
});
