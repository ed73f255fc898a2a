import type { GroupAnalysis, Implementation } from '../group-analysis.js';
import type { ProjectModel } from '../project-model.js';

/**
 * The suggested SSOT of a discovered group, with its reasons (issue 18, item 6). Never a deprecated one
 * (`@deprecated`, `legacy`/`old`/`v1` in its path or name), a vendored copy or one that is only
 * re-exported (test doubles never get this far: they are no candidates). Among the rest: the one the
 * others' modules use (delegate to), then the one implementing a declared contract, then the one with
 * the most production consumers, then the most used module.
 */
export function chooseSsot(group: GroupAnalysis, model: ProjectModel, isTest: (rel: string) => boolean): void {
  const impls = group.implementations;
  for (const impl of impls) {
    if (impl.consumers.length && impl.consumers.every((c) => c.relations.every((r) => r === 're-export'))) impl.flags = { ...impl.flags, reexportOnly: true };
  }
  const reasons: string[] = [];
  const excluded = (i: Implementation): string | undefined =>
    i.flags?.deprecated ? 'deprecated (@deprecated, or legacy/old/v1 in its path or name)' : i.flags?.vendored ? 'a vendored copy' : i.flags?.reexportOnly ? 'only re-exported' : undefined;
  let pool = impls.filter((i) => !excluded(i));
  for (const i of impls) {
    const why = excluded(i);
    if (why) reasons.push(`not ${i.name}: ${why}`);
  }
  if (!pool.length) {
    pool = [...impls];
    reasons.push('every member is deprecated, vendored or only re-exported: chosen among all');
  }
  const delegatedTo = (impl: Implementation): number => impls.filter((o) => o !== impl && model.importers(impl.file).some((e) => e.from === o.file)).length;
  const contract = (impl: Implementation): string | undefined => model.decl(impl.file, impl.name)?.implements?.[0];
  const production = (impl: Implementation): number => impl.consumers.filter((c) => !isTest(c.file)).length;
  const ranked = [...pool].sort(
    (a, b) =>
      delegatedTo(b) - delegatedTo(a) ||
      Number(!!contract(b)) - Number(!!contract(a)) ||
      production(b) - production(a) ||
      b.moduleConsumers - a.moduleConsumers ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : 1),
  );
  const ssot = ranked[0]!;
  const runnerUp = ranked[1];
  if (delegatedTo(ssot) > 0 && (!runnerUp || delegatedTo(ssot) > delegatedTo(runnerUp))) reasons.unshift(`${ssot.name}: ${delegatedTo(ssot)} other member module(s) use it`);
  else if (contract(ssot) && (!runnerUp || !contract(runnerUp))) reasons.unshift(`${ssot.name}: implements the contract ${contract(ssot)}`);
  else reasons.unshift(`${ssot.name}: ${production(ssot)} production consumer file(s)${runnerUp ? `, ${runnerUp.name} ${production(runnerUp)}` : ''}; its module ${ssot.moduleConsumers}`);
  ssot.ssot = true;
  group.ssot = { file: ssot.file, export: ssot.name };
  if (group.discovery) group.discovery.ssotReasons = reasons;
  impls.sort((a, b) => Number(b.ssot) - Number(a.ssot) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}
