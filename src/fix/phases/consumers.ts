import { missingNames } from '../../analyze/api-gaps.js';
import type { LegacyModule } from '../../config/load-config.js';
import { definePhase, type PhaseSkip, type PhaseTarget } from '../phase-entry.js';
import type { Specifiers } from '../specifiers-for.js';

/** rewrite-imports' options (its `meta.options`). */
export type RewriteImportsOptions = Specifiers & {
  /** The legacy module (absolute file or folder). */
  legacy: string;
  ssot: string;
  /** Legacy export name -> SSOT export name. */
  renames: Record<string, string>;
  /** Names the SSOT lacks: their specifiers stay on the legacy module (issue 17, item 1). */
  keep?: string[];
};

/** One file and one of its group's legacy modules it reaches. */
interface ConsumerTarget extends PhaseTarget {
  legacy: LegacyModule & { path: string };
  /** The legacy module's files (root-relative). */
  targets: ReadonlySet<string>;
  specifiers: Specifiers;
}

/** Files importing a legacy module (directly, or the barrel they import it through) import the SSOT instead. */
export const consumers = definePhase<ConsumerTarget, RewriteImportsOptions>({
  phase: 'consumers',
  transform: 'rewrite-imports',
  effect: 'rewrite',
  select(ctx) {
    const items: (ConsumerTarget | PhaseSkip)[] = [];
    for (const g of ctx.config.groups) {
      const direct = ctx.byGroup(g, 'legacy-import').filter((f) => f.messageId !== 'indirectImport');
      // Indirect consumers reach a legacy module through a barrel, which may sit in `allow`: the barrel is rewritten.
      const barrels = ctx.byGroup(g, 'legacy-import').filter((f) => f.messageId === 'indirectImport' && typeof f.data.barrel === 'string' && ctx.project.files.has(String(f.data.barrel)));
      for (const f of direct) {
        if (g.legacy.some((l) => !l.path && l.spec === f.data.module)) items.push({ file: f.file, finding: f, skip: { kind: 'legacy-package', module: String(f.data.module) } });
      }
      const files = [...new Set([...direct.map((f) => f.file), ...barrels.map((f) => String(f.data.barrel))])].sort();
      const targetsOf = new Map<LegacyModule, ReadonlySet<string>>();
      for (const file of files) {
        for (const l of g.legacy) {
          if (!l.path) continue;
          const targets = targetsOf.get(l) ?? new Set(ctx.filesUnder(l.path));
          targetsOf.set(l, targets);
          const { crossPackage, ...specifiers } = ctx.specifiersFor(file, targets, g.ssot.module);
          if (crossPackage) items.push({ file, skip: { kind: 'cross-package', ssotPackage: crossPackage }, ...(direct.find((f) => f.file === file) ? { finding: direct.find((f) => f.file === file)! } : {}) });
          else if (specifiers.legacySpecifiers) items.push({ file, group: g, legacy: { ...l, path: l.path }, targets, specifiers });
        }
      }
    }
    return items;
  },
  options(t, ctx) {
    // Names the SSOT lacks stay on the legacy module (issue 17, item 1); the transform marks them for a person.
    const refs = (ctx.project.refs.get(t.file) ?? []).filter((r) => r.target && t.targets.has(r.target));
    const keep = [...new Set(refs.flatMap((r) => missingNames(ctx.model, ctx.rel(t.group.ssot.module), r, t.legacy).map((m) => m.legacy)))];
    // `import * as ns`: the members the file reads (`ns.x`), which the scan does not list; rewrite-imports keeps such an import whole.
    const text = ctx.plan.current(t.file) ?? '';
    // Only `import * as ns` binds a name to read members from (`export *` lists '*' as its local).
    for (const local of refs.flatMap((r) => r.ref.names.filter((n) => n.imported === '*' && /^[A-Za-z_$][\w$]*$/.test(n.local)).map((n) => n.local))) {
      for (const m of text.matchAll(new RegExp(`(?<![\\w$.])${local.replace(/\$/g, '\\$')}\\s*(?:\\?\\.|\\.)\\s*([A-Za-z_$][\\w$]*)`, 'g'))) {
        if (!keep.includes(m[1]!) && ctx.model.hasExport(ctx.rel(t.group.ssot.module), t.legacy.renames[m[1]!] ?? m[1]!) === 'no') keep.push(m[1]!);
      }
    }
    return { legacy: t.legacy.path, ssot: t.group.ssot.module, renames: t.legacy.renames, ...t.specifiers, ...(keep.length ? { keep } : {}) };
  },
});
