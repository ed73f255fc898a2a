import type { GroupAnalysis } from './analyze/group-analysis.js';
import type { StatusResult } from './status-types.js';
import type { Coverage, Finding } from './types.js';

export const REPORT_VERSION = 1;

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  byRule: Record<string, number>;
}

/** What `scan` returns and every reporter reads. Paths are POSIX, relative to `root`. */
export interface ScanResult {
  version: typeof REPORT_VERSION;
  tool: { name: 'ssot-kit'; version: string };
  /** The scanned folder, absolute (reporters print paths relative to it). */
  root: string;
  /** The config file used, relative to the root, if any. */
  config?: string;
  findings: Finding[];
  groups: GroupAnalysis[];
  coverage: Coverage;
  summary: Summary;
  durationMs: number;
  /** Migration status per group, with its burndown, when asked for (`ssot scan --history <n>`). */
  status?: StatusResult;
}

export function summarize(findings: Finding[]): Summary {
  const summary: Summary = { errors: 0, warnings: 0, infos: 0, byRule: {} };
  for (const f of findings) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.infos++;
    summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1;
  }
  return summary;
}

/** Findings in report order: file, line, column, rule id. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}
