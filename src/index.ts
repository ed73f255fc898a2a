import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from './analyze/analyze.js';
import { loadConfig, type ResolvedConfig } from './config/load-config.js';
import { ruleIds } from './rules/index.js';
import { runRules } from './rules/run-rules.js';
import { CACHE_VERSION } from './scan/scan-cache.js';
import { loadProject, takeInventory, type Project } from './scan/scan-project.js';
import { REPORT_VERSION, summarize, type ScanResult } from './scan-result.js';
import { mark } from './timing.js';

export interface ScanOptions {
  /** Folder to scan. */
  root: string;
  /** Config file (default `<root>/ssot.config.json` when present). */
  config?: string;
  /** Facts cache folder, or `false` for none. Default `<root>/.ssot-cache`. */
  cache?: string | false;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Threads for facts extraction on a cold run (default: the machine's cores). */
  threads?: number;
  /** Only these rules. */
  rules?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/** Scan a codebase: list, extract facts, analyse, run the rules. Returns data; prints nothing. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const config = loadConfig({ root, ...(options.config ? { configPath: options.config } : {}), knownRules: ruleIds });
  const inventory = takeInventory({
    root,
    ...(config.include ? { include: config.include } : {}),
    ...(config.exclude ? { exclude: config.exclude } : {}),
    ...(config.tsconfig ? { tsconfig: config.tsconfig } : {}),
    ...(options.gitignore === false ? { gitignore: false } : {}),
    cache: options.cache ?? path.join(root, '.ssot-cache'),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  // The whole result is cached under a key over every input, so an unchanged tree costs a stat per file.
  const key = createHash('sha1').update(`${CACHE_VERSION}\0${toolVersion()}\0${inventory.tree}\0${JSON.stringify(config)}\0${options.rules?.join(',') ?? ''}`).digest('base64url');
  const hit = inventory.cache?.getResult<ScanResult>(key);
  if (hit) {
    try {
      inventory.cache!.save();
    } catch {
      /* read-only cache */
    }
    return { ...hit, coverage: { ...hit.coverage, cached: hit.coverage.parsed + hit.coverage.failed }, durationMs: Math.round(performance.now() - started) };
  }
  const project = await loadProject(inventory);
  const result = analyzeProject(project, config, options.rules, started);
  try {
    inventory.cache?.setResult(key, result);
  } catch {
    /* read-only cache */
  }
  return result;
}

/** The analysis and rule stages on an already scanned project. */
export function analyzeProject(project: Project, config: ResolvedConfig, only: readonly string[] | undefined, started = performance.now()): ScanResult {
  const analysis = analyze(project, config);
  mark('analyzed');
  const findings = runRules(analysis, only);
  mark('rules');
  const result: ScanResult = {
    version: REPORT_VERSION,
    tool: { name: 'ssot-kit', version: toolVersion() },
    root: project.root,
    findings,
    groups: analysis.groups,
    coverage: project.coverage,
    summary: summarize(findings),
    durationMs: Math.round(performance.now() - started),
  };
  if (config.file) result.config = path.relative(project.root, config.file).split(path.sep).join('/');
  return result;
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** ssot-kit's version, from its package.json. */
export function toolVersion(): string {
  return VERSION;
}

export { ConfigError } from './errors.js';
export { scanProject, type Project, type ProjectFile, type ResolvedRef } from './scan/scan-project.js';
export { reporters, formats } from './report/index.js';
export { rules, ruleIds } from './rules/index.js';
export type { ScanResult, Summary } from './scan-result.js';
export type { Finding, Severity, Coverage } from './types.js';
export type { GroupAnalysis, Implementation } from './analyze/group-analysis.js';
