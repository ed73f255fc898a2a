import { spawnSync } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve('bin/ssot.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawn the built `ssot` binary as a user would (colour off, CI set). */
export function runCli(args: string[], cwd = process.cwd(), env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
