import type { DiscoveryEvidence } from '../group-analysis.js';
import type { ProjectModel } from '../project-model.js';
import type { Candidate } from './candidates.js';
import { sharedRoleNoun } from './names.js';

/** How two candidates look alike, weighed; `contract`: what they both implement or extend (a family sign). */
export interface PairEvidence {
  a: number;
  b: number;
  evidence: DiscoveryEvidence[];
  confidence: number;
  contract?: string;
  copy: boolean;
}

/** Method weights learned from the repository: rare names count, names most classes have (lifecycle) do not. */
export interface MethodStats {
  weight: (m: string) => number;
  /** Common enough across the repository to say nothing about a role (framework lifecycle, `get`, `toJSON`). */
  common: (m: string) => boolean;
}

/** Framework lifecycle and protocol methods: shared by design, never a sign of one role, however rare in a small repository. */
const LIFECYCLE = new Set([
  'constructor', 'ngOnInit', 'ngOnDestroy', 'ngOnChanges', 'ngAfterViewInit', 'ngAfterContentInit', 'ngDoCheck', 'ngAfterViewChecked', 'ngAfterContentChecked',
  'writeValue', 'registerOnChange', 'registerOnTouched', 'setDisabledState', 'validate', 'registerOnValidatorChange', 'transform', 'intercept', 'canActivate',
  'canDeactivate', 'canLoad', 'canMatch', 'resolve', 'handle', 'use', 'catch', 'onModuleInit', 'onModuleDestroy', 'onApplicationBootstrap',
  'onApplicationShutdown', 'beforeApplicationShutdown', 'render', 'componentDidMount', 'componentWillUnmount', 'componentDidUpdate',
  'shouldComponentUpdate', 'getDerivedStateFromProps', 'connectedCallback', 'disconnectedCallback', 'attributeChangedCallback', 'toString', 'toJSON',
  'valueOf', 'dispose', 'destroy', 'close', 'init', 'initialize', 'then', 'next', 'error', 'complete', 'subscribe', 'unsubscribe', 'pipe', 'run', 'execute',
  'apply', 'call', 'clone', 'equals', 'up', 'down', 'getName',
]);

export function methodStats(apis: readonly (readonly string[])[]): MethodStats {
  const df = new Map<string, number>();
  for (const api of apis) for (const m of new Set(api)) df.set(m, (df.get(m) ?? 0) + 1);
  const n = Math.max(apis.length, 1);
  // A name more than 3% of API-bearing declarations have (and at least 6) is lifecycle-like for this repository.
  const cutoff = Math.max(6, n * 0.03);
  const common = (m: string): boolean => LIFECYCLE.has(m) || (df.get(m) ?? 0) > cutoff;
  return { common, weight: (m) => (LIFECYCLE.has(m) ? 0 : Math.log(1 + n / (df.get(m) ?? 1))) };
}

/** Estimated Jaccard similarity of two bottom-k sketches. */
export function sketchSimilarity(a: readonly number[], b: readonly number[]): number {
  const k = Math.min(a.length, b.length);
  const union = [...new Set([...a, ...b])].sort((x, y) => x - y).slice(0, k);
  const sa = new Set(a);
  const sb = new Set(b);
  let both = 0;
  for (const h of union) if (sa.has(h) && sb.has(h)) both++;
  return k ? both / k : 0;
}

/** Contracts both declare, ignoring the language's own bases (`extends Error`). */
function sharedContract(a: Candidate, b: Candidate): string | undefined {
  return a.contracts.find((c) => b.contracts.includes(c) && !/^extends (Error|Object|EventEmitter)$/.test(c));
}

/**
 * The weighed evidence that two candidates play one role (issue 18, item 2), or undefined when they are
 * tied by design: one extends the other, or one's module uses the other (layering: a controller and its
 * service, an adapter and what it wraps).
 */
export function pairEvidence(model: ProjectModel, a: Candidate, b: Candidate, stats: MethodStats, madeTogether: string | undefined): PairEvidence | undefined {
  if (a.file === b.file) return undefined;
  if (a.contracts.includes(`extends ${b.decl.name}`) || b.contracts.includes(`extends ${a.decl.name}`)) return undefined;
  const evidence: DiscoveryEvidence[] = [];
  let copy = false;
  const label = `${a.decl.name} (${a.file}) ~ ${b.decl.name} (${b.file})`;
  const sameName = a.decl.name === b.decl.name && a.decl.name !== 'default';
  if (a.decl.sketch && b.decl.sketch) {
    const ta = a.decl.sketch.tokens;
    const tb = b.decl.sketch.tokens;
    // Different names in one folder with one body are per-entity variants (generated DTOs, one model per table), not copies.
    const variants = Math.min(ta, tb) < MIN_SAME_NAME_COPY_TOKENS || (!sameName && (dirOf(a.file) === dirOf(b.file) || Math.min(ta, tb) < MIN_COPY_TOKENS));
    const sim = !variants && Math.min(ta, tb) / Math.max(ta, tb) >= 0.7 ? sketchSimilarity(a.decl.sketch.hashes, b.decl.sketch.hashes) : 0;
    if (sim >= 0.75) {
      copy = true;
      evidence.push({ kind: 'near-identical', detail: `${label}: ${Math.round(sim * 100)}% of token shingles alike`, weight: round(Math.min(0.95, sim)) });
    } else if (sameName && sim >= 0.45) {
      // One name, a body that drifted: a diverged copy.
      copy = true;
      evidence.push({ kind: 'near-identical', detail: `${label}: ${Math.round(sim * 100)}% of token shingles alike (diverged)`, weight: round(sim * 0.7) });
    }
  }
  if (!copy && (uses(model, a, b) || uses(model, b, a) || usesContractOf(model, a, b) || usesContractOf(model, b, a))) return undefined;
  if (a.role === 'impl' && b.role === 'impl') {
    const api = apiOverlap(a.api, b.api, stats);
    if (api.weight > 0) evidence.push({ kind: 'api-overlap', detail: `${label}: ${api.shared.join(', ')} (${Math.round(api.score * 100)}% of the API, weighted by rarity)`, weight: round(api.weight) });
    const noun = sameName ? undefined : sharedRoleNoun(a.words, b.words);
    if (noun) evidence.push({ kind: 'role-noun', detail: `${label}: both named for "${noun}"`, weight: noun.split(' ').length > 2 ? 0.45 : 0.3 });
  }
  // On its own not enough (a data model and an SDK type share names): it adds to other evidence.
  if (sameName && !copy) evidence.push({ kind: 'same-name', detail: `${a.decl.name} declared in ${a.file} and ${b.file}`, weight: 0.3 });
  const contract = sharedContract(a, b);
  // Made by one factory: alternatives for one role, when something else says they are alike.
  if (madeTogether && evidence.some((e) => e.weight >= 0.15)) evidence.push({ kind: 'substitution', detail: `${label}: both made by ${madeTogether}`, weight: 0.5 });
  if (!evidence.length) return undefined;
  if (contract) evidence.push({ kind: 'contract', detail: `${label}: both ${contract}`, weight: 0 });
  const confidence = 1 - evidence.reduce((p, e) => p * (1 - e.weight), 1);
  return { a: a.id, b: b.id, evidence, confidence: round(confidence), copy, ...(contract ? { contract } : {}) };
}

/** Weighted Jaccard of two APIs, scaled by how many rare names they share: one shared `get` is no role. */
function apiOverlap(a: readonly string[], b: readonly string[], stats: MethodStats): { weight: number; score: number; shared: string[] } {
  const sb = new Set(b);
  let inter = 0;
  let all = 0;
  const shared: string[] = [];
  let rare = 0;
  for (const m of new Set([...a, ...b])) {
    const w = stats.weight(m);
    all += w;
    if (sb.has(m) && a.includes(m)) {
      inter += w;
      if (w > 0) shared.push(m);
      if (w > 0 && !stats.common(m)) rare++;
    }
  }
  const score = all ? inter / all : 0;
  const factor = rare >= 3 ? 1 : rare === 2 ? 0.75 : rare === 1 ? 0.4 : 0.1;
  return { weight: shared.length ? Math.sqrt(score) * factor : 0, score, shared: shared.sort() };
}

/**
 * Whether a's module uses the contract b implements or extends without declaring it itself: a service
 * that calls providers through their interface is the layer above them, not one of them.
 */
function usesContractOf(model: ProjectModel, a: Candidate, b: Candidate): boolean {
  for (const c of b.contracts) {
    if (a.contracts.includes(c)) continue;
    const name = c.slice(c.indexOf(' ') + 1);
    if (/^(Error|Object|EventEmitter)$/.test(name)) continue;
    const t = model.resolveLocal(a.file, name);
    if (t && !t.namespace && t.file !== a.file) return true;
  }
  return false;
}

function dirOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/') + 1);
}

/** Under this many tokens, two different names with one body are a common idiom, not a copy. */
const MIN_COPY_TOKENS = 30;
/** Under this many, even one name with one body is too small to be a copy worth a report (`export const x = () => f('a')`). */
const MIN_SAME_NAME_COPY_TOKENS = 16;

/** Whether a's module binds b's name to b (imports it, to delegate to it or wrap it). */
function uses(model: ProjectModel, a: Candidate, b: Candidate): boolean {
  const t = model.resolveLocal(a.file, b.decl.name);
  return !!t && !t.namespace && t.file === b.file && t.decl.name === b.decl.name;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
