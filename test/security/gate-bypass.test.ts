import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { writeFiles } from '../helpers/temp-project.js';

/**
 * Issue 15, item 3: a legacy import in a file that also holds a NUL byte or one Latin-1 byte in a
 * comment, or in a file over 2 MB, was skipped and `ssot check --strict` exited 0, although tsc
 * compiles those files. The built binary is run on a real git repository with a baseline.
 */
function repo(): string {
  const { root } = gitRepo({
    'ssot.config.json': { include: ['src/**/*.ts'], groups: [{ name: 'tools', ssot: { module: 'src/new-tools.ts', export: 'Tools' }, legacy: [{ module: 'src/old-tools.ts', renames: { OldTools: 'Tools' } }] }] },
    'src/new-tools.ts': 'export class Tools { run(): void {} }\n',
    'src/old-tools.ts': 'export class OldTools { run(): void {} }\n',
    'src/clean.ts': 'export const ok = 1;\n',
  });
  expect(runCli(['baseline', root, '-q']).code).toBe(0);
  expect(runCli(['check', root, '--strict', '-q']).code).toBe(0);
  return root;
}

const legacyImport = (comment: Buffer): Buffer =>
  Buffer.concat([Buffer.from("import { OldTools } from './old-tools';\n// "), comment, Buffer.from('\nexport const tools = new OldTools();\n')]);

describe('no gate bypass through bytes the reader skipped (issue 15, item 3)', () => {
  it.each([
    ['a NUL byte in a comment', Buffer.from('nul \u0000 here')],
    ['a Latin-1 byte in a comment', Buffer.from('caf\xe9', 'latin1')],
  ])('finds a legacy import in a file with %s, at the right column', (_, comment) => {
    const root = repo();
    writeFiles(root, { 'src/consumer.ts': legacyImport(comment) });
    const r = runCli(['check', root, '--strict', '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as { ruleId: string; file: string; line: number; column: number }[];
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`)).toEqual(['legacy-import src/consumer.ts:1:26']);
  });

  it('fails on a file over 2 MB with a skipped-file finding naming it', () => {
    const root = repo();
    writeFiles(root, { 'src/consumer.ts': Buffer.concat([legacyImport(Buffer.from('big')), Buffer.alloc(2 * 1024 * 1024, 0x20), Buffer.from('\n')]) });
    const r = runCli(['check', root, '--strict', '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as { ruleId: string; file: string; line: number; column: number; data: { reason: string } }[];
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.data.reason}`)).toEqual(['skipped-file src/consumer.ts:1:1 too-large']);
    const text = runCli(['check', root]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('src/consumer.ts');
    expect(text.stdout).toContain('skipped-file');
  });
});

describe('ssot fix and files it could not analyse (issue 15, item 3)', () => {
  it('keeps a legacy module whose only consumer was skipped (before: removed, breaking that file)', () => {
    const { root, commit } = gitRepo({
      'ssot.config.json': { include: ['src/**/*.ts'], groups: [{ name: 'tools', ssot: { module: 'src/new-tools.ts', export: 'Tools' }, legacy: ['src/old-tools.ts'] }] },
      'src/new-tools.ts': 'export class Tools { run(): void {} }\n',
      'src/old-tools.ts': 'export class OldTools { run(): void {} }\n',
    });
    writeFiles(root, { 'src/big.ts': Buffer.concat([legacyImport(Buffer.from('big')), Buffer.alloc(2 * 1024 * 1024, 0x20), Buffer.from('\n')]) });
    commit('a consumer over 2 MB');
    const r = runCli(['fix', root, '--no-cache']);
    expect(r.stdout).toContain('src/old-tools.ts:1:1 fix skipped: kept: src/big.ts was not analysed and may still import it');
    expect(r.stdout).toMatch(/0 modules removed/);
    expect(existsSync(path.join(root, 'src/old-tools.ts'))).toBe(true);
  });

  it('never rewrites a file that is not valid UTF-8 (its other bytes would change), and says so with exit 1', () => {
    const latin = legacyImport(Buffer.from('caf\xe9', 'latin1'));
    const { root, git } = gitRepo({
      'ssot.config.json': { include: ['src/**/*.ts'], groups: [{ name: 'tools', ssot: { module: 'src/new-tools.ts', export: 'Tools' }, legacy: [{ module: 'src/old-tools.ts', renames: { OldTools: 'Tools' } }] }] },
      'src/new-tools.ts': 'export class Tools { run(): void {} }\n',
      'src/old-tools.ts': 'export class OldTools { run(): void {} }\n',
      'src/latin.ts': latin.toString('latin1'),
    });
    writeFiles(root, { 'src/latin.ts': latin });
    git('commit', '-qam', 'latin-1 bytes');
    const r = runCli(['fix', root, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/latin.ts:1:26 legacy-import skipped: not rewritten: the file is not valid UTF-8');
    expect(readFileSync(path.join(root, 'src/latin.ts')).equals(latin)).toBe(true);
    expect(existsSync(path.join(root, 'src/old-tools.ts'))).toBe(true);
  });
});
