import { spawnSync } from 'node:child_process';

/**
 * Files with uncommitted changes under `root` (tracked or untracked, minus ignored ones), or `undefined` when
 * `root` is not in a git work tree (nothing to protect the user's edits with, so nothing to refuse).
 */
export function dirtyFiles(root: string): string[] | undefined {
  const r = spawnSync('git', ['status', '--porcelain=v1', '-z', '--', '.'], { cwd: root, encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.split('\0').filter(Boolean).map((entry) => entry.slice(3));
}
