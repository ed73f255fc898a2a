import type { ScanResult } from '../scan-result.js';
import { resultGraph, type ResultGraph } from './result-graph.js';

/** A picture of the result that fits a format's limit, and what was left out of it to fit. */
export interface FittedGraph {
  graph: ResultGraph;
  /** The whole graph's size, one node per consumer file. */
  total: { nodes: number; edges: number };
  /** Consumers of large groups are drawn per folder. */
  folded: boolean;
  /** Groups left out, most important first. */
  leftOutGroups: string[];
  /** Modules of import cycles left out (their findings still list them). */
  leftOutCycleModules: number;
}

/** Folder nodes per group when consumers are drawn per folder. */
export const CONSUMER_FOLDERS = 6;

/**
 * The largest picture for which `fits` holds (issue 19, item 8): the whole graph; else each group with
 * more than a few consumers drawn per folder; else, in that form, the groups that matter most
 * (configured before discovered, then most findings) with every import cycle, then without the cycles.
 */
export function fitGraph(result: ScanResult, fits: (graph: ResultGraph) => boolean): FittedGraph {
  const full = resultGraph(result);
  const total = { nodes: full.nodes.length, edges: full.edges.length };
  const none = { leftOutGroups: [], leftOutCycleModules: 0 };
  if (fits(full)) return { graph: full, total, folded: false, ...none };
  const folded = resultGraph(result, { consumerFolders: CONSUMER_FOLDERS });
  if (fits(folded)) return { graph: folded, total, folded: true, ...none };
  const order = groupsByImportance(result);
  // Fewer groups never make the picture larger, so the most that fit is found by bisection.
  let low = 0;
  let high = order.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(keepOnly(folded, new Set(order.slice(0, mid)), true))) low = mid;
    else high = mid - 1;
  }
  const kept = new Set(order.slice(0, low));
  const withCycles = keepOnly(folded, kept, true);
  const graph = low > 0 || fits(withCycles) ? withCycles : keepOnly(folded, kept, false);
  const cycleModules = (g: ResultGraph): number => new Set(g.edges.filter((e) => e.kind === 'cycle').flatMap((e) => [e.from, e.to])).size;
  return { graph, total, folded: true, leftOutGroups: order.slice(low), leftOutCycleModules: cycleModules(folded) - cycleModules(graph) };
}

/** Configured groups first, then those with the most findings, then by name. */
function groupsByImportance(result: ScanResult): string[] {
  const findings = new Map<string, number>();
  for (const f of result.findings) if (f.group) findings.set(f.group, (findings.get(f.group) ?? 0) + 1);
  return [...result.groups]
    .sort((a, b) => Number(a.discovered) - Number(b.discovered) || (findings.get(b.name) ?? 0) - (findings.get(a.name) ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((g) => g.name);
}

/** The graph with only these groups' nodes (and cycles, if asked); nodes of no group left without an edge go too. */
function keepOnly(graph: ResultGraph, groups: ReadonlySet<string>, cycles: boolean): ResultGraph {
  const inGroup = new Set(graph.nodes.filter((n) => n.group === undefined || groups.has(n.group)).map((n) => n.id));
  const edges = graph.edges.filter((e) => inGroup.has(e.from) && inGroup.has(e.to) && (cycles || e.kind !== 'cycle'));
  const linked = new Set(edges.flatMap((e) => [e.from, e.to]));
  return { nodes: graph.nodes.filter((n) => inGroup.has(n.id) && (n.group !== undefined || linked.has(n.id))), edges };
}

/** One sentence saying what the picture leaves out, or '' when it is the whole graph. */
export function fittedNote(fitted: FittedGraph, limit: string): string {
  const { graph, total } = fitted;
  if (!fitted.folded) return '';
  const parts = [`Showing ${graph.nodes.length} of ${total.nodes} nodes and ${graph.edges.length} of ${total.edges} edges (${limit}): consumers of large groups are counted per folder`];
  const left: string[] = [];
  const names = fitted.leftOutGroups;
  if (names.length) left.push(`${names.length} group${names.length === 1 ? '' : 's'} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`);
  if (fitted.leftOutCycleModules) left.push(`${fitted.leftOutCycleModules} modules of import cycles`);
  if (left.length) parts.push(`left out: ${left.join(' and ')} (\`--format json\` has every one)`);
  return `${parts.join('; ')}.`;
}
