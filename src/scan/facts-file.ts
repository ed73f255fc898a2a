import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import type { FileFacts } from '../types.js';
import { writeAtomic } from '../write-atomic.js';
import { fileFacts } from './cache-shapes.js';
import { describeJsonError } from './parse-jsonc.js';
import { CACHE_VERSION } from './scan-cache.js';
import { str, tuple } from './shape.js';
import { loadProject, takeInventory, type ScanFilesOptions } from './scan-project.js';

/**
 * Facts of one shard of a codebase (`ssot scan --shard i/n --facts-out f`): the CI job matrix is the
 * distributed engine; each job parses a deterministic slice (every n-th file in path order) and a
 * final job merges the slices (`--facts f1 f2 …`) and runs every rule on the whole graph.
 */
interface FactsFile {
  version: number;
  shard: { index: number; count: number };
  files: [rel: string, hash: string, facts: FileFacts][];
}

const shardEntry = tuple([(v) => typeof v === 'string' && v.length > 0 && !v.includes('\0') && !v.split('/').includes('..') && !v.startsWith('/'), str, fileFacts]) as (v: unknown) => v is FactsFile['files'][number];

/** Extract the facts of one shard and write them; returns how many files it parsed. */
export async function writeShardFacts(options: ScanFilesOptions & { shard: { index: number; count: number } }, out: string): Promise<number> {
  const inventory = takeInventory(options);
  const project = await loadProject(inventory);
  const data: FactsFile = { version: CACHE_VERSION, shard: options.shard, files: [...project.files.values()].map((f) => [f.rel, f.hash, f.facts]) };
  writeAtomic(out, JSON.stringify(data));
  return data.files.length;
}

/** Merge shard facts files into one map; every file must come from this version of ssot-kit. */
export function readShardFacts(files: readonly string[]): Map<string, { hash: string; facts: FileFacts }> {
  const merged = new Map<string, { hash: string; facts: FileFacts }>();
  for (const file of files) {
    let data: FactsFile;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as FactsFile;
    } catch (error) {
      throw new ConfigError(`cannot read facts: ${describeJsonError(error)}`, file, undefined, 'Pass files written by `ssot scan --shard i/n --facts-out <file>`.');
    }
    if (typeof data !== 'object' || data === null || data.version !== CACHE_VERSION || !Array.isArray(data.files)) {
      throw new ConfigError(`facts written by another version of ssot-kit (format ${typeof data?.version === 'number' ? data.version : 'unknown'}, expected ${CACHE_VERSION})`, file, 'version', 'Run every shard and the merge with the same ssot-kit.');
    }
    data.files.forEach((entry, i) => {
      if (!shardEntry(entry)) throw new ConfigError('not a facts entry ([path, hash, facts] with facts of this version\'s shape)', file, `files[${i}]`, 'Pass files written by `ssot scan --shard i/n --facts-out <file>`.');
      const [rel, hash, facts] = entry;
      merged.set(rel, { hash, facts });
    });
  }
  return merged;
}

/** `i/n` -> { index: i - 1, count: n } (1-based on the command line, as CI matrices count). */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = m ? Number(m[1]) : 0;
  const count = m ? Number(m[2]) : 0;
  if (!m || count < 1 || index < 1 || index > count) throw new ConfigError(`invalid shard "${value}"`, undefined, '--shard', 'Write it as i/n with 1 <= i <= n, e.g. --shard 2/4.');
  return { index: index - 1, count };
}
