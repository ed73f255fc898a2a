import path from 'node:path';

/** Whether `p` is `dir` or below it (both absolute; real paths where links matter). */
export function isWithin(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
