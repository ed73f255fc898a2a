import type { GroupAnalysis, Implementation } from '../analyze/group-analysis.js';
import type { ScanResult } from '../scan-result.js';
import type { Finding } from '../types.js';

export type GraphNodeKind = 'ssot' | 'implementation' | 'factory' | 'legacy-module' | 'consumer' | 'module';
export type GraphEdgeKind = 'consumes' | 'legacy-import' | 'cycle' | 'implements';

export interface GraphNode {
  /** Stable id: `impl:<group>:<file>#<name>`, `legacy:<group>:<module>`, `file:<path>` or `more:<group>`. */
  id: string;
  label: string;
  kind: GraphNodeKind;
  group?: string;
  file?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** Consumer relations (`construct, import`), or `type-only` on a type-only cycle step. */
  label?: string;
}

export interface ResultGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ResultGraphOptions {
  /** Consumer files drawn per group; the rest collapse into one "N more consumers" node. Default 200. */
  maxConsumersPerGroup?: number;
}

export const DEFAULT_MAX_CONSUMERS = 200;

/**
 * The consumer map and import cycles of a result as a graph, built from the result alone (reporters
 * never re-scan). Nodes and edges are sorted, so the same result always gives the same text.
 */
export function resultGraph(result: ScanResult, options: ResultGraphOptions = {}): ResultGraph {
  const max = options.maxConsumersPerGroup ?? DEFAULT_MAX_CONSUMERS;
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const addNode = (node: GraphNode): void => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  };
  const addEdge = (edge: GraphEdge): void => {
    const key = `${edge.from}\0${edge.to}\0${edge.kind}`;
    const prev = edges.get(key);
    if (!prev) edges.set(key, edge);
    else if (edge.label && prev.label !== edge.label) prev.label = mergeLabels(prev.label, edge.label);
  };
  for (const group of result.groups) addGroup(group, max, addNode, addEdge);
  for (const finding of result.findings) addCycle(finding, addNode, addEdge);
  return {
    nodes: [...nodes.values()].sort((a, b) => compare(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind)),
  };
}

type AddNode = (node: GraphNode) => void;
type AddEdge = (edge: GraphEdge) => void;

function addGroup(group: GroupAnalysis, max: number, addNode: AddNode, addEdge: AddEdge): void {
  const implId = (i: Implementation): string => `impl:${group.name}:${i.file}#${i.name}`;
  const ssot = group.implementations.find((i) => i.ssot && i.name === group.ssot.export) ?? group.implementations.find((i) => i.ssot);
  const consumerFiles = new Set<string>();
  for (const i of group.implementations) for (const c of i.consumers) consumerFiles.add(c.file);
  for (const l of group.legacy) for (const c of l.consumers) consumerFiles.add(c);
  // Alphabetical, so the cut is stable; the hidden ones are counted on one summarising node.
  const shown = new Set([...consumerFiles].sort(compare).slice(0, max));
  const hidden = consumerFiles.size - shown.size;
  const moreId = `more:${group.name}`;
  if (hidden > 0) addNode({ id: moreId, label: `${hidden} more consumers`, kind: 'consumer', group: group.name });
  const consumerNode = (file: string): string => {
    if (!shown.has(file)) return moreId;
    addNode({ id: fileId(file), label: file, kind: 'consumer', file });
    return fileId(file);
  };

  for (const i of group.implementations) {
    addNode({ id: implId(i), label: i.name, kind: implementationNodeKind(i), group: group.name, file: i.file });
    if (ssot && !i.ssot) addEdge({ from: implId(i), to: implId(ssot), kind: 'implements' });
    for (const c of i.consumers) {
      const from = consumerNode(c.file);
      addEdge(from === moreId ? { from, to: implId(i), kind: 'consumes' } : { from, to: implId(i), kind: 'consumes', label: c.relations.join(', ') });
    }
  }
  for (const l of group.legacy) {
    const id = `legacy:${group.name}:${l.module}`;
    addNode({ id, label: l.deleted ? `${l.module} (deleted)` : l.module, kind: 'legacy-module', group: group.name, ...(l.path ? { file: l.path } : {}) });
    for (const c of l.consumers) addEdge({ from: consumerNode(c), to: id, kind: 'legacy-import' });
  }
}

/** Each step of an import cycle (`related[]`, "imports <file>") becomes a `cycle` edge between module nodes. */
function addCycle(finding: Finding, addNode: AddNode, addEdge: AddEdge): void {
  const steps = finding.related;
  if (finding.ruleId !== 'import-cycle' || !steps?.length) return;
  steps.forEach((step, index) => {
    const to = /^imports (.+)$/.exec(step.message)?.[1] ?? steps[(index + 1) % steps.length]!.file;
    for (const file of [step.file, to]) addNode({ id: fileId(file), label: file, kind: 'module', file });
    addEdge({ from: fileId(step.file), to: fileId(to), kind: 'cycle', ...(finding.messageId === 'typeOnlyCycle' ? { label: 'type-only' } : {}) });
  });
}

function implementationNodeKind(i: Implementation): GraphNodeKind {
  if (i.ssot) return 'ssot';
  return i.kind === 'function' || i.kind === 'object-factory' || /factory/i.test(i.name) ? 'factory' : 'implementation';
}

function fileId(file: string): string {
  return `file:${file}`;
}

function mergeLabels(a: string | undefined, b: string): string {
  return [...new Set([...(a ? a.split(', ') : []), ...b.split(', ')])].sort().join(', ');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
