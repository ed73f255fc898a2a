import { createHash } from 'node:crypto';
import path from 'node:path';
import picomatch from 'picomatch';
import type { ResolvedConfig } from '../config/load-config.js';
import { hasReexports } from '../analyze/consumer-index.js';
import { legacyMatcher, type LegacyMatcher } from '../analyze/legacy-matcher.js';
import type { Analysis } from '../analyze/analyze.js';
import { addReadNames, cutoffFor, edgeOnNoCycle, fileReads, inertChange, own, readersOf, remapResult, sameButLocations, withoutUnreadFacts, type Cutoff, type LocMap, type Reads, type RefTarget, type Snapshot } from '../incremental.js';
import { sortFindings, summarize, type ScanResult } from '../scan-result.js';
import { toolVersion } from '../tool-version.js';
import type { FileFacts, ModuleRef } from '../types.js';
import { mark } from '../timing.js';
import { extractAll } from './extract-parallel.js';
import { CACHE_VERSION } from './scan-cache.js';
import { targetResolver, type Inventory, type Project, type ResolvedRef } from './scan-project.js';
import { TsconfigIndex } from './tsconfig-index.js';
import { readWorkspaces } from './workspace-index.js';

/**
 * The reuse stage (issue #20): the last full result is cached with the content hash of every file.
 * Unchanged files cost a stat, and changed files whose facts moved, or changed only by items no rule
 * reads (incremental.ts), cost a parse each; an edit inert to every rule but those that read the module
 * graph (an import on a cycle) costs the project and those rules; anything else takes a full run.
 */

/** Facts parsed while judging an edit, by root-relative path: the project, if it is loaded later, takes them instead of parsing again. */
export type ParsedFacts = Map<string, { hash: string; facts: FileFacts }>;

/** The cache key of a result: what it depends on besides the files' contents. */
export function resultKey(inventory: Inventory, config: ResolvedConfig, only: readonly string[] | undefined): string {
  return createHash('sha1').update(`${CACHE_VERSION}\0${toolVersion()}\0${inventory.environment}\0${JSON.stringify(config)}\0${only?.join(',') ?? ''}`).digest('base64url');
}

/** Every file's content hash (or why it was skipped), as the snapshot keeps them. */
function fileHashes(inventory: Inventory): Record<string, string> {
  return Object.fromEntries(inventory.entries.map((e) => [e.rel, e.hash ?? `skip:${e.skip?.reason}`]));
}

/** What the reuse stage gives back: the last result, whole or but for some rules that must run again. */
export type Reuse =
  | { result: ScanResult; rerun?: undefined }
  | {
      /**
       * The enabled rules that read the only part of the facts the edit changed (the module graph: an import
       * that is inert to every other rule but lies on a cycle): they run again on the project, every other
       * rule's findings are kept; `complete` returns the result and saves it, as a full run does.
       */
      rerun: readonly string[];
      complete: (project: Project) => Promise<ScanResult>;
    };

/**
 * The last result, when it still holds for this inventory, or holds but for the rules in `rerun`; the
 * snapshot is updated and the cache saved (after those rules ran). Undefined when a full run is needed.
 * Either way, the changed files parsed to judge the edit are in `parsed`, for the project to take (each
 * file is parsed at most once per run).
 */
export async function reuseResult(
  inventory: Inventory,
  config: ResolvedConfig,
  key: string,
  parsed: ParsedFacts,
  options: { only?: readonly string[] | undefined; threads?: number | undefined } = {},
): Promise<Reuse | undefined> {
  const cache = inventory.cache;
  const snapshot = cache?.getResult<Snapshot>(key);
  if (!snapshot) return undefined;
  const files = fileHashes(inventory);
  const reused = await reuseSnapshot(snapshot, inventory, files, options.threads, config, options.only, parsed);
  if (!reused) return undefined;
  const save = (result: ScanResult): void => {
    try {
      if (reused.reads) cache!.setReads(reused.reads);
      // Nothing changed: the stored snapshot is still exact (rewriting it costs 5 MB of JSON at 10,000 files).
      if (result.coverage.reused !== 'unchanged') {
        cache!.setResult(key, {
          files,
          result,
          ...(snapshot.readsId ? { readsId: snapshot.readsId } : {}),
          ...(reused.resolvedAs ? { resolvedAs: reused.resolvedAs } : {}),
        } satisfies Snapshot);
      }
      cache!.save();
    } catch {
      /* read-only cache */
    }
  };
  const { result, rerun } = reused;
  if (!rerun?.length) {
    save(result);
    mark('reused the previous result');
    return { result };
  }
  return {
    rerun,
    complete: async (project) => {
      // Loaded here, as a full run loads them: a run that reuses the whole result never needs them.
      const [{ analyzeLazily }, { runRules }] = await Promise.all([import('../analyze/analyze.js'), import('../rules/run-rules.js')]);
      // Groups and the consumer map are built only if one of these rules reads them (import-cycle does not).
      const analysis = analyzeLazily(project, config);
      const findings = sortFindings([...result.findings, ...runRules(analysis, rerun)]);
      // What these rules looked up now counts as read, as after a full run: a later edit of it is judged by them.
      const { names, whole } = analysis.model.reads();
      const reads = reused.reads;
      if (reads) {
        for (const [file, read] of names) addReadNames(reads, file, read);
        reads.whole = [...new Set([...reads.whole, ...whole])];
      }
      const complete: ScanResult = { ...result, findings, summary: summarize(findings) };
      save(complete);
      mark(`rules run again: ${rerun.join(', ')}`);
      return complete;
    },
  };
}

/** Keeps a full run's result, and what its analysis read, for the next run to reuse. */
export function rememberResult(inventory: Inventory, key: string, result: ScanResult, analysis: Analysis): void {
  const cache = inventory.cache;
  if (!cache) return;
  try {
    const reads = recordedReads(analysis);
    cache.setReads(reads);
    cache.setResult(key, { files: fileHashes(inventory), result, readsId: reads.id } satisfies Snapshot);
  } catch {
    /* read-only cache */
  }
}

/** What the analysis read by name or whole, for early cutoff on later edits (see `inertChange`). */
function recordedReads(analysis: Analysis): Reads {
  const { names, whole } = analysis.model.reads();
  const declared: Record<string, number> = Object.create(null) as Record<string, number>;
  const exported: Record<string, number> = Object.create(null) as Record<string, number>;
  const reexporters: string[] = [];
  for (const f of analysis.project.files.values()) {
    for (const d of f.facts.decls) if (d.kind === 'class' || d.kind === 'function') declared[d.name] = (declared[d.name] ?? 0) + 1;
    for (const e of f.facts.exports) exported[e.name] = (exported[e.name] ?? 0) + 1;
    if (hasReexports(f.facts)) reexporters.push(f.rel);
  }
  return {
    id: `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    names: Object.fromEntries([...names].map(([file, set]) => [file, [...set]])),
    whole: [...whole],
    declared,
    exported,
    reach: [...analysis.reach],
    reexporters,
  };
}

/** At most this many changed files are checked for moved or inert facts before falling back to a full run. */
const QUICK_MAX_CHANGED = 32;

/**
 * The previous result, valid again if every changed file's facts only moved or changed by inert items
 * (incremental.ts), with the snapshot's updated `resolvedAs`; undefined when a full run is needed.
 */
async function reuseSnapshot(
  snapshot: Snapshot,
  inventory: Inventory,
  files: Record<string, string>,
  threads: number | undefined,
  config: ResolvedConfig,
  only: readonly string[] | undefined,
  parsed: ParsedFacts,
): Promise<{ result: ScanResult; resolvedAs?: Snapshot['resolvedAs']; reads?: Reads; rerun?: readonly string[] } | undefined> {
  const cutoff: Cutoff = cutoffFor(config, only);
  const rels = Object.keys(files);
  if (rels.length !== Object.keys(snapshot.files).length) return undefined;
  const changed = inventory.entries.filter((e) => files[e.rel] !== snapshot.files[e.rel]);
  const coverage = { ...snapshot.result.coverage, cached: snapshot.result.coverage.parsed + snapshot.result.coverage.failed - changed.length };
  if (changed.length === 0) return { result: { ...snapshot.result, coverage: { ...coverage, reused: 'unchanged' } }, ...(snapshot.resolvedAs ? { resolvedAs: snapshot.resolvedAs } : {}) };
  if (changed.length > QUICK_MAX_CHANGED || changed.some((e) => e.skip || !(e.rel in snapshot.files) || snapshot.files[e.rel]!.startsWith('skip:'))) return undefined;
  // The coverage lists unresolved references by line: a changed file holding one takes a full run.
  const listed = new Set(snapshot.result.coverage.unresolved?.map((u) => u.file));
  if (changed.some((e) => listed.has(e.rel))) return undefined;
  const cache = inventory.cache!;
  const previous = changed.map((e) => cache.previousFacts(e.rel));
  if (previous.some((p, i) => !p || p[0] !== snapshot.files[changed[i]!.rel])) return undefined;
  const extracted = await extractAll(changed.map((e) => ({ abs: e.abs, size: e.size, ...(e.text !== undefined ? { text: e.text } : {}) })), threads === undefined ? {} : { threads });
  extracted.forEach((facts, i) => {
    if (!('unreadable' in facts)) parsed.set(changed[i]!.rel, { hash: changed[i]!.hash!, facts });
  });
  const moved = new Map<string, LocMap>();
  /** The changed files' previous content hashes, and the new targets of those whose references changed: for the import-cycle check of edges added or removed. */
  const oldHashes = new Map<string, string>();
  const oldOf = new Map<string, () => readonly RefTarget[] | undefined>();
  const newTargets = new Map<string, readonly RefTarget[] | undefined>();
  const edges: { from: string; to: string; change: 'added' | 'removed' }[] = [];
  let reads: Reads | undefined;
  let helpers: ProjectHelpers | undefined;
  let readsChanged = false;
  /** Rules to run again: set when the only check an edit failed is the module graph's. */
  let rerun: readonly string[] | undefined;
  const resolvedAs: NonNullable<Snapshot['resolvedAs']> = { ...snapshot.resolvedAs };
  /**
   * A file's reference targets for one version (content hash): kept with the reads (files changed by
   * inert edits since the full run), or in the resolution cache under that hash or, for a file whose
   * facts only moved since, under the hash it was resolved as.
   */
  const targetsFor = (rel: string, hash: string): readonly RefTarget[] | undefined => {
    const kept = own(reads?.targets, rel);
    if (kept && kept[0] === hash) return kept[1];
    const alias = own(snapshot.resolvedAs, rel);
    if (alias && alias[0] === hash) return kept && kept[0] === alias[1] ? kept[1] : cache.getTargets(rel, alias[1]);
    return cache.getTargets(rel, hash);
  };
  for (let i = 0; i < changed.length; i++) {
    const facts = extracted[i]!;
    if ('unreadable' in facts) return undefined;
    const rel = changed[i]!.rel;
    oldHashes.set(rel, previous[i]![0]);
    cache.setFacts(rel, changed[i]!.hash!, facts);
    // Declaration fields no enabled rule reads (with groups configured, discovery's sketches and extents, which change on any body edit) are not compared.
    const view = (f: FileFacts): FileFacts => withoutUnreadFacts(f, cutoff);
    let map = sameButLocations(view(previous[i]![1]), view(facts));
    if (!map) {
      // Facts changed: still the same result if the edit only added or removed inert items.
      if (!snapshot.readsId) return undefined;
      reads ??= cache.getReads<Reads>();
      if (reads?.id !== snapshot.readsId) return undefined;
      helpers ??= projectHelpers(snapshot.result, config, inventory);
      const oldHash = previous[i]![0];
      const previousTargets = (): readonly RefTarget[] | undefined => targetsFor(rel, oldHash);
      const inert = inertChange(view(previous[i]![1]), view(facts), fileReads(reads, rel, previous[i]![1], {
        cutoff,
        roleName: helpers.roleName,
        previousTargets,
        resolve: (specifier) => helpers!.resolve(changed[i]!.abs, specifier),
        legacy: (ref, target) => helpers!.legacy(rel, ref, target),
        projectRef: (_ref, target, change) => {
          if (!helpers!.projectRefOk(reads!, rel, target)) return false;
          edges.push({ from: rel, to: target, change });
          return true;
        },
        projectUse: (target, name) => {
          if (!helpers!.projectUseOk(reads!, target, name, files[target])) return false;
          edges.push({ from: rel, to: target, change: 'added' }, { from: rel, to: target, change: 'removed' });
          return true;
        },
      }));
      if (!inert) return undefined;
      map = inert.map;
      // The new version's targets, so that a later edit of this file can be judged the same way.
      const targets = inert.targets ?? previousTargets();
      const old = previousTargets; // before the kept targets are replaced below
      const kept = own(reads.targets, rel);
      oldOf.set(rel, () => (kept && kept[0] === oldHash ? kept[1] : old()));
      newTargets.set(rel, targets);
      if (targets) (reads.targets ??= {})[rel] = [changed[i]!.hash!, [...targets]];
      delete resolvedAs[rel];
      // From now on the file's current names count as read: a later edit of them takes a full run.
      // (Use heads too: a full run resolves each in this file.)
      addReadNames(reads, rel, [...facts.decls.map((d) => d.name), ...facts.exports.map((e) => e.name), ...facts.uses.map((u) => u.callee.split('.')[0]!)]);
      readsChanged = true;
    } else {
      // Same references, so the same targets as the version they were resolved for.
      const alias = own(resolvedAs, rel);
      resolvedAs[rel] = [changed[i]!.hash!, alias && alias[0] === previous[i]![0] ? alias[1] : previous[i]![0]];
    }
    moved.set(rel, map);
  }
  if (edges.length) {
    const targetsOf = (rel: string, hash: string | undefined): readonly RefTarget[] | undefined =>
      hash === undefined || hash.startsWith('skip:') ? [] : targetsFor(rel, hash);
    // Files whose facts only moved keep their references, so their targets.
    const before = (rel: string): readonly RefTarget[] | undefined => oldOf.get(rel)?.() ?? targetsOf(rel, oldHashes.get(rel) ?? files[rel]);
    const after = (rel: string): readonly RefTarget[] | undefined => (newTargets.has(rel) ? newTargets.get(rel) : before(rel));
    // An edge on a cycle (or one whose graph is unknown) is seen by the module graph's readers only: every
    // other check passed, so the other rules' findings hold and those rules run again on the project.
    if (edges.some((e) => !edgeOnNoCycle(e.change === 'added' ? after : before, e.from, e.to))) rerun = readersOf(config, only, 'module-graph');
  }
  cache.complete = false;
  const kept = rerun?.length ? { ...snapshot.result, findings: snapshot.result.findings.filter((f) => !rerun!.includes(f.ruleId)) } : snapshot.result;
  const result = remapResult(kept, moved);
  if (!result) return undefined;
  mark(rerun?.length ? 'early cutoff: only the module graph changed' : readsChanged ? 'early cutoff: only inert items changed' : 'facts only moved');
  const reused = rerun?.length ? 'rules' : readsChanged ? 'inert' : 'moved';
  return { result: { ...result, coverage: { ...coverage, reused } }, resolvedAs, ...(reads && readsChanged ? { reads } : {}), ...(rerun ? { rerun } : {}) };
}

interface ProjectHelpers {
  /** Whether a name is a role's: an implementation's (configured or discovered), or one a group's `role.names` globs match. */
  roleName: (name: string) => boolean;
  /** A specifier resolved from a file, as the resolution cache stores targets. */
  resolve: (fromAbs: string, specifier: string) => RefTarget;
  /** Whether a reference reaches some group's legacy module. */
  legacy: (from: string, ref: ModuleRef, target: RefTarget) => boolean;
  /** Whether a reference from `from` to the scanned file `target` stays out of the consumer map, the legacy barrels and the shared-state scope (see `FileReads.projectRef`). */
  projectRefOk: (reads: Reads, from: string, target: string) => boolean;
  /**
   * Whether `target` (whose cached facts are those of its content `hash`: unchanged since the full run) is outside the consumer map's
   * reach and exports `name` as one of its own declarations, or not at all (see `FileReads.projectUse`);
   * if so, records in `reads` the names a full run would look up in it.
   */
  projectUseOk: (reads: Reads, target: string, name: string | undefined, hash: string | undefined) => boolean;
}

/** What judging an edit as inert needs from the project, each part built on first use. */
function projectHelpers(result: ScanResult, config: ResolvedConfig, inventory: Inventory): ProjectHelpers {
  const names = new Set(result.groups.flatMap((g) => g.implementations.map((i) => i.name)));
  const globs = config.groups.flatMap((g) => g.role.names);
  const glob = globs.length ? picomatch(globs) : () => false;
  let resolve: ProjectHelpers['resolve'] | undefined;
  let matchers: LegacyMatcher[] | undefined;
  let spaces: ReturnType<typeof readWorkspaces> | undefined;
  let sets: { reach: Set<string>; reexporters: Set<string>; implFiles: Set<string> } | undefined;
  // Reads recorded before these sets were kept say nothing: a full run.
  const setsOf = (reads: Reads): typeof sets =>
    reads.reach && reads.reexporters
      ? (sets ??= { reach: new Set(reads.reach), reexporters: new Set(reads.reexporters), implFiles: new Set(result.groups.flatMap((g) => g.implementations.map((i) => i.file))) })
      : undefined;
  return {
    roleName: (name) => names.has(name) || glob(name),
    resolve: (fromAbs, specifier) => {
      if (!resolve) {
        const workspaces = (spaces ??= readWorkspaces(inventory.root, inventory.packageFiles));
        resolve = targetResolver(inventory, new TsconfigIndex(inventory.root, inventory.options.tsconfig, workspaces), workspaces);
      }
      return resolve(fromAbs, specifier);
    },
    legacy: (from, ref, target) => {
      matchers ??= config.groups.map((g) => legacyMatcher(g, inventory.root, (name) => (spaces ??= readWorkspaces(inventory.root, inventory.packageFiles)).get(name)?.dir));
      const resolved: ResolvedRef = { from, ref, index: 0 };
      if (typeof target === 'string') {
        if (target.startsWith('!')) resolved.external = target.slice(1);
        else if (path.isAbsolute(target)) resolved.targetAbs = target;
        else resolved.target = target;
      }
      return matchers.some((m) => m.match(resolved) !== undefined);
    },
    projectRefOk: (reads, from, target) => {
      const s = setsOf(reads);
      return !!s && !s.reach.has(target) && !s.reexporters.has(target) && !s.implFiles.has(from);
    },
    projectUseOk: (reads, target, name, hash) => {
      const s = setsOf(reads);
      if (!s || s.reach.has(target)) return false;
      const cached = inventory.cache?.previousFacts(target);
      if (!cached || cached[0] !== hash) return false;
      if (name === undefined) return true; // the namespace itself: no rule follows a namespace outside the reach
      const facts = cached[1];
      const looked = [name];
      const own = facts.exports.find((e) => e.name === name);
      if (!own) {
        // Resolves to nothing, as long as no `export *` could supply it.
        if (facts.starExports.length) return false;
      } else {
        if (own.ref !== undefined || !own.local) return false;
        const decl = facts.decls.find((d) => d.name === own.local && d.kind === 'class') ?? facts.decls.find((d) => d.name === own.local);
        if (!decl || (decl.kind === 'variable' && decl.init?.kind === 'alias')) return false;
        looked.push(own.local);
      }
      addReadNames(reads, target, looked);
      return true;
    },
  };
}
