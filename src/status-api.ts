import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { GroupAnalysis } from './analyze/group-analysis.js';
import { revisionLayout } from './baseline/git-tree.js';
import { prepare, type ScanOptions } from './prepare.js';
import { scanSession, type Scanned } from './scan-api.js';
import type { ScanResult } from './scan-result.js';
import type { GroupStatus, Phase, StatusResult } from './status-types.js';

export type { GroupStatus, Phase, StatusResult } from './status-types.js';
import type { Project } from './scan/scan-project.js';

/** Migration progress per group, from a scan's result and the project's facts (for what each legacy module still is). */
export function statusOf(result: ScanResult, project: Project): GroupStatus[] {
  return result.groups.filter((g) => !g.discovered).map((g) => groupStatus(g, result, project));
}

/**
 * A facade forwards to the SSOT and holds nothing of its own: it refers to the SSOT module, and every
 * module it refers to is the SSOT's (or a Node built-in, for the deprecation warning).
 */
function isFacade(project: Project, files: string[], ssotFile: string): boolean {
  if (files.length === 0) return false;
  let forwards = false;
  for (const file of files) {
    for (const r of project.refs.get(file) ?? []) {
      if (r.target === ssotFile) forwards = true;
      else if (!(r.external && !r.external.includes('/') && /^[a-z_]+$/.test(r.external) && r.ref.specifier.startsWith('node:'))) return false;
    }
    if (project.files.get(file)?.facts.decls.some((d) => d.kind === 'class')) return false;
  }
  return forwards;
}

function groupStatus(g: GroupAnalysis, result: ScanResult, project: Project): GroupStatus {
  const ssotFiles = new Set<string>();
  let onSsot = 0;
  for (const impl of g.implementations) if (impl.ssot) {
    onSsot = Math.max(onSsot, impl.moduleConsumers);
    for (const c of impl.consumers) ssotFiles.add(c.file);
  }
  const onLegacy = new Set(g.legacy.flatMap((l) => l.consumers)).size;
  const competingFactories = g.implementations.filter((i) => !i.ssot && (i.kind === 'function' || i.kind === 'object-factory' || /factory/i.test(i.name))).length;
  const factoryBypasses = result.findings.filter((f) => f.ruleId === 'factory-bypass' && f.group === g.name).length;
  const apiGaps = result.findings.filter((f) => f.ruleId === 'ssot-api-gap' && f.group === g.name).length;
  let legacyModules = 0;
  let facades = 0;
  let removed = 0;
  for (const l of g.legacy) {
    const files = l.path ? [...project.files.keys()].filter((f) => f === l.path || f.startsWith(`${l.path}/`)) : [];
    if (l.path && files.length === 0) removed++;
    else if (isFacade(project, files, g.ssot.file)) facades++;
    else legacyModules++;
  }
  const phase: Phase =
    competingFactories > 0 || factoryBypasses > 0 ? 'factories' : onLegacy > 0 ? 'consumers' : legacyModules > 0 ? 'facades' : facades > 0 ? 'cleanup' : 'done';
  return { group: g.name, onSsot: Math.max(onSsot, ssotFiles.size), onLegacy, competingFactories, factoryBypasses, legacyModules, facades, removed, apiGaps, phase };
}

/** `ssot status`: the current state, and with `history` the same over the last n commits (from git objects, the cache keeps it fast). */
export async function status(options: ScanOptions & { history?: number }): Promise<StatusResult> {
  const session = await prepare(options);
  return statusFrom(await scanSession(session), options, session.config.file);
}

/** `ssot scan --history <n>`: the scan's result with the status of the same scan (one scan) and its burndown. */
export async function scanWithStatus(options: ScanOptions & { history?: number }): Promise<ScanResult> {
  const session = await prepare(options);
  const scanned = await scanSession(session);
  return { ...scanned.result, status: await statusFrom(scanned, options, session.config.file) };
}

/** Status of a scan already made, and with `history` of the last n commits, each judged by the same config file. */
async function statusFrom(scanned: Scanned, options: ScanOptions & { history?: number }, configFile: string | undefined): Promise<StatusResult> {
  const root = path.resolve(options.root);
  const groups = statusOf(scanned.result, await scanned.project());
  if (!options.history) return { groups };
  const log = execFileSync('git', ['log', `-n${options.history}`, '--format=%H %cI'], { cwd: root, encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const history: NonNullable<StatusResult['history']> = [];
  for (const line of log.reverse()) {
    const [commit, date] = line.split(' ') as [string, string];
    // Every commit is judged by today's config, so the numbers are comparable.
    const layout = revisionLayout(root, commit, configFile);
    try {
      const cache: string | false = options.cache === false ? false : path.join(options.cache ?? path.join(root, '.ssot-cache'), 'history');
      const tree = await scanSession(await prepare({ ...options, root: layout.root, cache, config: layout.config ?? false }));
      history.push({ commit: commit.slice(0, 12), date, groups: statusOf(tree.result, await tree.project()) });
    } finally {
      rmSync(layout.tree, { recursive: true, force: true });
    }
  }
  return { groups, history };
}

/** A plain table for people (the JSON is the data itself). */
export function formatStatus(s: StatusResult): string {
  // Issue 19: a table with a header and no rows says nothing about what to do next.
  if (s.groups.length === 0) {
    return 'No configured groups, so there is no migration to show: status follows the groups of ssot.config.json.\n' +
      'Run `ssot init` to write one from the groups discovery proposes (`ssot scan` lists them), or add groups to your config.\n';
  }
  const lines: string[] = [];
  const header = ['group', 'phase', 'on SSOT', 'on legacy', 'factories', 'bypasses', 'legacy modules', 'facades', 'removed', 'API gaps'];
  const row = (g: GroupStatus): string[] => [g.group, g.phase, String(g.onSsot), String(g.onLegacy), String(g.competingFactories), String(g.factoryBypasses), String(g.legacyModules), String(g.facades), String(g.removed), String(g.apiGaps)];
  lines.push(...table([header, ...s.groups.map(row)]));
  if (s.history?.length) {
    lines.push('', 'burndown (oldest first): files on legacy modules per group');
    const names = s.groups.map((g) => g.group);
    lines.push(...table([['commit', 'date', ...names], ...s.history.map((h) => [h.commit, h.date.slice(0, 10), ...names.map((n) => String(h.groups.find((g) => g.group === n)?.onLegacy ?? '-'))])]));
  }
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}
