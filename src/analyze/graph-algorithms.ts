import { eadesLinSmythCut } from './eades-lin-smyth-cut.js';

/** A directed graph as adjacency lists over node ids 0..n-1. */
export type Adjacency = number[][];

/**
 * Tarjan's strongly connected components in O(V + E), iterative (typed-array stacks of node and next
 * edge), so deep graphs cannot overflow the call stack. Components of one node count only with a self-loop.
 */
export function stronglyConnected(adj: Adjacency): number[][] {
  const n = adj.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const workNode = new Int32Array(n);
  const workEdge = new Int32Array(n);
  const out: number[][] = [];
  let counter = 0;
  for (let start = 0; start < n; start++) {
    if (index[start] !== -1) continue;
    let depth = 0;
    workNode[0] = start;
    workEdge[0] = 0;
    index[start] = low[start] = counter++;
    stack[sp++] = start;
    onStack[start] = 1;
    while (depth >= 0) {
      const v = workNode[depth]!;
      const next = adj[v]!;
      const i = workEdge[depth]!;
      if (i < next.length) {
        workEdge[depth] = i + 1;
        const w = next[i]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          workNode[depth] = w;
          workEdge[depth] = 0;
        } else if (onStack[w] && index[w]! < low[v]!) low[v] = index[w]!;
        continue;
      }
      depth--;
      if (depth >= 0) {
        const parent = workNode[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack[--sp]!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || next.includes(v)) out.push(comp);
      }
    }
  }
  return out;
}

/** The shortest cycle through `start` within `nodes` (BFS), as a node list starting at `start`. */
export function shortestCycle(adj: Adjacency, start: number, nodes: Set<number>): number[] {
  const prev = new Map<number, number>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of adj[v]!) {
      if (!nodes.has(w)) continue;
      if (w === start) {
        const path = [v];
        for (let x = v; x !== start; ) path.push((x = prev.get(x)!));
        return path.reverse();
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

export type Edge = [number, number];

/** A component's edges over local node ids 0..n-1, with reusable buffers for acyclicity checks. */
class LocalGraph {
  readonly n: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  private readonly indeg: Int32Array;
  private readonly queue: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outEdges: Int32Array;

  constructor(nodes: number[], edges: Edge[]) {
    const local = new Map(nodes.map((v, i) => [v, i]));
    this.n = nodes.length;
    this.from = Int32Array.from(edges, ([a]) => local.get(a)!);
    this.to = Int32Array.from(edges, ([, b]) => local.get(b)!);
    this.indeg = new Int32Array(this.n);
    this.queue = new Int32Array(this.n);
    // CSR adjacency: edge ids grouped by source node.
    this.outStart = new Int32Array(this.n + 1);
    for (const a of this.from) this.outStart[a + 1]!++;
    for (let i = 0; i < this.n; i++) this.outStart[i + 1]! += this.outStart[i]!;
    this.outEdges = new Int32Array(edges.length);
    const fill = this.outStart.slice(0, this.n);
    this.from.forEach((a, i) => (this.outEdges[fill[a]!++] = i));
  }

  /** Kahn's algorithm without the removed edges: a cycle is left iff some node is never freed. */
  hasCycle(removed: Uint8Array): boolean {
    const { n, indeg, queue, to, outStart, outEdges } = this;
    indeg.fill(0);
    for (let i = 0; i < to.length; i++) if (!removed[i]) indeg[to[i]!]!++;
    let head = 0;
    let tail = 0;
    for (let v = 0; v < n; v++) if (indeg[v] === 0) queue[tail++] = v;
    while (head < tail) {
      const v = queue[head++]!;
      for (let k = outStart[v]!; k < outStart[v + 1]!; k++) {
        const e = outEdges[k]!;
        if (removed[e]) continue;
        if (--indeg[to[e]!]! === 0) queue[tail++] = to[e]!;
      }
    }
    return tail < n;
  }
}

/** How a cut was found: exact (a minimum), or by one of two greedy heuristics (not proven minimum). */
export type CutMethod = 'exact' | 'greedy' | 'eades-lin-smyth';

/** Edge visits the shortest-cycle greedy may take before the linear-time ordering replaces it. */
const GREEDY_WORK = 4_000_000;

/** Edge visits of one greedy round: a cycle check and up to 24 breadth-first searches. */
const greedyRound = (n: number, m: number): number => (Math.ceil(n / Math.max(1, Math.floor(n / 24))) + 2) * (n + m);

/**
 * A smallest set of edges whose removal makes the component acyclic (minimum feedback arc set):
 * exact by increasing subset size (up to 3 edges, while the number of subsets stays small), edges with
 * `preferred` first. For larger cases (the problem is NP-hard), a greedy cut that repeatedly removes
 * the edge closing most shortest cycles, while that costs at most GREEDY_WORK edge visits; beyond,
 * (issue 16, item 12: 3,000 modules in one component took 16 s here) the Eades–Lin–Smyth ordering,
 * made minimal by inclusion within `orderingBudget` edge visits (see eades-lin-smyth-cut.ts).
 */
export function minimumCut(
  nodes: number[],
  edges: Edge[],
  preferred: (i: number) => boolean,
  orderingBudget = 50 * (nodes.length + edges.length) + 1_000_000,
): { edges: number[]; method: CutMethod } {
  const g = new LocalGraph(nodes, edges);
  const removed = new Uint8Array(edges.length);
  const order = edges.map((_, i) => i).sort((a, b) => Number(preferred(b)) - Number(preferred(a)));
  const m = order.length;
  // Subsets tried, each an O(V + E) check: at least 500 up to 2,000 nodes and edges, at most 10^6 visits beyond.
  const size = Math.max(1, nodes.length + edges.length);
  const budget = Math.floor(Math.max(500 * Math.min(size, 2000), 1_000_000) / size);
  let tried = 0;
  for (let k = 1; k <= 3 && k <= m; k++) {
    const idx = Array.from({ length: k }, (_, i) => i);
    for (;;) {
      if (++tried > budget) break;
      for (const i of idx) removed[order[i]!] = 1;
      const acyclic = !g.hasCycle(removed);
      for (const i of idx) removed[order[i]!] = 0;
      if (acyclic) return { edges: idx.map((i) => order[i]!), method: 'exact' };
      // next combination in lexicographic order
      let j = k - 1;
      while (j >= 0 && idx[j] === m - k + j) j--;
      if (j < 0) break;
      idx[j]!++;
      for (let t = j + 1; t < k; t++) idx[t] = idx[t - 1]! + 1;
    }
    if (tried > budget) break;
  }
  // The ordering's cut size estimates how many rounds the greedy would take (one edge each).
  const ordering = canonicalOrderingCut(nodes, edges, preferred, orderingBudget);
  if (ordering.edges.length * greedyRound(g.n, m) <= GREEDY_WORK) {
    const greedy = shortestCycleGreedy(g, edges, preferred, removed);
    if (greedy) return { edges: greedy, method: 'greedy' };
  }
  return { edges: ordering.edges, method: 'eades-lin-smyth' };
}


/**
 * The ordering's cut with nodes numbered by id and edges sorted by their ends, so that its ties are
 * broken the same way whatever order the component's nodes came in (Tarjan's depends on where the
 * search entered it, i.e. on edges outside it; src/incremental.ts's early cutoff assumes that the
 * same component with the same edges gives the same finding).
 */
function canonicalOrderingCut(nodes: number[], edges: Edge[], preferred: (i: number) => boolean, budget: number): { edges: number[] } {
  const sorted = Int32Array.from(nodes).sort();
  const rank = new Int32Array(sorted[sorted.length - 1]! + 1);
  sorted.forEach((v, i) => (rank[v] = i));
  // Edges by (rank of source, rank of target): a counting sort by source, then each node's few targets.
  const start = new Int32Array(nodes.length + 1);
  for (const [a] of edges) start[rank[a]! + 1]!++;
  for (let i = 0; i < nodes.length; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, nodes.length);
  const perm = new Int32Array(edges.length);
  edges.forEach(([a], i) => (perm[fill[rank[a]!]!++] = i));
  for (let v = 0; v < nodes.length; v++) perm.subarray(start[v]!, start[v + 1]!).sort((i, j) => rank[edges[i]![1]]! - rank[edges[j]![1]]!);
  const from = Int32Array.from(perm, (i) => rank[edges[i]![0]]!);
  const to = Int32Array.from(perm, (i) => rank[edges[i]![1]]!);
  const cut = eadesLinSmythCut(nodes.length, from, to, (k) => (preferred(perm[k]!) ? 1 : 2), budget);
  return { edges: cut.edges.map((k) => perm[k]!) };
}

/**
 * Count, over a shortest cycle through each of up to 24 spread-out nodes, how often each edge closes
 * one, and remove the most frequent, until no cycle is left; undefined past twice GREEDY_WORK (the
 * ordering's estimate was too low).
 */
function shortestCycleGreedy(g: LocalGraph, edges: Edge[], preferred: (i: number) => boolean, removed: Uint8Array): number[] | undefined {
  const cut: number[] = [];
  const step = Math.max(1, Math.floor(g.n / 24));
  let work = 0;
  while (g.hasCycle(removed)) {
    work += greedyRound(g.n, edges.length);
    if (work > 2 * GREEDY_WORK) return undefined;
    const adj: number[][] = Array.from({ length: g.n }, () => []);
    const edgeAt = new Map<number, number>();
    for (let i = 0; i < edges.length; i++) {
      if (removed[i]) continue;
      adj[g.from[i]!]!.push(g.to[i]!);
      edgeAt.set(g.from[i]! * g.n + g.to[i]!, i);
    }
    const counts = new Map<number, number>();
    const all = new Set(adj.keys());
    for (let v = 0; v < g.n; v += step) {
      const cycle = shortestCycle(adj, v, all);
      if (cycle.length < 2 && !adj[v]!.includes(v)) continue;
      for (let j = 0; j < cycle.length; j++) {
        const id = edgeAt.get(cycle[j]! * g.n + cycle[(j + 1) % cycle.length]!);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + (preferred(id) ? 2 : 1));
      }
    }
    const best = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    if (!best) break;
    removed[best[0]] = 1;
    cut.push(best[0]);
  }
  return cut;
}
