import { definePhase, type PhaseTarget } from '../phase-entry.js';
import { removable } from '../reach.js';
import { removal } from '../removal.js';

/** facade's options (its `meta.options`). */
export type FacadeOptions = {
  ssot: string;
  /** Legacy export name -> SSOT export name, over all the group's legacy modules. */
  renames: Record<string, string>;
  /** The folder the runtime warning names the module relative to. */
  root: string;
};

/** Legacy modules something still reaches become deprecated re-exports of the SSOT. */
export const facades = definePhase<PhaseTarget, FacadeOptions>({
  phase: 'facades',
  transform: 'facade',
  effect: 'rewrite',
  select(ctx) {
    const r = removal(ctx);
    const kept = [...r.candidates].filter((f) => !r.reach.remove.has(f) && ctx.filesOf(r.legacyOf.get(f)!).includes(f)).sort();
    return kept.map((file) => ({ file, group: r.legacyOf.get(file)! }));
  },
  options: (t, ctx) => ({ ssot: t.group.ssot.module, renames: Object.assign({}, ...t.group.legacy.map((l) => l.renames)) as Record<string, string>, root: ctx.root }),
  after(ctx) {
    // A facade no longer imports what the legacy module did: more may be unreachable now.
    const r = removal(ctx);
    for (let more = true; more; ) {
      const next = removable(ctx.plan.reach, r.candidates, r.pins);
      more = next.remove.size > r.reach.remove.size;
      r.reach = next;
    }
  },
});
