import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanCache } from '../src/scan/scan-cache.js';
import type { FileFacts } from '../src/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cacheDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ssot-cache-unit-'));
  dirs.push(d);
  return d;
}

const facts = (n: number): FileFacts => ({
  refs: [],
  exports: [{ name: `e${n}`, typeOnly: false, loc: { line: n, column: 1, endLine: n, endColumn: 2 } }],
  starExports: [],
  decls: [],
  uses: [],
  state: [],
  units: [],
  typeOnlyUses: [],
});

/** Paths whose JSON form has escapes, or characters that need none, besides plain ones. */
const paths = ['src/a.ts', 'src/quote"d.ts', 'src/back\\slash.ts', 'src/tab\there.ts', 'src/ünïcode-名前.ts', 'src/ends-with-backslash\\', 'constructor', '__proto__'];

describe('the facts and resolution caches', () => {
  it('reads back every path, escapes included, and a run that asks for one entry writes the others back unchanged', () => {
    const dir = cacheDir();
    const first = new ScanCache(dir);
    paths.forEach((rel, i) => {
      first.setFacts(rel, `h${i}`, facts(i));
      first.setTargets(rel, `h${i}`, [`target-${i}`, 0, `!pkg${i}`]);
    });
    first.setEnvironment('env');
    first.save();
    const shardsBefore = Object.fromEntries(readdirSync(dir).filter((f) => f.startsWith('facts-')).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));

    // A partial run (as a warm edit is) asks for one file's facts, and for another's previous facts before changing them.
    const partial = new ScanCache(dir);
    partial.complete = false;
    expect(partial.getFacts('src/quote"d.ts', 'h1')).toEqual(facts(1));
    expect(partial.previousFacts('src/a.ts')?.[0]).toBe('h0');
    partial.setFacts('src/a.ts', 'h0-new', facts(100));
    partial.save();

    const again = new ScanCache(dir);
    again.setEnvironment('env');
    paths.forEach((rel, i) => {
      expect(again.getFacts(rel, rel === 'src/a.ts' ? 'h0-new' : `h${i}`), rel).toEqual(rel === 'src/a.ts' ? facts(100) : facts(i));
      expect(again.previousFacts(rel)?.[0]).toBe(rel === 'src/a.ts' ? 'h0-new' : `h${i}`);
      expect(again.getTargets(rel, `h${i}`), rel).toEqual([`target-${i}`, 0, `!pkg${i}`]);
    });
    expect(again.getFacts('src/a.ts', 'h0')).toBeUndefined();
    expect(again.getFacts('src/missing.ts', 'h0')).toBeUndefined();
    expect(again.getFacts('toString', 'h0')).toBeUndefined();

    // Shards the partial run did not touch are byte for byte what the first run wrote.
    const touched = new Set(readdirSync(dir).filter((f) => f.startsWith('facts-') && readFileSync(path.join(dir, f), 'utf8') !== shardsBefore[f]));
    expect(touched.size).toBe(1);
    for (const [f, text] of Object.entries(shardsBefore)) if (!touched.has(f)) expect(readFileSync(path.join(dir, f), 'utf8')).toBe(text);
  });
});
