import path from 'node:path';
import { CONFIG_FILE_NAME, type ResolvedConfig } from './config/load-config.js';
import { ConfigError } from './errors.js';
import { prepare, type ScanOptions, type Session } from './prepare.js';
import { rememberResult, resultKey, reuseResult, type ParsedFacts } from './scan/reuse.js';
import { loadProject, type Inventory, type Project } from './scan/scan-project.js';
import { REPORT_VERSION, summarize, type ScanResult } from './scan-result.js';
import { toolVersion } from './tool-version.js';
import type { Analysis } from './analyze/analyze.js';
import type { Finding } from './types.js';
import { mark } from './timing.js';

export type { ScanOptions, Session } from './prepare.js';
export { toolVersion } from './tool-version.js';

/** A scan's result, and the project it was computed from: loaded on first call (from the cache when the result was reused). */
export interface Scanned {
  result: ScanResult;
  project: () => Promise<Project>;
}

/** Scan a codebase: list, extract facts, analyse, run the rules. Returns data; prints nothing. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  return (await scanSession(await prepare(options))).result;
}

/**
 * The scan stages on an open session: reuse the last result when the edits since cannot change it
 * (scan/reuse.ts), else load the project (facts and resolved references), analyse it and run the rules.
 * The project is always at hand: a reused result loads it on demand from the cache and the facts the
 * reuse stage parsed, so no file is listed or parsed twice.
 */
export async function scanSession(session: Session): Promise<Scanned> {
  const { inventory, config, options } = session;
  const key = resultKey(inventory, config, options.rules);
  const parsed: ParsedFacts = new Map();
  const reused = await reuseResult(inventory, config, key, parsed, { only: options.rules, threads: options.threads });
  if (reused && !reused.rerun) {
    let loading: Promise<Project> | undefined;
    return { result: { ...reused.result, durationMs: Math.round(performance.now() - session.started) }, project: () => (loading ??= loadProject(withParsed(inventory, parsed))) };
  }
  const project = await loadProject(withParsed(inventory, parsed));
  // Reused but for a few rules (an import on a cycle): they run again on the project, the rest is kept.
  if (reused) return { result: { ...(await reused.complete(project)), durationMs: Math.round(performance.now() - session.started) }, project: () => Promise.resolve(project) };
  // Files the reuse stage parsed before it gave up were parsed in this run, not taken from the cache.
  project.coverage.cached -= parsed.size;
  const { result, analysis } = await analyzeWithAnalysis(project, config, options.rules, session.started);
  rememberResult(inventory, key, result, analysis);
  return { result, project: () => Promise.resolve(project) };
}

/** The inventory, with the facts already parsed in this run given to `loadProject` as it takes shards' facts. */
function withParsed(inventory: Inventory, parsed: ParsedFacts): Inventory {
  if (!parsed.size) return inventory;
  const prefilled = new Map([...(inventory.options.prefilled ?? []), ...parsed]);
  return { ...inventory, options: { ...inventory.options, prefilled } };
}

/**
 * A group's `ssot.export` and `ssot.factory` must be exported by its SSOT (factory) module, or every
 * finding would say "use the SSOT NoSuchExport". Judged only where the facts can tell: the module is
 * scanned and parses, and each `export *` it has leads to scanned files.
 */
function checkSsotExports(analysis: Analysis, config: ResolvedConfig): void {
  const { project, model } = analysis;
  const display = config.file ? path.relative(process.cwd(), config.file) || config.file : CONFIG_FILE_NAME;
  config.groups.forEach((group, i) => {
    const wanted: [string | undefined, string, string][] = [
      [group.ssot.export, group.ssot.module, `groups[${i}].ssot.export`],
      [group.ssot.factory, group.ssot.factoryModule ?? group.ssot.module, `groups[${i}].ssot.factory`],
    ];
    for (const [name, module, key] of wanted) {
      if (!name) continue;
      const rel = path.relative(project.root, module).split(path.sep).join('/');
      const file = project.files.get(rel);
      if (!file || file.facts.parseError || model.resolveExport(rel, name)) continue;
      const refs = project.refs.get(rel) ?? [];
      if (file.facts.starExports.some((index) => !refs[index]?.target)) continue; // `export *` from what was not scanned
      const known = file.facts.exports.map((e) => e.name).filter((n) => n !== 'default');
      throw new ConfigError(`${rel} does not export "${name}"`, display, key, known.length ? `It exports: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}.` : 'Export it from the SSOT module, or fix the name.');
    }
  });
}

/** The analysis and rule stages on an already scanned project. */
export async function analyzeProject(project: Project, config: ResolvedConfig, only: readonly string[] | undefined, started = performance.now()): Promise<ScanResult> {
  return (await analyzeWithAnalysis(project, config, only, started)).result;
}

async function analyzeWithAnalysis(project: Project, config: ResolvedConfig, only: readonly string[] | undefined, started: number): Promise<{ result: ScanResult; analysis: Analysis }> {
  // Loaded here, not at start-up: a run that reuses the previous result never needs them.
  const [{ analyze }, { runRules }] = await Promise.all([import('./analyze/analyze.js'), import('./rules/run-rules.js')]);
  const analysis: Analysis = analyze(project, config);
  checkSsotExports(analysis, config);
  mark('analyzed');
  const findings: Finding[] = runRules(analysis, only);
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
  return { result, analysis };
}
