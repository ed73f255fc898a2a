import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listFiles, type ListingCache } from '../src/scan/list-files.js';

/** A listing cache as a later run sees it: written long enough ago that no folder is in the racy window. */
function aged(cache: ListingCache | undefined): ListingCache | undefined {
  return cache && { ...cache, savedAt: cache.savedAt + 60_000 };
}

const FOLDERS = ['', 'src', 'src/lib', 'src/lib/deep', 'src/gen', 'pkg/a', 'pkg/a/src', 'node_modules/x', 'constructor', '__proto__'];
const NAMES = ['index.ts', 'util.ts', 'types.d.ts', 'view.tsx', 'notes.md', 'package.json', 'tsconfig.json', 'legacy.ts'];
const IGNORES = ['', 'gen/\n', '*.tsx\n', 'legacy.ts\n', 'deep\n', '!keep.ts\nlib/\n'];

type Op = { kind: 'write'; folder: string; name: string } | { kind: 'remove'; folder: string; name: string } | { kind: 'ignore'; folder: string; rules: string } | { kind: 'unignore'; folder: string } | { kind: 'rmdir'; folder: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), folder: fc.constantFrom(...FOLDERS), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant('remove' as const), folder: fc.constantFrom(...FOLDERS), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant('ignore' as const), folder: fc.constantFrom(...FOLDERS), rules: fc.constantFrom(...IGNORES) }),
  fc.record({ kind: fc.constant('unignore' as const), folder: fc.constantFrom(...FOLDERS) }),
  fc.record({ kind: fc.constant('rmdir' as const), folder: fc.constantFrom(...FOLDERS.filter((f) => f)) }),
);

function apply(root: string, o: Op): void {
  const dir = path.join(root, o.folder);
  if (o.kind === 'rmdir') return rmSync(dir, { recursive: true, force: true });
  if (o.kind === 'remove') return rmSync(path.join(dir, o.name), { force: true });
  if (o.kind === 'unignore') return rmSync(path.join(dir, '.gitignore'), { force: true });
  mkdirSync(dir, { recursive: true });
  if (o.kind === 'ignore') writeFileSync(path.join(dir, '.gitignore'), o.rules);
  else writeFileSync(path.join(dir, o.name), 'export const x = 1;\n');
}

/** Every folder and .gitignore of the tree a minute older. */
function ageTree(dir: string): void {
  const past = new Date(Date.now() - 60_000);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) ageTree(path.join(dir, e.name));
    else if (e.name === '.gitignore') utimesSync(path.join(dir, e.name), past, past);
  }
  utimesSync(dir, past, past);
}

describe('listing cache', () => {
  it('lists exactly what a fresh walk lists, after any sequence of file, folder and .gitignore changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.array(op, { minLength: 1, maxLength: 6 }), (setup, changes) => {
        const root = mkdtempSync(path.join(tmpdir(), 'ssot-listing-'));
        try {
          for (const o of setup) apply(root, o);
          ageTree(root); // so that a change below always gets a new mtime, whatever the clock's granularity
          let saved: ListingCache | undefined;
          listFiles(root, {}, { save: (next) => (saved = next) });
          for (const o of changes) apply(root, o);
          const cached = listFiles(root, {}, { previous: aged(saved), save: () => {} });
          expect(cached).toEqual(listFiles(root, {}));
          // Nothing changed since: every folder comes from the cache and nothing is written.
          ageTree(root);
          const fresh = { previous: undefined as ListingCache | undefined, save: (next: ListingCache) => (fresh.previous = next) };
          listFiles(root, {}, fresh);
          let rewrites = 0;
          expect(listFiles(root, {}, { previous: aged(fresh.previous), save: () => rewrites++ })).toEqual(listFiles(root, {}));
          expect(rewrites).toBe(0);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('reads a folder again when its mtime is within two seconds of the cache, and everything when a .gitignore is edited in place', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ssot-listing-'));
    mkdirSync(path.join(root, 'src'));
    writeFileSync(path.join(root, 'src/a.ts'), '');
    writeFileSync(path.join(root, 'src/b.ts'), '');
    writeFileSync(path.join(root, '.gitignore'), 'b.ts\n');
    let saved: ListingCache | undefined;
    listFiles(root, {}, { save: (next) => (saved = next) });
    // Within two seconds of the cache a folder is not trusted: a file added now is seen.
    writeFileSync(path.join(root, 'src/c.ts'), '');
    expect(listFiles(root, {}, { previous: saved, save: () => {} }).files.map((f) => f.rel)).toEqual(['src/a.ts', 'src/c.ts']);
    ageTree(root);
    listFiles(root, {}, { save: (next) => (saved = next) });
    // Same size, edited in place: no folder's mtime moves, but the walk must not be reused.
    writeFileSync(path.join(root, '.gitignore'), 'a.ts\n');
    expect(listFiles(root, {}, { previous: aged(saved), save: () => {} }).files.map((f) => f.rel)).toEqual(['src/b.ts', 'src/c.ts']);
  });

  it('walks again when an ignore file above the scanned folder appears, changes or goes, as git reads them', () => {
    const top = mkdtempSync(path.join(tmpdir(), 'ssot-listing-'));
    mkdirSync(path.join(top, '.git/info'), { recursive: true });
    mkdirSync(path.join(top, 'pkg/src'), { recursive: true });
    for (const name of ['a.ts', 'b.ts', 'keep.ts']) writeFileSync(path.join(top, 'pkg/src', name), '');
    const root = path.join(top, 'pkg');
    const listed = (previous?: ListingCache): string[] => listFiles(root, {}, { ...(previous ? { previous: aged(previous) } : {}), save: () => {} }).files.map((f) => f.rel);
    let saved: ListingCache | undefined;
    const walk = (): void => void listFiles(root, {}, { save: (next) => (saved = next) });
    walk();
    ageTree(top);
    writeFileSync(path.join(top, '.gitignore'), 'a.ts\n');
    expect(listed(saved)).toEqual(['src/b.ts', 'src/keep.ts']);
    walk();
    writeFileSync(path.join(top, '.git/info/exclude'), 'b.ts\n');
    expect(listed(saved)).toEqual(['src/keep.ts']);
    walk();
    // A deeper .gitignore re-includes what the top one excludes: the deepest matching pattern decides.
    writeFileSync(path.join(top, '.gitignore'), '*.ts\n');
    writeFileSync(path.join(top, 'pkg/.gitignore'), '!keep.ts\n');
    expect(listed(saved)).toEqual(['src/keep.ts']);
    walk();
    rmSync(path.join(top, '.gitignore'));
    expect(listed(saved)).toEqual(['src/a.ts', 'src/keep.ts']);
    expect(listed(saved)).toEqual(listed());
  });
});
