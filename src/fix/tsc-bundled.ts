/**
 * A `tsc` from the TypeScript that ssot-kit bundles (ts-morph's 6.x), run as a child process by `ssot fix
 * --verify` when a project has no TypeScript of its own. It takes tsc's command line (`--version`,
 * `-p`, `--noEmit`, `--incremental --tsBuildInfoFile`) and prints and exits as `tsc --pretty false` does,
 * so one code path spawns, times out and reads every checker; unlike tsc it reports semantic errors
 * even when some file has a syntax error.
 *
 * ts-morph ships the compiler without its `lib.*.d.ts` files: they are strings inside
 * ts-morph-common.js. Without them every program fails with TS2318 "Cannot find global type 'Array'"
 * before and after a rewrite alike, so a check would compare two equally broken runs. They are served
 * from that array, read as a literal (loading ts-morph-common would load a second compiler).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { ts as TS } from 'ts-morph';
import { ts } from '../scan/compiler.js';

const common = createRequire(import.meta.url).resolve('@ts-morph/common/dist/ts-morph-common.js');
const source = readFileSync(common, 'utf8');
const start = source.indexOf('const libFiles = [');
const end = source.indexOf('}];\n', start);
if (start < 0 || end < 0) throw new Error(`${common}: the lib files were not found; the bundled TypeScript cannot check`);
const libFiles = vm.runInNewContext(source.slice(start + 'const libFiles = '.length, end + 2)) as { fileName: string; text: string }[];
const libs = new Map(libFiles.map((f) => [f.fileName, f.text]));

// The default lib folder is the folder of the executing file: a virtual one, served from the map.
const libDir = path.join(path.dirname(common), '__ssot_lib__');
const libText = (p: string): string | undefined => (path.dirname(p) === libDir ? libs.get(path.basename(p)) : undefined);
const system: typeof ts.sys = {
  ...ts.sys,
  getExecutingFilePath: () => path.join(libDir, 'tsc.js'),
  readFile: (p, encoding) => libText(p) ?? ts.sys.readFile(p, encoding),
  fileExists: (p) => libText(p) !== undefined || ts.sys.fileExists(p),
};

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
