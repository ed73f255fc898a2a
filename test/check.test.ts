import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp-project.js';

const ssot = 'export class RequestScopedToolDispatcher { dispatch(): void {} }\nexport function createToolDispatcher() { return new RequestScopedToolDispatcher(); }\n';
const legacy = 'export class LegacyDispatcher { dispatch(): void {} }\nexport const helper = 1;\n';
const config = {
  // These tests count legacy-import baselines; the legacy module's names the SSOT lacks are ssot-api-gap's own test.
  rules: { 'ssot-api-gap': 'off' },
  groups: [
    {
      name: 'dispatcher',
      ssot: { module: 'src/ssot.ts', export: 'RequestScopedToolDispatcher', factory: 'createToolDispatcher' },
      legacy: ['src/legacy.ts', { module: 'src/removed.ts', deleted: true }],
      role: ['*ToolDispatcher'],
      allow: ['src/legacy.ts'],
      budget: { max: 10 },
    },
  ],
};
const project = {
  'ssot.config.json': config,
  'src/ssot.ts': ssot,
  'src/legacy.ts': legacy,
  'src/orders.ts': "import { LegacyDispatcher } from './legacy';\nimport { helper } from './legacy';\nexport const d = [LegacyDispatcher, helper];\n",
  'src/billing.ts': "import * as legacy from './legacy';\nexport const b = legacy;\n",
  'src/clean.ts': "import { createToolDispatcher } from './ssot';\nexport const c = createToolDispatcher();\n",
};

function json(args: string[], cwd: string) {
  const r = runCli([...args, '--format', 'json'], cwd);
  return { code: r.code, report: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

const entries = (root: string) => JSON.parse(readFileSync(path.join(root, '.ssot-baseline.json'), 'utf8')).entries as { file: string }[];

describe('ssot baseline / ssot check (real git repositories)', () => {
  it('writes a sorted baseline, one entry per line, and passes on the same tree', () => {
    const { root } = gitRepo(project);
    expect(runCli(['baseline', '.'], root).stdout).toBe('.ssot-baseline.json: 3 entries (3 added, 0 removed)\n');
    const text = readFileSync(path.join(root, '.ssot-baseline.json'), 'utf8');
    const lines = text.split('\n').filter((l) => l.startsWith('    {'));
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l.replace(/,$/, '')).file)).toEqual(['src/billing.ts', 'src/orders.ts', 'src/orders.ts']);
    expect(text).not.toMatch(/"line"/);
    const r = runCli(['check', '.'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 known violations ignored (already in .ssot-baseline.json).');
  });

  it('(a) passes after lines are inserted above, the file is reformatted and the import moves', () => {
    const { root } = gitRepo(project);
    runCli(['baseline', '.'], root);
    writeFileSync(path.join(root, 'src/orders.ts'), "// header\n\nexport const first = 1;\nimport {\n  helper,\n} from './legacy';\nimport { LegacyDispatcher } from \"./legacy\"\nexport const d = [LegacyDispatcher, helper]\n");
    const r = json(['check', '.'], root);
    expect(r.code).toBe(0);
    expect(r.report.summary).toMatchObject({ new: 0, baselined: 3, fixed: 0 });
  });

  it('(b) fails on one new legacy import with exactly that finding', () => {
    const { root } = gitRepo(project);
    runCli(['baseline', '.'], root);
    writeFileSync(path.join(root, 'src/shipping.ts'), "import { LegacyDispatcher } from './legacy';\nexport const s = LegacyDispatcher;\n");
    const r = json(['check', '.'], root);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['legacy-import src/shipping.ts:1']);
    expect(r.report.summary).toMatchObject({ new: 1, baselined: 3, fixed: 0 });
  });

  it('(c) passes when a violation is fixed, says how to tighten, and --prune shrinks the file', () => {
    const { root } = gitRepo(project);
    runCli(['baseline', '.'], root);
    writeFileSync(path.join(root, 'src/billing.ts'), "import { createToolDispatcher } from './ssot';\nexport const b = createToolDispatcher;\n");
    const r = runCli(['check', '.'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 baseline entry no longer occurs: run `ssot baseline --prune` to tighten the baseline.');
    expect(runCli(['check', '.', '--strict'], root).code).toBe(1);
    expect(runCli(['baseline', '.', '--prune'], root).stdout).toBe('.ssot-baseline.json: 2 entries (0 added, 1 removed)\n');
    expect(entries(root)).toHaveLength(2);
    expect(runCli(['check', '.', '--strict'], root).code).toBe(0);
  });

  it('--prune never adds new findings', () => {
    const { root } = gitRepo(project);
    runCli(['baseline', '.'], root);
    writeFileSync(path.join(root, 'src/shipping.ts'), "import { helper } from './legacy';\nexport const s = helper;\n");
    expect(runCli(['baseline', '.', '--prune'], root).stdout).toBe('.ssot-baseline.json: 3 entries (0 added, 0 removed)\n');
    expect(runCli(['check', '.'], root).code).toBe(1);
  });

  it('(d) passes after `git mv` of a file with violations, and --prune follows the rename', () => {
    const { root, git } = gitRepo(project);
    runCli(['baseline', '.'], root);
    git('mv', 'src/orders.ts', 'src/order-service.ts');
    const r = json(['check', '.'], root);
    expect(r.code).toBe(0);
    expect(r.report.summary).toMatchObject({ new: 0, baselined: 3, fixed: 0 });
    runCli(['baseline', '.', '--prune'], root);
    expect(entries(root).map((e) => e.file)).toEqual(['src/billing.ts', 'src/order-service.ts', 'src/order-service.ts']);
  });

  it('(d2) fails when, in one file, one violation is fixed and another of the same rule added', () => {
    const { root } = gitRepo(project);
    runCli(['baseline', '.'], root);
    writeFileSync(path.join(root, 'src/orders.ts'), "import { LegacyDispatcher } from './legacy';\nimport type { LegacyDispatcher as T } from './legacy';\nexport const d: T = new LegacyDispatcher();\n");
    const r = json(['check', '.'], root);
    expect(r.code).toBe(1);
    expect(r.report.summary).toMatchObject({ new: 1, baselined: 2, fixed: 1 });
    expect(r.report.findings[0]).toMatchObject({ ruleId: 'legacy-import', file: 'src/orders.ts', line: 2 });
  });

  it('(e) --since HEAD~1 sees only what the last commit added, from git objects, work tree untouched', () => {
    const { root, commit, git } = gitRepo(project);
    writeFileSync(path.join(root, 'src/shipping.ts'), "import { LegacyDispatcher } from './legacy';\nexport const s = LegacyDispatcher;\n");
    commit('add shipping');
    const status = git('status', '--porcelain');
    const r = json(['check', '.', '--since', 'HEAD~1'], root);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: { file: string }) => f.file)).toEqual(['src/shipping.ts']);
    expect(r.report.summary).toMatchObject({ new: 1, baselined: 3 });
    expect(git('status', '--porcelain')).toBe(status);
    expect(json(['check', '.', '--since', 'HEAD'], root).code).toBe(0);
  });

  it('(e) --since works in a shallow clone once the ref is fetched', () => {
    const upstream = gitRepo(project);
    writeFileSync(path.join(upstream.root, 'src/shipping.ts'), "import { LegacyDispatcher } from './legacy';\nexport const s = LegacyDispatcher;\n");
    upstream.commit('add shipping');
    const clone = tempProject({});
    execFileSync('git', ['clone', '-q', '--depth=1', `file://${upstream.root}`, clone]);
    const missing = runCli(['check', '.', '--since', 'HEAD~1'], clone);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('git ref "HEAD~1" not found');
    execFileSync('git', ['fetch', '-q', '--depth=2', 'origin'], { cwd: clone });
    const r = json(['check', '.', '--since', 'HEAD~1'], clone);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: { file: string }) => f.file)).toEqual(['src/shipping.ts']);
  });

  it('(e) --since a missing ref is a clear error', () => {
    const { root } = gitRepo(project);
    const r = runCli(['check', '.', '--since', 'origin/nope'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('git ref "origin/nope" not found');
    expect(r.stderr).toContain('git fetch --depth=1 origin nope');
  });

  it.each([
    ['not JSON', '{ "version": 1, "entries": [ ', 'corrupt baseline, not valid JSON'],
    ['wrong version', '{ "version": 9, "entries": [] }', 'corrupt baseline: expected { "version": 1'],
    ['hand-edited entry without a fingerprint', '{ "version": 1, "entries": [ { "ruleId": "legacy-import", "file": "src/a.ts" } ] }', 'corrupt baseline: entry 0 has no "fingerprint"'],
  ])('(f) a corrupt baseline (%s) exits 2 with the reason and is left untouched', (_, content, message) => {
    const { root } = gitRepo(project);
    writeFileSync(path.join(root, '.ssot-baseline.json'), content);
    const r = runCli(['check', '.'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readFileSync(path.join(root, '.ssot-baseline.json'), 'utf8')).toBe(content);
    expect(runCli(['baseline', '.', '--prune'], root).code).toBe(2);
    expect(readFileSync(path.join(root, '.ssot-baseline.json'), 'utf8')).toBe(content);
  });

  it('without a baseline, check says how to make one', () => {
    const { root } = gitRepo(project);
    const r = runCli(['check', '.'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no baseline');
    expect(r.stderr).toContain('ssot baseline');
  });

  it('never baselines imports of a deleted legacy module, and enforces budgets', () => {
    const { root } = gitRepo({ ...project, 'src/gone.ts': "import { x } from './removed';\nexport const g = x;\n" });
    runCli(['baseline', '.'], root);
    const r = json(['check', '.'], root);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: { file: string }) => f.file)).toEqual(['src/gone.ts']);
    expect(r.report.notes).toContain('1 known violation of never-baselined rules or deleted modules still fail.');
    rmSync(path.join(root, 'src/gone.ts'));
    writeFileSync(path.join(root, 'ssot.config.json'), JSON.stringify({ ...config, groups: [{ ...config.groups[0], budget: { max: 2 } }] }));
    const over = json(['check', '.'], root);
    expect(over.code).toBe(1);
    expect(over.report.budgets).toEqual([{ group: 'dispatcher', count: 3, max: 2, over: true }]);
  });

  it('Done when: on a git repo made from fixtures/legacy-app', () => {
    const { root, commit } = gitRepo({});
    cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
    commit('the fixture');
    expect(runCli(['baseline', '.'], root).code).toBe(0);
    expect(runCli(['check', '.'], root).code).toBe(0);
    for (const rel of ['src/tools/unified-tool-dispatcher.ts', 'src/agents/research-agent.ts', 'src/compat/dispatchers.ts', 'src/factories/agent-instance-factory.ts']) {
      const file = path.join(root, rel);
      writeFileSync(file, `// inserted\n// lines\n${readFileSync(file, 'utf8')}`);
    }
    expect(runCli(['check', '.'], root).code).toBe(0);
    const added = path.join(root, 'src/services/new-legacy-consumer.ts');
    writeFileSync(added, "import { ToolDispatcher } from '../tools/tool-dispatcher';\nexport const again = ToolDispatcher;\n");
    const r = json(['check', '.'], root);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['legacy-import']);
    rmSync(added);
    expect(runCli(['check', '.'], root).code).toBe(0);
    expect(existsSync(path.join(root, '.ssot-cache', '.gitignore'))).toBe(true);
  });
});
