/**
 * API similarity between two public method sets: a Jaccard index in which each method name is
 * weighted by its rarity across the codebase (inverse document frequency), so that sharing
 * `dispatch` and `registerTool` counts for much more than sharing `toString` or `dispose`.
 *
 *   sim(A, B) = Σ_{m ∈ A∩B} w(m) / Σ_{m ∈ A∪B} w(m),   w(m) = ln(1 + N / df(m))
 *
 * where N is the number of API-bearing declarations and df(m) how many of them have a method m.
 */
export function weightedJaccard(a: readonly string[], b: readonly string[], weight: (m: string) => number): { score: number; shared: string[] } {
  const setB = new Set(b);
  const union = new Set([...a, ...b]);
  let inter = 0;
  let all = 0;
  const shared: string[] = [];
  for (const m of union) {
    const w = weight(m);
    all += w;
    if (setB.has(m) && a.includes(m)) {
      inter += w;
      shared.push(m);
    }
  }
  return { score: all === 0 ? 0 : inter / all, shared: shared.sort() };
}

/** Rarity weights from method-name document frequencies. */
export function idfWeights(apis: readonly (readonly string[])[]): (m: string) => number {
  const df = new Map<string, number>();
  for (const api of apis) for (const m of new Set(api)) df.set(m, (df.get(m) ?? 0) + 1);
  const n = Math.max(apis.length, 1);
  return (m) => Math.log(1 + n / (df.get(m) ?? 1));
}
