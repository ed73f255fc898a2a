import type { Project } from '../scan/scan-project.js';
import type { FileFacts } from '../types.js';

/** A file's text as the run sees it: the new text, `null` once deleted, or absent when unchanged. */
export type Overlay = Map<string, string | null>;

export interface ReachContext {
  project: Project;
  overlay: Overlay;
  /** Facts of a changed file's new text (the scanner's own extraction, so every reference form counts). */
  factsOf: (rel: string, text: string) => FileFacts;
}

/**
 * The files each file refers to, after the run's changes. An unchanged file keeps the scan's resolved
 * references. A changed file keeps those of its old references whose specifier it still writes: the
 * transforms only ever write specifiers of the SSOT module, so a specifier that survives still resolves
 * where it did, and new ones never lead back to a legacy module.
 */
export function currentTargets(ctx: ReachContext, rel: string): { target: string; line: number; column: number }[] {
  const refs = ctx.project.refs.get(rel) ?? [];
  const text = ctx.overlay.get(rel);
  if (text === null) return [];
  if (text === undefined) return refs.flatMap((r) => (r.target ? [{ target: r.target, line: r.ref.loc.line, column: r.ref.loc.column }] : []));
  const bySpecifier = new Map<string, string>();
  for (const r of refs) if (r.target) bySpecifier.set(r.ref.specifier, r.target);
  return ctx.factsOf(rel, text).refs.flatMap((ref) => {
    const target = bySpecifier.get(ref.specifier);
    return target ? [{ target, line: ref.loc.line, column: ref.loc.column }] : [];
  });
}

/**
 * Which candidate files can go: start from all of them and keep, until nothing changes, every candidate
 * that a file outside the removal set still refers to. Returns the removable files and, for each kept
 * one, who keeps it.
 */
export function removable(ctx: ReachContext, candidates: ReadonlySet<string>, extra: readonly { from: string; target: string; line: number; column: number }[] = []): { remove: Set<string>; keptBy: Map<string, { file: string; line: number; column: number }[]> } {
  const remove = new Set(candidates);
  const keptBy = new Map<string, { file: string; line: number; column: number }[]>();
  const edges = [...extra];
  for (const rel of ctx.project.files.keys()) {
    for (const t of currentTargets(ctx, rel)) if (candidates.has(t.target) && t.target !== rel) edges.push({ from: rel, ...t });
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      if (remove.has(e.target) && !remove.has(e.from)) {
        remove.delete(e.target);
        changed = true;
      }
    }
  }
  for (const e of edges) {
    if (remove.has(e.target) || remove.has(e.from)) continue;
    keptBy.set(e.target, [...(keptBy.get(e.target) ?? []), { file: e.from, line: e.line, column: e.column }]);
  }
  return { remove, keptBy };
}
