/**
 * A `tsc` from the TypeScript 6 that ssot-kit depends on (`typescript-6`, the compiler with a JavaScript
 * API), run as a child process by `ssot fix --verify` when a project has no TypeScript of its own. It
 * takes tsc's command line (`--version`, `-p`, `--noEmit`, `--incremental --tsBuildInfoFile`) and prints
 * and exits as `tsc --pretty false` does, so one code path spawns, times out and reads every checker;
 * unlike tsc it reports semantic errors even when some file has a syntax error.
 *
 * The package ships its `lib.*.d.ts` next to `typescript.js`, which the compiler module loads under its own
 * file name, so `ts.sys` finds them as tsc does.
 */
import path from 'node:path';
import type * as TS from 'typescript-6';
import { ts } from '../scan/compiler.js';

const system: typeof ts.sys = ts.sys;

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`Version ${ts.version}\n`);
  process.exit(0);
}
const cmd = ts.parseCommandLine(args, system.readFile);
const tsconfig = cmd.options.project ? path.resolve(cmd.options.project) : path.resolve('tsconfig.json');
const host: TS.ParseConfigFileHost = { ...system, onUnRecoverableConfigFileDiagnostic: (d: TS.Diagnostic) => report([d]) };
const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, { ...cmd.options, project: undefined }, host);
if (!parsed) process.exit(1);
const options = { ...parsed.options, noEmit: true };
const compilerHost = ts.createIncrementalCompilerHost(options, system);
const builder = ts.createIncrementalProgram({ rootNames: parsed.fileNames, options, host: compilerHost, projectReferences: parsed.projectReferences ?? [], configFileParsingDiagnostics: parsed.errors });
// Every kind at once: tsc itself reports no semantic error while any file has a syntax error, which would
// leave a project with one broken file unchecked. The broken file's own semantic errors are left out: they
// come from error recovery and change with the order files are checked in (an incremental run differs).
const syntactic = builder.getSyntacticDiagnostics();
const broken = new Set(syntactic.map((d) => d.file?.fileName));
const diagnostics = [
  ...builder.getConfigFileParsingDiagnostics(), ...builder.getOptionsDiagnostics(), ...builder.getGlobalDiagnostics(),
  ...syntactic, ...builder.getSemanticDiagnostics().filter((d) => !broken.has(d.file?.fileName)),
].filter((d) => d.category === ts.DiagnosticCategory.Error);
if (options.incremental) builder.emit();
report(diagnostics);
process.exit(diagnostics.length ? 1 : 0);

/** Prints diagnostics as `tsc --pretty false` does: `file(line,col): error TSn: message`, continuation lines indented. */
function report(list: readonly TS.Diagnostic[]): void {
  for (const d of list) {
    const where = d.file && d.start !== undefined ? (() => {
      const p = d.file.getLineAndCharacterOfPosition(d.start);
      return `${path.relative(process.cwd(), d.file.fileName)}(${p.line + 1},${p.character + 1}): `;
    })() : '';
    process.stdout.write(`${where}error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n  ')}\n`);
  }
}
