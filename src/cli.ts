import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from './errors.js';
import { collectFormat, type FormatTarget } from './cli-output.js';
import { pathsFor } from './baseline/path-base.js';
import { stagedScanOptions } from './baseline/staged-scan.js';
import { writeAtomic } from './write-atomic.js';
import { getReporter } from './report/index.js';
import { scan, toolVersion, type ScanOptions } from './scan-api.js';
import type { ScanResult } from './scan-result.js';
import { createProgress } from './progress.js';
import { mark } from './timing.js';

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function parseConfidence(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds above 0');
  return n;
}

interface CommonFlags {
  config?: string;
  format?: FormatTarget[];
  output?: string;
  pathBase?: string;
  cache: boolean;
  cacheLocation?: string;
  gitignore: boolean;
  color: boolean;
  threads?: number;
  facts?: string[];
  quiet?: boolean;
  strictResolution?: boolean;
  minConfidence?: number;
}

/** The options every command that scans shares. */
function withScanOptions(cmd: Command): Command {
  return cmd
    .argument('[root]', 'folder to scan', '.')
    .option('-c, --config <file>', 'config file (default: <root>/ssot.config.json when present)')
    .option('-f, --format <name[:file]>', 'output format, repeatable; with :file written there (default: text)', collectFormat)
    .option('-o, --output <file>', 'write the report of the --format without a file here instead of stdout')
    .option('--path-base <dir>', 'github and sarif paths relative to this folder (default: the git repository top, else the working directory)')
    .option('--no-cache', 'do not read or write the cache')
    .option('--cache-location <dir>', 'cache folder (default: <root>/.ssot-cache; point CI caches here)')
    .option('--no-gitignore', 'also scan files that .gitignore excludes')
    .option('--threads <n>', 'threads for parsing on a cold run (default: the number of cores)', parseThreads)
    .option('--facts <files...>', 'facts written by `ssot scan --shard i/n --facts-out`: merge them instead of parsing')
    .option('-q, --quiet', 'no progress bar and no summary line on stderr')
    .option('--strict-resolution', 'fail on imports that resolve to no file (relative paths, aliases)')
    .option('--min-confidence <0..1>', 'without groups configured: report discovered groups this sure or surer (default 0.5)', parseConfidence)
    .option('--no-color', 'plain text output');
}

function scanOptions(root: string, opts: CommonFlags): ScanOptions {
  // A progress bar only where a person watches: a terminal, not CI, not --quiet.
  const progress = createProgress(process.stderr, !opts.quiet && !process.env.CI);
  process.once('beforeExit', () => progress.end());
  return {
    onProgress: (done, total, stage) => {
      progress.update(done, total, stage ?? 'scanning');
      if (done === total) progress.end();
    },
    root,
    ...(opts.config ? { config: opts.config } : {}),
    cache: opts.cache ? (opts.cacheLocation ?? path.join(path.resolve(root), '.ssot-cache')) : false,
    gitignore: opts.gitignore,
    ...(opts.threads ? { threads: opts.threads } : {}),
    ...(opts.facts?.length ? { facts: opts.facts } : {}),
    ...(opts.strictResolution ? { strictResolution: true } : {}),
    ...(opts.minConfidence !== undefined ? { minConfidence: opts.minConfidence } : {}),
  };
}

/** Each `--format` target from one result: to its file, to `--output`, or (one of them at most) to stdout. */
async function emit(result: ScanResult, opts: CommonFlags, notes: string[], exitCode: number, root: string): Promise<void> {
  const targets = opts.format?.length ? opts.format : [{ name: 'text' }];
  if (targets.filter((t) => !t.file).length > 1) throw new ConfigError('more than one --format without a file', undefined, '--format', 'Give all but one a file: --format sarif:ssot.sarif --format text.');
  const paths = targets.some((t) => t.name === 'github' || t.name === 'sarif') ? pathsFor(root, opts.pathBase) : undefined;
  const written: string[] = [];
  for (const t of targets) {
    const file = t.file ?? opts.output;
    const color = opts.color && !process.env.NO_COLOR && !!process.stdout.isTTY && !file;
    const output = (await getReporter(t.name))(result, { color, notes, ...(paths ? { paths } : {}) });
    if (file) {
      writeAtomic(file, output);
      written.push(file);
    } else process.stdout.write(output);
  }
  const { errors, warnings, infos } = result.summary;
  if (written.length && !opts.quiet) process.stderr.write(`${errors} errors, ${warnings} warnings, ${infos} info; report written to ${written.join(', ')}\n`);
  process.exitCode = exitCode;
  mark('reported');
}

const stagedNote = (files: string[]): string => `--staged: the index's content scanned (${files.length} staged file${files.length === 1 ? '' : 's'} differ from HEAD)`;

const program = new Command('ssot')
  .description('Find competing implementations, legacy imports, factory bypasses, import cycles and shared state, and converge on a single source of truth.')
  .version(toolVersion())
  .exitOverride()
  .showHelpAfterError('(run `ssot --help` for usage)');

withScanOptions(program.command('scan').description('Scan a TypeScript codebase and report SSOT violations.'))
  .addHelpText('after', `
Examples:
  $ ssot scan fixtures/legacy-app
  $ ssot scan . --format sarif --output ssot.sarif
  $ ssot check . --format sarif:ssot.sarif --format markdown:comment.md --format text
  $ ssot scan packages/api --config ssot.config.json --format json
  $ ssot scan . --shard 2/4 --facts-out facts-2.json   (one job of a CI matrix)
  $ ssot check . --facts facts-*.json                  (the job that merges them)
Exit codes: 0 no error-level findings, 1 error-level findings, 2 usage or config error.`)
  .option('--history <n>', 'add migration status and its burndown over the last n commits (html, json)', parseThreads)
  .option('--shard <i/n>', 'parse only every n-th file, starting at the i-th (with --facts-out)')
  .option('--facts-out <file>', 'write the facts of the shard to this file instead of a report')
  .option('--staged', 'scan what git staged (the index), not the work tree: for a pre-commit hook')
  .action(async (root: string, opts: CommonFlags & { shard?: string; factsOut?: string; history?: number; staged?: boolean }) => {
    if (opts.shard || opts.factsOut) {
      if (!opts.shard || !opts.factsOut) throw new ConfigError('--shard and --facts-out go together', undefined, opts.shard ? '--facts-out' : '--shard');
      const { parseShard, writeShardFacts } = await import('./scan/facts-file.js');
      const shard = parseShard(opts.shard);
      const { loadConfig } = await import('./config/load-config.js');
      const config = loadConfig({ root: path.resolve(root), ...(opts.config ? { configPath: opts.config } : {}) });
      const n = await writeShardFacts(
        { ...scanOptions(root, opts), root: path.resolve(root), shard, ...(config.include ? { include: config.include } : {}), ...(config.exclude ? { exclude: config.exclude } : {}), ...(config.tsconfig ? { tsconfig: config.tsconfig } : {}) },
        opts.factsOut,
      );
      process.stderr.write(`shard ${opts.shard}: facts of ${n} files written to ${opts.factsOut}\n`);
      return;
    }
    const staged = opts.staged ? stagedScanOptions(scanOptions(root, opts)) : undefined;
    const result = await scan(staged?.options ?? scanOptions(root, opts));
    if (opts.history) result.status = await (await import('./status-api.js')).status({ ...scanOptions(root, opts), history: opts.history });
    await emit(result, opts, staged ? [stagedNote(staged.staged)] : [], result.summary.errors > 0 ? 1 : 0, root);
  });

withScanOptions(program.command('baseline').description('Record the current findings as known, in .ssot-baseline.json (one entry per line).'))
  .option('-b, --baseline <file>', 'baseline file (default: <root>/.ssot-baseline.json)')
  .option('--prune', 'only drop entries that no longer occur: the ratchet (adds nothing new)')
  .addHelpText('after', `
Examples:
  $ ssot baseline .            accept today's findings
  $ ssot baseline . --prune    tighten: drop what was fixed`)
  .action(async (root: string, opts: CommonFlags & { baseline?: string; prune?: boolean }) => {
    const { updateBaseline } = await import('./check-api.js');
    const r = await updateBaseline({ ...scanOptions(root, opts), ...(opts.baseline ? { baseline: opts.baseline } : {}), prune: !!opts.prune });
    process.stdout.write(`${path.relative(process.cwd(), r.file) || r.file}: ${r.entries} entries (${r.added} added, ${r.removed} removed)\n`);
  });

withScanOptions(program.command('check').description('Fail only on findings the baseline (or the tree at --since) does not know.'))
  .option('-b, --baseline <file>', 'baseline file (default: <root>/.ssot-baseline.json)')
  .option('--since <ref>', 'compare with the tree at this git ref instead of a baseline file')
  .option('--strict', 'also fail while the baseline holds entries that no longer occur')
  .option('--staged', 'check what git staged (the index), not the work tree: for a pre-commit hook')
  .addHelpText('after', `
Examples:
  $ ssot check .                                 against .ssot-baseline.json
  $ ssot check . --since origin/main --format github
  $ ssot check . --strict --format markdown --output ssot.md
  $ ssot check --staged                          in a pre-commit hook
Exit codes: 0 nothing new, 1 something new (or --strict with stale entries, or over budget), 2 usage, config or baseline error.`)
  .action(async (root: string, opts: CommonFlags & { baseline?: string; since?: string; strict?: boolean; staged?: boolean }) => {
    const { check } = await import('./check-api.js');
    const staged = opts.staged ? stagedScanOptions(scanOptions(root, opts)) : undefined;
    const baseline = opts.baseline ?? staged?.baseline;
    const result = await check({ ...(staged?.options ?? scanOptions(root, opts)), ...(baseline ? { baseline } : {}), ...(opts.since ? { since: opts.since } : {}), strict: !!opts.strict });
    await emit(result, opts, staged ? [...result.notes, stagedNote(staged.staged)] : result.notes, result.passed ? 0 : 1, root);
  });

withScanOptions(program.command('fix').description('Migrate to the SSOT: rewrite constructions and imports, write deprecation facades, remove unreached legacy modules.'))
  .option('--phase <phases...>', 'only these phases: factories, consumers, facades, cleanup (default: all that apply, in that order)')
  .option('--dry-run', 'print a unified diff of every change and write nothing')
  .option('--allow-dirty', 'run even when the git work tree has uncommitted changes')
  .option('--verify', "type-check every tsconfig project a change touches, before and after (the project's own tsc when it has one), and roll back, file by file, changes that add type errors")
  .option('--verify-timeout <seconds>', 'with --verify: stop (exit 2, nothing kept) when one project\'s type-check takes longer (default: 600 + 0.1 a file; an after-check also 3 times its before-check)', parseSeconds)
  .option('--allow-unverified', 'with --verify: exit 0 even when changed files are in no tsconfig project (never type-checked)')
  .option('--manifest <file>', 'write a JSON record of every change for review')
  .addHelpText('after', `
Examples:
  $ ssot fix . --dry-run | less                    review first
  $ ssot fix . --verify --manifest ssot-fix.json   rewrite, type-check, keep what compiles
  $ ssot fix . --phase factories consumers         one step of the migration at a time
Exit codes: 0 done, 1 something was refused, rolled back, not written or not verified, or failed to transform, 2 usage or config error, a dirty work tree, or a type-checker that failed (nothing kept).`)
  .action(async (root: string, opts: CommonFlags & { phase?: string[]; dryRun?: boolean; allowDirty?: boolean; verify?: boolean; verifyTimeout?: number; allowUnverified?: boolean; manifest?: string }) => {
    const { fix, FIX_PHASES, SKIP_FAILS } = await import('./fix-api.js');
    const { formatFix, summaryLine } = await import('./fix/format-fix.js');
    const bad = opts.phase?.find((p) => !(FIX_PHASES as readonly string[]).includes(p));
    if (bad) throw new ConfigError(`unknown phase "${bad}"`, undefined, '--phase', `Use one or more of: ${FIX_PHASES.join(', ')}.`);
    const progress = createProgress(process.stderr, !opts.quiet && !process.env.CI);
    const r = await fix({
      ...scanOptions(root, opts),
      ...(opts.phase ? { phases: opts.phase as (typeof FIX_PHASES)[number][] } : {}),
      dryRun: !!opts.dryRun, allowDirty: !!opts.allowDirty, verify: !!opts.verify,
      ...(opts.verifyTimeout ? { verifyTimeoutMs: opts.verifyTimeout * 1000 } : {}),
      onFixProgress: (done, total, label) => (done === total ? progress.end() : progress.update(done, total, label)),
    });
    progress.end();
    if (opts.manifest) writeAtomic(opts.manifest, `${JSON.stringify({ ...r, diff: undefined }, null, 2)}\n`);
    const json = opts.format?.some((t) => t.name === 'json');
    const out = json ? `${JSON.stringify(r, null, 2)}\n` : opts.dryRun ? r.diff : formatFix(r);
    if (opts.output) writeAtomic(opts.output, out);
    else process.stdout.write(out);
    if (opts.dryRun && !json) process.stderr.write(`${formatFix(r).replace(/\n$/, '').split('\n').filter((l) => !l.startsWith('dry run:')).concat(summaryLine(r)).join('\n')}\n`);
    const unverified = !opts.allowUnverified && !!r.verify?.unverified.length;
    process.exitCode = r.refused.length || r.rolledBack.length || r.notWritten?.length || unverified || r.skipped.some((s) => SKIP_FAILS[s.kind]) ? 1 : 0;
  });

program
  .command('graph')
  .description('Print the graph of implementations, factories, consumers, legacy modules and import cycles, for docs and pull requests.')
  .argument('[root]', 'folder to scan', '.')
  .option('-c, --config <file>', 'config file (default: <root>/ssot.config.json when present)')
  .addOption(new Option('-f, --format <format>', 'graph syntax').choices(['mermaid', 'dot']).default('mermaid'))
  .option('-o, --output <file>', 'write the graph to a file instead of stdout')
  .option('--no-cache', 'do not read or write the cache')
  .addHelpText('after', `
Examples:
  $ ssot graph . > ssot.mmd
  $ ssot graph . --format dot | dot -Tsvg > ssot.svg`)
  .action(async (root: string, opts: { config?: string; format: string; output?: string; cache: boolean }) => {
    const result = await scan({ root, ...(opts.config ? { config: opts.config } : {}), cache: opts.cache ? path.join(path.resolve(root), '.ssot-cache') : false });
    const output = (await getReporter(opts.format))(result, { color: false });
    if (opts.output) writeAtomic(opts.output, output);
    else process.stdout.write(output);
  });

program
  .command('status')
  .description('Migration progress per group: consumers on the SSOT and on legacy modules, facades, legacy modules left, and the phase.')
  .argument('[root]', 'folder to scan', '.')
  .option('-c, --config <file>', 'config file (default: <root>/ssot.config.json when present)')
  .option('--history <n>', 'also the burndown over the last n commits (from git objects; the cache keeps it fast)', parseThreads)
  .option('--json', 'print JSON')
  .option('--no-cache', 'do not read or write the cache')
  .addHelpText('after', `
Phases (the seed's): factories -> consumers -> facades -> cleanup -> done.
Examples:
  $ ssot status
  $ ssot status . --history 20`)
  .action(async (root: string, opts: { config?: string; history?: number; json?: boolean; cache: boolean }) => {
    const { formatStatus, status } = await import('./status-api.js');
    const s = await status({ root, ...(opts.config ? { config: opts.config } : {}), cache: opts.cache ? path.join(path.resolve(root), '.ssot-cache') : false, ...(opts.history ? { history: opts.history } : {}) });
    process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
  });

program
  .command('init')
  .description('Discover competing implementations and copies, and write ssot.config.json with one group for each sure one.')
  .argument('[root]', 'folder to scan', '.')
  .option('-y, --yes', 'accept the proposals within the limits without asking (also when stdin is not a terminal)')
  .option('--update', 'keep the existing ssot.config.json and add only new groups')
  .option('--force', 'replace an existing ssot.config.json')
  .option('--min-confidence <n>', 'propose discovered groups at or above this confidence, 0..1 (default 0.75)', parseFloat)
  .option('--no-cache', 'do not read or write the cache')
  .addHelpText('after', `
Proposes competing and duplicate-copy groups at confidence 0.75 or more, never families; shows per group
the findings and legacy modules its config would create. With --yes, a group with more than 20 legacy
modules or 200 findings is refused and listed. A config's "dismissed" list keeps those sets out for good.
Examples:
  $ ssot init                 asks, per proposed group, whether to keep it and which implementation is the SSOT
  $ ssot init . --yes         accepts the proposals within the limits
  $ ssot init . --update --yes  adds groups found since to an existing config`)
  .action(async (root: string, opts: { yes?: boolean; force?: boolean; update?: boolean; minConfidence?: number; cache: boolean }) => {
    const { init } = await import('./init-api.js');
    const interactive = !opts.yes && !!process.stdin.isTTY;
    const { choose } = interactive ? await import('./init-prompts.js') : { choose: undefined };
    const result = await init({
      root,
      force: !!opts.force,
      update: !!opts.update,
      ...(opts.minConfidence !== undefined ? { minConfidence: opts.minConfidence } : {}),
      cache: opts.cache ? path.join(path.resolve(root), '.ssot-cache') : false,
      ...(choose ? { choose } : {}),
    });
    const { formatInit } = await import('./init-prompts.js');
    process.stdout.write(formatInit(result, path.relative(process.cwd(), result.file) || result.file));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`ssot: ${error.format()}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
