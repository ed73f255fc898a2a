// import-cycle on a large generated graph (issue 16, item 12): one big random component (fan-out 3)
// beside a few small rings. What is checked is the result, never the time it takes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs bench script without types
import { cycleModulePath, generateCycleCorpus, planCycles } from '../../bench/corpus-cycles.mjs';
import { minimumCut, stronglyConnected, type Edge } from '../../src/analyze/graph-algorithms.js';
import { scan } from '../../src/index.js';

const FILES = 2000;
const SEED = 7;
const SMALL_CYCLES = 4; // rings of 2, 3, 4 and 2 modules
const plan = planCycles({ files: FILES, seed: SEED, smallCycles: SMALL_CYCLES }) as { imports: number[][]; big: number };
const root = mkdtempSync(path.join(tmpdir(), 'ssot-large-cycle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Components of more than one node, by forward ∩ backward reachability (a reference slower than Tarjan's). */
function referenceComponents(adj: number[][]): number[][] {
  const reverse: number[][] = adj.map(() => []);
  adj.forEach((targets, a) => targets.forEach((b) => reverse[b]!.push(a)));
  const reach = (start: number, graph: number[][]): Set<number> => {
    const seen = new Set([start]);
    const queue = [start];
    for (let q = 0; q < queue.length; q++) for (const w of graph[queue[q]!]!) if (!seen.has(w)) (seen.add(w), queue.push(w));
    return seen;
  };
  const assigned = new Set<number>();
  const out: number[][] = [];
  for (let v = 0; v < adj.length; v++) {
    if (assigned.has(v)) continue;
    const back = reach(v, reverse);
    const comp = [...reach(v, adj)].filter((w) => back.has(w));
    comp.forEach((w) => assigned.add(w));
    if (comp.length > 1) out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

function isAcyclic(n: number, edges: Edge[]): boolean {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) adj[a]!.push(b);
  return stronglyConnected(adj).length === 0;
}

describe('import-cycle on 2,000 files: one random component of fan-out 3 and four small rings', () => {
  const expected = referenceComponents(plan.imports);

  it('reports each component once, at a real cycle through its first file, and says which cut is approximate', async () => {
    generateCycleCorpus(root, { files: FILES, seed: SEED, smallCycles: SMALL_CYCLES });
    // One thread: the workers load from dist/, which vitest does not build.
    const result = await scan({ root, cache: false, rules: ['import-cycle'], threads: 1 });
    const findings = result.findings.filter((f) => f.ruleId === 'import-cycle');
    expect(expected.map((c) => c.length).sort((a, b) => b - a).slice(1)).toEqual([4, 3, 2, 2]);
    expect(expected[0]!.length).toBeGreaterThan(1800);
    expect(findings).toHaveLength(expected.length);

    const idOf = new Map(plan.imports.map((_, i) => [cycleModulePath(i) as string, i]));
    for (const f of findings) {
      expect(f.messageId).toBe('runtimeCycle');
      const steps = f.related!.map((r) => idOf.get(r.file)!);
      const comp = expected.find((c) => c.includes(steps[0]!))!;
      expect(f.data.size).toBe(comp.length);
      // The path starts at the component's first file by path and every step is an import of the graph.
      const firstByPath = [...comp].sort((a, b) => (cycleModulePath(a) < cycleModulePath(b) ? -1 : 1))[0]!;
      expect(steps[0]).toBe(firstByPath);
      steps.forEach((v, i) => {
        const next = steps[(i + 1) % steps.length]!;
        expect(plan.imports[v]).toContain(next);
        expect(comp).toContain(v);
        expect(f.related![i]!.message).toBe(`imports ${cycleModulePath(next)}`);
      });
      expect(new Set(steps).size).toBe(steps.length);
      const approximate = comp.length > 4;
      expect(f.data.cutMethod).toBe(approximate ? 'eades-lin-smyth' : 'exact');
      expect(f.message.includes('(approximate:')).toBe(approximate);
      if (!approximate) expect(f.data.cutSize).toBe(1);
      else {
        expect(f.data.cutSize).toBeGreaterThan(10);
        expect(f.message).toContain(`and ${Number(f.data.cutSize) - 10} more`);
      }
    }
  }, 120_000);

  it('cuts the big component into an acyclic graph, and the cut is minimal by inclusion within the budget', () => {
    const comp = expected[0]!;
    const members = new Set(comp);
    const edges: Edge[] = comp.flatMap((a) => plan.imports[a]!.filter((b) => members.has(b)).map((b): Edge => [a, b]));
    const local = new Map(comp.map((v, i) => [v, i]));
    const localEdges = edges.map(([a, b]): Edge => [local.get(a)!, local.get(b)!]);
    const cut = minimumCut(comp, edges, () => false);
    expect(cut.method).toBe('eades-lin-smyth');
    const cutSet = new Set(cut.edges);
    const kept = localEdges.filter((_, i) => !cutSet.has(i));
    expect(isAcyclic(comp.length, kept)).toBe(true);
    // Minimal: putting back any one cut edge closes a cycle (checked on a spread-out sample of them).
    const step = Math.max(1, Math.floor(cut.edges.length / 20));
    for (let k = 0; k < cut.edges.length; k += step) expect(isAcyclic(comp.length, [...kept, localEdges[cut.edges[k]!]!])).toBe(false);
  });

  it('gives the same ordering cut whatever order the nodes and edges of the component come in', () => {
    const comp = expected[0]!;
    const members = new Set(comp);
    const edges: Edge[] = comp.flatMap((a) => plan.imports[a]!.filter((b) => members.has(b)).map((b): Edge => [a, b]));
    const pairs = (nodes: number[], list: Edge[]): string[] => minimumCut(nodes, list, (i) => (list[i]![0] + list[i]![1]) % 5 === 0).edges.map((i) => list[i]!.join('>')).sort();
    const shuffledEdges = [...edges].reverse();
    const shuffledNodes = [...comp.filter((_, i) => i % 2), ...comp.filter((_, i) => !(i % 2))];
    expect(pairs(shuffledNodes, shuffledEdges)).toEqual(pairs(comp, edges));
  });

  it('finds components on a 200,000-node path closed into a ring without deep recursion', () => {
    const n = 200_000;
    const ring = Array.from({ length: n }, (_, v) => [(v + 1) % n]);
    const comps = stronglyConnected(ring);
    expect(comps.map((c) => c.length)).toEqual([n]);
  });
});
