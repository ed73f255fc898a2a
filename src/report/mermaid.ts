import type { Reporter } from './report-types.js';
import { resultGraph, type GraphEdgeKind, type GraphNode, type GraphNodeKind } from './result-graph.js';

/**
 * Text for a quoted Mermaid label. Inside `"…"` a double quote ends the label, so it and the
 * characters Mermaid reads as markup become entity codes; newlines become `<br>`.
 * https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters
 */
export function escapeMermaid(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** Node shapes by kind: https://mermaid.js.org/syntax/flowchart.html#node-shapes */
const SHAPES: Record<GraphNodeKind, [string, string]> = {
  ssot: ['[[', ']]'],
  implementation: ['[', ']'],
  factory: ['{{', '}}'],
  'legacy-module': ['[(', ')]'],
  consumer: ['(', ')'],
  module: ['([', '])'],
};

const ARROWS: Record<GraphEdgeKind, string> = { consumes: '-->', 'legacy-import': '-.->', cycle: '==>', implements: '-.-' };

// Class names stay plain words (`legacy`, not `legacy-module`), which every Mermaid version accepts.
const CLASSES = [
  'classDef ssot fill:#d4f4dd,stroke:#1a7f37,stroke-width:2px',
  'classDef implementation fill:#fff4d4,stroke:#9a6700',
  'classDef factory fill:#fbe9d9,stroke:#bc4c00',
  'classDef legacy fill:#ffe0e0,stroke:#cf222e',
  'classDef consumer fill:#f0f3f6,stroke:#57606a',
  'classDef module fill:#eef2ff,stroke:#4f46e5',
];

/** The result's graph as a Mermaid `flowchart LR`: one subgraph per group, consumers and cycle modules outside. */
const mermaid: Reporter = (result) => {
  const graph = resultGraph(result);
  // Mermaid ids are plain words, so nodes get short ids in their sorted order.
  const ids = new Map(graph.nodes.map((n, index) => [n.id, `n${index}`]));
  const line = (n: GraphNode): string => `${ids.get(n.id)}${SHAPES[n.kind][0]}"${escapeMermaid(n.label)}"${SHAPES[n.kind][1]}:::${n.kind === 'legacy-module' ? 'legacy' : n.kind}`;
  const out = ['flowchart LR'];
  const groups = [...new Set(graph.nodes.flatMap((n) => (n.group ? [n.group] : [])))].sort();
  groups.forEach((group, index) => {
    out.push(`  subgraph g${index}["${escapeMermaid(group)}"]`);
    for (const n of graph.nodes.filter((x) => x.group === group)) out.push(`    ${line(n)}`);
    out.push('  end');
  });
  for (const n of graph.nodes.filter((x) => !x.group)) out.push(`  ${line(n)}`);
  for (const e of graph.edges) {
    const label = e.kind === 'cycle' ? (e.label ? `cycle, ${e.label}` : 'cycle') : e.label;
    out.push(`  ${ids.get(e.from)} ${ARROWS[e.kind]}${label ? `|"${escapeMermaid(label)}"|` : ''} ${ids.get(e.to)}`);
  }
  out.push(...CLASSES.map((c) => `  ${c}`));
  return `${out.join('\n')}\n`;
};

export default mermaid;
