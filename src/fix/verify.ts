import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Diagnostic } from './fix-types.js';

/**
 * A `tsc` to check one project with: the project's own (`node_modules/.bin/tsc` in its folder or a parent),
 * else ssot-kit's bundled TypeScript 6 run as `tsc` (tsc-bundled.ts). Either runs as a child process, so
 * a checker that hangs is killed at its timeout and one that crashes is seen as crashed (issue 17, item 3).
 */
export interface Checker {
  /** What the output names: `node_modules/.bin/tsc (5.4.5)` or `bundled TypeScript 6.0.2`. */
  name: string;
  command: string;
  args: string[];
  /** `--incremental` with `--noEmit` needs TypeScript 4.0 or later. */
  incremental: boolean;
  /** ssot-kit's own driver, which reports semantic errors even beside syntax errors (tsc does not). */
  bundled: boolean;
}

/** Why `--verify` cannot go on: the checker misbehaved. Exit 2; nothing is left written. */
export class VerifyError extends ConfigError {}

const bundled = fileURLToPath(new URL('./tsc-bundled.js', import.meta.url));

/** The nearest `node_modules/.bin/tsc` from `dir` upwards, as Node resolves packages. */
export function projectTsc(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const bin = path.join(d, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
    if (existsSync(bin)) return bin;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The checker for a project in `dir`; its version is asked once, and an answer that is not tsc's stops the run. */
export function checkerFor(dir: string, root: string, checkers: Map<string, Checker>): Checker {
  const tsc = projectTsc(dir);
  const key = tsc ?? bundled;
  let checker = checkers.get(key);
  if (checker) return checker;
  const [command, args] = tsc ? [tsc, []] : [process.execPath, [bundled]];
  const r = spawnSync(command, [...args, '--version'], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  const shown = tsc ? path.relative(root, tsc) || tsc : 'bundled TypeScript';
  if (r.error) throw new VerifyError(`${shown} could not be run (${r.error.message})`, shown, undefined, 'Install the project\'s dependencies, or fix or remove that tsc, then run `ssot fix --verify` again; nothing was written.');
  const version = /Version (\d+)\.(\d+)\.\S*/.exec(r.stdout);
  if (r.status !== 0 || !version) {
    throw new VerifyError(`${shown} --version ${r.signal ? `was killed by ${r.signal}` : `exited with status ${r.status}`} and printed ${version ? 'a version' : `no TypeScript version (${JSON.stringify(firstLine(r.stdout + r.stderr))})`}`, shown, undefined, 'It does not behave as tsc; nothing was written.');
  }
  const v = version[0].slice('Version '.length);
  checker = { name: tsc ? `${shown} (${v})` : `bundled TypeScript ${v}`, command, args, incremental: Number(version[1]) >= 4, bundled: !tsc };
  checkers.set(key, checker);
  return checker;
}

export interface CheckRun {
  checker: Checker;
  tsconfig: string;
  /** `--tsBuildInfoFile`: the after-check reuses the before-check's work. */
  buildInfo: string;
  timeoutMs: number;
  root: string;
  /** `tsc -b`: the project references others, whose outputs must be rebuilt from the changed sources (find-projects.ts). */
  build?: boolean;
  /** Called with the child while it runs, so a signal handler can end it. */
  onChild?: (child: { kill(signal: NodeJS.Signals): boolean; pid?: number | undefined } | undefined) => void;
}

/**
 * Type-checks one project (`tsc --noEmit -p`, or `tsc -b` for a project with references, as the repository
 * builds it: its emit settings apply, so its outputs are rebuilt; the bundled checker has no build mode). tsc exits 0 with no errors and 1 or 2 with errors; any other
 * status, a signal, errors without one parsable diagnostic, output on success, or the timeout throws a
 * VerifyError: a check that did not happen is never reported as passed.
 */
export function checkProject(run: CheckRun): Promise<Diagnostic[]> {
  const cwd = path.dirname(run.tsconfig);
  const build = run.build === true && !run.checker.bundled;
  const args = build
    ? [...run.checker.args, '-b', run.tsconfig, '--pretty', 'false']
    : [...run.checker.args, '--noEmit', '--pretty', 'false', '-p', run.tsconfig, ...(run.checker.incremental ? ['--incremental', '--tsBuildInfoFile', run.buildInfo] : [])];
  const label = `${run.checker.name} ${build ? '-b' : '-p'} ${path.relative(run.root, run.tsconfig) || run.tsconfig}`;
  const fail = (what: string): VerifyError =>
    new VerifyError(`${label} ${what}`, path.relative(run.root, run.tsconfig) || run.tsconfig, undefined, 'The type-check did not happen, so nothing was kept: every file is as it was. Fix the checker or raise --verify-timeout <seconds>, then run again.');
  return new Promise((resolve, reject) => {
    const child = spawn(run.checker.command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    run.onChild?.(child);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, run.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      run.onChild?.(undefined);
      reject(fail(`could not be run (${error.message})`));
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      run.onChild?.(undefined);
      const output = Buffer.concat(chunks).toString('utf8');
      if (timedOut) return reject(fail(`did not finish within ${Math.round(run.timeoutMs / 1000)} s and was stopped`));
      if (signal) return reject(fail(`was killed by ${signal}`));
      if (status !== 0 && status !== 1 && status !== 2) return reject(fail(`exited with status ${status}, which tsc never uses (${JSON.stringify(firstLine(output))})`));
      const diagnostics = parseTscOutput(output, cwd, run.root);
      if (status !== 0 && diagnostics.length === 0) return reject(fail(`exited with status ${status} (errors) but printed no diagnostic that could be read (${JSON.stringify(firstLine(output))})`));
      if (status === 0 && output.trim() !== '') return reject(fail(`exited with status 0 (no errors) but printed ${JSON.stringify(firstLine(output))}`));
      resolve(diagnostics);
    });
  });
}

/**
 * Why tsc's output holds no semantic check, or undefined: tsc reports type errors only when the program has
 * no config, option, global or syntax error, so a project with one file that does not parse is never
 * type-checked by it (a before and an after with the same syntax errors would prove nothing).
 */
export async function semanticsSkipped(diagnostics: Diagnostic[], root: string): Promise<string | undefined> {
  const config = diagnostics.find((d) => d.file === '' || d.file.endsWith('.json') || /^TS[56]\d{3}$/.test(d.code));
  if (config) return `it reported a config or option error (${config.code}${config.file ? ` in ${config.file}` : ''})`;
  const { ts } = await import('../scan/compiler.js');
  for (const file of new Set(diagnostics.filter((d) => /^TS1\d{3}$/.test(d.code)).map((d) => d.file))) {
    let text: string;
    try {
      text = readFileSync(path.join(root, file), 'utf8');
    } catch {
      continue;
    }
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    if ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length) return `${file} does not parse, and tsc type-checks nothing while a file has a syntax error`;
  }
  return undefined;
}

/** Ends a checker and whatever it started (it runs in its own process group). */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim()) ?? '';
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/**
 * The default timeout for checking a project of `files` files: 10 minutes and 100 ms a file. It is there to
 * stop a checker that hangs, not to time a slow one: the root files say little of the program's size (vite's
 * src/node/__tests_dts__ has 110 and compiles all of src/node, 106 s on a quiet 2-core machine, over the old
 * 131 s under load). The after-check also gets three times what the before-check took (write-verified.ts).
 */
export function defaultTimeoutMs(files: number): number {
  return 600_000 + 100 * files;
}

const LINE = /^(.+?)(?:\((\d+),(\d+)\)|:(\d+):(\d+)) ?[:-] error (TS\d+): (.*)$/;

/** Parses `tsc --pretty false` output; continuation lines (indented) extend the message before them. */
export function parseTscOutput(output: string, cwd: string, root: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (m) {
      const abs = path.resolve(cwd, m[1]!);
      out.push({ file: path.relative(root, abs).split(path.sep).join('/'), line: Number(m[2] ?? m[4]), column: Number(m[3] ?? m[5]), code: m[6]!, message: m[7]! });
    } else if (/^\s+\S/.test(line) && out.length) out[out.length - 1]!.message += ` ${line.trim()}`;
    else if (/^error TS\d+:/.test(line.trim())) out.push({ file: '', line: 0, column: 0, code: /TS\d+/.exec(line)![0], message: line.trim().replace(/^error TS\d+:\s*/, '') });
  }
  return out;
}

/** Diagnostics in `after` that `before` did not have (compared without positions, which edits move). */
export function newDiagnostics(before: Diagnostic[], after: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): string => `${d.file}\0${d.code}\0${d.message}`;
  const counts = new Map<string, number>();
  for (const d of before) counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
  return after.filter((d) => {
    const n = counts.get(key(d)) ?? 0;
    if (n > 0) counts.set(key(d), n - 1);
    return n === 0;
  });
}
