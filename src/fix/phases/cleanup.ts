import { markDeleted } from '../mark-deleted.js';
import type { PhaseContext } from '../phase-context.js';
import { definePhase, type PhaseTarget } from '../phase-entry.js';
import { removal } from '../removal.js';

/** remove-legacy's options (its `meta.options`). */
export type RemoveLegacyOptions = {
  /** The other modules being removed (absolute). */
  legacy: string[];
};

interface CleanupTarget extends PhaseTarget {
  /** Every file being removed (root-relative), shared by all targets. */
  removed: readonly string[];
}

/**
 * Legacy modules nothing reaches any more are deleted; so is a barrel that only passed them on, which
 * remove-legacy says by leaving nothing in it.
 */
export const cleanup = definePhase<CleanupTarget, RemoveLegacyOptions>({
  phase: 'cleanup',
  transform: 'remove-legacy',
  effect: 'delete',
  select(ctx) {
    const r = removal(ctx);
    const removed = [...r.reach.remove].sort();
    return removed.map((file) => {
      const group = r.legacyOf.get(file)!;
      return { file, group, whole: ctx.filesOf(group).includes(file), removed };
    });
  },
  options: (t, ctx) => ({ legacy: t.removed.filter((f) => f !== t.file).map(ctx.abs) }),
  after(ctx) {
    markGone(ctx);
    if (ctx.phases.includes('facades')) return;
    const r = removal(ctx);
    for (const [file, by] of r.reach.keptBy) if (ctx.filesOf(r.legacyOf.get(file)!).includes(file)) ctx.plan.refused.push({ module: file, consumers: by });
  },
});

/** Legacy modules removed as a whole are marked deleted in the config, which must go on loading. */
function markGone(ctx: PhaseContext): void {
  const { config, plan } = ctx;
  const gone: { group: number; index: number }[] = [];
  config.groups.forEach((g, gi) => g.legacy.forEach((l, li) => {
    if (!l.path || l.deleted) return;
    const files = ctx.filesUnder(l.path);
    if (files.length > 0 && files.every((f) => plan.overlay.get(f) === null)) gone.push({ group: gi, index: li });
  }));
  if (gone.length === 0 || !config.file) return;
  const cfg = ctx.rel(config.file);
  plan.overlay.set(cfg, markDeleted(plan.current(cfg)!, gone));
  plan.record(cfg, 'cleanup', 'config', config.groups[gone[0]!.group]!.name).ruleId = 'legacy-import';
}
