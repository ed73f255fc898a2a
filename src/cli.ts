import { Command, CommanderError } from 'commander';
import { collectFormat, parseConfidence, parseThreads } from './cli-args.js';
import { COMMANDS, configOption, noCacheOption, type Terminal } from './cli-commands.js';
import type { CommandOutput } from './cli-output.js';
import { ConfigError } from './errors.js';
import { createProgress } from './progress.js';
import { toolVersion } from './scan-api.js';
import { mark } from './timing.js';
import { writeAtomic } from './write-atomic.js';

/** The options every command that scans shares, declared once. */
function withScanOptions(cmd: Command): Command {
  return cmd
    .addOption(configOption())
    .option('-f, --format <name[:file]>', 'output format, repeatable; with :file written there (default: text)', collectFormat)
    .option('-o, --output <file>', 'write the report of the --format without a file here instead of stdout')
    .option('--path-base <dir>', 'github and sarif paths relative to this folder (default: the git repository top, else the working directory)')
    .addOption(noCacheOption())
    .option('--cache-location <dir>', 'cache folder (default: <root>/.ssot-cache; point CI caches here)')
    .option('--no-gitignore', 'also scan files that .gitignore excludes')
    .option('--threads <n>', 'threads for parsing on a cold run (default: the number of cores)', parseThreads)
    .option('--facts <files...>', 'facts written by `ssot scan --shard i/n --facts-out`: merge them instead of parsing')
    .option('-q, --quiet', 'no progress bar and no summary line on stderr')
    .option('--strict-resolution', 'fail on imports that resolve to no file (relative paths, aliases)')
    .option('--min-confidence <0..1>', 'without groups configured: report discovered groups this sure or surer (default 0.5)', parseConfidence)
    .option('--no-color', 'plain text output');
}

const terminal: Terminal = {
  progress(quiet) {
    // A progress bar only where a person watches: a terminal, not CI, not --quiet.
    const progress = createProgress(process.stderr, !quiet && !process.env.CI);
    process.once('beforeExit', () => progress.end());
    return progress;
  },
  color: !process.env.NO_COLOR && !!process.stdout.isTTY,
  interactive: !!process.stdin.isTTY,
};

/** A command's output: each text to its file (atomically) or stdout, in order, then stderr, then the exit code. */
function print(out: CommandOutput): void {
  for (const { file, text } of out.writes) {
    if (file) writeAtomic(file, text);
    else process.stdout.write(text);
  }
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode ?? 0;
  mark('reported');
}

const program = new Command('ssot')
  .description('Find competing implementations, legacy imports, factory bypasses, import cycles and shared state, and converge on a single source of truth.')
  .version(toolVersion())
  .exitOverride()
  .showHelpAfterError('(run `ssot --help` for usage)');

for (const spec of COMMANDS) {
  const cmd = program.command(spec.name).description(spec.description).argument('[root]', 'folder to scan', '.');
  if (spec.scans) withScanOptions(cmd);
  for (const option of spec.options) cmd.addOption(option);
  cmd.addHelpText('after', spec.help).action(async (root: string, flags: object) => print(await spec.run(root, flags as never, terminal)));
}

// Known errors print one line (and a hint) and exit 2; findings exit 1 (set by print); unknown errors are rethrown.
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
