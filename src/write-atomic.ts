import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The one way ssot-kit replaces a file (issue #20, item 5): the cache, shard facts, the baseline, init's
 * config, report files and fix's transaction all write here. A leaf module, so every writer may import it.
 */

/** What is written: text, bytes, or a function that writes chunks (a file too large to build as one string). */
export type AtomicContent = string | Uint8Array | ((write: (chunk: string) => void) => void);

export interface WriteAtomicOptions {
  /** The file's mode. Default: an existing file keeps its own; a new one gets 0o666 less the umask. */
  mode?: number | undefined;
}

/**
 * A fresh temp name for a write of `file`: `.<name>.ssot-<pid>-<random>.tmp` in the same folder, so the
 * rename stays on one file system. The random part keeps two writers with one pid apart (worker threads,
 * or containers sharing a volume).
 */
export function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.ssot-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** A temp file of tempName; the random part is optional for those written before it was added. */
const TEMP = /^\..+\.ssot-(\d+)(?:-[0-9a-f]+)?\.tmp$/;

/**
 * Writes a file atomically (creating its folder): the content goes to a temp file beside it and is renamed
 * over it, so a reader, or a run killed half-way, sees the old file or the new one, never a mix. A link at
 * `file` is replaced, not written through (callers that mean its target pass the target). On failure the
 * temp file is removed and the old file is left as it was.
 */
export function writeAtomic(file: string, content: AtomicContent, options: WriteAtomicOptions = {}): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = tempName(file);
  writeTemp(tmp, content, options.mode ?? modeOf(file));
  try {
    renameSync(tmp, file);
  } catch (error) {
    removeQuietly(tmp);
    throw error;
  }
}

/**
 * Writes `content` to a new file `tmp` (from tempName) with `mode`, or 0o666 less the umask without one.
 * Never through a file or link already there (`wx`); private (0600) until its mode is set. On failure it
 * removes what it created and throws.
 */
export function writeTemp(tmp: string, content: AtomicContent, mode?: number): void {
  const fd = openSync(tmp, 'wx', mode === undefined ? 0o666 : 0o600);
  let open = true;
  try {
    if (typeof content === 'function') content((chunk) => writeFileSync(fd, chunk));
    else writeFileSync(fd, content);
    if (mode !== undefined) fchmodSync(fd, mode & 0o7777);
    open = false;
    closeSync(fd); // can report a deferred write error (NFS): the temp file goes too
  } catch (error) {
    if (open) closeSync(fd);
    removeQuietly(tmp);
    throw error;
  }
}

/** The permission bits of an existing file (through a link, as the reader sees it), or undefined. */
function modeOf(file: string): number | undefined {
  try {
    const mode = statSync(file, { throwIfNoEntry: false })?.mode;
    return mode === undefined ? undefined : mode & 0o7777;
  } catch {
    return undefined; // unreadable: the rename decides
  }
}

function removeQuietly(tmp: string): void {
  try {
    rmSync(tmp, { force: true });
  } catch {
    /* its folder turned read-only: removeStaleTemps takes it later */
  }
}

/**
 * Removes the temp files that a run killed with SIGKILL left in these folders (tempName's, whose process
 * is gone; issue 17, item 5), and returns their paths. A live process's are kept.
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
