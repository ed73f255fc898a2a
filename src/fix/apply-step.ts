import type { FileFacts } from '../types.js';
import type { ApplyTransform } from './apply-transform.js';
import type { Transform } from './load-transform.js';
import type { PhaseContext } from './phase-context.js';
import type { PhaseEntry, PhaseTarget, TransformOptions } from './phase-entry.js';

/**
 * Runs a phase's transform on one target's current text and keeps what it may: a rewrite only if the output
 * parses and imports no name the SSOT lacks; a deletion when the target is whole or the transform left nothing.
 */
export function applyStep(ctx: PhaseContext, entry: PhaseEntry, transform: Transform, target: PhaseTarget, options: TransformOptions, apply: ApplyTransform): void {
  const { plan } = ctx;
  const rel = target.file;
  if (entry.effect === 'delete') {
    if (!target.whole && apply(transform, ctx.abs(rel), plan.current(rel) ?? '', options).output !== '') return;
    plan.overlay.set(rel, null);
    plan.record(rel, entry.phase, entry.transform, target.group.name).action = 'deleted';
    return;
  }
  const text = plan.current(rel);
  if (text === null) return;
  if (ctx.unparseable.has(rel)) return plan.skip(rel, { kind: 'unparseable' });
  if (plan.isNotUtf8(rel)) return plan.skip(rel, { kind: 'not-utf8' });
  const id = entry.transform;
  const applied = apply(transform, ctx.abs(rel), text, options);
  if (applied.error) return plan.skip(rel, { kind: 'transform-threw', transform: id, error: applied.error });
  if (applied.output === undefined) {
    if (applied.reports.length) plan.skip(rel, { kind: 'transform-reported', transform: id, reports: applied.reports });
    return;
  }
  const facts = plan.extract(ctx.abs(rel), applied.output);
  if (facts.parseError) return plan.skip(rel, { kind: 'output-unparseable', transform: id, error: facts.parseError.message, line: facts.parseError.loc.line });
  const ssot = ctx.rel(target.group.ssot.module);
  const names = newSsotNamesLacking(ctx, rel, text, facts, ssot);
  // Never write an import of a name the SSOT lacks (issue 17, item 1): a form the transform could not split.
  if (names.length) return plan.skip(rel, { kind: 'api-gap', transform: id, ssot, names }, undefined, 'ssot-api-gap');
  plan.accept(rel, applied.output, facts);
  plan.record(rel, entry.phase, id, target.group.name);
}

/**
 * Names a step's output imports from the SSOT (through a specifier the step wrote, or one that already
 * named the SSOT) that the SSOT does not export and the input did not already import from there.
 */
function newSsotNamesLacking(ctx: PhaseContext, rel: string, input: string, facts: FileFacts, ssotFile: string): string[] {
  const before = ctx.plan.overlay.has(rel) ? ctx.plan.factsOf(rel, input) : ctx.project.files.get(rel)?.facts;
  const inputSpecs = new Set((before?.refs ?? []).map((r) => r.specifier));
  const ssotSpecs = new Set((ctx.project.refs.get(rel) ?? []).filter((r) => r.target === ssotFile).map((r) => r.ref.specifier));
  const had = new Set((before?.refs ?? []).filter((r) => ssotSpecs.has(r.specifier)).flatMap((r) => r.names.map((n) => n.imported)));
  const out = new Set<string>();
  for (const ref of facts.refs) {
    if (inputSpecs.has(ref.specifier) && !ssotSpecs.has(ref.specifier)) continue;
    if (ref.kind === 'mock') continue;
    for (const n of ref.names) if (n.imported !== '*' && !had.has(n.imported) && ctx.model.hasExport(ssotFile, n.imported) === 'no') out.add(n.imported);
  }
  return [...out];
}
