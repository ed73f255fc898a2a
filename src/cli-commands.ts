import path from 'node:path';
import { Option } from 'commander';
import { parseSeconds, parseThreads } from './cli-args.js';
import { fixOutput, reportOutput, stagedNote, type CommandOutput, type ReportFlags } from './cli-output.js';
import { stagedScanOptions } from './baseline/staged-scan.js';
import { ConfigError } from './errors.js';
import { FIX_PHASES, type FixPhase } from './fix/fix-types.js';
import { formatInit } from './format-init.js';
import type { Progress } from './progress.js';
import { getReporter } from './report/index.js';
import { scan, type ScanOptions } from './scan-api.js';

/** What a command may know of the terminal it runs in; cli.ts makes the one there is. */
export interface Terminal {
  /** A progress bar on stderr: does nothing off a terminal, in CI or when `quiet`. */
  progress(quiet?: boolean): Progress;
  /** stdout is a terminal that takes colour. */
  color: boolean;
  /** stdin is a terminal: init may ask. */
  interactive: boolean;
}

/** The flags `withScanOptions` (cli.ts) declares. */
export interface ScanFlags extends ReportFlags {
  config?: string;
  cache: boolean;
  cacheLocation?: string;
  gitignore: boolean;
  threads?: number;
  facts?: string[];
  strictResolution?: boolean;
  minConfidence?: number;
}

/** One command: its help (description, own options after the scan options when `scans`, text after), and what it does. */
export interface CommandSpec<F> {
  name: string;
  description: string;
  /** Takes the scan options every scanning command shares (`withScanOptions`). */
  scans?: boolean;
  options: Option[];
  help: string;
  /** Calls the API and returns what to print; prints nothing. */
  run(root: string, flags: F, terminal: Terminal): Promise<CommandOutput>;
}

const command = <F>(spec: CommandSpec<F>): CommandSpec<F> => spec;
const option = (flags: string, description: string, parse?: (value: string) => unknown): Option => (parse ? new Option(flags, description).argParser(parse) : new Option(flags, description));
/** `-c, --config` and `--no-cache`, as every command that scans declares them. */
export const configOption = (): Option => option('-c, --config <file>', 'config file (default: <root>/ssot.config.json when present)');
export const noCacheOption = (): Option => option('--no-cache', 'do not read or write the cache');

/** The scan flags as API options; absent ones are left to the API's defaults (cache `<root>/.ssot-cache`, …). */
function scanOptions(root: string, f: ScanFlags, terminal: Terminal): ScanOptions {
  const progress = terminal.progress(f.quiet);
  return {
    root, config: f.config, cache: f.cache ? f.cacheLocation : false, gitignore: f.gitignore, threads: f.threads, facts: f.facts,
    strictResolution: f.strictResolution, minConfidence: f.minConfidence,
    onProgress: (done, total, stage) => {
      progress.update(done, total, stage ?? 'scanning');
      if (done === total) progress.end();
    },
  };
}

const scanCommand = command<ScanFlags & { history?: number; shard?: string; factsOut?: string; staged?: boolean }>({
  name: 'scan',
  description: 'Scan a TypeScript codebase and report SSOT violations.',
  scans: true,
  options: [
    option('--history <n>', 'add migration status and its burndown over the last n commits (html, json)', parseThreads),
    option('--shard <i/n>', 'parse only every n-th file, starting at the i-th (with --facts-out)'),
    option('--facts-out <file>', 'write the facts of the shard to this file instead of a report'),
    option('--staged', 'scan what git staged (the index), not the work tree: for a pre-commit hook'),
  ],
  help: `
Examples:
  $ ssot scan fixtures/legacy-app
  $ ssot scan . --format sarif --output ssot.sarif
  $ ssot check . --format sarif:ssot.sarif --format markdown:comment.md --format text
  $ ssot scan packages/api --config ssot.config.json --format json
  $ ssot scan . --shard 2/4 --facts-out facts-2.json   (one job of a CI matrix)
  $ ssot check . --facts facts-*.json                  (the job that merges them)
Exit codes: 0 no error-level findings, 1 error-level findings, 2 usage or config error.`,
  async run(root, f, terminal) {
    if (f.shard || f.factsOut) {
      const n = await (await import('./scan/scan-shard.js')).scanShard({ ...scanOptions(root, f, terminal), shard: f.shard, factsOut: f.factsOut });
      return { writes: [], stderr: `shard ${f.shard}: facts of ${n} files written to ${f.factsOut}\n` };
    }
    const staged = f.staged ? stagedScanOptions(scanOptions(root, f, terminal)) : undefined;
    // --history: the status comes from the same scan (one session); with --staged it is the work tree's, another tree.
    const result = f.history && !staged
      ? await (await import('./status-api.js')).scanWithStatus({ ...scanOptions(root, f, terminal), history: f.history })
      : await scan(staged?.options ?? scanOptions(root, f, terminal));
    if (f.history && staged) result.status = await (await import('./status-api.js')).status({ ...scanOptions(root, f, terminal), history: f.history });
    return reportOutput(result, f, { root, notes: staged ? [stagedNote(staged.staged)] : [], exitCode: result.summary.errors > 0 ? 1 : 0, tty: terminal.color });
  },
});

const baselineCommand = command<ScanFlags & { baseline?: string; prune?: boolean }>({
  name: 'baseline',
  description: 'Record the current findings as known, in .ssot-baseline.json (one entry per line).',
  scans: true,
  options: [
    option('-b, --baseline <file>', 'baseline file (default: <root>/.ssot-baseline.json)'),
    option('--prune', 'only drop entries that no longer occur: the ratchet (adds nothing new)'),
  ],
  help: `
Examples:
  $ ssot baseline .            accept today's findings
  $ ssot baseline . --prune    tighten: drop what was fixed`,
  async run(root, f, terminal) {
    const r = await (await import('./check-api.js')).updateBaseline({ ...scanOptions(root, f, terminal), baseline: f.baseline, prune: !!f.prune });
    return { writes: [{ text: `${path.relative(process.cwd(), r.file) || r.file}: ${r.entries} entries (${r.added} added, ${r.removed} removed)\n` }] };
  },
});

const checkCommand = command<ScanFlags & { baseline?: string; since?: string; strict?: boolean; staged?: boolean }>({
  name: 'check',
  description: 'Fail only on findings the baseline (or the tree at --since) does not know.',
  scans: true,
  options: [
    option('-b, --baseline <file>', 'baseline file (default: <root>/.ssot-baseline.json)'),
    option('--since <ref>', 'compare with the tree at this git ref instead of a baseline file'),
    option('--strict', 'also fail while the baseline holds entries that no longer occur'),
    option('--staged', 'check what git staged (the index), not the work tree: for a pre-commit hook'),
  ],
  help: `
Examples:
  $ ssot check .                                 against .ssot-baseline.json
  $ ssot check . --since origin/main --format github
  $ ssot check . --strict --format markdown --output ssot.md
  $ ssot check --staged                          in a pre-commit hook
Exit codes: 0 nothing new, 1 something new (or --strict with stale entries, or over budget), 2 usage, config or baseline error.`,
  async run(root, f, terminal) {
    const staged = f.staged ? stagedScanOptions(scanOptions(root, f, terminal)) : undefined;
    const options = { ...(staged?.options ?? scanOptions(root, f, terminal)), baseline: f.baseline ?? staged?.baseline, since: f.since, strict: !!f.strict };
    const result = await (await import('./check-api.js')).check(options);
    return reportOutput(result, f, { root, notes: staged ? [...result.notes, stagedNote(staged.staged)] : result.notes, exitCode: result.passed ? 0 : 1, tty: terminal.color });
  },
});

type FixFlags = ScanFlags & { phase?: string[]; dryRun?: boolean; allowDirty?: boolean; verify?: boolean; verifyTimeout?: number; allowUnverified?: boolean; manifest?: string };
const fixCommand = command<FixFlags>({
  name: 'fix',
  description: 'Migrate to the SSOT: rewrite constructions and imports, write deprecation facades, remove unreached legacy modules.',
  scans: true,
  options: [
    option('--phase <phases...>', 'only these phases: factories, consumers, facades, cleanup (default: all that apply, in that order)'),
    option('--dry-run', 'print a unified diff of every change and write nothing'),
    option('--allow-dirty', 'run even when the git work tree has uncommitted changes'),
    option('--verify', "type-check every tsconfig project a change touches, before and after (the project's own tsc when it has one), and roll back, file by file, changes that add type errors"),
    option('--verify-timeout <seconds>', 'with --verify: stop (exit 2, nothing kept) when one project\'s type-check takes longer (default: 600 + 0.1 a file; an after-check also 3 times its before-check)', parseSeconds),
    option('--allow-unverified', 'with --verify: exit 0 even when changed files are in no tsconfig project (never type-checked)'),
    option('--manifest <file>', 'write a JSON record of every change for review'),
  ],
  help: `
Examples:
  $ ssot fix . --dry-run | less                    review first
  $ ssot fix . --verify --manifest ssot-fix.json   rewrite, type-check, keep what compiles
  $ ssot fix . --phase factories consumers         one step of the migration at a time
Exit codes: 0 done, 1 something was refused, rolled back, not written or not verified, or failed to transform, 2 usage or config error, a dirty work tree, or a type-checker that failed (nothing kept).`,
  async run(root, f, terminal) {
    const bad = f.phase?.find((p) => !(FIX_PHASES as readonly string[]).includes(p));
    if (bad) throw new ConfigError(`unknown phase "${bad}"`, undefined, '--phase', `Use one or more of: ${FIX_PHASES.join(', ')}.`);
    const { fix } = await import('./fix-api.js');
    const progress = terminal.progress(f.quiet);
    const r = await fix({
      ...scanOptions(root, f, terminal),
      phases: f.phase as FixPhase[] | undefined, dryRun: !!f.dryRun, allowDirty: !!f.allowDirty, verify: !!f.verify,
      verifyTimeoutMs: f.verifyTimeout ? f.verifyTimeout * 1000 : undefined,
      onFixProgress: (done, total, label) => (done === total ? progress.end() : progress.update(done, total, label)),
    });
    progress.end();
    return fixOutput(r, f);
  },
});

const graphCommand = command<{ config?: string; format: string; output?: string; cache: boolean }>({
  name: 'graph',
  description: 'Print the graph of implementations, factories, consumers, legacy modules and import cycles, for docs and pull requests.',
  options: [
    configOption(),
    new Option('-f, --format <format>', 'graph syntax').choices(['mermaid', 'dot']).default('mermaid'),
    option('-o, --output <file>', 'write the graph to a file instead of stdout'),
    noCacheOption(),
  ],
  help: `
Examples:
  $ ssot graph . > ssot.mmd
  $ ssot graph . --format dot | dot -Tsvg > ssot.svg`,
  async run(root, f) {
    const result = await scan({ root, config: f.config, cache: f.cache ? undefined : false });
    return { writes: [{ file: f.output, text: (await getReporter(f.format))(result, { color: false }) }] };
  },
});

const statusCommand = command<{ config?: string; history?: number; json?: boolean; cache: boolean }>({
  name: 'status',
  description: 'Migration progress per group: consumers on the SSOT and on legacy modules, facades, legacy modules left, and the phase.',
  options: [
    configOption(),
    option('--history <n>', 'also the burndown over the last n commits (from git objects; the cache keeps it fast)', parseThreads),
    option('--json', 'print JSON'),
    noCacheOption(),
  ],
  help: `
Phases (the seed's): factories -> consumers -> facades -> cleanup -> done.
Examples:
  $ ssot status
  $ ssot status . --history 20`,
  async run(root, f) {
    const { formatStatus, status } = await import('./status-api.js');
    const s = await status({ root, config: f.config, cache: f.cache ? undefined : false, history: f.history });
    return { writes: [{ text: f.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s) }] };
  },
});

const initCommand = command<{ yes?: boolean; force?: boolean; update?: boolean; minConfidence?: number; cache: boolean }>({
  name: 'init',
  description: 'Discover competing implementations and copies, and write ssot.config.json with one group for each sure one.',
  options: [
    option('-y, --yes', 'accept the proposals within the limits without asking (also when stdin is not a terminal)'),
    option('--update', 'keep the existing ssot.config.json and add only new groups'),
    option('--force', 'replace an existing ssot.config.json'),
    option('--min-confidence <n>', 'propose discovered groups at or above this confidence, 0..1 (default 0.75)', parseFloat),
    noCacheOption(),
  ],
  help: `
Proposes competing and duplicate-copy groups at confidence 0.75 or more, never families; shows per group
the findings and legacy modules its config would create. With --yes, a group with more than 20 legacy
modules or 200 findings is refused and listed. A config's "dismissed" list keeps those sets out for good.
Examples:
  $ ssot init                 asks, per proposed group, whether to keep it and which implementation is the SSOT
  $ ssot init . --yes         accepts the proposals within the limits
  $ ssot init . --update --yes  adds groups found since to an existing config`,
  async run(root, f, terminal) {
    const { init } = await import('./init-api.js');
    const choose = !f.yes && terminal.interactive ? (await import('./init-prompts.js')).choose : undefined;
    const result = await init({ root, force: !!f.force, update: !!f.update, minConfidence: f.minConfidence, cache: f.cache ? undefined : false, choose });
    return { writes: [{ text: formatInit(result, path.relative(process.cwd(), result.file) || result.file) }] };
  },
});

/** Every command, in the order `ssot --help` lists them. */
export const COMMANDS: readonly CommandSpec<never>[] = [scanCommand, baselineCommand, checkCommand, fixCommand, graphCommand, statusCommand, initCommand];
