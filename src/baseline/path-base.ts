import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Where github annotations and SARIF paths start: `--path-base`, else the top of the git repository
 * holding the scanned root, else the working directory; `prefix` is the scanned root seen from there.
 */
export function pathsFor(root: string, pathBase: string | undefined): { base: string; prefix: string } {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const scanned = real(root);
  let base = pathBase ? real(pathBase) : undefined;
  if (!base) {
    const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: scanned, encoding: 'utf8' });
    base = top.status === 0 && top.stdout.trim() ? real(top.stdout.trim()) : real(process.cwd());
  }
  const rel = path.relative(base, scanned).split(path.sep).join('/');
  return { base, prefix: rel ? `${rel}/` : '' };
}
