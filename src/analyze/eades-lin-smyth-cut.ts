/**
 * A feedback arc set of a large graph, in about linear time (issue 16, item 12: a minimum one is NP-hard).
 *
 * 1. The greedy ordering of Eades, Lin and Smyth ("A fast and effective heuristic for the feedback arc
 *    set problem", Information Processing Letters 47(6), 1993): repeatedly put a sink at the back of the
 *    order, else a source at the front, else the node whose outgoing minus incoming weight is largest at
 *    the front; the edges that point backwards in the order are cut. O(V + E) with bucket lists. Weights
 *    make an edge cheaper to cut (a preferred edge weighs 1, any other 2).
 * 2. A minimality pass within `budget` edge visits: each cut edge, heaviest first, goes back in when it
 *    closes no cycle with the edges kept, checked and kept up to date with the dynamic topological order
 *    of Pearce and Kelly ("A dynamic topological sort algorithm for directed acyclic graphs", ACM JEA 11,
 *    2006). An edge refused stays refused (adding edges only adds paths), so when the pass ends within
 *    the budget the cut is minimal by inclusion: no edge of it can go back alone. It is still not
 *    necessarily a minimum cut.
 *
 * Graphs are given as edge arrays over nodes 0..n-1; the result lists edge ids.
 */
export function eadesLinSmythCut(
  n: number,
  from: Int32Array,
  to: Int32Array,
  weight: (e: number) => number,
  budget: number,
): { edges: number[]; minimal: boolean } {
  const m = from.length;
  const g = csr(n, from, to);
  const w = Int32Array.from({ length: m }, (_, e) => weight(e));
  const pos = greedyOrder(n, from, to, w, g);
  const kept = new Uint8Array(m);
  const cut: number[] = [];
  for (let e = 0; e < m; e++) {
    if (pos[from[e]!]! < pos[to[e]!]!) kept[e] = 1;
    else cut.push(e);
  }
  cut.sort((a, b) => w[b]! - w[a]! || a - b);
  const minimal = restoreRedundant(n, from, to, g, pos, kept, cut, budget);
  return { edges: cut.filter((e) => !kept[e]), minimal };
}

interface Csr {
  outStart: Int32Array;
  outEdges: Int32Array;
  inStart: Int32Array;
  inEdges: Int32Array;
}

/** Edge ids grouped by source node and by target node. */
function csr(n: number, from: Int32Array, to: Int32Array): Csr {
  const group = (ends: Int32Array): [Int32Array, Int32Array] => {
    const start = new Int32Array(n + 1);
    for (const v of ends) start[v + 1]!++;
    for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
    const fill = start.slice(0, n);
    const edges = new Int32Array(ends.length);
    ends.forEach((v, e) => (edges[fill[v]!++] = e));
    return [start, edges];
  };
  const [outStart, outEdges] = group(from);
  const [inStart, inEdges] = group(to);
  return { outStart, outEdges, inStart, inEdges };
}

/** The Eades–Lin–Smyth order: each node's position, 0..n-1. Self-loops are ignored (the caller cuts them). */
function greedyOrder(n: number, from: Int32Array, to: Int32Array, w: Int32Array, g: Csr): Int32Array {
  const outCount = new Int32Array(n);
  const inCount = new Int32Array(n);
  const outW = new Int32Array(n);
  const inW = new Int32Array(n);
  for (let e = 0; e < from.length; e++) {
    const a = from[e]!;
    const b = to[e]!;
    if (a === b) continue;
    outCount[a]!++;
    inCount[b]!++;
    outW[a]! += w[e]!;
    inW[b]! += w[e]!;
  }
  let span = 0;
  for (let v = 0; v < n; v++) span = Math.max(span, outW[v]!, inW[v]!);
  // Bucket 0: sinks, 1: sources, 2 + span + δ: the others by δ = outW - inW. Doubly linked lists.
  const head = new Int32Array(2 * span + 3).fill(-1);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const bucket = new Int32Array(n);
  let top = 2;
  const bucketOf = (v: number): number => (outCount[v] === 0 ? 0 : inCount[v] === 0 ? 1 : 2 + span + outW[v]! - inW[v]!);
  const insert = (v: number): void => {
    const b = bucketOf(v);
    bucket[v] = b;
    prev[v] = -1;
    next[v] = head[b]!;
    if (head[b]! >= 0) prev[head[b]!] = v;
    head[b] = v;
    if (b > top) top = b;
  };
  const unlink = (v: number): void => {
    const b = bucket[v]!;
    if (prev[v]! >= 0) next[prev[v]!] = next[v]!;
    else head[b] = next[v]!;
    if (next[v]! >= 0) prev[next[v]!] = prev[v]!;
  };
  for (let v = n - 1; v >= 0; v--) insert(v);
  const removed = new Uint8Array(n);
  const pos = new Int32Array(n);
  let left = 0;
  let right = n - 1;
  for (let placed = 0; placed < n; placed++) {
    let v: number;
    if (head[0]! >= 0) {
      v = head[0]!;
      pos[v] = right--;
    } else {
      if (head[1]! >= 0) v = head[1]!;
      else {
        while (head[top]! < 0) top--;
        v = head[top]!;
      }
      pos[v] = left++;
    }
    unlink(v);
    removed[v] = 1;
    for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
      const e = g.outEdges[k]!;
      const t = to[e]!;
      if (removed[t]) continue;
      unlink(t);
      inCount[t]!--;
      inW[t]! -= w[e]!;
      insert(t);
    }
    for (let k = g.inStart[v]!; k < g.inStart[v + 1]!; k++) {
      const e = g.inEdges[k]!;
      const s = from[e]!;
      if (removed[s]) continue;
      unlink(s);
      outCount[s]!--;
      outW[s]! -= w[e]!;
      insert(s);
    }
  }
  return pos;
}

/**
 * Puts back (sets `kept`) each edge of `cut`, in order, that closes no cycle with the kept edges, keeping
 * `ord` a topological order of them (Pearce–Kelly). False when the budget of edge visits ran out first.
 */
function restoreRedundant(n: number, from: Int32Array, to: Int32Array, g: Csr, ord: Int32Array, kept: Uint8Array, cut: number[], budget: number): boolean {
  const mark = new Int32Array(n);
  let epoch = 0;
  let work = 0;
  const stack: number[] = [];
  for (const e of cut) {
    const u = from[e]!;
    const v = to[e]!;
    if (u === v) continue;
    if (work > budget) return false;
    const lb = ord[v]!;
    const ub = ord[u]!;
    if (lb > ub) {
      kept[e] = 1;
      continue;
    }
    // Forward from v through nodes ordered before u: reaching u means the edge closes a cycle.
    epoch++;
    const forward: number[] = [];
    let closes = false;
    stack.push(v);
    mark[v] = epoch;
    while (stack.length && !closes) {
      const x = stack.pop()!;
      forward.push(x);
      for (let k = g.outStart[x]!; k < g.outStart[x + 1]!; k++) {
        const f = g.outEdges[k]!;
        if (!kept[f]) continue;
        work++;
        const y = to[f]!;
        if (y === u) {
          closes = true;
          break;
        }
        if (mark[y] !== epoch && ord[y]! < ub) {
          mark[y] = epoch;
          stack.push(y);
        }
      }
    }
    stack.length = 0;
    if (closes) continue;
    // Backward from u through nodes ordered after v; then those go before the forward set.
    const backward: number[] = [];
    stack.push(u);
    mark[u] = epoch;
    while (stack.length) {
      const x = stack.pop()!;
      backward.push(x);
      for (let k = g.inStart[x]!; k < g.inStart[x + 1]!; k++) {
        const f = g.inEdges[k]!;
        if (!kept[f]) continue;
        work++;
        const y = from[f]!;
        if (mark[y] !== epoch && ord[y]! > lb) {
          mark[y] = epoch;
          stack.push(y);
        }
      }
    }
    const byOrd = (a: number, b: number): number => ord[a]! - ord[b]!;
    backward.sort(byOrd);
    forward.sort(byOrd);
    const moved = [...backward, ...forward];
    work += 4 * moved.length; // the sorts
    const slots = moved.map((x) => ord[x]!).sort((a, b) => a - b);
    moved.forEach((x, i) => (ord[x] = slots[i]!));
    kept[e] = 1;
  }
  return true;
}
