import type { Analysis } from '../analyze/analyze.js';
import { minimumCut, shortestCycle, stronglyConnected, type Adjacency, type CutMethod, type Edge } from '../analyze/graph-algorithms.js';
import type { ResolvedRef } from '../scan/scan-project.js';
import { defineRule, type FindingDraft } from './define-rule.js';

export interface Options {
  /** Also report cycles that close only through `import type` or dynamic `import()` (as info). */
  reportTypeOnly: boolean;
}
type MessageId = 'runtimeCycle' | 'typeOnlyCycle' | 'dynamicCycle';
type EdgeKind = 'runtime' | 'type' | 'dynamic';
/** Edges by `from * fileCount + to`, with their kind (the strongest of their references) and references. */
type EdgeMap = Map<number, { kind: EdgeKind; refs: ResolvedRef[] }>;

/** Cut edges listed in the message; the rest are counted. */
const CUT_LISTED = 10;
const APPROXIMATE: Record<Exclude<CutMethod, 'exact'>, string> = {
  greedy: 'a greedy cut of the imports closing most shortest cycles',
  'eades-lin-smyth': 'the imports pointing backwards in an Eades–Lin–Smyth greedy order',
};

const RUNTIME_KINDS = new Set(['import', 'side-effect', 'export-from', 'export-star', 'export-star-as', 'require', 'import-equals']);

export default defineRule<Options, MessageId>({
  id: 'import-cycle',
  meta: {
    description: 'Modules that import each other: each strongly connected component once, with a concrete path and the fewest imports to cut.',
    severity: 'error',
    messages: {
      runtimeCycle: 'Import cycle of {{size}} modules: {{path}}. Cut {{cut}}.',
      typeOnlyCycle: 'Type-only import cycle of {{size}} modules (erased at run time): {{path}}.',
      dynamicCycle: 'Import cycle of {{size}} modules that closes only through dynamic import(): {{path}}.',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { reportTypeOnly: { type: 'boolean', description: 'Also report type-only and dynamic cycles, as info.' } },
    },
    requiresTypeInfo: false,
    reads: {
      // The module graph; whether an edge on a cycle could be `import type` (the model's declarations by name, type-only uses).
      facts: { refs: ['module-graph'], typeOnlyUses: ['module-graph'], exports: ['by-name'], starExports: ['by-name'], decls: ['by-name'] },
      declFields: { name: 'always', kind: 'always', init: 'always' },
    },
  },
  defaultOptions: { reportTypeOnly: true },
  run({ analysis, options }) {
    const files = [...analysis.project.files.keys()].sort();
    const id = new Map(files.map((f, i) => [f, i]));
    const n = files.length;
    const edgeRefs: EdgeMap = new Map();
    const runtimeAdj: Adjacency = files.map(() => []);
    const allAdj: Adjacency = files.map(() => []);
    files.forEach((from, a) => {
      for (const r of analysis.project.refs.get(from) ?? []) {
        const b = r.target === undefined ? undefined : id.get(r.target);
        if (b === undefined) continue;
        const kind = edgeKind(r);
        if (!kind) continue;
        const key = a * n + b;
        const existing = edgeRefs.get(key);
        if (existing) {
          existing.refs.push(r);
          if (kind === 'runtime' || (kind === 'dynamic' && existing.kind === 'type')) existing.kind = kind;
        } else {
          edgeRefs.set(key, { kind, refs: [r] });
          allAdj[a]!.push(b);
        }
      }
    });
    for (const [key, e] of edgeRefs) if (e.kind === 'runtime') runtimeAdj[Math.floor(key / n)]!.push(key % n);
    const findings: FindingDraft<MessageId>[] = [];
    const inRuntimeCycle = new Set<number>();
    for (const comp of stronglyConnected(runtimeAdj)) {
      comp.forEach((v) => inRuntimeCycle.add(v));
      findings.push(cycleFinding(comp, runtimeAdj, 'runtimeCycle', files, edgeRefs, analysis));
    }
    if (options.reportTypeOnly) {
      for (const comp of stronglyConnected(allAdj)) {
        if (comp.some((v) => inRuntimeCycle.has(v))) continue;
        const members = new Set(comp);
        const start = firstNode(comp);
        const path = shortestCycle(allAdj, start, members);
        const dynamic = path.some((v, i) => edgeRefs.get(v * n + path[(i + 1) % path.length]!)?.kind === 'dynamic');
        findings.push({ ...cycleFinding(comp, allAdj, dynamic ? 'dynamicCycle' : 'typeOnlyCycle', files, edgeRefs, analysis), severity: 'info' });
      }
    }
    return findings;
  },
});

/** The smallest node id (`Math.min(...comp)` overflows the stack past about 100,000 arguments). */
function firstNode(comp: number[]): number {
  let min = comp[0]!;
  for (const v of comp) if (v < min) min = v;
  return min;
}

function edgeKind(r: ResolvedRef): EdgeKind | undefined {
  if (r.ref.kind === 'dynamic-import') return 'dynamic';
  if (r.ref.kind === 'typeof-import' || r.ref.kind === 'jsdoc-import') return 'type';
  if (!RUNTIME_KINDS.has(r.ref.kind)) return undefined;
  return r.ref.typeOnly ? 'type' : 'runtime';
}

function cycleFinding(
  comp: number[],
  adj: Adjacency,
  messageId: MessageId,
  files: string[],
  edgeRefs: EdgeMap,
  analysis: Analysis,
): FindingDraft<MessageId> {
  const n = files.length;
  const members = new Set(comp);
  const start = firstNode(comp); // files are sorted, so this is the first by path: deterministic
  const path = shortestCycle(adj, start, members);
  const step = (i: number): { from: string; to: string; ref: ResolvedRef } => {
    const a = path[i]!;
    const b = path[(i + 1) % path.length]!;
    const edge = edgeRefs.get(a * n + b)!;
    // The reference that gives the edge its kind: on a runtime edge, not an `import type` of the same module above it.
    return { from: files[a]!, to: files[b]!, ref: edge.refs.find((r) => edgeKind(r) === edge.kind) ?? edge.refs[0]! };
  };
  const first = step(0);
  const data: Record<string, string | number> = {
    size: comp.length,
    path: [...path.map((v) => files[v]!), files[path[0]!]!].join(' → '),
  };
  if (messageId === 'runtimeCycle') {
    const edges: Edge[] = [];
    for (const a of comp) for (const b of adj[a]!) if (members.has(b)) edges.push([a, b]);
    const typeUses = new Map<string, Set<string>>();
    const typeUsesOf = (file: string): Set<string> => {
      let uses = typeUses.get(file);
      if (!uses) typeUses.set(file, (uses = new Set(analysis.project.files.get(file)?.facts.typeOnlyUses ?? [])));
      return uses;
    };
    const typeableEdges = edges.map(([a, b]) => couldBeTypeOnly(edgeRefs.get(a * n + b)!.refs, analysis, typeUsesOf));
    const typeable = (i: number): boolean => typeableEdges[i]!;
    const cut = minimumCut(comp, edges, typeable);
    // The ordering's cut can run to thousands of imports: the easiest first, by path, and a count.
    const listed = cut.method === 'eades-lin-smyth' ? [...cut.edges].sort((i, j) => Number(typeable(j)) - Number(typeable(i)) || edges[i]![0] - edges[j]![0] || edges[i]![1] - edges[j]![1]) : cut.edges;
    const shown = listed
      .slice(0, CUT_LISTED)
      .map((i) => `${files[edges[i]![0]]!} → ${files[edges[i]![1]]!}${typeable(i) ? ' (only types are imported: make it `import type`)' : ''}`);
    if (listed.length > CUT_LISTED) shown.push(`and ${listed.length - CUT_LISTED} more`);
    data.cut = shown.join('; ') + (cut.method === 'exact' ? '' : ` (approximate: ${APPROXIMATE[cut.method]}, not proven the fewest)`);
    data.cutSize = cut.edges.length;
    data.cutMethod = cut.method;
  }
  return {
    messageId,
    data,
    file: first.from,
    loc: first.ref.ref.loc,
    key: comp.map((v) => files[v]!).sort().join(','),
    related: path.map((_, i) => {
      const s = step(i);
      return { file: s.from, line: s.ref.ref.loc.line, column: s.ref.ref.loc.column, message: `imports ${s.to}` };
    }),
  };
}

/**
 * A runtime edge could be `import type` when every runtime reference of it imports only interfaces and type
 * aliases (or names used only as types); its references that are already type-only are erased and do not count.
 */
function couldBeTypeOnly(refs: ResolvedRef[], analysis: Analysis, typeUsesOf: (file: string) => Set<string>): boolean {
  return refs.filter((r) => edgeKind(r) === 'runtime').every((r) => {
    if (r.ref.kind !== 'import' && r.ref.kind !== 'export-from') return false;
    const named = r.ref.names.filter((n) => !n.typeOnly);
    if (named.length === 0 || named.some((n) => n.imported === '*')) return false;
    const typeUsesOnly = typeUsesOf(r.from);
    return named.every((n) => {
      if (r.ref.kind === 'import' && typeUsesOnly.has(n.local)) return true;
      const t = analysis.model.resolveExport(r.target!, n.imported);
      return !!t && !t.namespace && (t.decl.kind === 'interface' || t.decl.kind === 'type');
    });
  });
}
