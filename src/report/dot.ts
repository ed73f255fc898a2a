import type { Reporter } from './report-types.js';
import { resultGraph, type GraphEdgeKind, type GraphNode, type GraphNodeKind } from './result-graph.js';

/**
 * A Graphviz double-quoted string. In a quoted ID only `"` must be escaped, but labels are escString,
 * where a backslash starts an escape (`\n`, `\l`, `\N`…), so backslashes are doubled and newlines
 * written as `\n`. https://graphviz.org/doc/info/lang.html and https://graphviz.org/docs/attr-types/escString/
 */
export function quoteDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')}"`;
}

const NODE_STYLES: Record<GraphNodeKind, string> = {
  ssot: 'shape=box, style="filled,bold", fillcolor="#d4f4dd", color="#1a7f37"',
  implementation: 'shape=box, style=filled, fillcolor="#fff4d4", color="#9a6700"',
  factory: 'shape=hexagon, style=filled, fillcolor="#fbe9d9", color="#bc4c00"',
  'legacy-module': 'shape=cylinder, style=filled, fillcolor="#ffe0e0", color="#cf222e"',
  consumer: 'shape=box, style="rounded,filled", fillcolor="#f0f3f6", color="#57606a"',
  module: 'shape=box, style="rounded,filled", fillcolor="#eef2ff", color="#4f46e5"',
};

const EDGE_STYLES: Record<GraphEdgeKind, string> = {
  consumes: 'color="#57606a"',
  'legacy-import': 'style=dashed, color="#cf222e"',
  cycle: 'penwidth=2, color="#cf222e"',
  implements: 'style=dotted, arrowhead=empty, color="#1a7f37"',
};

/** The result's graph as a Graphviz `digraph`: one cluster per group, consumers and cycle modules outside. */
const dot: Reporter = (result) => {
  const graph = resultGraph(result);
  const node = (n: GraphNode): string => `${quoteDot(n.id)} [label=${quoteDot(n.label)}, ${NODE_STYLES[n.kind]}];`;
  const out = ['digraph ssot {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=8];'];
  const groups = [...new Set(graph.nodes.flatMap((n) => (n.group ? [n.group] : [])))].sort();
  groups.forEach((group, index) => {
    out.push(`  subgraph cluster_${index} {`, `    label=${quoteDot(group)};`);
    for (const n of graph.nodes.filter((x) => x.group === group)) out.push(`    ${node(n)}`);
    out.push('  }');
  });
  for (const n of graph.nodes.filter((x) => !x.group)) out.push(`  ${node(n)}`);
  for (const e of graph.edges) {
    const label = e.kind === 'cycle' ? (e.label ? `cycle, ${e.label}` : 'cycle') : e.label;
    out.push(`  ${quoteDot(e.from)} -> ${quoteDot(e.to)} [${label ? `label=${quoteDot(label)}, ` : ''}${EDGE_STYLES[e.kind]}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
};

export default dot;
