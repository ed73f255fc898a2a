import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BASELINE_FILE_NAME, entryOf, readBaseline, writeBaseline, type BaselineEntry } from './baseline/baseline-file.js';
import { compareWithBaseline } from './baseline/compare.js';
import { revisionLayout } from './baseline/git-tree.js';
import { budgets, neverBaselined, type BudgetStatus } from './baseline/policy.js';
import { ConfigError } from './errors.js';
import { prepare, type ScanOptions } from './prepare.js';
import { scan, scanSession } from './scan-api.js';
import { summarize, type ScanResult, type Summary } from './scan-result.js';
import type { Finding } from './types.js';

export interface CheckOptions extends ScanOptions {
  /** Baseline file (default `<root>/.ssot-baseline.json`). */
  baseline?: string;
  /** Also fail while the baseline holds entries that no longer occur. */
  strict?: boolean;
  /** Compare with the tree at this git ref instead of a baseline file. */
  since?: string;
}

export interface CheckResult extends ScanResult {
  /** Only the new findings. */
  findings: Finding[];
  summary: Summary & { new: number; baselined: number; fixed: number };
  /** Known entries that no longer occur. */
  fixed: BaselineEntry[];
  budgets: BudgetStatus[];
  /** Lines for people: known findings softened, how to tighten the baseline, budgets. */
  notes: string[];
  passed: boolean;
}

/** The gate: scan, then keep only what the baseline (or the tree at `since`) does not know. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const root = path.resolve(options.root);
  const baselineFile = path.resolve(root, options.baseline ?? BASELINE_FILE_NAME);
  // Read the baseline first: a corrupt one is an error before any work, and is never rewritten.
  let entries = options.since ? undefined : readBaseline(baselineFile);
  if (!options.since && !entries) {
    throw new ConfigError('no baseline', path.relative(process.cwd(), baselineFile) || baselineFile, undefined, 'Write one with `ssot baseline`, or compare with a git ref: `ssot check --since origin/main`.');
  }
  const session = await prepare(options);
  const { config } = session;
  const { result } = await scanSession(session);
  if (options.since) entries = (await scanRevision(root, options, config.file)).findings.map(entryOf);
  const comparison = compareWithBaseline(result.findings, entries!, new Set(entries!.filter((e) => existsSync(path.join(root, e.file))).map((e) => e.file)));
  const forced = comparison.known.filter((f) => neverBaselined(config, f));
  const fresh = [...comparison.fresh, ...forced].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const known = comparison.known.length - forced.length;
  const startCounts = new Map<string, number>();
  for (const e of entries!) if (e.group) startCounts.set(e.group, (startCounts.get(e.group) ?? 0) + 1);
  const budgetStatus = budgets(config, result.findings, startCounts);
  const source = options.since ? `at ${options.since}` : `in ${path.relative(root, baselineFile) || BASELINE_FILE_NAME}`;
  const notes: string[] = [];
  if (known > 0) notes.push(`${known} known violation${known === 1 ? '' : 's'} ignored (already ${source}).`);
  if (forced.length) notes.push(`${forced.length} known violation${forced.length === 1 ? '' : 's'} of never-baselined rules or deleted modules still fail.`);
  if (comparison.fixed.length && !options.since) {
    notes.push(`${comparison.fixed.length} baseline entr${comparison.fixed.length === 1 ? 'y no longer occurs' : 'ies no longer occur'}: run \`ssot baseline --prune\` to tighten the baseline.`);
  }
  for (const b of budgetStatus) {
    const parts = [`budget ${b.group}: ${b.count}`];
    if (b.max !== undefined) parts.push(`max ${b.max}`);
    if (b.zeroBy) parts.push(`zero by ${b.zeroBy}, ${b.allowedToday} allowed today`);
    notes.push(`${parts.join(', ')}${b.over ? ' — over budget' : ''}`);
  }
  const failing = fresh.filter((f) => f.severity !== 'info');
  const strictFail = !!options.strict && !options.since && comparison.fixed.length > 0;
  if (strictFail) notes.push('--strict: the baseline must be tightened in this change.');
  const summary = { ...summarize(fresh), new: fresh.length, baselined: known, fixed: comparison.fixed.length };
  return {
    ...result,
    findings: fresh,
    summary,
    fixed: comparison.fixed,
    budgets: budgetStatus,
    notes,
    passed: failing.length === 0 && !strictFail && !budgetStatus.some((b) => b.over),
  };
}

/** The scan of the same folder at a git revision, with the current config. */
async function scanRevision(root: string, options: CheckOptions, configFile: string | undefined): Promise<ScanResult> {
  const layout = revisionLayout(root, options.since!, configFile);
  try {
    const cache = options.cache === false ? false : path.join(options.cache ?? path.join(root, '.ssot-cache'), 'since');
    return await scan({ ...options, root: layout.root, cache, config: layout.config ?? false });
  } finally {
    rmSync(layout.tree, { recursive: true, force: true });
  }
}

export interface BaselineWriteResult {
  file: string;
  entries: number;
  added: number;
  removed: number;
}

/** Write the baseline from the current findings; with `prune`, only drop entries that no longer occur (the ratchet). */
export async function updateBaseline(options: ScanOptions & { baseline?: string; prune?: boolean }): Promise<BaselineWriteResult> {
  const root = path.resolve(options.root);
  const file = path.resolve(root, options.baseline ?? BASELINE_FILE_NAME);
  const previous = readBaseline(file);
  if (options.prune && !previous) throw new ConfigError('no baseline to prune', path.relative(process.cwd(), file) || file, undefined, 'Write one first with `ssot baseline`.');
  const result = await scan(options);
  let next: BaselineEntry[];
  if (options.prune) {
    const comparison = compareWithBaseline(result.findings, previous!, new Set(previous!.filter((e) => existsSync(path.join(root, e.file))).map((e) => e.file)));
    next = comparison.known.map(entryOf); // follows renames, adds nothing new
  } else next = result.findings.map(entryOf);
  writeBaseline(file, next);
  const before = new Set((previous ?? []).map((e) => `${e.ruleId}\0${e.file}\0${e.fingerprint}`));
  const after = new Set(next.map((e) => `${e.ruleId}\0${e.file}\0${e.fingerprint}`));
  return {
    file,
    entries: next.length,
    added: [...after].filter((k) => !before.has(k)).length,
    removed: [...before].filter((k) => !after.has(k)).length,
  };
}
