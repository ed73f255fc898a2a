import { chmodSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The temp file a write of `file` goes through: `.<name>.ssot-<pid>.tmp` in the same folder (same file system). */
export function tempName(file: string, pid = process.pid): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.ssot-${pid}.tmp`);
}

const TEMP = /^\..+\.ssot-(\d+)\.tmp$/;

/**
 * Writes a file atomically (creating its folder): the new text goes to a temp file in the same folder (same file system),
 * keeps the old file's mode, and is renamed over it. A reader, or a run killed half-way, sees the old
 * file or the new one, never a mix.
 */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = tempName(file);
  const mode = statSync(file, { throwIfNoEntry: false })?.mode;
  try {
    // `wx`: never through a file or link already at the temp name (a leftover, or one planted there).
    rmSync(tmp, { force: true });
    writeFileSync(tmp, text, { flag: 'wx' });
    if (mode !== undefined) chmodSync(tmp, mode & 0o7777);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Removes the temp files that a run killed with SIGKILL left in these folders (`.<name>.ssot-<pid>.tmp`
 * whose process is gone; issue 17, item 5), and returns their paths. A live process's are kept.
 */
export function removeStaleTemps(dirs: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = TEMP.exec(name);
      if (!m || alive(Number(m[1]))) continue;
      try {
        rmSync(path.join(dir, name));
        removed.push(path.join(dir, name));
      } catch {
        /* a folder or unremovable: left for the user */
      }
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
