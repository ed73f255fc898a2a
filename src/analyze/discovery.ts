import { collectCandidates, type Candidate } from './discovery/candidates.js';
import { factoryGroups } from './discovery/factory-groups.js';
import { methodStats, pairEvidence, type PairEvidence } from './discovery/pair-evidence.js';
import { productsOf } from './discovery/products.js';
import { chooseSsot as chooseDiscoveredSsot } from './discovery/suggest-ssot.js';
import type { DiscoveryEvidence, DiscoveryKind, GroupAnalysis, Implementation } from './group-analysis.js';
import type { ProjectModel } from './project-model.js';

export interface DiscoveryOptions {
  /** Groups whose confidence (0..1) is under this are not reported (config `discovery.minConfidence`). */
  minConfidence: number;
}

/** Tuned for precision on the labelled evaluation set (eval/discovery/); lower it to see more. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
export const DEFAULT_DISCOVERY: DiscoveryOptions = { minConfidence: DEFAULT_MIN_CONFIDENCE };

/** Pairs under this confidence do not join candidates into one group. */
const MIN_PAIR = 0.4;
/** A cluster this large is a framework's family (controllers, rules, providers), not one role written twice. */
const MAX_MEMBERS = 12;
/** Sketch buckets and name buckets larger than this are too common to pair everything in them. */
const MAX_BUCKET = 40;

/**
 * Discovery without a config (issue 18): candidates (candidates.ts), evidence for pairs of them weighed
 * and combined into a confidence (pair-evidence.ts), pairs joined into groups, then factories grouped by
 * the groups they make (factory-groups.ts). Each group is `competing`, `duplicate-copy` or `family`
 * (siblings of one contract: information, never a migration proposal), with its evidence.
 */
export function discoverGroups(model: ProjectModel, isTest: (rel: string) => boolean, _weight?: (m: string) => number, options: DiscoveryOptions = DEFAULT_DISCOVERY): GroupAnalysis[] {
  const candidates = collectCandidates(model, isTest);
  const stats = methodStats(candidates.filter((c) => c.role === 'impl' && c.api.length).map((c) => c.api));
  const products = productsOf(model, candidates);
  const madeBy = new Map<string, string>();
  for (const [maker, made] of products) {
    const impls = made.filter((id) => candidates[id]!.role === 'impl');
    if (candidates[maker]!.role !== 'factory' || impls.length < 2 || impls.length > 6) continue;
    for (const x of impls) for (const y of impls) if (x < y) madeBy.set(`${x},${y}`, candidates[maker]!.decl.name);
  }
  const pairs: PairEvidence[] = [];
  for (const [x, y] of candidatePairs(candidates, stats.common, madeBy)) {
    const p = pairEvidence(model, candidates[x]!, candidates[y]!, stats, madeBy.get(`${x},${y}`));
    if (p && p.confidence >= MIN_PAIR) pairs.push(p);
  }
  const groups = clusters(candidates, pairs).map((members) => toGroup(candidates, members, pairs));
  const factories = factoryGroups(candidates, products, groups, toGroup);
  const kept = [...groups, ...factories].filter((g) => g.discovery!.confidence >= options.minConfidence);
  return nameGroups(kept, new Set(factories));
}

/** Once consumers are known: the suggested SSOT of a discovered group, with its reasons, first. */
export function chooseSsot(group: GroupAnalysis, model: ProjectModel, isTest: (rel: string) => boolean = () => false): void {
  chooseDiscoveredSsot(group, model, isTest);
}

/** Pairs worth weighing: sharing a rare method, a name, a name's word pair, a sketch hash, or a factory. */
function candidatePairs(candidates: readonly Candidate[], common: (m: string) => boolean, madeBy: ReadonlyMap<string, string>): [number, number][] {
  const buckets = new Map<string, number[]>();
  const put = (key: string, id: number): void => void (buckets.get(key) ?? buckets.set(key, []).get(key)!).push(id);
  for (const c of candidates) {
    if (c.role === 'impl') for (const m of c.api) if (!common(m)) put(`m:${m}`, c.id);
    if (c.role === 'impl') put(`n:${c.decl.name}`, c.id);
    if (c.role === 'impl') for (let i = 0; i + 1 < c.words.length; i++) put(`w:${c.words[i]} ${c.words[i + 1]}`, c.id);
    for (const h of c.decl.sketch?.hashes.slice(0, 3) ?? []) put(`s:${h}`, c.id);
  }
  const seen = new Set<string>(madeBy.keys());
  for (const ids of buckets.values()) {
    if (ids.length < 2 || ids.length > MAX_BUCKET) continue;
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) seen.add(ids[i]! < ids[j]! ? `${ids[i]},${ids[j]}` : `${ids[j]},${ids[i]}`);
  }
  return [...seen].map((k) => k.split(',').map(Number) as [number, number]);
}

function clusters(candidates: readonly Candidate[], pairs: readonly PairEvidence[]): number[][] {
  const parent = candidates.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (const p of pairs) parent[find(p.a)] = find(p.b);
  const out = new Map<number, number[]>();
  for (const id of new Set(pairs.flatMap((p) => [p.a, p.b]))) (out.get(find(id)) ?? out.set(find(id), []).get(find(id))!).push(id);
  return [...out.values()].filter((m) => m.length >= 2);
}

/** A group from members and the pairs among them: its kind, confidence and evidence. */
export function toGroup(candidates: readonly Candidate[], members: readonly number[], pairs: readonly PairEvidence[], extra: DiscoveryEvidence[] = []): GroupAnalysis {
  const inGroup = new Set(members);
  const own = pairs.filter((p) => inGroup.has(p.a) && inGroup.has(p.b));
  const best = new Map<number, PairEvidence>();
  for (const p of own) for (const id of [p.a, p.b]) if ((best.get(id)?.confidence ?? -1) < p.confidence) best.set(id, p);
  const confidences = members.map((id) => best.get(id)?.confidence ?? 0);
  let confidence = confidences.reduce((s, c) => s + c, 0) / Math.max(confidences.length, 1);
  const copies = own.filter((p) => p.copy).length;
  let kind: DiscoveryKind = copies * 2 >= own.length && copies > 0 ? 'duplicate-copy' : 'competing';
  // Siblings of one contract are a family (chosen by configuration or registration), unless an old one
  // sits beside a new one: when most links are between siblings, or when half the members are siblings
  // and code does not pick two of them directly (imported by production modules, not barrels).
  const siblings = new Set(own.filter((p) => p.contract).flatMap((p) => [p.a, p.b]));
  const oldAndNew = members.some((id) => candidates[id]!.deprecated) && members.some((id) => !candidates[id]!.deprecated);
  const pickedInCode = [...siblings].filter((id) => candidates[id]!.usedDirectly).length >= 2;
  const contractPairs = own.filter((p) => p.contract).length;
  const family = contractPairs * 2 > own.length || (siblings.size * 2 >= members.length && !pickedInCode);
  if (kind === 'competing' && family && !oldAndNew) kind = 'family';
  if (members.length > MAX_MEMBERS && kind !== 'duplicate-copy') kind = 'family';
  if (extra.length) confidence = 1 - (1 - confidence) * extra.reduce((p, e) => p * (1 - e.weight), 1);
  const evidence: DiscoveryEvidence[] = [...extra];
  const seen = new Set<string>();
  for (const p of [...best.values()].sort((x, y) => y.confidence - x.confidence)) {
    for (const e of p.evidence) if (!seen.has(e.detail)) (seen.add(e.detail), evidence.push(e));
  }
  const implementations = members.map((id) => implementationOf(candidates[id]!, best.get(id)));
  return {
    name: '',
    discovered: true,
    ssot: { file: '' },
    implementations,
    legacy: [],
    discovery: { kind, confidence: Math.round(confidence * 100) / 100, evidence, ssotReasons: [] },
  };
}

function implementationOf(c: Candidate, link: PairEvidence | undefined): Implementation {
  return {
    name: c.decl.name,
    file: c.file,
    line: c.decl.loc.line,
    column: c.decl.loc.column,
    kind: c.kind,
    ssot: false,
    evidence: (link?.evidence ?? []).filter((e) => e.weight > 0).map((e) => ({ kind: e.kind as Implementation['evidence'][number]['kind'], detail: e.detail })),
    methods: c.api,
    consumers: [],
    moduleConsumers: 0,
    ...(c.deprecated || c.vendored ? { flags: { ...(c.deprecated ? { deprecated: true } : {}), ...(c.vendored ? { vendored: true } : {}) } } : {}),
  };
}

function nameGroups(groups: GroupAnalysis[], factories: ReadonlySet<GroupAnalysis>): GroupAnalysis[] {
  const used = new Set<string>();
  for (const g of groups) {
    let base = roleNounName(g) ?? groupName(g.implementations.map((i) => i.name));
    if (factories.has(g) && !base.endsWith('factory')) base = `${base}-factory`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    g.name = name;
  }
  return groups.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The role noun most pairs of the group share (`tool dispatcher` -> `tool-dispatcher`), if any. */
function roleNounName(g: GroupAnalysis): string | undefined {
  const counts = new Map<string, number>();
  for (const e of g.discovery?.evidence ?? []) {
    const noun = e.kind === 'role-noun' ? /"([^"]+)"$/.exec(e.detail)?.[1] : undefined;
    if (noun) counts.set(noun, (counts.get(noun) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return top?.[0].split(' ').join('-');
}

/** `RequestScopedToolDispatcher`, `UnifiedToolDispatcher` -> `tool-dispatcher` (their longest common word suffix). */
export function groupName(names: string[]): string {
  const words = names.map((n) => n.replace(/^(create|make|build)(?=[A-Z])/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_-]+/).map((w) => w.toLowerCase()));
  const suffix: string[] = [];
  for (let k = 1; ; k++) {
    const w = words[0]![words[0]!.length - k];
    if (!w || !words.every((ws) => ws[ws.length - k] === w)) break;
    suffix.unshift(w);
  }
  return suffix.length ? suffix.join('-') : 'similar-api';
}
