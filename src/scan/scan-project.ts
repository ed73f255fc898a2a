import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Coverage, FileFacts, ModuleRef, OmittedGroup } from '../types.js';
import { extractAll, PARALLEL_MIN_BYTES } from './extract-parallel.js';
import { listFiles, type ListingCache, type ListOptions } from './list-files.js';
import { readSource, readSourceAndStat, type SourceRead } from './read-source.js';
import { ModuleResolver } from './resolve-module.js';
import { ScanCache, type CachedTargets } from './scan-cache.js';
import { TsconfigIndex, type TsconfigProblem } from './tsconfig-index.js';
import { readWorkspaces } from './workspace-index.js';
import { mark } from '../timing.js';

export interface ScanFilesOptions extends ListOptions {
  root: string;
  /** Fallback tsconfig for files without a nearer one. */
  tsconfig?: string;
  /** Folder of the cache; `false` disables it. Default `<root>/.ssot-cache`. */
  cache?: string | false;
  /** Only extract facts for files whose index in the sorted list is ≡ shard.index (mod shard.count). */
  shard?: { index: number; count: number };
  /** Facts extracted elsewhere (shards of a CI matrix), by root-relative path; used when the content hash matches. */
  prefilled?: ReadonlyMap<string, { hash: string; facts: FileFacts }>;
  /** Threads for extraction (default: the machine's cores; 1 = main thread only). */
  threads?: number;
  /** Called as files are read, then as they are parsed, for progress bars. */
  onProgress?: (done: number, total: number, stage?: 'reading' | 'parsing') => void;
}

export interface ProjectFile {
  rel: string;
  abs: string;
  hash: string;
  facts: FileFacts;
}

/** A resolved module reference. */
export interface ResolvedRef {
  /** Root-relative path of the file that holds the reference. */
  from: string;
  ref: ModuleRef;
  index: number;
  /** Root-relative target, when the target is one of the scanned files. */
  target?: string;
  /** Absolute target, when it resolved to a file outside the scanned ones. */
  targetAbs?: string;
  external?: string;
  /** An external package that no node_modules folder holds. */
  notInstalled?: true;
}

export interface Project {
  root: string;
  files: Map<string, ProjectFile>;
  refs: Map<string, ResolvedRef[]>;
  coverage: Coverage;
  tsconfigProblems: TsconfigProblem[];
  /** Workspace packages' folders (absolute), by package name. */
  packageDirs: ReadonlyMap<string, string>;
}

/** Stage 1a: what is there, with content hashes, from the stat index where files did not change. */
export interface Inventory {
  root: string;
  entries: { rel: string; abs: string; size: number; hash?: string; text?: string; skip?: { reason: Coverage['skipped'][number]['reason']; detail: string } }[];
  /** Root-relative package.json files (for workspace packages). */
  packageFiles: string[];
  /** Every file and folder the walk saw, root-relative: lets resolution probe without system calls. */
  seen: string[];
  dirs: string[];
  /** What the walk left out that could hold code (coverage.omitted). */
  omitted: OmittedGroup[];
  /** Hash of everything module resolution depends on: the file set and the tsconfig/package files. */
  environment: string;
  cache?: ScanCache;
  options: ScanFilesOptions;
}

/**
 * Texts read for hashing are kept for parsing up to this many bytes; past it, files are read again when
 * parsed (peak memory over a second read). As much as a codebase parsed on the main thread alone
 * (`PARALLEL_MIN_BYTES`), so that it is read once; a larger one, parsed partly by workers that read
 * their files themselves, keeps only `KEEP_TEXT_BYTES_PARALLEL`.
 */
const KEEP_TEXT_BYTES = PARALLEL_MIN_BYTES;
const KEEP_TEXT_BYTES_PARALLEL = 8 * 1024 * 1024;

export function takeInventory(options: ScanFilesOptions): Inventory {
  const root = path.resolve(options.root);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError('root folder not found', options.root, undefined, 'Pass the folder to scan, e.g. `ssot scan .`');
  }
  if (options.tsconfig && !existsSync(options.tsconfig)) throw new ConfigError('tsconfig not found', options.tsconfig);
  mark('start inventory');
  const cache = options.cache === false ? undefined : new ScanCache(options.cache ?? path.join(root, '.ssot-cache'));
  // The cache folder is never scanned: its own files would change the file set between runs.
  const listing = listFiles(
    root,
    typeof options.cache === 'string' ? { ...options, skipDirs: [...(options.skipDirs ?? []), options.cache] } : options,
    cache && { previous: cache.getListing<ListingCache>(), save: (next) => cache.setListing(next) },
  );
  mark(`listed ${listing.files.length} files`);
  const env = createHash('sha1');
  for (const rel of listing.seen) env.update(rel).update('\0');
  // What was left out is part of the result (coverage.omitted): a change to it must not reuse the last one.
  env.update(JSON.stringify(listing.omitted));
  for (const input of listing.resolutionInputs) {
    try {
      env.update(input.rel).update(readFileSync(input.abs));
    } catch {
      /* vanished: its absence is in the hash */
    }
  }
  if (options.tsconfig) env.update(options.tsconfig);
  const environment = env.digest('base64url');
  const entries: Inventory['entries'] = [];
  let keptBytes = 0;
  listing.files.forEach(({ abs, rel }, i) => {
    options.onProgress?.(i + 1, listing.files.length, 'reading');
    if (options.shard && i % options.shard.count !== options.shard.index) return;
    const vanished = (): void => void entries.push({ rel, abs, size: 0, skip: { reason: 'unreadable', detail: 'vanished while scanning' } });
    let st: { size: number; mtimeMs: number };
    let source: SourceRead;
    if (cache?.knows(rel)) {
      try {
        st = statSync(abs);
      } catch {
        vanished();
        return;
      }
      const hit = cache.statHit(rel, st.size, st.mtimeMs);
      if (hit) {
        entries.push(hit.skip ? { rel, abs, size: st.size, skip: { reason: hit.skip.reason, detail: hit.skip.detail ?? '' } } : { rel, abs, size: st.size, hash: hit.hash });
        return;
      }
      source = readSource(abs);
    } else {
      // Unknown to the stat index (a cold run, a new file): size and mtime come from the open file.
      const read = readSourceAndStat(abs);
      if ('vanished' in read) {
        vanished();
        return;
      }
      st = read;
      source = read.source;
    }
    if (!source.ok) {
      const skip = { reason: source.reason, detail: source.detail };
      cache?.setStat(rel, st.size, st.mtimeMs, '', JSON.stringify(skip));
      entries.push({ rel, abs, size: st.size, skip });
      return;
    }
    const hash = createHash('sha1').update(source.bytes).digest('base64url');
    cache?.setStat(rel, st.size, st.mtimeMs, hash);
    // Keep texts only up to a budget: past it, files are read again when parsed (peak memory over a re-read).
    const keep = keptBytes + st.size <= KEEP_TEXT_BYTES;
    if (keep) keptBytes += st.size;
    entries.push({ rel, abs, size: st.size, hash, ...(keep ? { text: source.text } : {}) });
  });
  if (keptBytes > KEEP_TEXT_BYTES_PARALLEL && entries.reduce((n, e) => n + (e.hash ? e.size : 0), 0) >= PARALLEL_MIN_BYTES) {
    let kept = 0;
    for (const e of entries) {
      if (e.text === undefined) continue;
      kept += e.size;
      if (kept > KEEP_TEXT_BYTES_PARALLEL) e.text = undefined;
    }
  }
  cache?.setEnvironment(environment);
  mark('hashed');
  const packageFiles = listing.resolutionInputs.filter((f) => f.rel === 'package.json' || f.rel.endsWith('/package.json')).map((f) => f.rel);
  return { root, entries, packageFiles, seen: listing.seen, dirs: listing.dirs, omitted: listing.omitted, environment, ...(cache ? { cache } : {}), options };
}

/**
 * Stage 1b: facts for every file (from the cache by content hash, else extracted, in parallel when
 * it pays), then every module reference resolved (from the cache while the environment holds).
 * The compiler is loaded only when some file has no cached facts.
 */
export async function loadProject(inv: Inventory): Promise<Project> {
  const { root, cache, options } = inv;
  const coverage: Coverage = { files: inv.entries.length, parsed: 0, cached: 0, failed: 0, skipped: [], ...(inv.omitted.length ? { omitted: inv.omitted } : {}) };
  const slots: (ProjectFile | undefined)[] = new Array(inv.entries.length);
  const pending: { slot: number; rel: string; abs: string; hash: string; size: number; text?: string }[] = [];
  inv.entries.forEach((e, i) => {
    if (e.skip) {
      coverage.skipped.push({ file: e.rel, ...e.skip });
      return;
    }
    const given = options.prefilled?.get(e.rel);
    const facts = given && given.hash === e.hash ? given.facts : cache?.getFacts(e.rel, e.hash!);
    if (given && given.hash === e.hash) cache?.setFacts(e.rel, e.hash!, given.facts);
    if (facts) {
      coverage.cached++;
      slots[i] = { rel: e.rel, abs: e.abs, hash: e.hash!, facts };
      return;
    }
    pending.push({ slot: i, rel: e.rel, abs: e.abs, hash: e.hash!, size: e.size, ...(e.text !== undefined ? { text: e.text } : {}) });
    e.text = undefined; // the extractor owns it now
  });
  mark(`facts from cache: ${coverage.cached}`);
  const workspaces = readWorkspaces(root, inv.packageFiles);
  const tsconfigs = new TsconfigIndex(root, options.tsconfig, workspaces);
  let resolver: ((fromAbs: string, specifier: string) => CachedTargets[number]) | undefined;
  /** Targets resolved while other files were still being parsed (see `onFacts`), by path. */
  const resolvedEarly = new Map<string, CachedTargets>();
  if (pending.length) {
    const onProgress = options.onProgress;
    const json = new Map<number, string>();
    const extracted = await extractAll(pending, {
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      onJson: (i, text) => json.set(i, text),
      // Each file's references resolved as soon as its facts are known, while workers parse on.
      onFacts: (i, facts) => {
        const p = pending[i]!;
        if (cache?.getTargets(p.rel, p.hash)) return;
        const resolve = (resolver ??= targetResolver(inv, tsconfigs, workspaces));
        resolvedEarly.set(p.rel, facts.refs.map((ref) => resolve(p.abs, ref.specifier)));
      },
      ...(onProgress ? { onProgress: (done: number, total: number) => onProgress(done, total, 'parsing') } : {}),
    });
    pending.forEach((p, i) => {
      p.text = undefined; // parsed: the text is not needed again
      const facts = extracted[i]!;
      if ('unreadable' in facts) {
        coverage.skipped.push({ file: p.rel, reason: 'unreadable', detail: facts.unreadable });
        return;
      }
      cache?.setFacts(p.rel, p.hash, facts, json.get(i));
      slots[p.slot] = { rel: p.rel, abs: p.abs, hash: p.hash, facts };
    });
  }
  mark(`extracted ${pending.length}`);
  const files = new Map<string, ProjectFile>();
  for (const f of slots) {
    if (!f) continue;
    files.set(f.rel, f);
    if (f.facts.parseError) coverage.failed++;
    else coverage.parsed++;
  }
  coverage.files = files.size + coverage.skipped.length;
  const refs = new Map<string, ResolvedRef[]>();
  for (const file of files.values()) {
    let targets = resolvedEarly.get(file.rel);
    if (targets) cache?.setTargets(file.rel, file.hash, targets);
    else targets = cache?.getTargets(file.rel, file.hash);
    if (!targets) {
      const resolve = (resolver ??= targetResolver(inv, tsconfigs, workspaces));
      targets = file.facts.refs.map((ref) => resolve(file.abs, ref.specifier));
      cache?.setTargets(file.rel, file.hash, targets);
    }
    refs.set(file.rel, toResolvedRefs(file, targets));
  }
  countUnresolved(refs, coverage);
  // tsconfig problems come from reading them; when every resolution came from the cache, read them anyway.
  if (!resolver) for (const file of files.values()) tsconfigs.forFile(file.abs);
  mark('resolved');
  try {
    cache?.save();
    mark('cache saved');
  } catch {
    /* a read-only cache folder must not fail the scan */
  }
  const packageDirs = new Map([...workspaces].map(([name, ws]) => [name, ws.dir]));
  return { root, files, refs, coverage, tsconfigProblems: tsconfigs.problems, packageDirs };
}

/** Resolves specifiers over an inventory's files, to targets as the resolution cache stores them. */
export function targetResolver(inv: Inventory, tsconfigs: TsconfigIndex, workspaces: ReturnType<typeof readWorkspaces>): (fromAbs: string, specifier: string) => CachedTargets[number] {
  const resolver = new ModuleResolver(inv.root, inv.seen, inv.dirs, tsconfigs, workspaces);
  const absToRel = new Map(inv.entries.map((e) => [e.abs, e.rel]));
  return (fromAbs, specifier) => {
    const res = resolver.resolve(fromAbs, specifier);
    // `!!name`: a package no node_modules holds (counted in the coverage); 0: unresolved (listed).
    return res.kind === 'file' ? (absToRel.get(res.file) ?? res.file) : res.kind === 'external' ? `${res.installed ? '!' : '!!'}${res.packageName}` : 0;
  };
}

/** What did not resolve, into the coverage: relative and alias specifiers listed, packages not installed counted. */
function countUnresolved(refs: ReadonlyMap<string, ResolvedRef[]>, coverage: Coverage): void {
  const unresolved: NonNullable<Coverage['unresolved']> = [];
  const packages = new Set<string>();
  let imports = 0;
  for (const list of refs.values()) {
    for (const r of list) {
      if (r.notInstalled) {
        imports++;
        packages.add(r.external!);
      } else if (!r.target && !r.targetAbs && !r.external) unresolved.push({ file: r.from, line: r.ref.loc.line, column: r.ref.loc.column, specifier: r.ref.specifier });
    }
  }
  if (unresolved.length) coverage.unresolved = unresolved.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  if (imports) coverage.notInstalled = { imports, packages: packages.size };
}

function toResolvedRefs(file: ProjectFile, targets: CachedTargets): ResolvedRef[] {
  return file.facts.refs.map((ref, index) => {
    const t = targets[index];
    const out: ResolvedRef = { from: file.rel, ref, index };
    if (typeof t === 'string') {
      if (t.startsWith('!!')) {
        out.external = t.slice(2);
        out.notInstalled = true;
      } else if (t.startsWith('!')) out.external = t.slice(1);
      else if (path.isAbsolute(t)) out.targetAbs = t;
      else out.target = t;
    }
    return out;
  });
}

/** Both stages: the whole project, ready for analysis. */
export async function scanProject(options: ScanFilesOptions): Promise<Project> {
  return loadProject(takeInventory(options));
}
