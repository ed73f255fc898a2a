import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

/** Worker threads must not change a single finding: the built binary, forced onto the worker path. */
describe('parallel extraction', () => {
  it('gives the same report as one thread', () => {
    const fixture = path.resolve('fixtures/legacy-app');
    const one = runCli(['scan', fixture, '--format', 'json', '--no-cache', '--threads', '1']);
    const two = runCli(['scan', fixture, '--format', 'json', '--no-cache', '--threads', '2'], process.cwd(), { SSOT_PARALLEL_MIN_BYTES: '0' });
    expect(two.code).toBe(1);
    const strip = (out: string) => {
      const r = JSON.parse(out);
      return { findings: r.findings, groups: r.groups, coverage: r.coverage };
    };
    expect(strip(two.stdout)).toEqual(strip(one.stdout));
  });
});
