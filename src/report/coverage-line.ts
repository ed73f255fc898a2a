import type { ScanResult } from '../scan-result.js';

/** `Scanned 110 files: 108 parsed (50 from cache), 1 failed to parse, 1 skipped (binary: a.ts)` */
export function coverageLine(result: ScanResult): string {
  const cov = result.coverage;
  const parts = [`${cov.parsed} parsed${cov.cached ? ` (${cov.cached} from cache)` : ''}`, `${cov.failed} failed to parse`, `${cov.skipped.length} skipped`];
  const skipped = cov.skipped.slice(0, 5).map((s) => `${s.reason}: ${s.file}`);
  if (cov.skipped.length > 5) skipped.push(`… ${cov.skipped.length - 5} more`);
  return `Scanned ${cov.files} file${cov.files === 1 ? '' : 's'} in ${(result.durationMs / 1000).toFixed(2)}s: ${parts.join(', ')}${skipped.length ? ` (${skipped.join('; ')})` : ''}`;
}
