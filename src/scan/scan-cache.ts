import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileFacts, SkippedFile } from '../types.js';
import { writeAtomic } from '../write-atomic.js';
import { fileFacts, listing, reads, skip as skipShape, snapshot, statIndex, targets as targetsShape } from './cache-shapes.js';
import type { Shape } from './shape.js';

/** Bump when the facts extractor or the cache layout changes: older files are then ignored. */
export const CACHE_VERSION = 30;

/** Per file: size, mtime, content hash, and why it was skipped (if it was). */
type StatEntry = [size: number, mtimeMs: number, hash: string, skip?: string];
/** Per reference of a file: a root-relative target, `/abs` for a file outside the scan, `!pkg` for a package, 0 when unresolved. */
export type CachedTargets = (string | 0)[];

const FACT_SHARDS = 16;

/** FNV-1a of a path, to a shard number. */
function shardOf(rel: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < rel.length; i++) h = Math.imul(h ^ rel.charCodeAt(i), 0x01000193);
  return (h >>> 0) % FACT_SHARDS;
}

/** A record keyed by path: no prototype, so that any path is a plain key. */
function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A line-file entry: [hash, value], or the line it was read as (`["rel","hash",value]`) until asked for. */
type Entry<T> = [string, T] | string;

/** The path a line starts with: read directly when it has no escapes, else by parsing the line. */
function lineKey(line: string): string {
  const end = line.indexOf('"', 2);
  const key = line.slice(2, end);
  if (!line.startsWith('["') || end < 0 || key.includes('\\')) return (JSON.parse(line) as [string])[0];
  return key;
}

/**
 * The entry for `rel`, parsed (and kept parsed) if it was still a line. A line that is not JSON, or not
 * `[rel, hash, value]` with a value of the given shape, is dropped: the file is parsed again.
 */
function lineEntry<T>(entries: Record<string, Entry<T>>, rel: string, shape: Shape): [string, T] | undefined {
  if (!Object.hasOwn(entries, rel)) return undefined;
  const e = entries[rel]!;
  if (typeof e !== 'string') return e;
  let line: unknown;
  try {
    line = JSON.parse(e);
  } catch {
    line = undefined;
  }
  if (!Array.isArray(line) || line.length !== 3 || line[0] !== rel || typeof line[1] !== 'string' || !shape(line[2])) {
    delete entries[rel];
    return undefined;
  }
  const parsed: [string, T] = [line[1], line[2] as T];
  entries[rel] = parsed;
  return parsed;
}

/** Files whose mtime is this close to the index's write time may have changed unseen (racy-git): re-read them. */
const RACY_MS = 2000;

/**
 * The `.ssot-cache/` folder: a stat index (so unchanged files are not even read), facts by content
 * hash, resolutions valid while the set of files and the tsconfigs stay the same, and the last
 * result by a key over all inputs. Every part is loaded on first use and written atomically;
 * a missing, stale or corrupt part is simply rebuilt.
 */
export class ScanCache {
  private stats?: { savedAt: number; files: Record<string, StatEntry> };
  private readonly nextStats: Record<string, StatEntry> = record<StatEntry>();
  /** Facts live in FACT_SHARDS files by a hash of the path: a one-file change rewrites one shard. */
  private readonly facts: (Record<string, Entry<FileFacts>> | undefined)[] = new Array(FACT_SHARDS);
  private readonly nextFacts: Record<string, Entry<FileFacts>>[] = Array.from({ length: FACT_SHARDS }, () => record<Entry<FileFacts>>());
  private readonly factsDirty = new Uint8Array(FACT_SHARDS);
  /** Facts that arrived as JSON (from an extraction worker), by path: written without serializing them again. */
  private readonly factsJson = new Map<string, string>();
  private resolutions?: { env: string; files: Record<string, Entry<CachedTargets>> };
  private readonly nextResolutions: Record<string, Entry<CachedTargets>> = record<Entry<CachedTargets>>();
  private resolutionsDirty = false;
  private env = '';
  private dirReady = false;
  /** Whether this run looked up every file's facts (so entries not seen are stale and can go). */
  complete = true;
  private result?: { key: string; value: unknown };

  constructor(readonly dir: string) {}

  private file(name: string): string {
    return path.join(this.dir, `${name}-v${CACHE_VERSION}.json`);
  }

  /** A part of the cache, when it is there, is JSON and has its shape; else undefined (rebuilt). */
  private read<T>(name: string, shape: Shape): T | undefined {
    try {
      const data: unknown = JSON.parse(readFileSync(this.file(name), 'utf8'));
      return shape(data) ? (data as T) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Big maps are written one entry per line, so no single string holds the whole file (peak memory).
   * Entries stay unparsed lines until asked for (`lineEntry`): a warm run reads one or two of them.
   */
  private readLines<T>(name: string): { header: Record<string, unknown>; entries: Record<string, Entry<T>> } | undefined {
    let text: string;
    try {
      text = readFileSync(this.file(name), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const lines = text.split('\n');
      const header: unknown = JSON.parse(lines[0]!);
      if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
      const entries = record<Entry<T>>();
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i]!;
        if (!line) continue;
        entries[lineKey(line)] = line;
      }
      return { header: header as Record<string, unknown>, entries };
    } catch {
      return undefined; // corrupt: rebuild
    }
  }

  /** `serialized`: values already in JSON, by path, written as they are. */
  private writeLines(name: string, header: Record<string, unknown>, entries: Record<string, Entry<unknown>>, serialized?: ReadonlyMap<string, string>): void {
    this.ensureDir();
    writeAtomic(this.file(name), (write) => {
      let chunk = JSON.stringify(header);
      for (const rel of Object.keys(entries)) {
        const entry = entries[rel]!;
        const json = serialized?.get(rel);
        // An entry read and never asked for is written back as the line it was.
        if (typeof entry === 'string') chunk += `\n${entry}`;
        else if (json !== undefined) chunk += `\n${JSON.stringify([rel, entry[0]]).slice(0, -1)},${json}]`;
        else chunk += `\n${JSON.stringify([rel, entry[0], entry[1]])}`;
        if (chunk.length > 1 << 20) {
          write(chunk);
          chunk = '';
        }
      }
      write(`${chunk}\n`);
    });
  }

  /** Create the folder with a `.gitignore` of `*`, so the cache never shows up as untracked files. */
  private ensureDir(): void {
    if (this.dirReady) return;
    mkdirSync(this.dir, { recursive: true });
    try {
      writeFileSync(path.join(this.dir, '.gitignore'), '# ssot-kit cache: safe to delete\n*\n', { flag: 'wx' });
    } catch {
      /* already there */
    }
    this.dirReady = true;
  }

  private write(name: string, data: unknown): void {
    this.ensureDir();
    writeAtomic(this.file(name), JSON.stringify(data));
  }

  /** Whether the stat index has an entry for the file (if not, it must be read: no need to stat it first). */
  knows(rel: string): boolean {
    this.stats ??= this.read('index', statIndex) ?? { savedAt: 0, files: {} };
    return Object.hasOwn(this.stats.files, rel);
  }

  /** The recorded hash (or skip reason) of a file whose size and mtime have not changed. */
  statHit(rel: string, size: number, mtimeMs: number): { hash: string; skip?: Omit<SkippedFile, 'file'> } | undefined {
    this.stats ??= this.read('index', statIndex) ?? { savedAt: 0, files: {} };
    const e = Object.hasOwn(this.stats.files, rel) ? this.stats.files[rel] : undefined;
    if (!e || e[0] !== size || e[1] !== mtimeMs || mtimeMs >= this.stats.savedAt - RACY_MS) return undefined;
    let skip: Omit<SkippedFile, 'file'> | undefined;
    if (e[3]) {
      try {
        skip = JSON.parse(e[3]) as Omit<SkippedFile, 'file'>;
      } catch {
        return undefined;
      }
      if (!skipShape(skip)) return undefined;
    }
    this.nextStats[rel] = e;
    return skip ? { hash: e[2], skip } : { hash: e[2] };
  }

  setStat(rel: string, size: number, mtimeMs: number, hash: string, skip?: string): void {
    this.nextStats[rel] = skip ? [size, mtimeMs, hash, skip] : [size, mtimeMs, hash];
  }

  private shard(i: number): Record<string, Entry<FileFacts>> {
    return (this.facts[i] ??= this.readLines<FileFacts>(`facts-${i}`)?.entries ?? record<Entry<FileFacts>>());
  }

  getFacts(rel: string, hash: string): FileFacts | undefined {
    const shard = shardOf(rel);
    const hit = lineEntry<FileFacts>(this.shard(shard), rel, fileFacts);
    if (!hit || hit[0] !== hash) return undefined;
    this.nextFacts[shard]![rel] = hit;
    return hit[1];
  }

  /** The cached facts of a file whatever its content hash (the previous version of a changed file). */
  previousFacts(rel: string): [hash: string, facts: FileFacts] | undefined {
    return lineEntry<FileFacts>(this.shard(shardOf(rel)), rel, fileFacts);
  }

  /** `json`: the facts as JSON, when they came that way, to be written as they are. */
  setFacts(rel: string, hash: string, facts: FileFacts, json?: string): void {
    const shard = shardOf(rel);
    this.nextFacts[shard]![rel] = [hash, facts];
    if (json !== undefined) this.factsJson.set(rel, json);
    else this.factsJson.delete(rel);
    this.factsDirty[shard] = 1;
  }

  /** Declare the resolution environment (file set and tsconfig/package contents) of this run. */
  setEnvironment(env: string): void {
    this.env = env;
  }

  getTargets(rel: string, hash: string): CachedTargets | undefined {
    if (!this.resolutions) {
      const data = this.readLines<CachedTargets>('resolve');
      const env = data?.header.env;
      this.resolutions = typeof env === 'string' && data ? { env, files: data.entries } : { env: '', files: record<Entry<CachedTargets>>() };
    }
    if (this.resolutions.env !== this.env) return undefined;
    const hit = lineEntry<CachedTargets>(this.resolutions.files, rel, targetsShape);
    if (!hit || hit[0] !== hash) return undefined;
    this.nextResolutions[rel] = hit;
    return hit[1];
  }

  setTargets(rel: string, hash: string, targets: CachedTargets): void {
    this.nextResolutions[rel] = [hash, targets];
    this.resolutionsDirty = true;
  }

  private nextListing?: unknown;

  /** The last walk's folders (list-files.ts), reused while their mtimes hold. */
  getListing<T>(): T | undefined {
    return this.read<T>('listing', listing);
  }

  /** Written with the rest by `save()`. */
  setListing(value: unknown): void {
    this.nextListing = value;
  }

  /** The analysis reads recorded with the last full result (incremental.ts), read only when an edit needs them. */
  getReads<T>(): T | undefined {
    return this.read<T>('reads', reads);
  }

  setReads(value: unknown): void {
    this.write('reads', value);
  }

  getResult<T>(key: string): T | undefined {
    this.result ??= this.read('result', snapshot) ?? { key: '', value: undefined };
    return this.result.key === key ? (this.result.value as T) : undefined;
  }

  setResult(key: string, value: unknown): void {
    this.result = { key, value };
    this.write('result', this.result);
  }

  /** Write what changed. Entries of files not seen in this run are dropped. */
  save(): void {
    if (this.nextListing !== undefined) {
      this.write('listing', this.nextListing);
      this.nextListing = undefined;
    }
    const seen = Object.keys(this.nextStats).length;
    if (this.stats === undefined || seen !== Object.keys(this.stats.files).length || Object.keys(this.nextStats).some((k) => this.stats!.files[k] !== this.nextStats[k])) {
      this.write('index', { savedAt: Date.now(), files: this.nextStats });
    }
    for (let i = 0; i < FACT_SHARDS; i++) {
      const before = this.facts[i];
      if (!this.factsDirty[i] && !(before && Object.keys(this.nextFacts[i]!).length !== Object.keys(before).length)) continue;
      // A shard touched only by a partial run keeps the entries this run did not look at.
      const entries = this.complete ? this.nextFacts[i]! : Object.assign(record<Entry<FileFacts>>(), before, this.nextFacts[i]!);
      this.writeLines(`facts-${i}`, {}, entries, this.factsJson);
    }
    if (this.resolutionsDirty || (this.resolutions && this.resolutions.env !== this.env)) this.writeLines('resolve', { env: this.env }, this.nextResolutions);
  }
}
