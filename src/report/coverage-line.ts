import type { ScanResult } from '../scan-result.js';
import type { OmittedGroup } from '../types.js';

const OMITTED_LABEL: Record<OmittedGroup['reason'], string> = {
  'unreadable-folder': 'unreadable folder(s)',
  'dangling-symlink': 'dangling symlink(s)',
  generated: 'generated under outDir',
  minified: 'minified',
};

/** `Scanned 110 files: 108 parsed (50 from cache), 1 failed to parse, 1 skipped (binary: a.ts)` */
export function coverageLine(result: ScanResult): string {
  const cov = result.coverage;
  const parts = [`${cov.parsed} parsed${cov.cached ? ` (${cov.cached} from cache)` : ''}`, `${cov.failed} failed to parse`, `${cov.skipped.length} skipped`];
  const skipped = cov.skipped.slice(0, 5).map((s) => `${s.reason}: ${s.file}`);
  if (cov.skipped.length > 5) skipped.push(`… ${cov.skipped.length - 5} more`);
  // Left out by the walk (issue 16): each category with its count and first paths, never silently.
  const omitted = (cov.omitted ?? []).map((g) => `${g.count} ${OMITTED_LABEL[g.reason]} (${g.paths.slice(0, 3).join(', ')}${g.count > 3 ? `, … ${g.count - 3} more` : ''})`);
  return `Scanned ${cov.files} file${cov.files === 1 ? '' : 's'} in ${(result.durationMs / 1000).toFixed(2)}s: ${parts.join(', ')}${skipped.length ? ` (${skipped.join('; ')})` : ''}${omitted.length ? `; left out: ${omitted.join('; ')}` : ''}${unresolvedPart(cov)}`;
}

/** Issue 16: imports that did not resolve, counted with the first place (the report's coverage lists each), and packages not installed, counted. */
function unresolvedPart(cov: ScanResult['coverage']): string {
  const out: string[] = [];
  const first = cov.unresolved?.[0];
  if (first) out.push(`${cov.unresolved!.length} import${cov.unresolved!.length === 1 ? '' : 's'} unresolved (first: ${first.file}:${first.line} ${first.specifier})`);
  const missing = cov.notInstalled;
  if (missing) out.push(`${missing.imports} import${missing.imports === 1 ? '' : 's'} of ${missing.packages} package${missing.packages === 1 ? '' : 's'} not installed`);
  return out.length ? `; ${out.join('; ')}` : '';
}
