import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from './fix-types.js';

/** A type checker for the project: its own `tsc` when it has one, else the TypeScript that ssot-kit bundles. */
export interface Checker {
  name: string;
  run(): Promise<Diagnostic[]>;
}

/** The project's `node_modules/.bin/tsc`, looked up from the root upwards. */
function projectTsc(root: string): string | undefined {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
    if (existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) return undefined;
  }
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
    else if (/error TS\d+:/.test(line)) out.push({ file: '', line: 0, column: 0, code: /TS\d+/.exec(line)![0], message: line.trim() });
  }
  return out;
}

export function findChecker(root: string, tsconfig: string): Checker {
  const tsc = projectTsc(root);
  if (tsc) {
    return {
      name: `${path.relative(root, tsc) || tsc} -p ${path.relative(root, tsconfig)}`,
      async run() {
        const r = spawnSync(tsc, ['--noEmit', '--pretty', 'false', '-p', tsconfig], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
        if (r.error) throw new Error(`${tsc}: ${r.error.message}`);
        return parseTscOutput(`${r.stdout}\n${r.stderr}`, root, root);
      },
    };
  }
  return {
    name: `bundled TypeScript (ts-morph) -p ${path.relative(root, tsconfig)}`,
    async run() {
      const { ts } = await import('../scan/compiler.js');
      const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(tsconfig));
      const program = ts.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true } });
      return ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => {
        const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        return {
          file: d.file ? path.relative(root, d.file.fileName).split(path.sep).join('/') : '',
          line: pos ? pos.line + 1 : 0,
          column: pos ? pos.character + 1 : 0,
          code: `TS${d.code}`,
          message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
        };
      });
    },
  };
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
