import type { FixResult } from './fix-types.js';

/** What `ssot fix` prints for people: one line per change, skip, refusal and rollback (file:line:col rule), then the summary. */
export function formatFix(r: FixResult): string {
  const lines: string[] = [];
  const verb = r.dryRun ? 'would be' : '';
  for (const c of r.changes) {
    const what = `${verb ? `${verb} ` : ''}${c.action === 'deleted' ? 'removed' : c.steps.some((s) => s.phase === 'facades') ? 'replaced by a facade' : c.steps.some((s) => s.transform === 'config') ? 'updated' : 'rewritten'}`;
    const counts = [c.importsRewritten && `${c.importsRewritten} import${c.importsRewritten === 1 ? '' : 's'}`, c.constructionsRewritten && `${c.constructionsRewritten} construction${c.constructionsRewritten === 1 ? '' : 's'}`].filter(Boolean);
    lines.push(`${c.file}:${c.line}:${c.column} ${c.ruleId} ${what} (${[...new Set(c.steps.map((s) => s.transform))].join(', ')}${counts.length ? `; ${counts.join(', ')}` : ''})`);
    for (const m of c.manual) lines.push(`${c.file}:${m.line}:1 fix manual migration needed: ${m.reason}`);
    for (const m of c.mocks) {
      lines.push(`${c.file}:${m.line}:${m.column} legacy-import review: this test mocked ${m.module}; the mock now replaces the SSOT module for the code under test (right for a stub, wrong for a guard against the legacy module)`);
    }
  }
  for (const s of r.skipped) lines.push(`${s.file}:${s.line}:${s.column} ${s.ruleId} skipped: ${s.reason}`);
  for (const f of r.refused) {
    lines.push(`${f.module}:1:1 remove-legacy refused: still reached by ${f.consumers.length} file${f.consumers.length === 1 ? '' : 's'}`);
    for (const c of f.consumers) lines.push(`  ${c.file}:${c.line}:${c.column}`);
  }
  for (const b of r.rolledBack) {
    for (const d of b.diagnostics) lines.push(`${b.file}: rolled back: ${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
  }
  if (r.verify) {
    for (const p of r.verify.projects) {
      lines.push(`verified ${p.tsconfig} with ${p.checker}: ${p.errorsBefore} type errors before, ${p.errorsAfter} after; changed files it covers: ${p.changed.length ? p.changed.join(', ') : 'none (it holds files importing them)'}`);
    }
    for (const p of r.verify.notChecked ?? []) lines.push(`not verified ${p.tsconfig}: ${p.reason}`);
    if (r.verify.projects.length === 0) lines.push('verified nothing: no tsconfig project that could be type-checked holds a changed file');
    for (const f of r.verify.unverified) lines.push(`${f}:1:1 fix unverified: no tsconfig project that was type-checked includes this changed file (--allow-unverified accepts that)`);
  }
  for (const p of r.notWritten ?? []) lines.push(`${p.file}:1:1 fix not written (${p.kind}): ${p.reason}`);
  if (r.notWritten?.length) lines.push(`nothing was written: every file is as it was (${r.notWritten.length} problem${r.notWritten.length === 1 ? '' : 's'} above)`);
  if (r.staleTempsRemoved?.length) lines.push(`removed ${r.staleTempsRemoved.length} temp file${r.staleTempsRemoved.length === 1 ? '' : 's'} left by an earlier run that was killed: ${r.staleTempsRemoved.join(', ')}`);
  lines.push(summaryLine(r));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(r: FixResult): string {
  const s = r.summary;
  const skippedWhy = [...new Set(r.skipped.map((x) => x.reason.split(/[:;(]/)[0]!.trim()))].slice(0, 3).join('; ');
  return `${r.dryRun ? 'dry run: ' : ''}${s.filesChanged} files ${r.dryRun ? 'would change' : 'changed'}, ${s.importsRewritten} imports rewritten, ${s.constructionsRewritten} constructions rewritten, ` +
    `${s.facadesWritten} facades written, ${s.modulesRemoved} modules removed, ${s.filesSkipped} files skipped${s.filesSkipped ? ` (${skippedWhy})` : ''}` +
    `${s.manualMarkers ? `, ${s.manualMarkers} manual-migration markers` : ''}${s.mocksToReview ? `, ${s.mocksToReview} test mocks to review` : ''}${s.rolledBack ? `, ${s.rolledBack} files rolled back` : ''} in ${(r.durationMs / 1000).toFixed(2)} s`;
}
