import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { SkippedFile } from '../types.js';

/** Files above this size are generated or vendored, not code a team migrates by hand. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

export type SourceRead = { ok: true; text: string; bytes: Buffer } | { ok: false; reason: SkippedFile['reason']; detail: string };

/** Read a source file as UTF-8 text without its BOM (so columns match what editors show). */
export function readSource(abs: string): SourceRead {
  const read = readSourceAndStat(abs);
  return 'vanished' in read ? { ok: false, reason: 'unreadable', detail: 'ENOENT' } : read.source;
}

/**
 * Classify bytes read from a source file: binary, or its text without the BOM. Text is decoded as tsc
 * reads it (`sys.readFile`: UTF-8, each invalid byte becoming U+FFFD), so a file tsc compiles is
 * analysed even with a Latin-1 byte or a NUL in a comment: skipping it let a legacy import past the
 * gate (issue 15). Only a file that looks binary by content is skipped, and a skip is a finding
 * (`skipped-file`), never silence.
 */
function decode(bytes: Buffer): SourceRead {
  try {
    const text = decoder.decode(bytes);
    if (!text.includes('\0') || !looksBinary(bytes)) return { ok: true, text, bytes };
  } catch {
    if (!looksBinary(bytes)) return { ok: true, text: lossy.decode(bytes), bytes };
  }
  return { ok: false, reason: 'binary', detail: 'binary content (NUL and control bytes)' };
}

/**
 * Whether the first 8,000 bytes hold a NUL and more control bytes (other than tab, line breaks, form
 * feed and escape) than text has: 3 or more, and over 2% of them. A transport-stream video named `.ts`
 * has about 10%; a source file with a stray NUL in a comment has one or two.
 */
function looksBinary(bytes: Buffer): boolean {
  const probe = bytes.subarray(0, 8000);
  if (!probe.includes(0)) return false;
  let controls = 0;
  for (const b of probe) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) controls++;
  return controls >= 3 && controls > probe.length * 0.02;
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
