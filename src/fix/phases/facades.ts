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
  /** The SSOT's package specifier when it lives in another workspace package. */
  ssotSpecifier?: string;
};

/** Legacy modules something still reaches become deprecated re-exports of the SSOT. */
export const facades = definePhase<PhaseTarget & { ssotSpecifier?: string }, FacadeOptions>({
  phase: 'facades',
  transform: 'facade',
  effect: 'rewrite',
  select(ctx) {
    const r = removal(ctx);
    const kept = [...r.candidates].filter((f) => !r.reach.remove.has(f) && ctx.filesOf(r.legacyOf.get(f)!).includes(f)).sort();
    // A facade re-exports the SSOT: across workspace packages only by a package specifier (specifiers-for.ts).
    return kept.map((file) => {
      const group = r.legacyOf.get(file)!;
      const { crossPackage, ssotSpecifier } = ctx.crossPackage(file, group.ssot.module, []);
      return crossPackage ? { file, skip: { kind: 'cross-package' as const, ssotPackage: crossPackage } } : { file, group, ...(ssotSpecifier ? { ssotSpecifier } : {}) };
    });
  },
  options: (t, ctx) => ({ ssot: t.group.ssot.module, renames: Object.assign({}, ...t.group.legacy.map((l) => l.renames)) as Record<string, string>, root: ctx.root, ...(t.ssotSpecifier ? { ssotSpecifier: t.ssotSpecifier } : {}) }),
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
