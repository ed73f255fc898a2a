import type { Construction, GroupConfig } from '../../config/load-config.js';
import type { PhaseContext } from '../phase-context.js';
import { definePhase, type PhaseSkip, type PhaseTarget } from '../phase-entry.js';
import type { Specifiers } from '../specifiers-for.js';

/** rewrite-construction's options (its `meta.options`). */
export type RewriteConstructionOptions = Specifiers & {
  /** Every group's legacy modules (absolute files or folders). */
  legacy: string[];
  /** The SSOT module of the file's group. */
  ssot: string;
  /** Every group's `constructions`, each with its SSOT factory. */
  constructions: Record<string, Construction & { factory: string }>;
};

interface FactoryTarget extends PhaseTarget {
  /** Every group's legacy module files (root-relative), shared by all targets. */
  legacyFiles: ReadonlySet<string>;
  /** The specifiers rewrite-construction writes; across packages, the SSOT's package specifier. */
  specifiers: Specifiers;
}

/**
 * Mappings and legacy modules of every group apply together: a bypass found for one group (a legacy
 * factory class) is often mapped in the group of the role it constructs.
 */
function constructionsOf(groups: readonly GroupConfig[]): RewriteConstructionOptions['constructions'] {
  const constructions: RewriteConstructionOptions['constructions'] = {};
  for (const g of groups) {
    for (const [k, c] of Object.entries(g.constructions)) {
      const factory = c.factory ?? g.ssot.factory;
      if (factory && !(k in constructions)) constructions[k] = { ...c, factory };
    }
  }
  return constructions;
}

/** Factory bypasses (and competing implementations outside the legacy modules) become SSOT factory calls. */
export const factories = definePhase<FactoryTarget, RewriteConstructionOptions>({
  phase: 'factories',
  transform: 'rewrite-construction',
  effect: 'rewrite',
  select(ctx) {
    const groups = ctx.config.groups;
    const bypasses = groups.flatMap((g) => ctx.byGroup(g, 'factory-bypass'));
    if (Object.keys(constructionsOf(groups)).length === 0) {
      return bypasses.map((f): PhaseSkip => ({ file: f.file, finding: f, skip: { kind: 'no-constructions', ...(f.data.name !== undefined ? { construction: String(f.data.name) } : {}) } }));
    }
    const legacyFiles = new Set(groups.flatMap(ctx.filesOf));
    const competing = groups.flatMap((g) => ctx.byGroup(g, 'competing-implementation')).map((f) => f.file).filter((f) => !legacyFiles.has(f) && !ctx.ssotFiles.has(f));
    const files = [...new Set([...bypasses.map((f) => f.file), ...competing])].sort();
    const groupOf = groupsReached(ctx);
    return files.map((file): FactoryTarget | PhaseSkip => {
      const group = groupOf.get(file) ?? groups[0]!;
      // specifiersFor checks packages for a file that imports a legacy module; one that imports none is checked here.
      const found = ctx.specifiersFor(file, legacyFiles, group.ssot.module);
      const { crossPackage, ...specifiers } = found.legacySpecifiers ? found : ctx.crossPackage(file, group.ssot.module, []);
      return crossPackage ? { file, skip: { kind: 'cross-package', ssotPackage: crossPackage } } : { file, group, legacyFiles, specifiers };
    });
  },
  options: (t, ctx) => ({
    legacy: [...new Set(ctx.config.groups.flatMap(ctx.legacyPaths))],
    ssot: t.group.ssot.module,
    constructions: constructionsOf(ctx.config.groups),
    ...t.specifiers,
  }),
});

/**
 * A bypassing file's group is the one whose legacy modules (or SSOT) it reaches, among those its findings
 * name (issue 17, item 6: a bypass pinned to the first group wired another package's files to that group's SSOT).
 */
function groupsReached(ctx: PhaseContext): Map<string, GroupConfig> {
  const groupOf = new Map<string, GroupConfig>();
  const reaches = (file: string, g: GroupConfig): boolean => {
    const own = new Set([...ctx.filesOf(g), ctx.rel(g.ssot.module)]);
    return (ctx.project.refs.get(file) ?? []).some((r) => r.target !== undefined && own.has(r.target));
  };
  for (const g of ctx.config.groups) {
    for (const f of ctx.byGroup(g, 'factory-bypass')) {
      const had = groupOf.get(f.file);
      if (!had || (!reaches(f.file, had) && reaches(f.file, g))) groupOf.set(f.file, g);
    }
  }
  return groupOf;
}
