import path from 'node:path';
import type { CachedTargets } from './scan/scan-cache.js';
import { sortFindings, type ScanResult } from './scan-result.js';
import type { ResolvedConfig } from './config/load-config.js';
import type { FieldRead, ReadScope, RuleReads } from './rules/define-rule.js';
import { rules } from './rules/index.js';
import type { DeclFact, ExportFact, FileFacts, Loc, ModuleRef, UnitFact, UseFact } from './types.js';

/** The last full result, with the content hash of every file it was computed from. */
export interface Snapshot {
  files: Record<string, string>;
  result: ScanResult;
  /** Id of the `Reads` recorded by the full run this result descends from. */
  readsId?: string;
  /**
   * Files whose facts only moved since their references were resolved: current content hash -> the
   * hash their targets are cached under (the same references resolve to the same targets).
   */
  resolvedAs?: Record<string, [hash: string, resolvedAs: string]>;
}

/**
 * What the last full analysis read of the project beyond what every rule reads of every file
 * (see `inertChange`): per file, the declaration and export names it looked up; the files whose
 * declarations or exports it listed whole; how many classes and functions each name is declared
 * by, and how many exports each name has, project-wide.
 */
export interface Reads {
  id: string;
  names: Record<string, string[]>;
  whole: string[];
  declared: Record<string, number>;
  exported: Record<string, number>;
  /** Files whose references the consumer map followed (see `reachingFiles`): a reference into one can add a consumer. */
  reach?: string[];
  /** Files with `export … from` or `export *`: the only files that can be barrels of a legacy module. */
  reexporters?: string[];
  /** Reference targets of files changed since, by content hash (kept here, not in the resolution cache, to spare rewriting it). */
  targets?: Record<string, [hash: string, targets: RefTarget[]]>;
}

/**
 * The scopes the cutoff can judge an edit of each fact in (issue #20): a fact some enabled rule reads in
 * another scope is compared exactly, one no enabled rule reads is not compared at all. Exhaustive over
 * `FileFacts`: a new fact does not compile until it is classified here.
 */
const JUDGED: { readonly [K in keyof FileFacts]-?: readonly ReadScope[] } = {
  refs: ['unresolved', 'legacy', 'by-name', 'reach', 'implementation-modules', 'module-graph'],
  exports: ['by-name', 'roles', 'same-name'],
  starExports: [],
  decls: ['by-name', 'roles', 'same-name'],
  uses: ['by-name', 'reach', 'module-instances', 'module-graph'],
  state: [],
  units: ['by-name'],
  typeOnlyUses: ['module-graph'],
  parseError: [],
};

/**
 * How the cutoff compares each declaration field: a value, a start location (`loc`, moved with the
 * findings), or an end location (`extent`). Exhaustive over `DeclFact`, as `JUDGED` is over the facts.
 */
export const DECL_FIELDS: { readonly [K in keyof DeclFact]-?: 'value' | 'loc' | 'end' } = {
  name: 'value',
  kind: 'value',
  exported: 'value',
  loc: 'loc',
  extends: 'value',
  implements: 'value',
  methods: 'value',
  staticMethods: 'value',
  init: 'value',
  mutable: 'value',
  staticFields: 'value',
  singletonAccessor: 'value',
  setters: 'value',
  abstract: 'value',
  extent: 'end',
  deprecated: 'value',
  returns: 'value',
  sketch: 'value',
  delegates: 'value',
  fieldTypes: 'value',
  diSingleton: 'value',
};

/** What the result reads besides the rules: the coverage lists unresolved references and counts files that fail to parse. */
const COVERAGE_READS: RuleReads = { facts: { refs: ['unresolved'], parseError: ['every-file'] } };

/** The early cutoff derived from what the enabled rules read. */
export interface Cutoff {
  /** For each fact, the scopes some enabled rule reads it in; `every-file` when the cutoff must compare it exactly. */
  facts: { readonly [K in keyof FileFacts]-?: ReadonlySet<ReadScope> };
  /** Declaration fields no enabled rule reads: left out before two versions of a file's facts are compared. */
  unreadDeclFields: readonly (keyof DeclFact)[];
}

/**
 * The cutoff for a set of rules (the enabled ones), with groups discovered or configured: the union of
 * their `meta.reads` and the coverage's. A scope the cutoff cannot judge for a fact makes it compare that
 * fact exactly.
 */
export function cutoffOf(readers: readonly RuleReads[], discovering: boolean): Cutoff {
  const facts = Object.fromEntries(Object.keys(JUDGED).map((k) => [k, new Set<ReadScope>()])) as { [K in keyof FileFacts]-?: Set<ReadScope> };
  const read = new Set<keyof DeclFact>(['loc']);
  for (const r of [...readers, COVERAGE_READS]) {
    for (const [fact, scopes] of Object.entries(r.facts) as [keyof FileFacts, readonly ReadScope[]][]) {
      for (const scope of scopes) facts[fact].add((JUDGED[fact] as readonly ReadScope[]).includes(scope) ? scope : 'every-file');
    }
    for (const [field, when] of Object.entries(r.declFields ?? {}) as [keyof DeclFact, FieldRead][]) if (when === 'always' || discovering) read.add(field);
  }
  // Declarations read at all are compared by name and kind, whoever reads them.
  if (facts.decls.size) read.add('name').add('kind');
  return { facts, unreadDeclFields: (Object.keys(DECL_FIELDS) as (keyof DeclFact)[]).filter((k) => !read.has(k)) };
}

/** Every registered rule's declaration, groups discovered or configured: what the cutoff assumes when it is told nothing narrower. */
const ALL_RULES = { discovering: cutoffOf(rules.map((r) => r.meta.reads), true), configured: cutoffOf(rules.map((r) => r.meta.reads), false) };

/** The cutoff for the rules a config enables (severity not `off`, and among `only` when given), groups discovered when none is configured. */
export function cutoffFor(config: Pick<ResolvedConfig, 'rules' | 'groups'>, only?: readonly string[]): Cutoff {
  const enabled = rules.filter((r) => (!only || only.includes(r.id)) && (config.rules[r.id]?.severity ?? r.meta.severity) !== 'off');
  return cutoffOf(enabled.map((r) => r.meta.reads), config.groups.length === 0);
}

/**
 * The enabled rules (as `cutoffFor` counts them) that read some fact in `scope`: when an edit is inert to
 * every check but that scope's, only they can report differently, and only they run again (scan/reuse.ts).
 */
export function readersOf(config: Pick<ResolvedConfig, 'rules'>, only: readonly string[] | undefined, scope: ReadScope): string[] {
  return rules
    .filter((r) => (!only || only.includes(r.id)) && (config.rules[r.id]?.severity ?? r.meta.severity) !== 'off')
    .filter((r) => Object.values(r.meta.reads.facts).some((scopes) => scopes?.includes(scope)))
    .map((r) => r.id);
}

/** A file's facts without the declaration fields the cutoff's rules do not read, to compare two versions. */
export function withoutUnreadFacts(facts: FileFacts, cutoff: Cutoff): FileFacts {
  const unread = cutoff.unreadDeclFields;
  if (!unread.length || !facts.decls.some((d) => unread.some((k) => k in d))) return facts;
  return {
    ...facts,
    decls: facts.decls.map((d) => {
      if (!unread.some((k) => k in d)) return d;
      const copy = { ...d };
      for (const k of unread) delete copy[k];
      return copy;
    }),
  };
}

/**
 * A file's facts without what only discovery reads (issue 18), to compare versions when groups are
 * configured: the fields every registered rule's declaration reads only while groups are discovered.
 */
export function withoutDiscoveryFacts(facts: FileFacts): FileFacts {
  return withoutUnreadFacts(facts, ALL_RULES.configured);
}

/** Old start/end positions of one file's facts -> new ones. */
export interface LocMap {
  starts: Map<string, [number, number]>;
  ends: Map<string, [number, number]>;
}

/**
 * Whether two versions of a file's facts are the same but for locations, and if so how locations
 * moved. Findings are a function of facts, the resolution environment and the config, and take
 * their positions only from fact locations; so when every changed file keeps its facts up to
 * location, the previous result with those locations moved is exactly the result of a full run.
 */
export function sameButLocations(before: FileFacts, after: FileFacts): LocMap | undefined {
  const map: LocMap = { starts: new Map(), ends: new Map() };
  return locationFree(map)(before, after) ? map : undefined;
}

/**
 * A comparison of two fact values that ignores `loc` fields, recording in `map` how each location
 * moved; false when they differ otherwise, or when one old position would move to two new ones.
 */
function locationFree(map: LocMap): (x: unknown, y: unknown) => boolean {
  const put = (m: Map<string, [number, number]>, key: string, value: [number, number]): boolean => {
    const had = m.get(key);
    if (had && (had[0] !== value[0] || had[1] !== value[1])) return false;
    m.set(key, value);
    return true;
  };
  const walk = (x: unknown, y: unknown): boolean => {
    if (x === y) return true;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (!walk(x[i], y[i])) return false;
      return true;
    }
    const a = x as Record<string, unknown>;
    const b = y as Record<string, unknown>;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) {
      if (!(k in b)) return false;
      if (k === 'loc') {
        const p = a.loc as Loc;
        const q = b.loc as Loc;
        if (!put(map.starts, `${p.line}:${p.column}`, [q.line, q.column]) || !put(map.ends, `${p.endLine}:${p.endColumn}`, [q.endLine, q.endColumn])) return false;
      } else if (k in DECL_FIELDS && DECL_FIELDS[k as keyof DeclFact] === 'end') {
        // Where a declaration ends (discovery's facts) is a location too.
        const p = a[k] as { endLine: number; endColumn: number };
        const q = b[k] as { endLine: number; endColumn: number };
        if (!put(map.ends, `${p.endLine}:${p.endColumn}`, [q.endLine, q.endColumn])) return false;
      } else if (!walk(a[k], b[k])) return false;
    }
    return true;
  };
  return walk;
}

/** Where a file's reference leads, as the resolution cache stores it: a root-relative scanned file, `!pkg`, an absolute path outside the scan, or 0 (unresolved). */
export type RefTarget = CachedTargets[number];

/** The lookups an inert edit must stay clear of, for one file, and what it needs to judge references. */
export interface FileReads {
  /** Declaration and export names of this file that the analysis looked up. */
  names: ReadonlySet<string>;
  /** Whether the analysis listed this file's declarations or exports whole. */
  whole: boolean;
  /** Whether another file declares a class or function of this name (name-collision matches exports against them). */
  declaredElsewhere: (name: string) => boolean;
  /** Whether another file exports this name. */
  exportedElsewhere: (name: string) => boolean;
  /** Whether the name is a role's: an implementation's name, or one a group's `role.names` globs match. */
  roleName: (name: string) => boolean;
  /** The targets of the file's previous references (from the resolution cache), if known. */
  previousTargets: () => readonly RefTarget[] | undefined;
  /** Resolves a specifier from this file. */
  resolve: (specifier: string) => RefTarget;
  /** Whether some group's legacy module is reached by this reference of the file. */
  legacy: (ref: ModuleRef, target: RefTarget) => boolean;
  /**
   * Whether a reference of this file to a scanned file can be added or removed without changing what
   * the consumer map, the legacy barrels and the shared-state scope see. The caller records the edge:
   * whether it closes or opens an import cycle can only be told once every changed file is known
   * (see `edgeOnNoCycle`).
   */
  projectRef: (ref: ModuleRef, target: string, change: 'added' | 'removed') => boolean;
  /**
   * Whether a call or `new` of a name this file imports from the scanned file `target` (export `name`,
   * or the namespace itself when undefined) resolves outside the consumer map's reach, to a declaration
   * of `target` itself or to nothing; the caller records the lookups a full run would make and that
   * the import's edge must lie on no cycle (its names' type-only status matters only on a cycle).
   */
  projectUse: (target: string, name: string | undefined) => boolean;
  /** What the enabled rules read (`cutoffFor`); every registered rule's reads when absent. */
  cutoff?: Cutoff;
}

/** `FileReads` for one file, from the recorded reads, the file's previous facts, and the project's tests. */
export function fileReads(
  reads: Reads,
  rel: string,
  previous: FileFacts,
  project: Pick<FileReads, 'roleName' | 'previousTargets' | 'resolve' | 'legacy' | 'projectRef' | 'projectUse' | 'cutoff'>,
): FileReads {
  const countIn = (list: { name: string }[], name: string): number => list.reduce((n, x) => n + (x.name === name ? 1 : 0), 0);
  const ownDeclared = previous.decls.filter((d) => d.kind === 'class' || d.kind === 'function');
  return {
    names: new Set(own(reads.names, rel) ?? []),
    whole: reads.whole.includes(rel),
    declaredElsewhere: (name) => countOf(reads.declared, name) - countIn(ownDeclared, name) > 0,
    exportedElsewhere: (name) => countOf(reads.exported, name) - countIn(previous.exports, name) > 0,
    ...project,
  };
}

/** An entry of a record read from JSON, as an own property only: keys such as `toString` must not reach Object.prototype. */
export const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined => (record && Object.hasOwn(record, key) ? record[key] : undefined);

/** A count from a name-keyed record read from JSON. */
const countOf = (record: Record<string, number>, name: string): number => own(record, name) ?? 0;

/** Adds names to those recorded as read in a file: a later edit of any of them takes a full run. */
export function addReadNames(reads: Reads, file: string, names: Iterable<string>): void {
  reads.names[file] = [...new Set([...(own(reads.names, file) ?? []), ...names])];
}

const leavesScan = (t: RefTarget | undefined): boolean => typeof t !== 'string' || t.startsWith('!') || path.isAbsolute(t);

/** Reference kinds that bind local names, as the project model binds them. */
const BINDING_KINDS = new Set(['import', 'import-equals', 'require']);

/**
 * Every name a file's facts refer to by local name, but for calls: what the project model may resolve
 * in it besides use heads (which `inertChange` checks one by one). (`typeOnlyUses` is not resolved:
 * the import-cycle rule reads it only for the names of references on a cycle, which a name bound once
 * by another reference is not.)
 */
function referencedNames(facts: FileFacts): Set<string> {
  const head = (name: string): string => name.split('.')[0]!;
  const names = new Set<string>();
  for (const d of facts.decls) {
    names.add(d.name);
    for (const n of [...(d.extends ?? []), ...(d.implements ?? [])]) names.add(head(n));
    if (d.init?.target) names.add(head(d.init.target));
  }
  for (const e of facts.exports) if (e.local) names.add(e.local);
  return names;
}

/**
 * Whether the names a reference binds are read by the analysis only as callees: each bound by this
 * reference only, and none declared, extended, aliased or exported by the file. The model resolves
 * local names only from those places and from calls, so apart from the calls (checked by the caller)
 * such a reference changes no answer it gives about the file.
 */
function bindsOnlyCalledNames(facts: FileFacts, ref: ModuleRef): boolean {
  if (!BINDING_KINDS.has(ref.kind)) return true;
  const locals = ref.names.filter((n) => n.local !== '*').map((n) => n.local);
  if (locals.length === 0) return true;
  const referenced = referencedNames(facts);
  const bound = new Map<string, number>();
  for (const r of facts.refs) if (BINDING_KINDS.has(r.kind)) for (const n of r.names) if (n.local !== '*') bound.set(n.local, (bound.get(n.local) ?? 0) + 1);
  return locals.every((l) => !referenced.has(l) && bound.get(l) === 1);
}

/**
 * Whether an import edge `from -> to` added to (or removed from) the module graph lies on no cycle
 * of the graph it belongs to: true when `to` cannot reach `from` there. If every added edge lies on
 * no cycle of the new graph and every removed one on no cycle of the old, both graphs have the same
 * cycles (those of the edges they share), so the same strongly connected components with the same
 * edges inside them, and the import-cycle rule reports the same. `targetsOf` gives a file's
 * reference targets in that graph, or undefined when unknown (then the answer is no).
 */
export function edgeOnNoCycle(targetsOf: (rel: string) => readonly RefTarget[] | undefined, from: string, to: string): boolean {
  if (from === to) return false;
  const seen = new Set([to]);
  const queue = [to];
  while (queue.length) {
    const targets = targetsOf(queue.pop()!);
    if (!targets) return false;
    for (const t of targets) {
      if (leavesScan(t)) continue;
      const next = t as string;
      if (next === from) return false;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return true;
}

/** How a local name is bound by imports: how many bindings, whether all leave the scan, and the last one's target and imported name. */
interface LocalBinding {
  count: number;
  external: boolean;
  target: RefTarget | undefined;
  imported: string;
}

/**
 * Locals bound as the project model binds them (import, import =, require). Without the targets,
 * the names are still known, but none counts as leaving the scan.
 */
function bindingsOf(facts: FileFacts, targets: readonly RefTarget[] | undefined): Map<string, LocalBinding> {
  const bindings = new Map<string, LocalBinding>();
  facts.refs.forEach((ref, i) => {
    if (!BINDING_KINDS.has(ref.kind)) return;
    for (const n of ref.names) {
      if (n.local === '*') continue;
      const b = bindings.get(n.local);
      const target = targets?.[i];
      bindings.set(n.local, { count: (b?.count ?? 0) + 1, external: (b?.external ?? true) && targets !== undefined && leavesScan(target), target, imported: n.imported });
    }
  });
  return bindings;
}

/**
 * Whether a file's new facts differ from its old ones only by *inert* items, and if so how the
 * locations of everything else moved, with the targets of the new references. Early cutoff: such an
 * edit cannot change the analysis, so the previous result, re-positioned, is exactly what a full run
 * would give.
 *
 * Inert items:
 * - a reference that no group's legacy module matches, in a file without re-exports (whose exports
 *   would point into the references by index), either leaving the scan (a package, a file outside
 *   the root, nothing) -- the names it binds resolve to nothing in the project, as unbound names do --
 *   or to a scanned file that is not in the consumer map's reach, re-exports nothing, from a file
 *   that declares no implementation, binding only names the file never refers to, and on no import
 *   cycle (`edgeOnNoCycle`, checked by the caller);
 * - a call or `new` (a use) whose callee is a global (bound by no import and not declared), or is
 *   bound by exactly one import, of a package, or of a scanned file outside the consumer map's reach
 *   whose export of that name is its own declaration (or nothing), through an import on no cycle --
 *   except a module-level `new` of a project class, which makes the class shared;
 * - a type-only use of a name bound only by package imports, or by such a project import;
 * - a declaration that is an interface or type without `extends`, an enum, a `const` whose
 *   initializer is a literal, object, array, call, `new` or other plain expression (not an alias;
 *   the call or `new` itself is a use, judged as above), or a function (declared or a `const` arrow) whose name is no role's and that no other
 *   file declares or exports; with no methods, heritage or static members; whose name no other
 *   declaration of the file has and the last full analysis never looked up in this file;
 * - an export of such a declaration under a name unique among the file's exports and never looked
 *   up (and, for a function, no role's and not declared or exported elsewhere), when the analysis
 *   never listed the file's exports or declarations whole.
 * Everything else (`export *`, module state, parse errors, other references, uses and declarations)
 * must be equal up to location.
 *
 * Why that is enough: the analysis reads references by resolved target (a package reaches nothing
 * but a package legacy module; a scanned file only the consumer map within its reach, barrels, which
 * re-export, the shared-state scope, which follows implementations' files, and the import graph),
 * names bound by imports only when resolving a name the file refers to, uses only through the project model's `resolveCallee` or after
 * checking that the callee's binding reaches a scanned file, and type-only uses only for references
 * in import cycles (between scanned files). It reads declarations and exports only (1) by name
 * through the project model (recorded), (2) whole through the model (recorded), or (3) in passes
 * over every file that keep only classes, object factories, functions whose name a role glob
 * matches, declarations with methods or heritage, `new`-initialized or mutable variables, aliases,
 * and exports whose name another file declares as a class or function (none of which an inert item
 * is). The equivalence tests in test/incremental.test.ts check the claim against full runs on
 * random edits.
 */
export function inertChange(before: FileFacts, after: FileFacts, reads: FileReads): { map: LocMap; targets?: RefTarget[] } | undefined {
  const cutoff = reads.cutoff ?? ALL_RULES.discovering;
  /** Whether some enabled rule reads `fact` in `scope` (then the check of that scope is made). */
  const on = (fact: keyof FileFacts, scope: ReadScope): boolean => cutoff.facts[fact].has(scope);
  const read = (fact: keyof FileFacts): boolean => cutoff.facts[fact].size > 0;
  const map: LocMap = { starts: new Map(), ends: new Map() };
  const same = locationFree(map);
  // Facts compared whole: read in a scope the cutoff cannot judge (`every-file`); facts no enabled rule reads are not compared.
  for (const k of Object.keys(JUDGED) as (keyof FileFacts)[]) {
    if (on(k, 'every-file') && (k === 'parseError' ? before.parseError || after.parseError : !same(before[k], after[k]))) return undefined;
  }

  // References: equal, or differing only by package references in a file that re-exports nothing.
  /** Names bound by an added or removed project reference: the model resolves them only as callees, each checked below. */
  const reboundLocals = new Set<string>();
  let targetsBefore: readonly RefTarget[] | undefined;
  let targetsAfter: RefTarget[] | undefined;
  const beforeTargets = (): readonly RefTarget[] | undefined => (targetsBefore ??= reads.previousTargets());
  const projectRefRead = on('refs', 'reach') || on('refs', 'legacy') || on('refs', 'implementation-modules') || on('refs', 'module-graph');
  if (read('refs') && !sameLocationFree(before.refs, after.refs)) {
    const reexports = (f: FileFacts): boolean => f.starExports.length > 0 || f.exports.some((e) => e.ref !== undefined);
    const old = beforeTargets();
    if (!old || reexports(before) || reexports(after)) return undefined;
    const oldTarget = new Map(before.refs.map((r, i) => [r, old[i]]));
    targetsAfter = after.refs.map((r) => reads.resolve(r.specifier));
    const newTarget = new Map(after.refs.map((r, i) => [r, targetsAfter![i]]));
    const ok = (facts: FileFacts, change: 'added' | 'removed', t: RefTarget | undefined) => (r: ModuleRef): boolean => {
      // An unresolved reference or a package not installed is in the coverage: not inert (issue 16).
      if (t === undefined || t === 0 || t.startsWith('!!')) return !on('refs', 'unresolved');
      if (on('refs', 'legacy') && reads.legacy(r, t)) return false;
      if (leavesScan(t)) return true;
      if (on('refs', 'by-name') && !bindsOnlyCalledNames(facts, r)) return false;
      if (projectRefRead && !reads.projectRef(r, t as string, change)) return false;
      if (BINDING_KINDS.has(r.kind)) for (const n of r.names) reboundLocals.add(n.local);
      return true;
    };
    if (!align(before.refs, after.refs, same, (r) => ok(before, 'removed', oldTarget.get(r))(r), (r) => ok(after, 'added', newTarget.get(r))(r))) return undefined;
  } else if (read('refs') && !same(before.refs, after.refs)) return undefined;

  // Uses and type-only uses: equal, but for globals, names bound only by package imports, and calls
  // of project imports that resolve outside the consumer map's reach.
  let bindings: [Map<string, LocalBinding>, Map<string, LocalBinding>] | undefined;
  const bound = (): typeof bindings & object => {
    if (bindings) return bindings;
    const old = beforeTargets();
    return (bindings = [bindingsOf(before, old), bindingsOf(after, targetsAfter ?? (old && [...old]))]);
  };
  const external = (which: 0 | 1, name: string): boolean => {
    const b = bound()[which].get(name);
    return !!b && b.count === 1 && b.external;
  };
  /** Names whose project import became or stopped being used by a call: the import's edge must lie on no cycle. */
  const projectUsed = new Set<string>();
  const declared = new Set([...before.decls.map((d) => d.name), ...after.decls.map((d) => d.name)]);
  const useOk = (which: 0 | 1) => (u: UseFact): boolean => {
    const dot = u.callee.indexOf('.');
    const head = dot < 0 ? u.callee : u.callee.slice(0, dot);
    if (declared.has(head)) return !on('uses', 'by-name') && !on('uses', 'module-instances');
    const b = bound()[which].get(head);
    if (!b) return true; // a global (`console.log`, `setTimeout`): resolves to nothing either way
    if (b.count !== 1) return !on('uses', 'by-name') && !on('uses', 'module-instances');
    if (b.external) return true;
    // One import of a scanned file. A module-level `new` makes its class shared (shared-state): not inert.
    if (b.target === undefined || leavesScan(b.target)) return false;
    if (u.kind === 'new' && u.moduleLevel && on('uses', 'module-instances')) return false;
    const name = b.imported === '*' ? (dot < 0 ? undefined : u.callee.slice(dot + 1)) : b.imported;
    if ((on('uses', 'reach') || on('uses', 'by-name') || on('uses', 'module-graph')) && !reads.projectUse(b.target as string, name)) return false;
    projectUsed.add(head);
    return true;
  };
  if (read('uses') && !align(before.uses, after.uses, same, useOk(0), useOk(1))) return undefined;
  // Uses kept as they were, whose callee an added or removed import binds: each must resolve as an added one may.
  for (const which of [0, 1] as const) {
    if (!read('uses')) break;
    for (const u of (which ? after : before).uses) if (reboundLocals.has(u.callee.split('.')[0]!) && !useOk(which)(u)) return undefined;
  }
  // Units (request reachability): equal, or differing by calls of package imports and globals, and by units no one
  // in the file calls that handle nothing (a new helper). Their state writes are in `state`, compared whole.
  if (on('units', 'by-name') && !same(before.units, after.units)) {
    const callOk = (which: 0 | 1) => (call: string): boolean => {
      const head = call.split('.')[0]!;
      if (head === 'this' || declared.has(head)) return false;
      const b = bound()[which].get(head);
      return !b || (b.count === 1 && b.external);
    };
    const called = new Set([...before.units, ...after.units].flatMap((u) => u.calls.map((c) => c.split('.')[0]!)));
    const olds = new Map(before.units.map((u) => [u.name, u]));
    const news = new Map(after.units.map((u) => [u.name, u]));
    const lone = (u: UnitFact): boolean => !u.handler && !u.writesThis && !called.has(u.name.split('.')[0]!);
    for (const [name, u] of news) {
      const o = olds.get(name);
      if (!o) {
        if (!lone(u)) return undefined;
        continue;
      }
      if (o.handler !== u.handler || o.writesThis !== u.writesThis) return undefined;
      if (!o.calls.filter((c) => !u.calls.includes(c)).every(callOk(0)) || !u.calls.filter((c) => !o.calls.includes(c)).every(callOk(1))) return undefined;
    }
    for (const [name, o] of olds) if (!news.has(name) && !lone(o)) return undefined;
  }
  if (read('typeOnlyUses') && !same(before.typeOnlyUses, after.typeOnlyUses)) {
    const kept = (list: string[]): string[] => list.filter((n) => !(external(0, n) || external(1, n) || reboundLocals.has(n) || projectUsed.has(n))).sort();
    if (!sameLocationFree(kept(before.typeOnlyUses), kept(after.typeOnlyUses))) return undefined;
  }

  const named = (fact: 'decls' | 'exports'): boolean => on(fact, 'by-name');
  const declOk = (d: DeclFact, facts: FileFacts): boolean =>
    inertDecl(d, reads, cutoff) && !(named('decls') && (reads.names.has(d.name) || facts.decls.filter((o) => o.name === d.name).length !== 1));
  const exportOk = (e: ExportFact, facts: FileFacts): boolean => {
    if (named('exports')) {
      if (reads.whole || e.ref !== undefined || e.imported !== undefined || !e.local || e.name === 'default' || e.name === '=') return false;
      if (reads.names.has(e.name) || facts.exports.filter((o) => o.name === e.name).length !== 1) return false;
    }
    if (on('exports', 'same-name') && reads.declaredElsewhere(e.name)) return false;
    const local = facts.decls.filter((d) => d.name === e.local);
    if (local.length !== 1 || !inertDecl(local[0]!, reads, cutoff)) return !named('exports') && !on('exports', 'roles') && !on('exports', 'same-name');
    return local[0]!.kind !== 'function' || !((on('exports', 'roles') && reads.roleName(e.name)) || (on('exports', 'same-name') && reads.exportedElsewhere(e.name)));
  };
  if (read('decls') && !align(before.decls, after.decls, same, (d) => declOk(d, before), (d) => declOk(d, after))) return undefined;
  if (read('exports') && !align(before.exports, after.exports, same, (e) => exportOk(e, before), (e) => exportOk(e, after))) return undefined;
  return targetsAfter ? { map, targets: targetsAfter } : { map };
}

/** Pairs equal items of two lists in order; every unpaired item must pass `removedOk` (old) or `addedOk` (new). */
function align<T>(old: readonly T[], now: readonly T[], same: (x: unknown, y: unknown) => boolean, removedOk: (x: T) => boolean, addedOk: (x: T) => boolean): boolean {
  let i = 0;
  let j = 0;
  while (i < old.length || j < now.length) {
    if (i < old.length && j < now.length && sameLocationFree(old[i], now[j])) {
      if (!same(old[i], now[j])) return false; // one old position would move to two new ones
      i++;
      j++;
    } else if (j < now.length && addedOk(now[j]!)) j++;
    else if (i < old.length && removedOk(old[i]!)) i++;
    else return false;
  }
  return true;
}

/** Equality up to locations, without recording moves (to decide a pairing before committing it). */
function sameLocationFree(x: unknown, y: unknown): boolean {
  return locationFree({ starts: new Map(), ends: new Map() })(x, y);
}

/** Whether a declaration can be added or removed unseen by every enabled rule that reads declarations in the `roles` and `same-name` scopes. */
function inertDecl(d: DeclFact, reads: FileReads, cutoff: Cutoff): boolean {
  const roles = cutoff.facts.decls.has('roles');
  const sameName = cutoff.facts.decls.has('same-name');
  if (roles && (d.methods?.length || d.staticMethods?.length || d.extends?.length || d.implements?.length || d.staticFields?.length || d.singletonAccessor || d.setters?.length)) return false;
  if (d.kind === 'interface' || d.kind === 'type' || d.kind === 'enum') return true;
  if (d.kind === 'function') return !(roles && (d.mutable || reads.roleName(d.name))) && !(sameName && (reads.declaredElsewhere(d.name) || reads.exportedElsewhere(d.name)));
  // A call or `new` initializer is judged as a use (`useOk`); the declaration itself is read by no rule
  // (shared-state names a module-level instance after it, but only once its `new` resolves to a project class).
  if (d.kind === 'variable' && d.init?.kind === 'alias') return !cutoff.facts.decls.has('by-name');
  return !roles || (d.kind === 'variable' && !d.mutable && (d.init === undefined || ['literal', 'object', 'array', 'other', 'call', 'new'].includes(d.init.kind)));
}

/** The previous result with the findings, related locations and implementations of moved files re-positioned; undefined if a position cannot be mapped. */
export function remapResult(result: ScanResult, moved: Map<string, LocMap>): ScanResult | undefined {
  const start = (file: string, line: number, column: number): [number, number] | undefined => {
    const m = moved.get(file);
    return m ? m.starts.get(`${line}:${column}`) : [line, column];
  };
  const findings = [];
  for (const f of result.findings) {
    const m = moved.get(f.file);
    let next = f;
    if (m) {
      const s = m.starts.get(`${f.line}:${f.column}`);
      if (!s) return undefined;
      const e = m.ends.get(`${f.endLine}:${f.endColumn}`) ?? (f.endLine === f.line ? [s[0], s[1] + (f.endColumn - f.column)] : undefined);
      if (!e) return undefined;
      next = { ...f, line: s[0], column: s[1], endLine: e[0], endColumn: e[1] };
    }
    if (next.related?.some((r) => moved.has(r.file))) {
      const related = [];
      for (const r of next.related) {
        const s = start(r.file, r.line, r.column);
        if (!s) return undefined;
        related.push({ ...r, line: s[0], column: s[1] });
      }
      next = { ...next, related };
    }
    findings.push(next);
  }
  const groups = [];
  for (const g of result.groups) {
    const implementations = [];
    for (const impl of g.implementations) {
      const s = start(impl.file, impl.line, impl.column);
      if (!s) return undefined;
      implementations.push(s[0] === impl.line && s[1] === impl.column ? impl : { ...impl, line: s[0], column: s[1] });
    }
    groups.push({ ...g, implementations });
  }
  return { ...result, findings: sortFindings(findings), groups };
}
