import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { describeJsonError } from '../scan/parse-jsonc.js';
import type { Finding } from '../types.js';
import { writeAtomic } from '../write-atomic.js';

export const BASELINE_FILE_NAME = '.ssot-baseline.json';
const VERSION = 1;

/** One known occurrence: no line numbers, so edits elsewhere in the file do not disturb it. */
export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  /** File-independent identity, to follow renames. */
  contentKey: string;
  /** What it was, for people reading the file in a review. */
  message: string;
  group?: string;
}

export function entryOf(f: Finding): BaselineEntry {
  return { ruleId: f.ruleId, file: f.file, fingerprint: f.fingerprint, contentKey: f.contentKey, message: f.message, ...(f.group ? { group: f.group } : {}) };
}

/**
 * Read a baseline. Missing: undefined. Corrupt or hand-edited into an invalid shape: a ConfigError
 * naming the file and what is wrong (the file is never rewritten by a failed read).
 */
export function readBaseline(file: string): BaselineEntry[] | undefined {
  if (!existsSync(file)) return undefined;
  const display = path.relative(process.cwd(), file) || file;
  let data: unknown;
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`corrupt baseline, ${describeJsonError(error, text)}`, display, undefined, 'Restore it from version control, or write a new one with `ssot baseline`.');
  }
  const obj = data as { version?: unknown; entries?: unknown };
  if (typeof obj !== 'object' || obj === null || obj.version !== VERSION || !Array.isArray(obj.entries)) {
    throw new ConfigError(`corrupt baseline: expected { "version": ${VERSION}, "entries": [...] }`, display, 'version');
  }
  const seen = new Set<string>();
  obj.entries.forEach((e: unknown, i: number) => {
    const entry = e as Record<string, unknown>;
    for (const key of ['ruleId', 'file', 'fingerprint', 'contentKey'] as const) {
      if (typeof entry?.[key] !== 'string' || !(entry[key] as string)) {
        throw new ConfigError(`corrupt baseline: entry ${i} has no "${key}"`, display, `entries[${i}].${key}`, 'Restore the file from version control, or write a new one with `ssot baseline`.');
      }
    }
    const id = `${entry.ruleId}\0${entry.file}\0${entry.fingerprint}`;
    if (seen.has(id)) throw new ConfigError(`corrupt baseline: entry ${i} is a duplicate`, display, `entries[${i}]`);
    seen.add(id);
  });
  return obj.entries as BaselineEntry[];
}

/**
 * Write a baseline atomically: sorted by file, rule and fingerprint, one entry per line, so that two
 * branches adding entries in different files merge without conflicts.
 */
export function writeBaseline(file: string, entries: BaselineEntry[]): void {
  const sorted = [...entries].sort((a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
  const lines = sorted.map((e) => `    ${JSON.stringify({ ruleId: e.ruleId, file: e.file, fingerprint: e.fingerprint, contentKey: e.contentKey, ...(e.group ? { group: e.group } : {}), message: e.message })}`);
  const text = `{\n  "version": ${VERSION},\n  "entries": [\n${lines.join(',\n')}${lines.length ? '\n' : ''}  ]\n}\n`;
  writeAtomic(file, text);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
