import type { GroupAnalysis, Implementation } from '../analyze/group-analysis.js';
import type { ScanResult } from '../scan-result.js';
import type { Finding } from '../types.js';
import { consumerFolders } from './consumer-folders.js';

export type GraphNodeKind = 'ssot' | 'implementation' | 'factory' | 'legacy-module' | 'consumer' | 'module';
export type GraphEdgeKind = 'consumes' | 'legacy-import' | 'cycle' | 'implements';

export interface GraphNode {
  /** Stable id: `impl:<group>:<file>#<name>`, `legacy:<group>:<module>`, `file:<path>`, `folder:<group>:<folder>/` or `more:<group>`. */
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
  /**
   * Draw a group with more consumer files than this as at most this many folder nodes, each counting its
   * files (`packages/admin/src/ (37 files)`), instead of one node per file. Off by default.
   */
  consumerFolders?: number;
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
  for (const group of result.groups) {
    if (options.consumerFolders !== undefined && consumerFilesOf(group).size > options.consumerFolders) addFoldedGroup(group, options.consumerFolders, addNode, addEdge);
    else addGroup(group, max, addNode, addEdge);
  }
  for (const finding of result.findings) addCycle(finding, addNode, addEdge);
  return {
    nodes: [...nodes.values()].sort((a, b) => compare(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind)),
  };
}

type AddNode = (node: GraphNode) => void;
type AddEdge = (edge: GraphEdge) => void;

function consumerFilesOf(group: GroupAnalysis): Set<string> {
  const files = new Set<string>();
  for (const i of group.implementations) for (const c of i.consumers) files.add(c.file);
  for (const l of group.legacy) for (const c of l.consumers) files.add(c);
  return files;
}

const implId = (group: GroupAnalysis, i: Implementation): string => `impl:${group.name}:${i.file}#${i.name}`;
const legacyId = (group: GroupAnalysis, module: string): string => `legacy:${group.name}:${module}`;

/** A group's implementations and legacy modules, with what competes with the SSOT pointing at it. */
function addOwnNodes(group: GroupAnalysis, addNode: AddNode, addEdge: AddEdge): void {
  const ssot = group.implementations.find((i) => i.ssot && i.name === group.ssot.export) ?? group.implementations.find((i) => i.ssot);
  for (const i of group.implementations) {
    addNode({ id: implId(group, i), label: i.name, kind: implementationNodeKind(i), group: group.name, file: i.file });
    if (ssot && !i.ssot) addEdge({ from: implId(group, i), to: implId(group, ssot), kind: 'implements' });
  }
  for (const l of group.legacy) {
    addNode({ id: legacyId(group, l.module), label: l.deleted ? `${l.module} (deleted)` : l.module, kind: 'legacy-module', group: group.name, ...(l.path ? { file: l.path } : {}) });
  }
}

/** A group whose consumers are drawn as folder nodes of the group, each edge labelled with its file count. */
function addFoldedGroup(group: GroupAnalysis, maxFolders: number, addNode: AddNode, addEdge: AddEdge): void {
  addOwnNodes(group, addNode, addEdge);
  const files = [...consumerFilesOf(group)].sort(compare);
  const folderOf = consumerFolders(files, maxFolders);
  const perFolder = new Map<string, number>();
  for (const folder of folderOf.values()) perFolder.set(folder, (perFolder.get(folder) ?? 0) + 1);
  const folderId = (folder: string): string => `folder:${group.name}:${folder}`;
  for (const [folder, count] of perFolder) addNode({ id: folderId(folder), label: `${folder} (${count} file${count === 1 ? '' : 's'})`, kind: 'consumer', group: group.name, file: folder });
  const counts = new Map<string, { edge: GraphEdge; files: Set<string> }>();
  const count = (file: string, to: string, kind: GraphEdgeKind): void => {
    const from = folderId(folderOf.get(file)!);
    const key = `${from}\0${to}\0${kind}`;
    (counts.get(key) ?? counts.set(key, { edge: { from, to, kind }, files: new Set() }).get(key)!).files.add(file);
  };
  for (const i of group.implementations) for (const c of i.consumers) count(c.file, implId(group, i), 'consumes');
  for (const l of group.legacy) for (const c of l.consumers) count(c, legacyId(group, l.module), 'legacy-import');
  for (const { edge, files: through } of counts.values()) addEdge({ ...edge, label: `${through.size} file${through.size === 1 ? '' : 's'}` });
}

function addGroup(group: GroupAnalysis, max: number, addNode: AddNode, addEdge: AddEdge): void {
  addOwnNodes(group, addNode, addEdge);
  const consumerFiles = consumerFilesOf(group);
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
    for (const c of i.consumers) {
      const from = consumerNode(c.file);
      addEdge(from === moreId ? { from, to: implId(group, i), kind: 'consumes' } : { from, to: implId(group, i), kind: 'consumes', label: c.relations.join(', ') });
    }
  }
  for (const l of group.legacy) for (const c of l.consumers) addEdge({ from: consumerNode(c), to: legacyId(group, l.module), kind: 'legacy-import' });
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
