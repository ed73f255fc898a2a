/** A directed graph as adjacency lists over node ids 0..n-1. */
export type Adjacency = number[][];

/** Tarjan's strongly connected components (iterative, so deep graphs cannot overflow the stack). */
export function stronglyConnected(adj: Adjacency): number[][] {
  const n = adj.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (let start = 0; start < n; start++) {
    if (index[start] !== -1) continue;
    const work: [number, number][] = [[start, 0]];
    index[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const next = adj[v]!;
      if (i < next.length) {
        top[1]++;
        const w = next[i]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || adj[v]!.includes(v)) out.push(comp);
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

/** Whether the graph restricted to `edges` minus `removed` has a cycle. */
function hasCycle(nodes: number[], edges: Edge[], removed: Set<number>): boolean {
  const indeg = new Map<number, number>(nodes.map((v) => [v, 0]));
  const out = new Map<number, number[]>(nodes.map((v) => [v, []]));
  edges.forEach(([a, b], i) => {
    if (removed.has(i)) return;
    out.get(a)!.push(b);
    indeg.set(b, indeg.get(b)! + 1);
  });
  const queue = nodes.filter((v) => indeg.get(v) === 0);
  let seen = 0;
  while (queue.length) {
    const v = queue.pop()!;
    seen++;
    for (const w of out.get(v)!) {
      indeg.set(w, indeg.get(w)! - 1);
      if (indeg.get(w) === 0) queue.push(w);
    }
  }
  return seen < nodes.length;
}

/**
 * A smallest set of edges whose removal makes the component acyclic (minimum feedback arc set):
 * exact by increasing subset size for small components, edges with `preferred` cost tried first;
 * greedy for large ones (the problem is NP-hard), repeatedly cutting the edge on most shortest cycles.
 */
export function minimumCut(nodes: number[], edges: Edge[], preferred: (i: number) => boolean, exactLimit = 40): { edges: number[]; exact: boolean } {
  const order = edges.map((_, i) => i).sort((a, b) => Number(preferred(b)) - Number(preferred(a)));
  if (edges.length <= exactLimit) {
    for (let k = 1; k <= Math.min(3, edges.length); k++) {
      const found = combinations(order, k).find((combo) => !hasCycle(nodes, edges, new Set(combo)));
      if (found) return { edges: found, exact: true };
    }
  }
  const removed = new Set<number>();
  while (hasCycle(nodes, edges, removed)) {
    const counts = new Map<number, number>();
    const adj: number[][] = [];
    const edgeId = new Map<string, number>();
    for (const v of nodes) adj[v] = [];
    edges.forEach(([a, b], i) => {
      if (!removed.has(i)) {
        adj[a]!.push(b);
        edgeId.set(`${a}>${b}`, i);
      }
    });
    for (const v of nodes) {
      const cycle = shortestCycle(adj, v, new Set(nodes));
      for (let j = 0; j < cycle.length && cycle.length > 1; j++) {
        const id = edgeId.get(`${cycle[j]}>${cycle[(j + 1) % cycle.length]}`);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + (preferred(id) ? 2 : 1));
      }
    }
    const best = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    if (!best) break;
    removed.add(best[0]);
  }
  return { edges: [...removed], exact: false };
}

function combinations(items: number[], k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, acc: number[]): void => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let i = start; i < items.length; i++) pick(i + 1, [...acc, items[i]!]);
  };
  pick(0, []);
  return out;
}
