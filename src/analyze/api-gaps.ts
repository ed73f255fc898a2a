import type { LegacyModule } from '../config/load-config.js';
import type { ResolvedRef } from '../scan/scan-project.js';
import type { Loc } from '../types.js';
import type { Analysis } from './analyze.js';
import type { ProjectModel } from './project-model.js';

/** A name consumers import from a legacy module that the SSOT module does not export (issue 17, item 1). */
export interface ApiGap {
  group: string;
  /** The legacy module as the config writes it. */
  module: string;
  /** The name consumers import from it, and what it becomes after the group's `renames`. */
  name: string;
  ssotName: string;
  ssotFile: string;
  /** Every reference that imports it, in file order. */
  consumers: { file: string; loc: Loc }[];
  /** Where the legacy module exports it, when the facts show that. */
  exportedAt?: { file: string; loc: Loc };
}

/** Reference forms that name what they take from the module (mocks, `export *` and side effects do not). */
const NAMING = new Set(['import', 'export-from', 'dynamic-import', 'require', 'import-equals', 'typeof-import', 'jsdoc-import']);

/**
 * The names one reference takes from a legacy module that the SSOT module lacks, after the module's
 * `renames`: `legacy` is the name written in the reference, `ssot` the name it would become. A name the
 * facts cannot rule out (an `export *` of a package) is not a gap.
 */
export function missingNames(model: ProjectModel, ssotFile: string, ref: ResolvedRef, legacy: LegacyModule): { legacy: string; ssot: string }[] {
  if (!NAMING.has(ref.ref.kind)) return [];
  const out: { legacy: string; ssot: string }[] = [];
  for (const n of ref.ref.names) {
    if (n.imported === '*' || out.some((o) => o.legacy === n.imported)) continue;
    const ssot = legacy.renames[n.imported] ?? n.imported;
    if (model.hasExport(ssotFile, ssot) === 'no') out.push({ legacy: n.imported, ssot });
  }
  return out;
}

/**
 * For each configured group, every name that files outside `allow` (and outside the legacy modules) import
 * from a legacy module and the SSOT module does not export: what `ssot fix` cannot move.
 */
export function apiGaps(analysis: Analysis): ApiGap[] {
  const { project, model } = analysis;
  const gaps = new Map<string, ApiGap>();
  // A name a `constructions` entry maps is rewritten into the SSOT factory call by rewrite-construction
  // first; `ssot fix` checks again, file by file, whatever is left after that phase.
  const constructed = new Set(analysis.contexts.flatMap((c) => Object.keys(c.config.constructions)));
  for (const ctx of analysis.contexts) {
    if (ctx.analysis.discovered) continue;
    const ssotFile = ctx.analysis.ssot.file;
    if (!project.files.has(ssotFile)) continue;
    for (const [rel, refs] of [...project.refs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (rel === ssotFile || ctx.legacy.moduleOf(rel) || ctx.isAllowed(rel)) continue;
      for (const r of refs) {
        const legacy = ctx.legacy.match(r);
        if (!legacy) continue;
        for (const m of missingNames(model, ssotFile, r, legacy)) {
          if (constructed.has(m.legacy)) continue;
          const key = `${ctx.config.name}\0${legacy.spec}\0${m.legacy}`;
          let gap = gaps.get(key);
          if (!gap) {
            gap = { group: ctx.config.name, module: legacy.spec, name: m.legacy, ssotName: m.ssot, ssotFile, consumers: [] };
            const exported = r.target ? project.files.get(r.target)?.facts.exports.find((e) => e.name === m.legacy) : undefined;
            if (exported && r.target) gap.exportedAt = { file: r.target, loc: exported.loc };
            gaps.set(key, gap);
          }
          gap.consumers.push({ file: rel, loc: r.ref.loc });
        }
      }
    }
  }
  return [...gaps.values()];
}
