import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileFacts } from '../types.js';

/** Bump when the facts extractor changes what it records: old entries are then ignored. */
export const FACTS_VERSION = 5;

interface CacheFile {
  version: number;
  entries: Record<string, { hash: string; facts: FileFacts }>;
}

/**
 * Per-file facts keyed by content hash, in one JSON file (`<dir>/facts-v<N>.json`). Entries are looked
 * up by relative path and used only when the hash matches, so a stale or foreign cache is harmless.
 */
export class FactsCache {
  private entries: CacheFile['entries'] = {};
  private readonly next: CacheFile['entries'] = {};
  private dirty = false;
  readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, `facts-v${FACTS_VERSION}.json`);
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile;
      if (data.version === FACTS_VERSION && data.entries) this.entries = data.entries;
    } catch {
      /* no cache yet, or unreadable: start empty */
    }
  }

  get(rel: string, hash: string): FileFacts | undefined {
    const hit = this.entries[rel];
    if (hit && hit.hash === hash) {
      this.next[rel] = hit;
      return hit.facts;
    }
    return undefined;
  }

  set(rel: string, hash: string, facts: FileFacts): void {
    this.next[rel] = { hash, facts };
    this.dirty = true;
  }

  /** Write atomically (temp file + rename); only entries seen in this run are kept. */
  save(): void {
    if (!this.dirty && Object.keys(this.next).length === Object.keys(this.entries).length) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: FACTS_VERSION, entries: this.next } satisfies CacheFile));
    renameSync(tmp, this.file);
  }
}
