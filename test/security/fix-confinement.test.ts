import { lstatSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/temp-project.js';

/**
 * Issue 15, item 2: `ssot fix` wrote outside the repository through a folder that is a symbolic link
 * to elsewhere (git status showed nothing), and replaced a symlinked file inside the root by a regular
 * file (git showed a type change).
 */
const consumer = "import { OldTools } from '../tools/old-tools';\nexport const tools = new OldTools();\n";

function repo(): ReturnType<typeof gitRepo> {
  return gitRepo({
    'ssot.config.json': {
      include: ['**/*.ts'],
      groups: [{ name: 'tools', ssot: { module: 'src/tools/new-tools.ts', export: 'Tools' }, legacy: [{ module: 'src/tools/old-tools.ts', renames: { OldTools: 'Tools' } }] }],
    },
    'src/tools/new-tools.ts': 'export class Tools { run(): void {} }\n',
    'src/tools/old-tools.ts': 'export class OldTools { run(): void {} }\n',
    'src/app/inside.ts': consumer,
  });
}

describe('ssot fix writes only inside the root (issue 15, item 2)', () => {
  it('never writes through a linked folder that leads out, reports it, exits 1', () => {
    const outside = tempProject({ 'linked.ts': consumer }, 'ssot-outside-');
    const { root, commit, git } = repo();
    symlinkSync(outside, path.join(root, 'src', 'elsewhere'));
    commit('a link to a folder elsewhere');
    const scan = runCli(['scan', root, '--format', 'json', '--no-cache']);
    expect((JSON.parse(scan.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file)).toContain('src/elsewhere/linked.ts');
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/elsewhere/linked.ts:1:26 legacy-import skipped: not written: its real path is outside the scanned root (a symbolic link leads out)');
    expect(readFileSync(path.join(outside, 'linked.ts'), 'utf8')).toBe(consumer);
    expect(readFileSync(path.join(root, 'src/app/inside.ts'), 'utf8')).toContain("from '../tools/new-tools'");
    expect(git('status', '--porcelain')).toBe(' M src/app/inside.ts\n');
  });

  it('writes a linked file inside the root through to its target, keeping the link', () => {
    const { root, commit, git } = repo();
    symlinkSync('inside.ts', path.join(root, 'src', 'app', 'alias.ts'));
    commit('a link to a file inside');
    const r = runCli(['fix', root, '--no-cache', '--phase', 'consumers']);
    expect(r.code).toBe(0);
    expect(lstatSync(path.join(root, 'src/app/alias.ts')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(root, 'src/app/alias.ts'))).toBe('inside.ts');
    expect(readFileSync(path.join(root, 'src/app/inside.ts'), 'utf8')).toContain("from '../tools/new-tools'");
    expect(git('status', '--porcelain')).toBe(' M src/app/inside.ts\n');
  });
});
