import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/temp-project.js';

/**
 * Issue 15, item 1: the compiler's V8 code cache is bytecode V8 runs as it is (it checks only the
 * source's length). Another local user who can write where the cache is read runs code in our process.
 * Here `nobody` plants cached data for a same-length script that writes a marker when run as root, at
 * every place the cache was or is looked for; the scan must not run it.
 */
const require = createRequire(import.meta.url);
const compilerFile = require.resolve('typescript-6/lib/typescript.js');
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const canSwitchUser = process.getuid?.() === 0 && !!setpriv;

const ATTACKER = `
const fs = require('fs'), vm = require('vm'), path = require('path'), crypto = require('crypto');
const [tsFile, shared, marker] = process.argv.slice(2);
const bytes = fs.readFileSync(tsFile);
const source = bytes.toString('latin1');
let payload = "if (process.getuid() === 0) require('fs').writeFileSync(" + JSON.stringify(marker) + ", 'ran as ' + process.getuid());";
payload += ' '.repeat(source.length - payload.length);
const script = new vm.Script('(function (exports, require, module, __filename, __dirname) {' + payload + '\\n})', { filename: tsFile });
script.runInThisContext()({}, require, { exports: {} }, tsFile, path.dirname(tsFile));
const data = script.createCachedData();
const key = crypto.createHash('sha1').update(tsFile).update('\\0').update(bytes).digest('hex').slice(0, 32);
const v8 = process.versions.v8;
// The old location (keyed by V8 version and length) and the new one (a per-user folder keyed by content).
const places = [
  path.join(shared, 'ssot-kit-code-cache', 'typescript-' + v8 + '-' + source.length + '.bin'),
  path.join(shared, 'ssot-kit-code-cache-0', 'typescript-' + v8 + '-' + key + '.bin'),
];
for (const p of places) {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.chmodSync(path.dirname(p), 0o777);
  fs.writeFileSync(p, data);
  fs.chmodSync(p, 0o666);
}
`;

const shared: string[] = [];
afterAll(() => {
  for (const dir of shared) rmSync(dir, { recursive: true, force: true });
});

function sharedTmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ssot-shared-tmp-'));
  chmodSync(dir, 0o1777); // like /tmp: everyone may create entries
  shared.push(dir);
  return dir;
}

const project = (): string =>
  tempProject({ 'src/app.ts': "import { helper } from './helper';\nexport const x = helper();\n", 'src/helper.ts': 'export function helper(): number { return 1; }\n' });

describe('the compiler code cache (issue 15, item 1)', () => {
  it.skipIf(!canSwitchUser)('does not run bytecode another user planted (needs root and setpriv to act as `nobody`)', () => {
    const tmp = sharedTmp();
    const marker = path.join(tmp, 'marker');
    const script = path.join(tmp, 'attacker.cjs');
    writeFileSync(script, ATTACKER);
    chmodSync(script, 0o644);
    execFileSync(setpriv!, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, script, compilerFile, tmp, marker]);
    expect(readdirSync(tmp).filter((n) => n.startsWith('ssot-kit-code-cache'))).toHaveLength(2);
    const r = runCli(['scan', project(), '--no-cache', '--format', 'json'], process.cwd(), { TMPDIR: tmp });
    expect(existsSync(marker)).toBe(false);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).coverage.parsed).toBe(2);
  });

  it('keeps its own cache private (0700 folder, 0600 file) and reuses it', () => {
    const tmp = sharedTmp();
    const root = project();
    const first = runCli(['scan', root, '--no-cache', '-q'], process.cwd(), { TMPDIR: tmp });
    expect(first.code).toBe(0);
    const dir = path.join(tmp, `ssot-kit-code-cache-${process.getuid!()}`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^typescript-.+-[0-9a-f]{32}\.bin$/);
    expect(statSync(path.join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    const second = runCli(['scan', root, '--no-cache', '-q'], process.cwd(), { TMPDIR: tmp });
    expect(second.code).toBe(0);
    expect(readdirSync(dir)).toEqual(files);
  });

  it('uses no cache in a folder others can write, or through a link', () => {
    const tmp = sharedTmp();
    const dir = path.join(tmp, `ssot-kit-code-cache-${process.getuid!()}`);
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(runCli(['scan', project(), '--no-cache', '-q'], process.cwd(), { TMPDIR: tmp }).code).toBe(0);
    expect(readdirSync(dir)).toEqual([]); // nothing written where others could swap it
    const elsewhere = sharedTmp();
    const linked = path.join(sharedTmp(), 'cache-link');
    execFileSync('ln', ['-s', elsewhere, linked]);
    expect(runCli(['scan', project(), '--no-cache', '-q'], process.cwd(), { SSOT_CODE_CACHE: linked }).code).toBe(0);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
