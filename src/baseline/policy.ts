import type { ResolvedConfig } from '../config/load-config.js';
import type { Finding } from '../types.js';

export interface BudgetStatus {
  group: string;
  count: number;
  max?: number;
  zeroBy?: string;
  /** Where the count should be today on a straight line from the baseline's count to zero at zeroBy. */
  allowedToday?: number;
  over: boolean;
}

/**
 * Per-group budgets: a maximum count of findings, and an optional date by which it must reach zero,
 * read as a straight burn-down from `startCount` (the baseline's count) today-vs-deadline.
 */
export function budgets(config: ResolvedConfig, findings: Finding[], startCounts: ReadonlyMap<string, number>, today = new Date()): BudgetStatus[] {
  const out: BudgetStatus[] = [];
  for (const g of config.groups) {
    if (!g.budget) continue;
    const count = findings.filter((f) => f.group === g.name && f.severity !== 'info').length;
    const status: BudgetStatus = { group: g.name, count, over: false };
    if (g.budget.max !== undefined) {
      status.max = g.budget.max;
      if (count > g.budget.max) status.over = true;
    }
    if (g.budget.zeroBy) {
      status.zeroBy = g.budget.zeroBy;
      const deadline = Date.parse(`${g.budget.zeroBy}T23:59:59Z`);
      const start = startCounts.get(g.name) ?? count;
      const daysLeft = Math.max(0, (deadline - today.getTime()) / 86_400_000);
      // Linear burn-down over at most a year before the deadline.
      status.allowedToday = Math.ceil(start * Math.min(1, daysLeft / 365));
      if (count > status.allowedToday) status.over = true;
    }
    out.push(status);
  }
  return out;
}

/**
 * Findings no baseline may excuse: rules listed in `check.neverBaseline`, and imports of a legacy
 * module marked `deleted` (nothing should import what is gone).
 */
export function neverBaselined(config: ResolvedConfig, finding: Finding): boolean {
  if (config.neverBaseline.includes(finding.ruleId)) return true;
  if (finding.ruleId !== 'legacy-import' || !finding.group) return false;
  const group = config.groups.find((g) => g.name === finding.group);
  return !!group?.legacy.some((m) => m.deleted && m.spec === finding.data.module);
}
