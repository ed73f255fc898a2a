import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The head start's oxc workers take some files; TypeScript (the main thread and the TypeScript workers the
 * head start then starts) parses the rest, a subset of the jobs, on the same counter.
 * Every callback must still name the right job: `onFacts` and `onJson` with the facts of that very
 * file. Run on the built modules (workers load dist/scan/extract-worker.js) in a child process, with
 * the jobs' sizes inflated past OXC_AUTO_MAX_BYTES so that TypeScript parses what is left.
 */
describe('extraction with a head start, then TypeScript', () => {
  it('hands every callback the index of the job whose facts it carries', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ssot-head-start-unit-'));
    const dist = (p: string) => pathToFileURL(path.resolve('dist/scan', p)).href;
    const script = path.join(dir, 'run.mjs');
    writeFileSync(
      script,
      `import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extractAll, HANDOFF_SLOT, OxcHeadStart, OXC_AUTO_MAX_BYTES } from ${JSON.stringify(dist('extract-parallel.js'))};
import { extractFacts } from ${JSON.stringify(dist('extract-facts.js'))};
const files = [];
const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else if (e.name.endsWith('.ts')) files.push(p); } };
walk(${JSON.stringify(path.resolve('fixtures/legacy-app/src'))});
files.sort();
const head = new OxcHeadStart(files, 1);
while (Atomics.load(head.shared, 1) < 20) await new Promise((r) => setTimeout(r, 1));
// The oxc worker stops taking files, as when a TypeScript worker has loaded the compiler: on a fixture this
// small it would otherwise take every file before TypeScript is loaded.
Atomics.store(head.shared, HANDOFF_SLOT, 1);
await new Promise((r) => setTimeout(r, 50));
const early = Atomics.load(head.shared, 1);
// Every listed file but the first is a job: job indices are listing indices minus one.
const jobs = files.slice(1).map((abs) => ({ abs, size: OXC_AUTO_MAX_BYTES }));
const facts = new Map(), json = new Map();
const results = await extractAll(jobs, { threads: 2, headStart: head, onFacts: (i, f) => facts.set(i, f), onJson: (i, j) => json.set(i, j) });
let bad = 0;
jobs.forEach((job, i) => {
  const want = JSON.stringify(extractFacts(job.abs, readFileSync(job.abs, 'utf8')));
  if (JSON.stringify(results[i]) !== want || JSON.stringify(facts.get(i)) !== want || (json.has(i) && json.get(i) !== want)) bad++;
});
console.log(JSON.stringify({ jobs: jobs.length, early, facts: facts.size, json: json.size, bad }));
`,
    );
    try {
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, SSOT_EXTRACTOR: 'auto' } });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { jobs: number; early: number; facts: number; json: number; bad: number };
      expect(out.jobs).toBeGreaterThan(100);
      // Some files, not all, went to the head start: TypeScript parsed a proper subset.
      expect(out.early).toBeGreaterThan(1);
      expect(out.early).toBeLessThan(out.jobs);
      expect(out.facts).toBe(out.jobs);
      expect(out.json).toBeGreaterThan(0);
      expect(out.bad).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
