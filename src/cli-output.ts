import type { FormatTarget } from './cli-args.js';
import { pathsFor } from './baseline/path-base.js';
import { ConfigError } from './errors.js';
import { formatFix, summaryLine } from './fix/format-fix.js';
import { SKIP_FAILS, type FixResult } from './fix/fix-types.js';
import { getReporter } from './report/index.js';
import type { ScanResult } from './scan-result.js';

/** What a command prints, as data: `cli.ts` writes each text (to its file, else stdout) in order, then `stderr`, then sets the exit code. */
export interface CommandOutput {
  writes: { file?: string | undefined; text: string }[];
  stderr?: string | undefined;
  /** 0 when absent. */
  exitCode?: number;
}

/** The report flags of the scanning commands (`withScanOptions` in cli.ts). */
export interface ReportFlags {
  format?: FormatTarget[];
  output?: string;
  pathBase?: string;
  color: boolean;
  quiet?: boolean;
}

/**
 * Each `--format` target from one result: to its file, to `--output`, or (one of them at most) to stdout;
 * a summary on stderr when a report went to a file. Colour only on a terminal (`tty`) and never in a file.
 */
export async function reportOutput(result: ScanResult, flags: ReportFlags, run: { root: string; notes: string[]; exitCode: number; tty: boolean }): Promise<CommandOutput> {
  const targets = flags.format?.length ? flags.format : [{ name: 'text' }];
  if (targets.filter((t) => !t.file).length > 1) throw new ConfigError('more than one --format without a file', undefined, '--format', 'Give all but one a file: --format sarif:ssot.sarif --format text.');
  const paths = targets.some((t) => t.name === 'github' || t.name === 'sarif') ? pathsFor(run.root, flags.pathBase) : undefined;
  const writes: CommandOutput['writes'] = [];
  for (const t of targets) {
    const file = t.file ?? flags.output;
    writes.push({ file, text: (await getReporter(t.name))(result, { color: flags.color && run.tty && !file, notes: run.notes, ...(paths ? { paths } : {}) }) });
  }
  const written = writes.flatMap((w) => (w.file ? [w.file] : []));
  const { errors, warnings, infos } = result.summary;
  const stderr = written.length && !flags.quiet ? `${errors} errors, ${warnings} warnings, ${infos} info; report written to ${written.join(', ')}\n` : undefined;
  return { writes, stderr, exitCode: run.exitCode };
}

/** The note a `--staged` report carries. */
export function stagedNote(files: string[]): string {
  return `--staged: the index's content scanned (${files.length} staged file${files.length === 1 ? '' : 's'} differ from HEAD)`;
}

/**
 * `ssot fix`'s output: the manifest (`--manifest`, without the diff), then JSON (`--format json`), the diff
 * (`--dry-run`, with the changes and summary on stderr) or the changes, to `--output` or stdout. Exit 1 when
 * something was refused, rolled back, not written, left unverified (unless allowed) or skipped in a way that fails.
 */
export function fixOutput(r: FixResult, flags: { format?: FormatTarget[]; output?: string; manifest?: string; allowUnverified?: boolean }): CommandOutput {
  const json = flags.format?.some((t) => t.name === 'json');
  const writes: CommandOutput['writes'] = flags.manifest ? [{ file: flags.manifest, text: `${JSON.stringify({ ...r, diff: undefined }, null, 2)}\n` }] : [];
  writes.push({ file: flags.output, text: json ? `${JSON.stringify(r, null, 2)}\n` : r.dryRun ? r.diff : formatFix(r) });
  const stderr = r.dryRun && !json ? `${formatFix(r).replace(/\n$/, '').split('\n').filter((l) => !l.startsWith('dry run:')).concat(summaryLine(r)).join('\n')}\n` : undefined;
  const unverified = !flags.allowUnverified && !!r.verify?.unverified.length;
  const failed = r.refused.length || r.rolledBack.length || r.notWritten?.length || unverified || r.skipped.some((s) => SKIP_FAILS[s.kind]);
  return { writes, stderr, exitCode: failed ? 1 : 0 };
}
