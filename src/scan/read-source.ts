import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { SkippedFile } from '../types.js';

/** Files above this size are generated or vendored, not code a team migrates by hand. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type SourceRead = { ok: true; text: string; bytes: Buffer } | { ok: false; reason: SkippedFile['reason']; detail: string };

/** Read a source file as UTF-8 text without its BOM (so columns match what editors show). */
export function readSource(abs: string): SourceRead {
  const read = readSourceAndStat(abs);
  return 'vanished' in read ? { ok: false, reason: 'unreadable', detail: 'ENOENT' } : read.source;
}

/** Classify bytes read from a source file: binary, not UTF-8, or its text without the BOM. */
function decode(bytes: Buffer): SourceRead {
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  try {
    return { ok: true, text: decoder.decode(bytes), bytes };
  } catch {
    return { ok: false, reason: 'not-utf8', detail: 'not valid UTF-8' };
  }
}

/**
 * `readSource` that also returns the file's size and mtime, from the open file (one `fstat`, no
 * separate `stat`): for files the stat index knows nothing about, which must be read anyway. A file
 * over the size limit is not read at all. `vanished` when it could not be opened because it is gone.
 */
export function readSourceAndStat(abs: string): { source: SourceRead; size: number; mtimeMs: number } | { vanished: true } {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { vanished: true };
    return { source: { ok: false, reason: 'unreadable', detail: code ?? String(error) }, size: 0, mtimeMs: 0 };
  }
  try {
    const st = fstatSync(fd);
    if (st.size > MAX_FILE_BYTES) return { source: { ok: false, reason: 'too-large', detail: `${st.size} bytes > ${MAX_FILE_BYTES}` }, size: st.size, mtimeMs: st.mtimeMs };
    const buffer = Buffer.allocUnsafe(st.size);
    let filled = 0;
    while (filled < st.size) {
      const n = readSync(fd, buffer, filled, st.size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return { source: decode(filled < st.size ? buffer.subarray(0, filled) : buffer), size: st.size, mtimeMs: st.mtimeMs };
  } catch (error) {
    return { source: { ok: false, reason: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? String(error) }, size: 0, mtimeMs: 0 };
  } finally {
    closeSync(fd);
  }
}
