import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

// Issue 19, item 10: `--staged` for a pre-commit hook checks what the commit will hold (the index), not the
// work tree, and keeps its own cache so only staged edits are parsed again.
const files = {
  'ssot.config.json': {
    rules: { 'ssot-api-gap': 'off' },
    groups: [{ name: 'dispatcher', ssot: { module: 'src/ssot.ts', export: 'RequestScopedToolDispatcher' }, legacy: ['src/legacy.ts'], role: ['*ToolDispatcher'], allow: ['src/legacy.ts'] }],
  },
  'src/ssot.ts': 'export class RequestScopedToolDispatcher { dispatch(): void {} }\n',
  'src/legacy.ts': 'export class LegacyDispatcher { dispatch(): void {} }\n',
  'src/orders.ts': "import { RequestScopedToolDispatcher } from './ssot';\nexport const d = RequestScopedToolDispatcher;\n",
};
const legacyImport = "import { LegacyDispatcher } from './legacy';\nexport const d = LegacyDispatcher;\n";
const json = (stdout: string) => JSON.parse(stdout) as { findings: { file: string; ruleId: string }[] };

describe('--staged', () => {
  it('checks the staged content of a file, not its work-tree edits', () => {
    const { root, git } = gitRepo(files);
    expect(runCli(['baseline', '.'], root).code).toBe(0);
    git('add', '.ssot-baseline.json');
    git('commit', '-q', '-m', 'baseline');

    // Staged: a new legacy import. The work tree then undoes it without staging: --staged still sees it.
    writeFileSync(path.join(root, 'src/orders.ts'), legacyImport);
    git('add', 'src/orders.ts');
    writeFileSync(path.join(root, 'src/orders.ts'), files['src/orders.ts']);
    const staged = runCli(['check', '--staged', '--format', 'json'], root);
    expect(staged.code).toBe(1);
    expect(json(staged.stdout).findings.map((f) => [f.file, f.ruleId])).toEqual([['src/orders.ts', 'legacy-import']]);
    expect(runCli(['check'], root).code).toBe(0); // the work tree is clean

    // The other way round: the work tree has the legacy import, the index does not.
    git('add', 'src/orders.ts');
    writeFileSync(path.join(root, 'src/orders.ts'), legacyImport);
    expect(runCli(['check', '--staged'], root).code).toBe(0);
    expect(runCli(['check'], root).code).toBe(1);
    expect(readFileSync(path.join(root, 'src/orders.ts'), 'utf8')).toBe(legacyImport); // work tree untouched
  });

  it('keeps its staged tree between runs: only files staged since are written again', () => {
    const { root, git } = gitRepo({ ...files, 'src/billing.ts': "import { LegacyDispatcher } from './legacy';\nexport const b = LegacyDispatcher;\n" });
    const first = runCli(['scan', '--staged', '--format', 'json'], root);
    expect(first.code).toBe(1);
    const tree = path.join(root, '.ssot-cache/staged-tree');
    const mtime = (rel: string) => statSync(path.join(tree, rel)).mtimeMs;
    const before = { billing: mtime('src/billing.ts'), orders: mtime('src/orders.ts') };
    writeFileSync(path.join(root, 'src/orders.ts'), legacyImport);
    git('add', 'src/orders.ts');
    const second = runCli(['scan', '--staged', '--format', 'json', '-q'], root);
    expect(json(second.stdout).findings.filter((f) => f.ruleId === 'legacy-import').map((f) => f.file).sort()).toEqual(['src/billing.ts', 'src/orders.ts']);
    // An unchanged file is not written again, so its stat entry in the staged cache still matches.
    expect(mtime('src/billing.ts')).toBe(before.billing);
    expect(mtime('src/orders.ts')).not.toBe(before.orders);
    const list = JSON.parse(readFileSync(path.join(tree, '.ssot-staged.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(list).sort()).toEqual(['src/billing.ts', 'src/legacy.ts', 'src/orders.ts', 'src/ssot.ts', 'ssot.config.json']);
  });

  it('outside a git repository it says so (exit 2)', async () => {
    const { tempProject } = await import('./helpers/temp-project.js');
    const root = tempProject(files);
    const r = runCli(['check', '--staged'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not inside a git repository');
  });
});
