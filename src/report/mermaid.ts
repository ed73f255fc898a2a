import type { Reporter } from './report-types.js';
import { fitGraph, fittedNote } from './graph-cap.js';
import type { GraphEdgeKind, GraphNode, GraphNodeKind, ResultGraph } from './result-graph.js';

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

/**
 * Mermaid refuses a diagram over `maxTextSize`, 50,000 characters by default, or with more than
 * `maxEdges`, 500 by default ("Too many edges"):
 * https://mermaid.js.org/config/schema-docs/config.html#maxtextsize
 * https://mermaid.js.org/config/schema-docs/config-properties-maxedges.html
 */
export const MERMAID_MAX_TEXT = 50_000;
export const MERMAID_MAX_EDGES = 500;

/** Room kept for the comment that says what was left out. */
const NOTE_ROOM = 1_000;

/**
 * The result's graph as a Mermaid `flowchart LR`: one subgraph per group, consumers and cycle modules
 * outside. Under Mermaid's default limits: a larger graph is drawn with consumers per folder, then with the
 * groups that matter most, and a `%%` comment says what was left out (issue 19, item 8).
 */
const mermaid: Reporter = (result) => {
  const fitted = fitGraph(result, (graph) => graph.edges.length <= MERMAID_MAX_EDGES && flowchart(graph).length + NOTE_ROOM <= MERMAID_MAX_TEXT);
  const note = fittedNote(fitted, `Mermaid draws at most ${MERMAID_MAX_TEXT} characters and ${MERMAID_MAX_EDGES} edges by default`);
  const text = flowchart(fitted.graph);
  return note ? text.replace('\n', `\n  %% ${note.replace(/\n/g, ' ')}\n`) : text;
};

function flowchart(graph: ResultGraph): string {
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
}

export default mermaid;
