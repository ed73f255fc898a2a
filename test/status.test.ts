import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli } from './helpers/run-cli.js';

type Status = { groups: { group: string; phase: string; onLegacy: number; legacyModules: number; facades: number; factoryBypasses: number }[]; history?: { groups: { group: string; onLegacy: number }[] }[] };

function status(root: string, ...args: string[]): Status {
  const r = runCli(['status', '.', '--json', '--no-cache', ...args], root);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Status;
}

describe('ssot status (real git repository)', () => {
  it('shows migration progress per group, and the burndown over the last commits', () => {
    const { root, commit } = gitRepo({});
    cpSync(path.resolve('fixtures/legacy-app'), root, { recursive: true });
    commit('the fixture');
    const before = status(root).groups.find((g) => g.group === 'tool-dispatcher')!;
    expect(before).toMatchObject({ phase: 'factories', onLegacy: 36, legacyModules: 4, facades: 0, factoryBypasses: 11 });

    // A consumer moves to the SSOT; a legacy module becomes a facade that only forwards to it.
    const consumer = path.join(root, 'src/agents/code-review-agent.ts');
    writeFileSync(consumer, readFileSync(consumer, 'utf8').replace("from '../tools/tool-dispatcher'", "from '../tools/request-scoped-tool-dispatcher'"));
    writeFileSync(
      path.join(root, 'src/tools/tool-executor-factory.ts'),
      "import { createToolDispatcher } from './request-scoped-tool-dispatcher';\n\n/** @deprecated use createToolDispatcher */\nexport const ToolExecutorFactory = { createDispatcher: createToolDispatcher };\n",
    );
    commit('migrate one consumer, facade one module');
    const after = status(root, '--history', '2');
    expect(after.groups.find((g) => g.group === 'tool-dispatcher')).toMatchObject({ onLegacy: 35, legacyModules: 3, facades: 1 });
    expect(after.history!.map((h) => h.groups.find((g) => g.group === 'tool-dispatcher')!.onLegacy)).toEqual([36, 35]);

    const htmlFile = path.join(root, 'report.html');
    expect(runCli(['scan', '.', '--format', 'html', '--output', htmlFile, '--history', '2', '--no-cache', '--quiet'], root).code).toBe(1);
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toContain('<h2>Migration status</h2>');
    expect(html).toContain('data-testid="burndown"');
    expect(html.match(/<polyline /g)).toHaveLength(2);

    const text = runCli(['status', '.', '--no-cache'], root).stdout;
    expect(text).toMatch(/^group\s+phase\s+on SSOT\s+on legacy/);
    expect(text).toMatch(/tool-dispatcher\s+factories\s+\d+\s+35\s/);
  });
});
