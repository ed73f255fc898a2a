import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempProject } from './helpers/temp-project.js';
import { removeStaleTemps, tempName, writeAtomic, writeTemp } from '../src/write-atomic.js';

/** Issue #20, item 5: the one helper that replaces files (cache, shard facts, baseline, init's config, reports, fix). */
const mode = (file: string): number => statSync(file).mode & 0o7777;
const asRoot = process.getuid?.() === 0;

describe('writeAtomic', () => {
  it('writes text, bytes and chunks, creating the folder, and leaves no temp file', () => {
    const root = tempProject({});
    writeAtomic(path.join(root, 'out/report.txt'), 'text\n');
    writeAtomic(path.join(root, 'out/code-cache.bin'), Buffer.from([0, 1, 2, 255]));
    writeAtomic(path.join(root, 'out/facts-0.json'), (write) => {
      write('{"header":1}');
      write('\n["a.ts","h",1]\n');
    });
    expect(readFileSync(path.join(root, 'out/report.txt'), 'utf8')).toBe('text\n');
    expect([...readFileSync(path.join(root, 'out/code-cache.bin'))]).toEqual([0, 1, 2, 255]);
    expect(readFileSync(path.join(root, 'out/facts-0.json'), 'utf8')).toBe('{"header":1}\n["a.ts","h",1]\n');
    expect(readdirSync(path.join(root, 'out')).sort()).toEqual(['code-cache.bin', 'facts-0.json', 'report.txt']);
  });

  it('replaces an existing file and keeps its mode; a new file gets the mode writeFileSync gives; `mode` overrides both', () => {
    const root = tempProject({ 'kept.json': 'old', 'forced.json': 'old' });
    chmodSync(path.join(root, 'kept.json'), 0o640);
    writeAtomic(path.join(root, 'kept.json'), 'new');
    expect(readFileSync(path.join(root, 'kept.json'), 'utf8')).toBe('new');
    expect(mode(path.join(root, 'kept.json'))).toBe(0o640);

    writeAtomic(path.join(root, 'fresh.json'), 'new');
    writeFileSync(path.join(root, 'plain.json'), 'new');
    expect(mode(path.join(root, 'fresh.json'))).toBe(mode(path.join(root, 'plain.json')));

    writeAtomic(path.join(root, 'forced.json'), 'new', { mode: 0o600 });
    expect(mode(path.join(root, 'forced.json'))).toBe(0o600);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a link at the path with a file, never writing through it', () => {
    const root = tempProject({ 'elsewhere/secret.txt': 'untouched' });
    symlinkSync(path.join(root, 'elsewhere/secret.txt'), path.join(root, 'link.txt'));
    writeAtomic(path.join(root, 'link.txt'), 'new');
    expect(lstatSync(path.join(root, 'link.txt')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(root, 'link.txt'), 'utf8')).toBe('new');
    expect(readFileSync(path.join(root, 'elsewhere/secret.txt'), 'utf8')).toBe('untouched');
  });

  it('a rename that fails (a folder at the path) throws, removes the temp file and leaves the folder as it was', () => {
    const root = tempProject({ 'baseline.json/inside.txt': 'kept' });
    expect(() => writeAtomic(path.join(root, 'baseline.json'), 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(root)).toEqual(['baseline.json']);
    expect(readFileSync(path.join(root, 'baseline.json/inside.txt'), 'utf8')).toBe('kept');
  });

  it('a write that fails half-way throws, removes the temp file and leaves the old content', () => {
    const root = tempProject({ 'cache/resolve.json': 'old' });
    const failing = (write: (chunk: string) => void): void => {
      write('half of it');
      throw new Error('serialization failed');
    };
    expect(() => writeAtomic(path.join(root, 'cache/resolve.json'), failing)).toThrow('serialization failed');
    expect(readFileSync(path.join(root, 'cache/resolve.json'), 'utf8')).toBe('old');
    expect(readdirSync(path.join(root, 'cache'))).toEqual(['resolve.json']);
  });

  // Root ignores permissions: as root the write runs in a child process as `nobody` (setpriv), on the built module.
  it('in a read-only folder: throws and leaves the old content (as root: as nobody, through setpriv)', () => {
    const root = tempProject({ 'locked/config.json': 'old' });
    chmodSync(root, 0o755);
    chmodSync(path.join(root, 'locked/config.json'), 0o644);
    chmodSync(path.join(root, 'locked'), 0o555);
    try {
      if (asRoot) {
        const script = `import('${pathToFileURL(path.resolve('dist/write-atomic.js')).href}').then(({ writeAtomic }) => { const before = require('node:fs').readFileSync(process.argv[1], 'utf8'); try { writeAtomic(process.argv[1], 'new'); console.log(before + ' written'); } catch (e) { console.log(before + ' ' + e.code); } })`;
        const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script, path.join(root, 'locked/config.json')], { encoding: 'utf8' });
        expect(r.error, 'setpriv is needed to test permissions as root').toBeUndefined();
        // `old` first: nobody reaches and reads the file, so the EACCES is the read-only folder's.
        expect(r.stdout.trim()).toBe('old EACCES');
      } else {
        expect(() => writeAtomic(path.join(root, 'locked/config.json'), 'new')).toThrow(/EACCES/);
      }
      expect(readFileSync(path.join(root, 'locked/config.json'), 'utf8')).toBe('old');
      expect(readdirSync(path.join(root, 'locked'))).toEqual(['config.json']);
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});

describe('tempName and writeTemp', () => {
  it('names a fresh temp file beside the target: pid and a random part', () => {
    const file = path.join('/repo/src', 'app.ts');
    const a = tempName(file);
    expect(path.dirname(a)).toBe('/repo/src');
    expect(path.basename(a)).toMatch(new RegExp(`^\\.app\\.ts\\.ssot-${process.pid}-[0-9a-f]{8}\\.tmp$`));
    expect(tempName(file)).not.toBe(a);
  });

  it('never writes through a file or link already at the temp name, and leaves it there', () => {
    const root = tempProject({ 'victim.txt': 'untouched' });
    const tmp = tempName(path.join(root, 'app.ts'));
    symlinkSync(path.join(root, 'victim.txt'), tmp);
    expect(() => writeTemp(tmp, 'planted?')).toThrow(/EEXIST/);
    expect(readFileSync(path.join(root, 'victim.txt'), 'utf8')).toBe('untouched');
    expect(lstatSync(tmp).isSymbolicLink()).toBe(true);
  });
});

describe('removeStaleTemps', () => {
  it('removes the temp files of a process that is gone (with or without the random part), keeps a live one and other files', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const root = tempProject({
      [`.a.ts.ssot-${dead}-0123abcd.tmp`]: 'left by a killed run',
      [`.b.ts.ssot-${dead}.tmp`]: 'left by an older version',
      [`.c.ts.ssot-${process.pid}-89abcdef.tmp`]: 'being written',
      'c.ts': 'source',
      '.d.ts.tmp': 'not ours',
    });
    mkdirSync(path.join(root, `.e.ssot-${dead}.tmp`));
    const removed = removeStaleTemps([root, path.join(root, 'missing')]);
    expect(removed.map((f) => path.basename(f)).sort()).toEqual([`.a.ts.ssot-${dead}-0123abcd.tmp`, `.b.ts.ssot-${dead}.tmp`]);
    expect(readdirSync(root).sort()).toEqual(['.c.ts.ssot-' + process.pid + '-89abcdef.tmp', '.d.ts.tmp', `.e.ssot-${dead}.tmp`, 'c.ts'].sort());
  });
});
