import { InvalidArgumentError } from 'commander';
import { formats } from './report/index.js';

/** One `--format name[:file]`: the report `name`, written to `file`, or to stdout (or `--output`) without one. */
export interface FormatTarget {
  name: string;
  file?: string;
}

/**
 * Commander's parser for a repeatable `--format`: `--format sarif:ssot.sarif --format markdown:comment.md
 * --format text` writes three reports from one scan (issue 19: CI scanned twice for SARIF and a PR comment).
 * The name ends at the first ':', so `sarif:C:\out\ssot.sarif` keeps its drive letter.
 */
export function collectFormat(value: string, previous: FormatTarget[] | undefined): FormatTarget[] {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  const file = colon < 0 ? undefined : value.slice(colon + 1);
  if (!formats.includes(name)) throw new InvalidArgumentError(`"${name}" is not a format (known: ${formats.join(', ')}); write --format <name> or --format <name>:<file>`);
  if (file === '') throw new InvalidArgumentError(`--format ${name}: expected a file after the colon`);
  return [...(previous ?? []), { name, ...(file ? { file } : {}) }];
}

/** `--threads`, `--history`: a whole number from 1 to 64. */
export function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

/** `--min-confidence` of the scanning commands: a number from 0 to 1. */
export function parseConfidence(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

/** `--verify-timeout`: seconds, above 0. */
export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
}
