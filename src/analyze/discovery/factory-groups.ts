import type { DiscoveryEvidence, GroupAnalysis } from '../group-analysis.js';
import type { Candidate } from './candidates.js';
import { sharedRoleNoun } from './names.js';
import type { PairEvidence } from './pair-evidence.js';

type ToGroup = (candidates: readonly Candidate[], members: readonly number[], pairs: readonly PairEvidence[]) => GroupAnalysis;

/**
 * Factories are known by what they make, not by their name or their `create` (issue 18): factories that
 * make members of one competing group (a static `create(kind)`, an object literal's `create`, a function
 * returning a `(kind) => …` maker, an instance `create`) compete as that group's factories. An
 * `EventDispatcherFactory` that makes `EventDispatcher`s, or a factory of results, joins no such group.
 */
export function factoryGroups(candidates: readonly Candidate[], products: ReadonlyMap<number, number[]>, groups: readonly GroupAnalysis[], toGroup: ToGroup): GroupAnalysis[] {
  const idOf = new Map(candidates.map((c) => [`${c.file}#${c.decl.name}`, c.id]));
  const groupOf = new Map<number, number>();
  groups.forEach((g, gi) => {
    if (g.discovery?.kind === 'family') return;
    for (const impl of g.implementations) groupOf.set(idOf.get(`${impl.file}#${impl.name}`)!, gi);
  });
  const makers = new Map<number, number[]>();
  for (const [maker, made] of products) {
    if (candidates[maker]!.role !== 'factory' || groupOf.has(maker)) continue;
    const counts = new Map<number, number>();
    for (const id of made) if (groupOf.has(id)) counts.set(groupOf.get(id)!, (counts.get(groupOf.get(id)!) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    if (top) (makers.get(top[0]) ?? makers.set(top[0], []).get(top[0])!).push(maker);
  }
  const out: GroupAnalysis[] = [];
  for (const [gi, ids] of makers) {
    if (new Set(ids.map((id) => candidates[id]!.file)).size < 2) continue;
    const made = groups[gi]!.implementations.map((i) => i.name);
    const what = made.length > 3 ? `${made.slice(0, 3).join(', ')} and ${made.length - 3} more` : made.join(', ');
    const pairs: PairEvidence[] = [];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = candidates[ids[i]!]!;
        const b = candidates[ids[j]!]!;
        if (a.file === b.file) continue;
        const label = `${a.decl.name} (${a.file}) ~ ${b.decl.name} (${b.file})`;
        const evidence: DiscoveryEvidence[] = [{ kind: 'substitution', detail: `${label}: both make ${what}`, weight: 0.6 }];
        const noun = sharedRoleNoun(a.words, b.words);
        if (noun) evidence.push({ kind: 'role-noun', detail: `${label}: both named for "${noun}"`, weight: 0.3 });
        const confidence = 1 - evidence.reduce((p, e) => p * (1 - e.weight), 1);
        pairs.push({ a: a.id, b: b.id, evidence, confidence: Math.round(confidence * 100) / 100, copy: false });
      }
    }
    // The factories' group is as sure as the group of what they make.
    const group = toGroup(candidates, ids, pairs);
    group.discovery!.confidence = Math.round(Math.min(group.discovery!.confidence, groups[gi]!.discovery!.confidence + 0.2) * 100) / 100;
    out.push(group);
  }
  return out;
}
