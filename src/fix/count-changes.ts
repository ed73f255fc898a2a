import type { FileFacts } from '../types.js';
import type { PhaseContext } from './phase-context.js';
import { currentTargets } from './reach.js';

const MARKER = 'ssot-kit: manual migration needed';

/**
 * What each change amounts to, from the facts before and after: legacy imports and constructions rewritten,
 * the manual-migration markers the transforms left, and the test mocks now pointed at the SSOT.
 */
export function countChanges(ctx: PhaseContext): void {
  const { config, plan, project } = ctx;
  const legacyTargets = new Set(config.groups.flatMap(ctx.filesOf));
  const constructionKeys = new Set(config.groups.flatMap((g) => Object.keys(g.constructions)));
  const countUses = (facts: FileFacts): number => facts.uses.filter((u) => constructionKeys.has(u.callee.split('.').pop()!) || constructionKeys.has(u.callee.split('.')[0]!)).length;
  for (const change of plan.changes.values()) {
    const text = plan.overlay.get(change.file);
    if (text === null || text === undefined) continue;
    const before = (project.refs.get(change.file) ?? []).filter((r) => r.target && legacyTargets.has(r.target)).length;
    const after = currentTargets(plan.reach, change.file).filter((t) => legacyTargets.has(t.target)).length;
    if (!change.steps.some((s) => s.phase === 'facades')) change.importsRewritten = Math.max(0, before - after);
    if (change.steps.some((s) => s.transform === 'rewrite-imports')) {
      const left = new Set(currentTargets(plan.reach, change.file).map((t) => `${t.line}:${t.column}`));
      for (const r of project.refs.get(change.file) ?? []) {
        if (r.ref.kind === 'mock' && r.target && legacyTargets.has(r.target) && !left.has(`${r.ref.loc.line}:${r.ref.loc.column}`)) {
          change.mocks.push({ line: r.ref.loc.line, column: r.ref.loc.column, module: r.target });
        }
      }
    }
    const oldFacts = project.files.get(change.file)?.facts;
    if (oldFacts && change.steps.some((s) => s.phase === 'factories')) change.constructionsRewritten = Math.max(0, countUses(oldFacts) - countUses(plan.factsOf(change.file, text)));
    const oldMarkers = new Set(plan.original(change.file).split(/\r?\n/).filter((l) => l.includes(MARKER)).map((l) => l.trim()));
    text.split(/\r?\n/).forEach((line, i) => {
      const m = line.indexOf(MARKER);
      if (m >= 0 && !oldMarkers.has(line.trim())) change.manual.push({ line: i + 1, reason: line.slice(m + MARKER.length).trim().replace(/^\(|\)$/g, '') });
    });
  }
}
