import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from '../is-within.js';
import type { FixPlan } from './fix-plan.js';

/**
 * Where each change writes, leaving out (as `outside-root` skips) those whose real path is outside the root
 * (issue 15): through a link to a folder elsewhere, a rewrite changed files this repository does not hold. A
 * linked file inside the root is written through to its target, so it stays a link; a deleted module that is
 * a link loses the link only.
 */
export function confine(plan: FixPlan, root: string, realRoot: string): Map<string, string> {
  const writeTo = new Map<string, string>();
  for (const c of [...plan.changes.values()]) {
    const real = realTarget(path.join(root, c.file), realRoot, plan.overlay.get(c.file) !== null);
    if (real) {
      writeTo.set(c.file, real);
      continue;
    }
    plan.skip(c.file, { kind: 'outside-root' });
    plan.overlay.delete(c.file);
    plan.changes.delete(c.file);
  }
  return writeTo;
}

/**
 * The real path a change of `file` writes to, when it is inside the root: its folder's real path and
 * its name, or (`follow`, for a rewrite) the real path of the file a link names. Undefined when that
 * leaves the root, or the folder is gone.
 */
function realTarget(file: string, realRoot: string, follow: boolean): string | undefined {
  let real: string;
  try {
    real = follow && lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ? realpathSync(file) : path.join(realpathSync(path.dirname(file)), path.basename(file));
  } catch {
    return undefined;
  }
  return isWithin(realRoot, real) ? real : undefined;
}
