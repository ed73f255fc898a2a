import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scan, type ScanResult } from '../../src/index.js';
import { quoteDot } from '../../src/report/dot.js';
import { getReporter } from '../../src/report/index.js';
import { escapeMermaid, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT } from '../../src/report/mermaid.js';
import { resultGraph } from '../../src/report/result-graph.js';

let result: ScanResult;
beforeAll(async () => {
  result = await scan({ root: path.resolve('fixtures/legacy-app'), cache: false });
});

const opts = { color: false };
/** Output with the machine-specific root replaced (the graph formats print none today; this keeps snapshots portable). */
const normalize = (out: string): string => out.split(result.root).join('<root>');
const hasDot = spawnSync('dot', ['-V']).status === 0;
const implId = (group: string, file: string, name: string): string => `impl:${group}:${file}#${name}`;
const unified = implId('tool-dispatcher', 'src/tools/unified-tool-dispatcher.ts', 'UnifiedToolDispatcher');
const requestScoped = implId('tool-dispatcher', 'src/tools/request-scoped-tool-dispatcher.ts', 'RequestScopedToolDispatcher');

/** A minimal result with one group, for the cap and the escaping of awkward names. */
function syntheticResult(groupName: string, implName: string, consumers: string[]): ScanResult {
  const impl = { name: implName, file: 'src/a.ts', line: 1, column: 1, kind: 'class' as const, ssot: true, evidence: [], methods: [], moduleConsumers: consumers.length, consumers: consumers.map((file) => ({ file, relations: ['import' as const] })) };
  return {
    version: 1,
    tool: { name: 'ssot-kit', version: '0.0.0' },
    root: '/project',
    findings: [],
    groups: [{ name: groupName, discovered: false, ssot: { file: 'src/a.ts', export: implName }, implementations: [impl], legacy: [] }],
    coverage: { files: 1, parsed: 1, cached: 0, failed: 0, skipped: [] },
    summary: { errors: 0, warnings: 0, infos: 0, byRule: {} },
    durationMs: 0,
  };
}

describe('resultGraph', () => {
  it('has the SSOT, the competing implementations with their consumers, legacy modules and the factories cycle', () => {
    const { nodes, edges } = resultGraph(result);
    expect(nodes.find((n) => n.id === requestScoped)).toEqual({ id: requestScoped, label: 'RequestScopedToolDispatcher', kind: 'ssot', group: 'tool-dispatcher', file: 'src/tools/request-scoped-tool-dispatcher.ts' });
    expect(nodes.find((n) => n.id === unified)).toMatchObject({ label: 'UnifiedToolDispatcher', kind: 'implementation' });
    expect(nodes.find((n) => n.id === 'file:src/agents/research-agent.ts')).toMatchObject({ kind: 'consumer', file: 'src/agents/research-agent.ts' });
    expect(edges).toContainEqual({ from: 'file:src/agents/research-agent.ts', to: unified, kind: 'consumes', label: 'construct, import' });
    expect(edges).toContainEqual({ from: unified, to: requestScoped, kind: 'implements' });
    expect(edges).toContainEqual({ from: 'file:src/services/tool-catalog-service.ts', to: 'legacy:tool-dispatcher:src/tools/tool-dispatcher.ts', kind: 'legacy-import' });
    expect(nodes.find((n) => n.id === 'legacy:tool-dispatcher:src/legacy/dispatch')).toMatchObject({ kind: 'legacy-module', file: 'src/legacy/dispatch' });
    const cycles = edges.filter((e) => e.kind === 'cycle');
    expect(cycles).toEqual([
      { from: 'file:src/agents/agent-definition.ts', to: 'file:src/agents/agent-registry.ts', kind: 'cycle', label: 'type-only' },
      { from: 'file:src/agents/agent-registry.ts', to: 'file:src/agents/agent-definition.ts', kind: 'cycle', label: 'type-only' },
      { from: 'file:src/factories/agent-instance-factory.ts', to: 'file:src/factories/tool-dispatcher-factory.ts', kind: 'cycle' },
      { from: 'file:src/factories/tool-dispatcher-factory.ts', to: 'file:src/factories/agent-instance-factory.ts', kind: 'cycle' },
    ]);
    expect(nodes.find((n) => n.id === 'file:src/agents/agent-registry.ts')).toMatchObject({ kind: 'module' });
    expect(nodes.filter((n) => n.kind === 'ssot').map((n) => n.label).sort()).toEqual(['RequestScopedToolDispatcher', 'createToolDispatcher', 'createToolDispatcher']);
  });

  it('is sorted, deterministic and only references its own nodes', () => {
    const graph = resultGraph(result);
    expect(resultGraph(result)).toEqual(graph);
    const ids = graph.nodes.map((n) => n.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of graph.edges) expect([ids.includes(e.from), ids.includes(e.to)]).toEqual([true, true]);
    expect(graph.nodes).toHaveLength(81);
  });

  it('draws at most 200 consumers per group and summarises the rest on one node', () => {
    const files = Array.from({ length: 205 }, (_, i) => `src/consumer-${String(i).padStart(3, '0')}.ts`);
    const graph = resultGraph(syntheticResult('big', 'BigDispatcher', files));
    expect(graph.nodes.filter((n) => n.kind === 'consumer' && n.file)).toHaveLength(200);
    expect(graph.nodes.find((n) => n.id === 'more:big')).toEqual({ id: 'more:big', label: '5 more consumers', kind: 'consumer', group: 'big' });
    expect(graph.edges).toContainEqual({ from: 'more:big', to: 'impl:big:src/a.ts#BigDispatcher', kind: 'consumes' });
    expect(graph.nodes.some((n) => n.id === 'file:src/consumer-204.ts')).toBe(false);
  });

  it('honours a smaller cap on the fixture', () => {
    const graph = resultGraph(result, { maxConsumersPerGroup: 5 });
    const more = graph.nodes.filter((n) => n.id.startsWith('more:')).map((n) => n.label);
    const distinct = (name: string): number => {
      const g = result.groups.find((x) => x.name === name)!;
      return new Set([...g.implementations.flatMap((i) => i.consumers.map((c) => c.file)), ...g.legacy.flatMap((l) => l.consumers)]).size;
    };
    expect(more).toEqual([`${distinct('dispatcher-factory') - 5} more consumers`, `${distinct('tool-dispatcher') - 5} more consumers`]);
    expect(more).toEqual(['23 more consumers', '57 more consumers']);
  });
});

describe('escaping', () => {
  it('mermaid labels use entity codes for quotes, #, < and >, and <br> for newlines', () => {
    expect(escapeMermaid('say "hi" [x] {y}')).toBe('say #quot;hi#quot; [x] {y}');
    expect(escapeMermaid('a<b>#1\r\nnext\nlast')).toBe('a#lt;b#gt;#35;1<br>next<br>last');
  });

  it('dot strings escape quotes and backslashes and write newlines as \\n', () => {
    expect(quoteDot('plain')).toBe('"plain"');
    expect(quoteDot('a "b" [c] \\d')).toBe('"a \\"b\\" [c] \\\\d"');
    expect(quoteDot('one\r\ntwo\nthree')).toBe('"one\\ntwo\\nthree"');
  });

  it('renders awkward names as escaped labels in both formats', async () => {
    const awkward = syntheticResult('odd "group" [1]', 'Odd"Name', ['src/x [y].ts']);
    const mermaid = (await getReporter('mermaid'))(awkward, opts);
    expect(mermaid).toContain('subgraph g0["odd #quot;group#quot; [1]"]');
    expect(mermaid).toContain('[["Odd#quot;Name"]]:::ssot');
    expect(mermaid).toContain('("src/x [y].ts"):::consumer');
    const dot = (await getReporter('dot'))(awkward, opts);
    expect(dot).toContain('label="odd \\"group\\" [1]";');
    expect(dot).toContain('"impl:odd \\"group\\" [1]:src/a.ts#Odd\\"Name" [label="Odd\\"Name"');
  });
});

describe('mermaid and dot', () => {
  it('mermaid is a flowchart LR with one subgraph per group, styled by kind', async () => {
    const out = (await getReporter('mermaid'))(result, opts);
    expect(out.startsWith('flowchart LR\n')).toBe(true);
    expect(out).toContain('subgraph g1["tool-dispatcher"]');
    expect(out).toMatch(/n\d+\[\["RequestScopedToolDispatcher"\]\]:::ssot/);
    expect(out).toMatch(/n\d+ ==>\|"cycle"\| n\d+/);
    expect(normalize(out)).toMatchSnapshot();
  });

  it('dot is a digraph with one cluster per group', async () => {
    const out = (await getReporter('dot'))(result, opts);
    expect(out.startsWith('digraph ssot {\n')).toBe(true);
    expect(out).toContain('"file:src/agents/research-agent.ts" -> "impl:tool-dispatcher:src/tools/unified-tool-dispatcher.ts#UnifiedToolDispatcher" [label="construct, import"');
    expect(out).toContain('"file:src/factories/agent-instance-factory.ts" -> "file:src/factories/tool-dispatcher-factory.ts" [label="cycle"');
    expect(normalize(out)).toMatchSnapshot();
  });

  it.skipIf(!hasDot)('dot output parses with Graphviz (skipped when `dot` is not installed)', async () => {
    for (const input of [(await getReporter('dot'))(result, opts), (await getReporter('dot'))(syntheticResult('odd "group"\n[1]', 'Odd"Name\\', ['src/x [y].ts']), opts)]) {
      const run = spawnSync('dot', ['-Tcanon'], { input, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
  });
});

/** Issue 19, item 8: a result whose whole graph is far over Mermaid's default limits. */
function largeResult(groups: number, consumersPerGroup: number): ScanResult {
  const base = syntheticResult('g', 'G', []);
  return {
    ...base,
    groups: Array.from({ length: groups }, (_, g) => {
      const dir = `packages/package-${String(g).padStart(2, '0')}/src`;
      const files = Array.from({ length: consumersPerGroup }, (_, k) => `${dir}/features/area-${k % 5}/consumer-${k}.ts`);
      const impl = (name: string, ssot: boolean, i: number) => ({
        name, file: `${dir}/dispatch/${name}.ts`, line: 1, column: 1, kind: 'class' as const, ssot, evidence: [], methods: [], moduleConsumers: 0,
        consumers: files.filter((_, k) => k % 3 === i).map((file) => ({ file, relations: ['import' as const] })),
      });
      return {
        name: `group-${g}`, discovered: g % 2 === 1, ssot: { file: `${dir}/dispatch/Ssot${g}.ts`, export: `Ssot${g}` },
        implementations: [impl(`Ssot${g}`, true, 0), impl(`Old${g}`, false, 1), impl(`Unified${g}`, false, 2)],
        legacy: [{ module: `${dir}/dispatch/Old${g}.ts`, path: `${dir}/dispatch/Old${g}.ts`, deleted: false, consumers: files.filter((_, k) => k % 3 === 1) }],
      };
    }),
  };
}

describe('mermaid under its default limits', () => {
  it('draws a large result per folder, keeps the groups that fit and says what it left out in a comment', async () => {
    const large = largeResult(60, 40);
    const whole = resultGraph(large);
    expect(whole.nodes.length).toBeGreaterThan(2000);
    const out = (await getReporter('mermaid'))(large, opts);
    expect(out.length).toBeLessThanOrEqual(MERMAID_MAX_TEXT);
    const edges = out.split('\n').filter((l) => /^ {2}n\d+ (-->|-\.->|==>|-\.-)/.test(l));
    expect(edges.length).toBeLessThanOrEqual(MERMAID_MAX_EDGES);
    expect(out.startsWith('flowchart LR\n  %% Showing ')).toBe(true);
    const note = out.split('\n')[1]!;
    expect(note).toMatch(/consumers of large groups are counted per folder; left out: \d+ groups \(group-\d+, /);
    // Configured groups come first: every one left out is a discovered one (odd numbers).
    const kept = [...out.matchAll(/subgraph g\d+\["(group-\d+)"\]/g)].map((m) => m[1]!);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length + Number(/left out: (\d+) groups/.exec(note)![1])).toBe(60);
    const configured = (name: string): boolean => Number(name.slice('group-'.length)) % 2 === 0;
    if (kept.length < 30) expect(kept.filter((name) => !configured(name))).toEqual([]);
    else expect(kept.filter(configured)).toHaveLength(30);
    expect(out).toMatch(/\("packages\/package-\d+\/src\/features\/area-\d\/ \(\d+ files\)"\):::consumer/);
  });

  it('leaves a result within the limits as it is, with no comment', async () => {
    const out = (await getReporter('mermaid'))(result, opts);
    expect(out).not.toContain('%%');
    expect(out).toMatch(/n\d+\("src\/agents\/research-agent\.ts"\):::consumer/);
  });
});
