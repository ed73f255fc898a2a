import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

/**
 * Worker threads may not change a single finding: the built binary on the bundled fixture, on one
 * thread as the reference, against the main thread and a worker (forced past the size threshold).
 */
describe('parallel extraction', () => {
  const fixture = path.resolve('fixtures/legacy-app');
  const strip = (out: string) => {
    const r = JSON.parse(out);
    return { findings: r.findings, groups: r.groups, coverage: r.coverage };
  };
  const run = (threads: string, env: Record<string, string>) => runCli(['scan', fixture, '--format', 'json', '--no-cache', '--threads', threads], process.cwd(), env);
  const reference = run('1', {});

  it('gives the same report in workers as on one thread', () => {
    expect(reference.code).toBe(1);
    const other = run('2', { SSOT_PARALLEL_MIN_BYTES: '0', SSOT_TIMING: '1' });
    expect(other.code, other.stderr).toBe(1);
    // The timing mark shows the worker path was taken.
    expect(other.stderr).toContain('main thread share extracted');
    expect(strip(other.stdout)).toEqual(strip(reference.stdout));
  });

  it('writes the facts workers send as JSON into the facts cache as they are: a later run reads them back', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'ssot-parallel-cache-'));
    try {
      const args = ['scan', fixture, '--format', 'json', '--cache-location', cache];
      const cold = runCli([...args, '--threads', '2'], process.cwd(), { SSOT_PARALLEL_MIN_BYTES: '0' });
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
      const warm = runCli([...args, '--threads', '1'], process.cwd(), { SSOT_TIMING: '1' });
      expect({ ...strip(warm.stdout), coverage: undefined }).toEqual({ ...strip(reference.stdout), coverage: undefined });
      expect(warm.stderr).toMatch(/facts from cache: (\d+)/);
      expect(Number(/facts from cache: (\d+)/.exec(warm.stderr)![1])).toBe(entries);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('maps what workers extracted onto the right files, past a skipped file', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ssot-parallel-skip-'));
    try {
      cpSync(fixture, root, { recursive: true });
      // Listed first, skipped: every later file's job index differs from its listing index.
      writeFileSync(path.join(root, 'src', '000-binary.ts'), Buffer.from([0x65, 0x78, 0, 0, 0, 0x70]));
      const args = ['scan', root, '--format', 'json', '--no-cache'];
      const one = runCli([...args, '--threads', '1'], process.cwd(), {});
      expect(JSON.parse(one.stdout).coverage.skipped).toEqual([{ file: 'src/000-binary.ts', reason: 'binary', detail: 'binary content (NUL and control bytes)' }]);
      const two = runCli([...args, '--threads', '2'], process.cwd(), { SSOT_PARALLEL_MIN_BYTES: '0', SSOT_TIMING: '1' });
      expect(two.stderr).toContain('main thread share extracted');
      expect(strip(two.stdout)).toEqual(strip(one.stdout));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
