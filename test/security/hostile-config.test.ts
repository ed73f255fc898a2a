import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject, writeFiles } from '../helpers/temp-project.js';

/**
 * Issue 15, item 6: `"tsconfig": "../../../etc/shadow"` put that file's first bytes and its absolute
 * path into a finding, and legacy or SSOT modules outside the repository were accepted. A secret file
 * outside the repository stands for /etc/shadow; no output may hold its bytes or its path.
 */
const SECRET = 'TOPSECRET:$6$hash:19000:0:99999:7:::';

function setup(): { root: string; secret: string } {
  const outside = tempProject({ 'shadow': SECRET, 'legacy.ts': 'export class Legacy {}\n' }, 'ssot-outside-');
  const { root } = gitRepo({ 'src/app.ts': "import { helper } from './helper';\nexport const app = helper();\n", 'src/helper.ts': 'export function helper(): number { return 1; }\n' });
  return { root, secret: path.join(outside, 'shadow') };
}

function expectRefused(root: string, key: string): void {
  const r = runCli(['scan', root, '--format', 'json']);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`ssot.config.json: ${key}:`);
  expect(r.stderr).toContain('is outside the repository');
  expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
  expect(r.stderr + r.stdout).not.toContain('TOPSECRET');
}

describe('config paths stay inside the repository (issue 15, item 6)', () => {
  it('refuses a tsconfig outside it, naming the key, never the file\'s bytes', () => {
    const { root, secret } = setup();
    writeFiles(root, { 'ssot.config.json': { tsconfig: path.relative(root, secret) } });
    expectRefused(root, 'tsconfig');
  });

  it('refuses SSOT, factory and legacy modules outside it, also through a link inside that points out', () => {
    const { root, secret } = setup();
    const legacy = path.join(path.dirname(secret), 'legacy.ts');
    writeFiles(root, { 'ssot.config.json': { groups: [{ name: 'g', ssot: { module: 'src/helper.ts' }, legacy: [path.relative(root, legacy)] }] } });
    expectRefused(root, 'groups[0].legacy[0]');
    writeFiles(root, { 'ssot.config.json': { groups: [{ name: 'g', ssot: { module: path.relative(root, legacy) } }] } });
    expectRefused(root, 'groups[0].ssot.module');
    writeFiles(root, { 'ssot.config.json': { groups: [{ name: 'g', ssot: { module: 'src/helper.ts', factoryModule: legacy } }] } });
    expectRefused(root, 'groups[0].ssot.factoryModule');
    symlinkSync(path.dirname(secret), path.join(root, 'src', 'vendor'));
    writeFiles(root, { 'ssot.config.json': { groups: [{ name: 'g', ssot: { module: 'src/vendor/legacy.ts' } }] } });
    expectRefused(root, 'groups[0].ssot.module');
  });

  it('accepts paths in the repository above the scanned folder (a config of the repository, scanning a package)', () => {
    const { root } = setup();
    writeFiles(root, { 'packages/api/src/index.ts': 'export const api = 1;\n', 'packages/api/ssot.config.json': { groups: [{ name: 'g', ssot: { module: '../../src/helper.ts' } }] } });
    const r = runCli(['scan', path.join(root, 'packages/api'), '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('never echoes a tsconfig\'s bytes: one linked to a secret, and one of the wrong shape, are warnings with a reason', () => {
    const { root, secret } = setup();
    writeFiles(root, { 'src/app.ts': "import { x } from '@app/x';\nexport const app = x;\n" });
    symlinkSync(secret, path.join(root, 'tsconfig.json'));
    writeFiles(root, { 'src/nested/tsconfig.json': 'null', 'src/nested/b.ts': "import { y } from '@app/y';\nexport const b = y;\n" });
    const r = runCli(['scan', root, '--format', 'json']);
    expect(r.stderr + r.stdout).not.toContain('TOPSECRET');
    expect(r.stdout).not.toContain(path.dirname(secret));
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; message: string; severity: string }[] }).findings;
    expect(findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}`)).toEqual(['parse-error warning src/nested/tsconfig.json', 'parse-error warning tsconfig.json']);
    expect(findings[0]!.message).toContain('not of the shape TypeScript reads');
    expect(findings[1]!.message).toContain('not valid JSON');
    writeFileSync(path.join(root, 'ssot.config.json'), `{ "rules": ${SECRET} }`);
    const bad = runCli(['scan', root]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ssot\.config\.json: not valid JSON at line 1, column \d+/);
    expect(bad.stderr).not.toContain('TOPSECRET');
  });
});
