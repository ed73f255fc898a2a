import type { ApplyTransform } from './apply-transform.js';
import { applyStep } from './apply-step.js';
import { loadTransform } from './load-transform.js';
import type { PhaseContext } from './phase-context.js';
import { isSkip, type PhaseEntry } from './phase-entry.js';

/**
 * Plans the run in memory: each entry of the table whose phase the run includes selects its targets on the
 * plan the earlier entries left and applies its transform to each, in order. Progress counts files.
 */
export async function runPhases(ctx: PhaseContext, table: readonly PhaseEntry[], apply: ApplyTransform, onProgress?: (done: number, total: number, label: string) => void): Promise<void> {
  const progress = { done: 0, total: 0 };
  for (const entry of table) {
    if (!ctx.phases.includes(entry.phase)) continue;
    const transform = entry.load ? await entry.load() : (await loadTransform(entry.transform)).default;
    const items = entry.select(ctx);
    // Progress counts files: a file (one target per legacy module it reaches) is done after its last target.
    const last = new Map<string, number>();
    items.forEach((item, i) => isSkip(item) || last.set(item.file, i));
    progress.total += last.size;
    items.forEach((item, i) => {
      if (isSkip(item)) return ctx.plan.skip(item.file, item.skip, item.finding);
      applyStep(ctx, entry, transform, item, entry.options(item, ctx), apply);
      if (last.get(item.file) === i) onProgress?.(++progress.done, Math.max(progress.total, progress.done), entry.phase);
    });
    entry.after?.(ctx);
  }
}
