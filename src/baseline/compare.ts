import type { Finding } from '../types.js';
import type { BaselineEntry } from './baseline-file.js';

export interface Comparison {
  /** Findings the baseline does not know. */
  fresh: Finding[];
  /** Findings the baseline knows: softened, counted, not reported. */
  known: Finding[];
  /** Baseline entries that no longer occur. */
  fixed: BaselineEntry[];
}

/**
 * Match findings to known entries per occurrence: by rule + file + fingerprint (which carries the
 * resolved target or symbol and the occurrence number, never a line), then, for entries whose file
 * is gone, by rule + content key, so a renamed or moved file keeps its entries. A fix and a new
 * violation of the same rule in one file never cancel out, since they have different fingerprints.
 */
export function compareWithBaseline(findings: Finding[], entries: BaselineEntry[], currentFiles: ReadonlySet<string>): Comparison {
  const exact = new Map<string, BaselineEntry>();
  for (const e of entries) exact.set(`${e.ruleId}\0${e.file}\0${e.fingerprint}`, e);
  const matched = new Set<BaselineEntry>();
  const fresh: Finding[] = [];
  const known: Finding[] = [];
  const pending: Finding[] = [];
  for (const f of findings) {
    const e = exact.get(`${f.ruleId}\0${f.file}\0${f.fingerprint}`);
    if (e && !matched.has(e)) {
      matched.add(e);
      known.push(f);
    } else pending.push(f);
  }
  // Renames: entries of files that no longer exist, by content key.
  const moved = new Map<string, BaselineEntry[]>();
  for (const e of entries) {
    if (matched.has(e) || currentFiles.has(e.file)) continue;
    const key = `${e.ruleId}\0${e.contentKey}`;
    (moved.get(key) ?? moved.set(key, []).get(key)!).push(e);
  }
  for (const f of pending) {
    const candidates = moved.get(`${f.ruleId}\0${f.contentKey}`);
    const e = candidates?.shift();
    if (e) {
      matched.add(e);
      known.push(f);
    } else fresh.push(f);
  }
  return { fresh, known, fixed: entries.filter((e) => !matched.has(e)) };
}
