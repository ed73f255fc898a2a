import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

/**
 * Neither the extractor nor worker threads may change a single finding: the built binary on the
 * bundled fixture, TypeScript on one thread as the reference, against TypeScript's workers, oxc on
 * one thread and oxc's workers (each forced past its size threshold).
 */
describe('parallel extraction', () => {
  const fixture = path.resolve('fixtures/legacy-app');
  const strip = (out: string) => {
    const r = JSON.parse(out);
    return { findings: r.findings, groups: r.groups, coverage: r.coverage };
  };
  const run = (threads: string, env: Record<string, string>) => runCli(['scan', fixture, '--format', 'json', '--no-cache', '--threads', threads], process.cwd(), env);
  const reference = run('1', { SSOT_EXTRACTOR: 'typescript' });

  it.each([
    ['TypeScript in workers', '2', { SSOT_EXTRACTOR: 'typescript', SSOT_PARALLEL_MIN_BYTES: '0', SSOT_TIMING: '1' }],
    ['oxc on the main thread', '1', { SSOT_EXTRACTOR: 'oxc' }],
    ['oxc in workers', '2', { SSOT_EXTRACTOR: 'oxc', SSOT_OXC_PARALLEL_MIN_BYTES: '0', SSOT_TIMING: '1' }],
    ['the default extractor', '2', { SSOT_EXTRACTOR: 'auto' }],
    // (The extractor set explicitly: CI runs the suite a second time with SSOT_EXTRACTOR=check, which has no head start.)
    ['oxc workers started before hashing', '2', { SSOT_EXTRACTOR: 'auto', SSOT_HEAD_START_MIN_FILES: '0', SSOT_TIMING: '1' }],
    ['TypeScript after oxc workers started before hashing', '2', { SSOT_EXTRACTOR: 'auto', SSOT_HEAD_START_MIN_FILES: '0', SSOT_PARALLEL_MIN_BYTES: '0', SSOT_TIMING: '1' }],
  ] as const)('gives the same report as TypeScript on one thread: %s', (_name, threads, env) => {
    expect(reference.code).toBe(1);
    const other = run(threads, env);
    expect(other.code, other.stderr).toBe(1);
    // The timing marks show the worker path was taken.
    if ('SSOT_TIMING' in env) expect(other.stderr).toContain('main thread share extracted');
    if ('SSOT_HEAD_START_MIN_FILES' in env) expect(other.stderr).toContain('oxc head start');
    // Past OXC_AUTO_MAX_BYTES (here 0), TypeScript's workers start while the main thread still hashes.
    if ('SSOT_HEAD_START_MIN_FILES' in env && 'SSOT_PARALLEL_MIN_BYTES' in env) {
      expect(other.stderr.indexOf('TypeScript workers started')).toBeGreaterThan(other.stderr.indexOf('oxc head start'));
      expect(other.stderr.indexOf('TypeScript workers started')).toBeLessThan(other.stderr.indexOf('hashed'));
    }
    expect(strip(other.stdout)).toEqual(strip(reference.stdout));
  });

  it('writes the facts oxc workers send as JSON into the facts cache as they are: a later run reads them back', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'ssot-parallel-cache-'));
    try {
      const args = ['scan', fixture, '--format', 'json', '--cache-location', cache];
      const cold = runCli([...args, '--threads', '2'], process.cwd(), { SSOT_EXTRACTOR: 'oxc', SSOT_OXC_PARALLEL_MIN_BYTES: '0' });
      expect(strip(cold.stdout)).toEqual(strip(reference.stdout));
      let entries = 0;
      for (const name of readdirSync(cache).filter((n) => n.startsWith('facts-'))) {
        for (const line of readFileSync(path.join(cache, name), 'utf8').split('\n').slice(1)) {
          if (!line) continue;
          const [rel, hash, facts] = JSON.parse(line) as [string, string, { refs: unknown[] }];
          expect(typeof rel === 'string' && typeof hash === 'string' && Array.isArray(facts.refs)).toBe(true);
          entries++;
        }
      }
      expect(entries).toBe(JSON.parse(reference.stdout).coverage.parsed);
      // Every file's facts from that cache (without the stored result, which an unchanged re-run would reuse whole).
      for (const name of readdirSync(cache).filter((n) => n.startsWith('result-'))) rmSync(path.join(cache, name));
      const warm = runCli([...args, '--threads', '1'], process.cwd(), { SSOT_EXTRACTOR: 'typescript', SSOT_TIMING: '1' });
      expect({ ...strip(warm.stdout), coverage: undefined }).toEqual({ ...strip(reference.stdout), coverage: undefined });
      expect(warm.stderr).toMatch(/facts from cache: (\d+)/);
      expect(Number(/facts from cache: (\d+)/.exec(warm.stderr)![1])).toBe(entries);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('maps what oxc workers started before hashing extracted onto the files that need it, past skipped files', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ssot-head-start-'));
    try {
      cpSync(fixture, root, { recursive: true });
      // Listed first, skipped by the main thread: every later file's job index differs from its listing index.
      writeFileSync(path.join(root, 'src', '000-binary.ts'), Buffer.from([0x65, 0x78, 0, 0, 0, 0x70]));
      const args = ['scan', root, '--format', 'json', '--no-cache', '--threads', '2'];
      const ts = runCli(args, process.cwd(), { SSOT_EXTRACTOR: 'typescript' });
      expect(JSON.parse(ts.stdout).coverage.skipped).toEqual([{ file: 'src/000-binary.ts', reason: 'binary', detail: 'binary content (NUL and control bytes)' }]);
      for (const env of [{}, { SSOT_PARALLEL_MIN_BYTES: '0' }] as Record<string, string>[]) {
        const early = runCli(args, process.cwd(), { ...env, SSOT_EXTRACTOR: 'auto', SSOT_HEAD_START_MIN_FILES: '0', SSOT_TIMING: '1' });
        expect(early.stderr).toContain('oxc head start');
        expect(strip(early.stdout)).toEqual(strip(ts.stdout));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
