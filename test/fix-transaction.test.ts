import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from './helpers/git-repo.js';
import { runCli, type CliRun } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp-project.js';

/**
 * Issue 17, items 4 and 5: `ssot fix` writes its plan as one transaction. A file edited by another process
 * after the plan, a read-only file or folder, or a write that fails half-way leaves every file as it was,
 * reported with a summary (exit 1, never a stack trace); signals restore and clean up; temp files of a run
 * killed with SIGKILL are removed by the next run. SSOT_FIX_BEFORE_WRITE (test-only) runs a script after the
 * temp files are written and before the first file is replaced.
 */
const consumer = (name: string): string => `import { OldTools } from '../tools/old-tools';\nexport const ${name} = new OldTools();\n`;
const files = {
  'ssot.config.json': {
    include: ['**/*.ts'],
    groups: [{ name: 'tools', ssot: { module: 'src/tools/new-tools.ts', export: 'Tools' }, legacy: [{ module: 'src/tools/old-tools.ts', renames: { OldTools: 'Tools' } }] }],
  },
  'src/tools/new-tools.ts': 'export class Tools {}\n',
  'src/tools/old-tools.ts': 'export class OldTools {}\n',
  'src/app/first.ts': consumer('first'),
  'src/app/second.ts': consumer('second'),
  'src/zz/last.ts': consumer('last'),
};
const read = (root: string, rel: string): string => readFileSync(path.join(root, rel), 'utf8');
const temps = (root: string): string[] => {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (/\.ssot-\d+(-[0-9a-f]+)?\.tmp$/.test(e.name)) out.push(path.relative(root, path.join(dir, e.name)));
    }
  };
  walk(root);
  return out;
};
/** A hook script for SSOT_FIX_BEFORE_WRITE; `$PPID` is the ssot process. */
const hook = (body: string): string => {
  const file = path.join(tempProject({ 'hook.sh': `#!/bin/sh\n${body}\n` }, 'ssot-hook-'), 'hook.sh');
  chmodSync(file, 0o755);
  chmodSync(path.dirname(file), 0o755);
  return file;
};

/**
 * Runs the CLI as `nobody` (root ignores file permissions), on a repository chowned to nobody.
 * Undefined when that is impossible (not root and no setpriv): the caller skips with that reason.
 */
const nobody = 65534;
const asNobody = spawnSync('setpriv', ['--version']).status === 0 && process.getuid?.() === 0;
function runAsNobody(root: string, args: string[], env: Record<string, string> = {}): CliRun {
  const chown = (p: string): void => {
    chownSync(p, nobody, nobody);
    for (const e of readdirSync(p, { withFileTypes: true })) {
      if (e.isDirectory()) chown(path.join(p, e.name));
      else if (!e.isSymbolicLink()) chownSync(path.join(p, e.name), nobody, nobody);
    }
  };
  chown(root);
  const r = spawnSync('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', process.execPath, path.resolve('bin/ssot.js'), ...args], {
    encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true', HOME: root, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const gitAsNobody = (root: string, ...args: string[]): string =>
  spawnSync('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', 'git', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, HOME: root } }).stdout;

describe('ssot fix writes its plan as one transaction (issue 17, items 4 and 5)', () => {
  it('a file edited by another process between the plan and the write: nothing written, the edit kept, exit 1', () => {
    const { root, git } = gitRepo(files);
    const edited = `${consumer('second')}// edited meanwhile\n`;
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers'], process.cwd(), { SSOT_FIX_BEFORE_WRITE: hook("echo '// edited meanwhile' >> src/app/second.ts") });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('src/app/second.ts:1:1 fix not written (changed-since-plan): it changed after ssot fix read it (another process wrote it); run ssot fix again');
    expect(r.stdout).toContain('nothing was written: every file is as it was (1 problem above)');
    expect(r.stdout).toMatch(/^0 files changed/m);
    expect(r.code).toBe(1);
    expect(read(root, 'src/app/second.ts')).toBe(edited);
    expect(git('status', '--porcelain')).toBe(' M src/app/second.ts\n'); // first.ts was replaced, then restored
    expect(temps(root)).toEqual([]);
  });

  it('a read-only (0444) file is refused, even for root: nothing written, exit 1', () => {
    const { root, git } = gitRepo(files);
    chmodSync(path.join(root, 'src/app/second.ts'), 0o444);
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers']);
    expect(r.stdout).toContain('src/app/second.ts:1:1 fix not written (read-only): the file is read-only (mode 444); make it writable to migrate it');
    expect(r.code).toBe(1);
    expect(git('status', '--porcelain')).toBe('');
  });

  it.skipIf(!asNobody)('as a user who cannot write a folder: refused before anything is written, exit 1 (skipped unless root with setpriv, to become nobody)', () => {
    const { root } = gitRepo(files);
    const r0 = runAsNobody(root, ['status', root]);
    expect(r0.code).toBe(0);
    chmodSync(path.join(root, 'src/zz'), 0o555);
    const r = runAsNobody(root, ['fix', root, '--no-cache', '--phase', 'consumers']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('src/zz/last.ts:1:1 fix not written (read-only): this user cannot write');
    expect(r.code).toBe(1);
    expect(gitAsNobody(root, 'status', '--porcelain')).toBe('');
  });

  it.skipIf(!asNobody)('a rename that fails half-way (a folder turned read-only after the temp files were written): the files already replaced are restored, a summary, no stack trace (skipped unless root with setpriv)', () => {
    const { root } = gitRepo(files);
    const r = runAsNobody(root, ['fix', root, '--no-cache', '--phase', 'consumers'], { SSOT_FIX_BEFORE_WRITE: hook('chmod 555 src/zz') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^src\/zz\/last.ts:1:1 fix not written \(write-failed\): could not be replaced \(EACCES: permission denied, rename .*\); could not remove src\/zz\/\.last\.ts\.ssot-\d+-[0-9a-f]+\.tmp \(a later run removes it once its folder is writable\)$/m);
    expect(r.stdout).toMatch(/^0 files changed/m);
    expect(r.code).toBe(1);
    for (const f of ['src/app/first.ts', 'src/app/second.ts', 'src/zz/last.ts', 'src/tools/old-tools.ts']) expect(read(root, f)).toBe(files[f as keyof typeof files]);
    expect(temps(root)).toEqual([expect.stringMatching(/^src\/zz\/\.last\.ts\.ssot-\d+-[0-9a-f]+\.tmp$/)]);
    chmodSync(path.join(root, 'src/zz'), 0o755);
    const again = runAsNobody(root, ['fix', root, '--no-cache', '--phase', 'consumers', '--allow-dirty']);
    expect(again.stdout).toMatch(/^removed 1 temp file left by an earlier run that was killed: src\/zz\/\.last\.ts\.ssot-\d+-[0-9a-f]+\.tmp$/m);
    expect(again.code).toBe(0);
    expect(temps(root)).toEqual([]);
    expect(read(root, 'src/zz/last.ts')).toContain('new-tools');
  });

  it('SIGTERM while writing: every file as it was, no temp file, exit 143', () => {
    const { root, git } = gitRepo(files);
    const r = runCli(['fix', root, '--no-cache'], process.cwd(), { SSOT_FIX_BEFORE_WRITE: hook('kill -TERM $PPID; sleep 10') });
    expect(r.stderr).toContain('ssot fix: stopped by SIGTERM; every file is as it was');
    expect(r.code).toBe(143);
    expect(git('status', '--porcelain')).toBe('');
    expect(temps(root)).toEqual([]);
  });

  it('SIGKILL while writing leaves old files and temp files; the next run removes the temp files of the dead process', () => {
    const { root, git } = gitRepo(files);
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers'], process.cwd(), { SSOT_FIX_BEFORE_WRITE: hook('kill -KILL $PPID') });
    expect(r.code).toBe(-1);
    const left = temps(root).sort();
    expect(left).toHaveLength(3);
    for (const f of ['src/app/first.ts', 'src/app/second.ts', 'src/zz/last.ts']) expect(read(root, f)).toBe(files[f as keyof typeof files]);
    const again = runCli(['fix', root, '--no-cache', '--phase', 'consumers', '--allow-dirty']);
    expect(again.stdout).toContain(`removed 3 temp files left by an earlier run that was killed: ${left.join(', ')}`);
    expect(again.code).toBe(0);
    expect(temps(root)).toEqual([]);
    expect(git('status', '--porcelain')).toBe(' M src/app/first.ts\n M src/app/second.ts\n M src/zz/last.ts\n');
  });

  it('a temp file of a live process is kept', () => {
    const { root } = gitRepo(files);
    const live = path.join(root, 'src/app', `.first.ts.ssot-${process.pid}.tmp`);
    writeFileSync(live, 'another run is writing this');
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers', '--allow-dirty']);
    expect(r.code).toBe(0);
    expect(existsSync(live)).toBe(true);
  });
});
