import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from './errors.js';
import { scan, toolVersion } from './scan-api.js';
import { formats, getReporter } from './report/index.js';
import { mark } from './timing.js';

/** Write a file atomically: a reader sees the old file or the new one, never half of it. */
function writeAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

function useColor(flag: boolean): boolean {
  return flag && !process.env.NO_COLOR && !!process.stdout.isTTY;
}

function emit(output: string, file: string | undefined, summary: string): void {
  if (file) {
    writeAtomic(file, output);
    process.stderr.write(`${summary}; report written to ${file}\n`);
  } else process.stdout.write(output);
}

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

const program = new Command('ssot')
  .description('Find competing implementations, legacy imports, factory bypasses, import cycles and shared state, and converge on a single source of truth.')
  .version(toolVersion())
  .exitOverride()
  .showHelpAfterError('(run `ssot --help` for usage)');

program
  .command('scan')
  .description('Scan a TypeScript codebase and report SSOT violations.')
  .argument('[root]', 'folder to scan', '.')
  .option('-c, --config <file>', 'config file (default: <root>/ssot.config.json when present)')
  .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('text'))
  .option('-o, --output <file>', 'write the report to a file instead of stdout')
  .option('--no-cache', 'do not read or write the facts cache')
  .option('--cache-location <dir>', 'facts cache folder (default: <root>/.ssot-cache)')
  .option('--no-gitignore', 'also scan files that .gitignore excludes')
  .option('--threads <n>', 'threads for parsing on a cold run (default: the number of cores)', parseThreads)
  .option('--no-color', 'plain text output')
  .addHelpText('after', `
Examples:
  $ ssot scan fixtures/legacy-app
  $ ssot scan . --format sarif --output ssot.sarif
  $ ssot scan packages/api --config ssot.config.json --format json
Exit codes: 0 no error-level findings, 1 error-level findings, 2 usage or config error.`)
  .action(async (root: string, opts: { config?: string; format: string; output?: string; cache: boolean; cacheLocation?: string; gitignore: boolean; color: boolean; threads?: number }) => {
    const result = await scan({
      root,
      ...(opts.config ? { config: opts.config } : {}),
      cache: opts.cache ? (opts.cacheLocation ?? path.join(path.resolve(root), '.ssot-cache')) : false,
      gitignore: opts.gitignore,
      ...(opts.threads ? { threads: opts.threads } : {}),
    });
    const output = (await getReporter(opts.format))(result, { color: useColor(opts.color) && !opts.output });
    const { errors, warnings, infos } = result.summary;
    emit(output, opts.output, `${errors} errors, ${warnings} warnings, ${infos} info`);
    mark('reported');
    process.exitCode = errors > 0 ? 1 : 0;
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
