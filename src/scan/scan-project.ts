import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Coverage, FileFacts, ModuleRef } from '../types.js';
import { FactsCache } from './facts-cache.js';
import { listFiles, type ListOptions } from './list-files.js';
import { readSource } from './read-source.js';
import { ModuleResolver, type Resolution } from './resolve-module.js';
import { TsconfigIndex, type TsconfigProblem } from './tsconfig-index.js';
import { readWorkspaces } from './workspace-index.js';

export interface ScanFilesOptions extends ListOptions {
  root: string;
  /** Fallback tsconfig for files without a nearer one. */
  tsconfig?: string;
  /** Folder of the facts cache; `false` disables it. Default `<root>/.ssot-cache`. */
  cache?: string | false;
  /** Only extract facts for files whose index in the sorted list is ≡ shard.index (mod shard.count). */
  shard?: { index: number; count: number };
  /** Called after each file, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export interface ProjectFile {
  rel: string;
  abs: string;
  hash: string;
  facts: FileFacts;
}

/** A resolved module reference: `file` is root-relative when the target is a scanned file. */
export interface ResolvedRef {
  /** Root-relative path of the file that holds the reference. */
  from: string;
  ref: ModuleRef;
  index: number;
  /** Root-relative target, when the target is one of the scanned files. */
  target?: string;
  /** Absolute target, when it resolved to any file (scanned or not). */
  targetAbs?: string;
  external?: string;
}

export interface Project {
  root: string;
  files: Map<string, ProjectFile>;
  refs: Map<string, ResolvedRef[]>;
  coverage: Coverage;
  tsconfigProblems: TsconfigProblem[];
  resolver: ModuleResolver;
}

type Extract = (fileName: string, text: string) => FileFacts;

/**
 * Stage 1 of the pipeline: list files, read each once, extract facts (or take them from the
 * content-hash cache), resolve every module reference. The compiler is loaded only when some file
 * is not in the cache, so a warm run over an unchanged tree never pays for it.
 */
export async function scanProject(options: ScanFilesOptions): Promise<Project> {
  const root = path.resolve(options.root);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError('root folder not found', options.root, undefined, 'Pass the folder to scan, e.g. `ssot scan .`');
  }
  if (options.tsconfig && !existsSync(options.tsconfig)) throw new ConfigError('tsconfig not found', options.tsconfig);
  const listed = listFiles(root, options);
  const cache = options.cache === false ? undefined : new FactsCache(options.cache ?? path.join(root, '.ssot-cache'));
  const coverage: Coverage = { files: listed.length, parsed: 0, cached: 0, failed: 0, skipped: [] };
  const files = new Map<string, ProjectFile>();
  let extract: Extract | undefined;
  let done = 0;
  for (let i = 0; i < listed.length; i++) {
    const { abs, rel } = listed[i]!;
    options.onProgress?.(++done, listed.length);
    if (options.shard && i % options.shard.count !== options.shard.index) continue;
    const source = readSource(abs);
    if (!source.ok) {
      coverage.skipped.push({ file: rel, reason: source.reason, detail: source.detail });
      continue;
    }
    const hash = createHash('sha1').update(source.bytes).digest('base64url');
    let facts = cache?.get(rel, hash);
    if (facts) coverage.cached++;
    else {
      extract ??= (await import('./extract-facts.js')).extractFacts;
      facts = extract(abs, source.text);
      cache?.set(rel, hash, facts);
    }
    if (facts.parseError) coverage.failed++;
    else coverage.parsed++;
    files.set(rel, { rel, abs, hash, facts });
  }
  try {
    cache?.save();
  } catch {
    /* a read-only cache folder must not fail the scan */
  }
  const tsconfigs = new TsconfigIndex(root, options.tsconfig);
  const absToRel = new Map<string, string>();
  for (const f of listed) absToRel.set(f.abs, f.rel);
  const resolver = new ModuleResolver(new Set(absToRel.keys()), tsconfigs, readWorkspaces(root));
  const refs = new Map<string, ResolvedRef[]>();
  for (const file of files.values()) refs.set(file.rel, resolveRefs(file, resolver, absToRel));
  return { root, files, refs, coverage, tsconfigProblems: tsconfigs.problems, resolver };
}

function resolveRefs(file: ProjectFile, resolver: ModuleResolver, absToRel: Map<string, string>): ResolvedRef[] {
  return file.facts.refs.map((ref, index) => {
    const r: Resolution = resolver.resolve(file.abs, ref.specifier);
    const out: ResolvedRef = { from: file.rel, ref, index };
    if (r.kind === 'file') {
      out.targetAbs = r.file;
      const rel = absToRel.get(r.file);
      if (rel) out.target = rel;
    } else if (r.kind === 'external') out.external = r.packageName;
    return out;
  });
}
