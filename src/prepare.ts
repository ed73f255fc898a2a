import { createRequire } from 'node:module';
import path from 'node:path';
import picomatch from 'picomatch';
import { checkRuleIds, CONFIG_FILE_NAME, loadConfig, NOWHERE, type ResolvedConfig } from './config/load-config.js';
import { ConfigError } from './errors.js';
import { takeInventory, type Inventory, type ScanFilesOptions } from './scan/scan-project.js';

export interface ScanOptions {
  /** Folder to scan. */
  root: string;
  /**
   * Config file (default: the nearest `ssot.config.json` from the root up); `false` ignores any config
   * (discovery only); or a config already resolved in memory (`ssot init` measures its proposals so).
   */
  config?: string | false | ResolvedConfig;
  /** Facts cache folder, or `false` for none. Default `<root>/.ssot-cache`. */
  cache?: string | false;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Facts written by `--shard` runs, merged: used instead of parsing where content hashes match. */
  facts?: readonly string[];
  /** Threads for facts extraction on a cold run (default: the machine's cores). */
  threads?: number;
  /** Only these rules. */
  rules?: readonly string[];
  /** Fail on unresolved relative and alias imports: `unresolved-import` at severity error (as config `strictResolution`). */
  strictResolution?: boolean;
  /** Discovery: report groups at or above this confidence, 0..1 (as config `discovery.minConfidence`). */
  minConfidence?: number;
  onProgress?: (done: number, total: number, stage?: 'reading' | 'parsing') => void;
}

/** One run's shared start (issue #20): every command reads the config and the file listing from here, once. */
export interface Session {
  /** The scanned folder, absolute. */
  root: string;
  /** The config, loaded and validated once (or the object given). */
  config: ResolvedConfig;
  /** Every file with its content hash, and the cache, open. */
  inventory: Inventory;
  /** The options the session was opened with (`rules`, `threads` for the later stages). */
  options: ScanOptions;
  /** When the session opened (`performance.now()`): a result's duration counts from here. */
  started: number;
}

/**
 * Opens a run: the config (`resolveConfig`, unless the caller already has it) and the inventory of the
 * files it selects. Every command starts here, so the config is loaded and checked once per run.
 */
export async function prepare(options: ScanOptions, config?: ResolvedConfig): Promise<Session> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const resolved = config ?? (await resolveConfig(options));
  const inventory = takeInventory({
    root,
    ...fileOptions(resolved),
    ...(options.gitignore === false ? { gitignore: false } : {}),
    cache: options.cache ?? path.join(root, '.ssot-cache'),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.facts?.length ? { prefilled: (await import('./scan/facts-file.js')).readShardFacts(options.facts) } : {}),
  });
  checkIncludes(resolved, inventory.seen);
  return { root, config: resolved, inventory, options, started };
}

/**
 * The run's config: the file loaded and validated (or the object given), with what the options override
 * (`strictResolution`, `minConfidence`), its rule ids and rule options checked against the registry.
 */
export async function resolveConfig(options: Pick<ScanOptions, 'root' | 'config' | 'strictResolution' | 'minConfidence' | 'rules'>): Promise<ResolvedConfig> {
  const root = path.resolve(options.root);
  const given = options.config;
  const config: ResolvedConfig =
    typeof given === 'object'
      ? { ...given, rules: { ...given.rules } }
      : loadConfig({ root, ...(typeof given === 'string' ? { configPath: given } : {}), ...(given === false ? { ignoreConfig: true } : {}) });
  // --strict-resolution: what did not resolve fails the gate, unless `rules` sets the rule itself.
  if (options.strictResolution) config.rules['unresolved-import'] ??= { severity: 'error' };
  if (options.minConfidence !== undefined) config.discovery = { ...config.discovery, minConfidence: options.minConfidence };
  if (Object.keys(config.rules).length || config.neverBaseline.length || options.rules) await checkRules(config, options.rules);
  return config;
}

/** The part of the config that decides which files are scanned and how they resolve: the one place it is read for listing. */
export function fileOptions(config: ResolvedConfig): Pick<ScanFilesOptions, 'include' | 'exclude' | 'tsconfig'> {
  return {
    ...(config.include ? { include: config.include } : {}),
    ...(config.exclude ? { exclude: config.exclude } : {}),
    ...(config.tsconfig ? { tsconfig: config.tsconfig } : {}),
  };
}

/**
 * Rule ids the registry knows, and the options of each rule that will run valid against its schema: a typo
 * fails before any file is read, and also when the last result is reused.
 */
async function checkRules(config: ResolvedConfig, only: readonly string[] | undefined): Promise<void> {
  const { rules, ruleIds } = await import('./rules/index.js');
  checkRuleIds(config, ruleIds);
  const configured = rules.filter((rule) => config.rules[rule.id]?.options && config.rules[rule.id]!.severity !== 'off' && (!only || only.includes(rule.id)));
  if (!configured.length) return;
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const ajv = new Ajv({ strict: false });
  for (const rule of configured) {
    if (ajv.validate(rule.meta.schema, config.rules[rule.id]!.options)) continue;
    const e = ajv.errors?.[0];
    throw new ConfigError(`${e?.instancePath || ''} ${e?.message ?? 'invalid options'}`.trim(), config.file, `rules.${rule.id}.options`);
  }
}

/**
 * Each `include` glob must match some file the walk saw: one that matches none is a typo or a folder
 * that moved, and the scan would pass over nothing (`✔ no findings … Scanned 0 files`). Globs a config
 * above the root has for other folders are out of this scan's reach, not errors.
 */
function checkIncludes(config: ResolvedConfig, seen: readonly string[]): void {
  if (!config.include) return;
  const display = config.file ? path.relative(process.cwd(), config.file) || config.file : CONFIG_FILE_NAME;
  config.include.forEach((glob, i) => {
    if (glob.startsWith('!') || glob === NOWHERE) return;
    const match = picomatch(glob, { dot: true });
    if (!seen.some((rel) => match(rel))) throw new ConfigError(`"${glob}" matches no file`, display, `include[${i}]`, 'Check the glob against the folder layout; globs are relative to the config file.');
  });
}
