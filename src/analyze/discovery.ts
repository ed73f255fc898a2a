import type { DeclFact } from '../types.js';
import { weightedJaccard } from './api-similarity.js';
import { baseChain, implementationKind, type GroupAnalysis, type Implementation } from './group-analysis.js';
import type { ProjectModel } from './project-model.js';

export interface DiscoveryOptions {
  /** Minimum weighted-Jaccard similarity of public APIs (0..1). */
  minSimilarity: number;
  /** Minimum number of shared public methods. */
  minShared: number;
}

export const DEFAULT_DISCOVERY: DiscoveryOptions = { minSimilarity: 0.5, minShared: 3 };

interface Candidate {
  file: string;
  decl: DeclFact;
  methods: string[];
}

/**
 * Without a config, competing implementations are found as clusters of classes and object-literal
 * factories whose public APIs overlap strongly (see api-similarity.ts), in different files and not
 * related by inheritance. Decoys with a generic API (a DOM-style EventDispatcher) share only
 * common or no methods with anything, so they stay out.
 */
export function discoverGroups(model: ProjectModel, isTest: (rel: string) => boolean, weight: (m: string) => number, options = DEFAULT_DISCOVERY): GroupAnalysis[] {
  const candidates: Candidate[] = [];
  for (const file of model.project.files.values()) {
    if (isTest(file.rel)) continue;
    for (const decl of file.facts.decls) {
      const methods = [...new Set(decl.methods ?? [])];
      if ((decl.kind === 'class' || decl.kind === 'object-factory') && methods.length >= options.minShared) candidates.push({ file: file.rel, decl, methods });
    }
  }
  const byMethod = new Map<string, number[]>();
  candidates.forEach((c, i) => c.methods.forEach((m) => (byMethod.get(m) ?? byMethod.set(m, []).get(m)!).push(i)));
  // Methods that nearly every class has say nothing about a role; skip them when looking for pairs.
  const common = Math.max(50, candidates.length / 10);
  const parent = candidates.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const best = new Map<number, { score: number; shared: string[]; other: number }>();
  for (let i = 0; i < candidates.length; i++) {
    const a = candidates[i]!;
    const partners = new Set<number>();
    for (const m of a.methods) {
      const list = byMethod.get(m)!;
      if (list.length <= common) for (const j of list) if (j > i) partners.add(j);
    }
    for (const j of partners) {
      const b = candidates[j]!;
      if (a.file === b.file || related(model, a, b)) continue;
      const { score, shared } = weightedJaccard(a.methods, b.methods, weight);
      if (score < options.minSimilarity || shared.length < options.minShared) continue;
      parent[find(i)] = find(j);
      for (const [k, o] of [[i, j], [j, i]] as const) if ((best.get(k)?.score ?? -1) < score) best.set(k, { score, shared, other: o });
    }
  }
  const clusters = new Map<number, number[]>();
  for (const i of best.keys()) (clusters.get(find(i)) ?? clusters.set(find(i), []).get(find(i))!).push(i);
  const groups: GroupAnalysis[] = [];
  const usedNames = new Set<string>();
  for (const members of clusters.values()) {
    if (members.length < 2) continue;
    const impls: Implementation[] = members.map((i) => {
      const c = candidates[i]!;
      const match = best.get(i)!;
      const other = candidates[match.other]!;
      return {
        name: c.decl.name,
        file: c.file,
        line: c.decl.loc.line,
        column: c.decl.loc.column,
        kind: implementationKind(c.decl)!,
        ssot: false,
        evidence: [{ kind: 'api-similarity', detail: `public API ${Math.round(match.score * 100)}% similar to ${other.decl.name} (${other.file}): ${match.shared.join(', ')}` }],
        methods: c.methods,
        consumers: [],
        moduleConsumers: 0,
      };
    });
    let name = groupName(impls.map((i) => i.name));
    for (let n = 2; usedNames.has(name); n++) name = `${groupName(impls.map((i) => i.name))}-${n}`;
    usedNames.add(name);
    groups.push({ name, discovered: true, ssot: { file: '' }, implementations: impls, legacy: [] });
  }
  return groups.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Once consumers are known: mark the suggested SSOT of a discovered group and put it first. */
export function chooseSsot(group: GroupAnalysis, model: ProjectModel): void {
  const ssot = suggestSsot(group.implementations, model);
  ssot.ssot = true;
  group.ssot = { file: ssot.file, export: ssot.name };
  group.implementations.sort((a, b) => Number(b.ssot) - Number(a.ssot) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

function related(model: ProjectModel, a: Candidate, b: Candidate): boolean {
  return baseChain(model, a.file, a.decl).includes(b.decl.name) || baseChain(model, b.file, b.decl).includes(a.decl.name);
}

/** The suggested SSOT: the most used module; then most direct consumers; then the one the others depend on; then the name. */
export function suggestSsot(impls: Implementation[], model: ProjectModel): Implementation {
  const delegatedTo = (impl: Implementation): number =>
    impls.filter((o) => o !== impl && model.importers(impl.file).some((e) => e.from === o.file)).length;
  return [...impls].sort(
    (a, b) => b.moduleConsumers - a.moduleConsumers || b.consumers.length - a.consumers.length || delegatedTo(b) - delegatedTo(a) || (a.name < b.name ? -1 : 1),
  )[0]!;
}

/** `RequestScopedToolDispatcher`, `UnifiedToolDispatcher` -> `tool-dispatcher` (their longest common word suffix). */
export function groupName(names: string[]): string {
  const words = names.map((n) => n.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_-]+/).map((w) => w.toLowerCase()));
  const suffix: string[] = [];
  for (let k = 1; ; k++) {
    const w = words[0]![words[0]!.length - k];
    if (!w || !words.every((ws) => ws[ws.length - k] === w)) break;
    suffix.unshift(w);
  }
  return suffix.length ? suffix.join('-') : 'similar-api';
}

