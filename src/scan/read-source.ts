import { readFileSync } from 'node:fs';
import type { SkippedFile } from '../types.js';

/** Files above this size are generated or vendored, not code a team migrates by hand. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export type SourceRead = { ok: true; text: string; bytes: Buffer } | { ok: false; reason: SkippedFile['reason']; detail: string };

/** Read a source file as UTF-8 text without its BOM (so columns match what editors show). */
export function readSource(abs: string): SourceRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, reason: 'too-large', detail: `${bytes.length} bytes > ${MAX_FILE_BYTES}` };
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  try {
    return { ok: true, text: decoder.decode(bytes), bytes };
  } catch {
    return { ok: false, reason: 'not-utf8', detail: 'not valid UTF-8' };
  }
}
