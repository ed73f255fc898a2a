import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file atomically (creating its folder): the new text goes to a temp file in the same folder (same file system),
 * keeps the old file's mode, and is renamed over it. A reader, or a run killed half-way, sees the old
 * file or the new one, never a mix.
 */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.ssot-${process.pid}.tmp`);
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
