import path from 'node:path';
import picomatch from 'picomatch';
import type { GroupConfig } from '../config/load-config.js';
import type { DeclFact } from '../types.js';
import { weightedJaccard } from './api-similarity.js';
import type { ConsumerIndex, Relation } from './consumer-index.js';
import type { LegacyMatcher } from './legacy-matcher.js';
import { declKey, type ProjectModel } from './project-model.js';

/** `constant`: an exported constant discovery compares as a possible copy (a codec, a table, `createStep(…)`). */
export type ImplementationKind = 'class' | 'function' | 'object-factory' | 'singleton' | 'constant';

export interface Evidence {
  /** Configured groups: name, implements, extends, shared-methods. Discovered ones: the kinds of `DiscoveryEvidence`. */
  kind: 'name' | 'implements' | 'extends' | 'shared-methods' | 'api-similarity' | 'api-overlap' | 'role-noun' | 'same-name' | 'substitution' | 'near-identical' | 'contract';
  detail: string;
}

export interface Consumer {
  file: string;
  relations: Relation[];
}

export interface Implementation {
  name: string;
  file: string;
  line: number;
  column: number;
  kind: ImplementationKind;
  ssot: boolean;
  evidence: Evidence[];
  methods: string[];
  consumers: Consumer[];
  /** Files that import anything the implementation's module exports (its factories and types too). */
  moduleConsumers: number;
  /** Discovery: what keeps it from being a group's SSOT (issue 18, item 6). */
  flags?: { deprecated?: boolean; vendored?: boolean; reexportOnly?: boolean };
}

export interface LegacyUsage {
  module: string;
  /** Root-relative file or folder, when the module is a path. */
  path?: string;
  deleted: boolean;
  /** Files outside `allow` that reach it directly. */
  consumers: string[];
}

/** What kind of set discovery found (issue 18, item 3). */
export type DiscoveryKind = 'competing' | 'duplicate-copy' | 'family';

/** One weighed sign that the members play one role: API overlap, shared role noun, substitution, copies, a contract. */
export interface DiscoveryEvidence {
  /** 'api-overlap' | 'role-noun' | 'same-name' | 'substitution' | 'near-identical' | 'contract' | … */
  kind: string;
  detail: string;
  /** Its contribution to the confidence, 0..1. */
  weight: number;
}

/** How and how surely a discovered group was found, and why its SSOT was suggested. */
export interface Discovery {
  /** `family`: siblings of one contract chosen by configuration; info only, never proposed for migration. */
  kind: DiscoveryKind;
  /** 0..1; groups under the threshold (`discovery.minConfidence`) are not reported unless asked. */
  confidence: number;
  evidence: DiscoveryEvidence[];
  /** Why the suggested SSOT was chosen, and why others were passed over. */
  ssotReasons: string[];
}

export interface GroupAnalysis {
  name: string;
  discovered: boolean;
  ssot: { file: string; export?: string; factory?: string };
  implementations: Implementation[];
  legacy: LegacyUsage[];
  /** Discovered groups only. */
  discovery?: Discovery;
}

export function implementationKind(decl: DeclFact): ImplementationKind | undefined {
  if (decl.kind === 'class') return decl.singletonAccessor ? 'singleton' : 'class';
  if (decl.kind === 'function') return 'function';
  if (decl.kind === 'object-factory') return 'object-factory';
  return undefined;
}

export function consumersOf(index: ConsumerIndex, file: string, name: string): Consumer[] {
  const files = index.get(declKey(file, name));
  if (!files) return [];
  return [...files].map(([f, rels]) => ({ file: f, relations: [...rels].sort() })).sort((a, b) => (a.file < b.file ? -1 : 1));
}

interface GroupInputs {
  model: ProjectModel;
  isTest: (rel: string) => boolean;
  isAllowed: (rel: string) => boolean;
  legacy: LegacyMatcher;
  weight: (m: string) => number;
  /**
   * Whether a declaration plays another configured group's role in that group's own files (its SSOT,
   * factory or legacy modules) that are not this group's: in a monorepo whose packages are each a group
   * with the same role names, pkg2's classes are pkg2's, not pkg1's competitors (issue 17, item 6).
   */
  claimedElsewhere?: (rel: string, decl: DeclFact) => boolean;
}

/**
 * The implementations that play a configured group's role, the SSOT among them, and the legacy
 * modules' direct consumers. Implementations' `consumers` are filled in once every group is known.
 */
export function analyzeGroup(group: GroupConfig, inputs: GroupInputs): GroupAnalysis {
  const { model } = inputs;
  const root = model.project.root;
  const ssotFile = toRel(root, group.ssot.module);
  const ssotNames = new Set([group.ssot.export, group.ssot.factory].filter((n): n is string => !!n));
  const ssotDecls = new Set<string>();
  for (const d of model.declsOf(ssotFile).values()) if (implementationKind(d)) ssotDecls.add(declKey(ssotFile, d.name));
  for (const n of ssotNames) {
    const t = model.resolveExport(ssotFile, n);
    if (t && !t.namespace) ssotDecls.add(declKey(t.file, t.decl.name));
  }
  const ssotClassMethods = [...ssotDecls].flatMap((k) => {
    const [f, n] = splitKey(k);
    return model.decl(f, n)?.methods ?? [];
  });
  const names = group.role.names.length ? picomatch(group.role.names) : () => false;
  const implementations: Implementation[] = [];
  for (const file of model.project.files.values()) {
    if (inputs.isTest(file.rel)) continue;
    for (const decl of file.facts.decls) {
      if (inputs.claimedElsewhere?.(file.rel, decl)) continue;
      const kind = implementationKind(decl);
      if (!kind || (kind !== 'class' && kind !== 'singleton' && !decl.exported)) continue;
      const evidence: Evidence[] = [];
      if (names(decl.name)) evidence.push({ kind: 'name', detail: `name matches ${group.role.names.find((g) => picomatch.isMatch(decl.name, g))}` });
      for (const iface of decl.implements ?? []) {
        const resolved = model.resolveLocal(file.rel, iface);
        const resolvedName = resolved && !resolved.namespace ? resolved.decl.name : iface;
        if (group.role.implements.includes(resolvedName)) evidence.push({ kind: 'implements', detail: `implements ${resolvedName}` });
      }
      const base = baseChain(model, file.rel, decl).find((b) => group.role.extends.includes(b));
      if (base) evidence.push({ kind: 'extends', detail: `extends ${base}` });
      const key = declKey(file.rel, decl.name);
      const isSsot = ssotDecls.has(key);
      if (!isSsot && group.role.minSharedMethods > 0 && decl.methods && ssotClassMethods.length) {
        const { shared } = weightedJaccard(decl.methods, ssotClassMethods, inputs.weight);
        if (shared.length >= group.role.minSharedMethods) evidence.push({ kind: 'shared-methods', detail: `shares ${shared.length} public methods with the SSOT: ${shared.join(', ')}` });
      }
      if (evidence.length === 0 && !isSsot) continue;
      if (isSsot && evidence.length === 0 && !ssotNames.has(decl.name)) continue;
      if (!isSsot && decl.methods && ssotClassMethods.length && !evidence.some((e) => e.kind === 'shared-methods')) {
        const { shared } = weightedJaccard(decl.methods, ssotClassMethods, inputs.weight);
        if (shared.length) evidence.push({ kind: 'shared-methods', detail: `shares ${shared.length} public method${shared.length > 1 ? 's' : ''} with the SSOT: ${shared.join(', ')}` });
      }
      implementations.push({
        name: decl.name,
        file: file.rel,
        line: decl.loc.line,
        column: decl.loc.column,
        kind,
        ssot: isSsot,
        evidence,
        methods: decl.methods ?? [],
        consumers: [],
        moduleConsumers: 0,
      });
    }
  }
  implementations.sort((a, b) => Number(b.ssot) - Number(a.ssot) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return {
    name: group.name,
    discovered: false,
    ssot: { file: ssotFile, ...(group.ssot.export ? { export: group.ssot.export } : {}), ...(group.ssot.factory ? { factory: group.ssot.factory } : {}) },
    implementations,
    legacy: legacyUsage(group, inputs),
  };
}

function legacyUsage(group: GroupConfig, inputs: GroupInputs): LegacyUsage[] {
  const root = inputs.model.project.root;
  const usage = new Map(group.legacy.map((m) => [m, new Set<string>()]));
  for (const [file, refs] of inputs.model.project.refs) {
    if (inputs.isAllowed(file)) continue;
    for (const r of refs) {
      const hit = inputs.legacy.match(r);
      if (hit) usage.get(hit)?.add(file);
    }
  }
  return group.legacy.map((m) => ({
    module: m.spec,
    ...(m.path ? { path: toRel(root, m.path) } : {}),
    deleted: m.deleted,
    consumers: [...(usage.get(m) ?? [])].sort(),
  }));
}

/** Names of the base classes of a class, nearest first (resolved across files). */
export function baseChain(model: ProjectModel, file: string, decl: DeclFact): string[] {
  const out: string[] = [];
  let current: { file: string; decl: DeclFact } | undefined = { file, decl };
  for (let i = 0; i < 8 && current; i++) {
    const base: string | undefined = current.decl.extends?.[0];
    if (!base) break;
    const resolved = model.resolveLocal(current.file, base);
    out.push(resolved && !resolved.namespace ? resolved.decl.name : base);
    current = resolved && !resolved.namespace ? resolved : undefined;
  }
  return out;
}

export function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf('#');
  return [key.slice(0, i), key.slice(i + 1)];
}
