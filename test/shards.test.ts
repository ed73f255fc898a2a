import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';
import { tempProject } from './helpers/temp-project.js';

describe('sharded facts (a CI matrix as the distributed engine)', () => {
  it('(g) three shards merged give the same findings as one full scan, without parsing again', () => {
    const fixture = path.resolve('fixtures/legacy-app');
    const out = tempProject({});
    const files = [1, 2, 3].map((i) => path.join(out, `facts-${i}.json`));
    let total = 0;
    files.forEach((file, i) => {
      const r = runCli(['scan', fixture, '--shard', `${i + 1}/3`, '--facts-out', file, '--no-cache']);
      expect(r.code).toBe(0);
      total += (JSON.parse(readFileSync(file, 'utf8')) as { files: unknown[] }).files.length;
    });
    expect(total).toBe(112);
    const merged = JSON.parse(runCli(['scan', fixture, '--facts', ...files, '--no-cache', '--format', 'json']).stdout);
    const full = JSON.parse(runCli(['scan', fixture, '--no-cache', '--format', 'json']).stdout);
    expect(merged.findings).toEqual(full.findings);
    expect(merged.groups).toEqual(full.groups);
    expect(merged.coverage).toMatchObject({ files: 112, parsed: 112, cached: 112 }); // with the hand-written src/types/runtime-shims.d.ts (issue 16)
    expect(merged.summary.byRule['import-cycle']).toBe(2);
  });

  it('rejects a bad shard and facts from elsewhere', () => {
    const fixture = path.resolve('fixtures/legacy-app');
    const bad = runCli(['scan', fixture, '--shard', '4/3', '--facts-out', '/tmp/x.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid shard "4/3"');
    const dir = tempProject({ 'facts.json': { version: 0, files: [] } });
    const old = runCli(['scan', fixture, '--facts', path.join(dir, 'facts.json'), '--no-cache']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('facts written by another version of ssot-kit');
  });
});
