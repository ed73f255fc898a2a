import type { Loc } from '../../types.js';
import type { ProjectModel } from '../project-model.js';
import { declKey } from '../project-model.js';
import type { Candidate } from './candidates.js';

/**
 * What each candidate makes (issue 18, substitution): the other candidates it constructs (`new X`), calls
 * (`createX()`) or takes from an accessor (`X.getInstance()`) inside its own declaration. A factory that
 * makes two of them is the strongest sign that they are alternatives for one role.
 */
export function productsOf(model: ProjectModel, candidates: readonly Candidate[]): Map<number, number[]> {
  const byKey = new Map<string, number>();
  for (const c of candidates) byKey.set(declKey(c.file, c.decl.name), c.id);
  const out = new Map<number, number[]>();
  const byFile = new Map<string, Candidate[]>();
  for (const c of candidates) if (c.decl.extent) (byFile.get(c.file) ?? byFile.set(c.file, []).get(c.file)!).push(c);
  for (const [file, list] of byFile) {
    const uses = model.project.files.get(file)?.facts.uses ?? [];
    for (const c of list) {
      const made = new Set<number>();
      for (const u of uses) {
        if (!within(u.loc, c.decl.loc, c.decl.extent!)) continue;
        const hit = model.resolveCallee(file, u.callee);
        if (!hit || hit.target.namespace) continue;
        const id = byKey.get(declKey(hit.target.file, hit.target.decl.name));
        if (id === undefined || id === c.id) continue;
        // `X.getInstance()` makes X; `X.other()` and `new X().run()` do not make a new X.
        if (hit.member && !(u.kind === 'call' && candidates[id]!.decl.singletonAccessor === hit.member)) continue;
        made.add(id);
      }
      if (made.size) out.set(c.id, [...made]);
    }
  }
  return out;
}

function within(loc: Loc, start: Loc, end: { endLine: number; endColumn: number }): boolean {
  const after = loc.line > start.line || (loc.line === start.line && loc.column >= start.column);
  const before = loc.line < end.endLine || (loc.line === end.endLine && loc.column <= end.endColumn);
  return after && before;
}
