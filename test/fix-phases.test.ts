import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fix, SKIP_FAILS } from '../src/fix-api.js';
import { loadTransform, type Transform } from '../src/fix/load-transform.js';
import { definePhase, type PhaseTarget } from '../src/fix/phase-entry.js';
import { PHASES } from '../src/fix/phases.js';
import { consumers } from '../src/fix/phases/consumers.js';

/** A copy of fixtures/fix/mini-app (dry runs only: nothing is written, no git needed). */
function miniApp(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ssot-fix-phases-'));
  cpSync(path.resolve('fixtures/fix/mini-app'), root, { recursive: true });
  return root;
}

/**
 * A test-only transform registered through the table (issue 17, item 7): one entry, no change to fix().
 * It puts a notice above the imports of every file the consumers phase rewrote; its options are an object.
 */
function noticePhase(seen: unknown[]) {
  const transform: Transform = (file, _api, options) => {
    seen.push(options);
    const { notice } = options as { notice: { text: string } };
    return file.source.includes(notice.text) ? undefined : `// ${notice.text}\n${file.source}`;
  };
  return definePhase<PhaseTarget, { notice: { text: string } }>({
    phase: 'cleanup',
    transform: 'add-notice',
    effect: 'rewrite',
    select: (ctx) => [...ctx.plan.changes.values()].filter((c) => c.steps.some((s) => s.transform === 'rewrite-imports')).map((c) => ({ file: c.file, group: ctx.config.groups[0]! })),
    options: (t, ctx) => ({ notice: { text: `migrated to ${ctx.rel(t.group.ssot.module)}` } }),
    load: async () => transform,
  });
}

describe('ssot fix is planned from a table of phases', () => {
  it('runs an extra entry after the built-in ones, on the plan they left, with its options as an object', async () => {
    const root = miniApp();
    const plain = await fix({ root, dryRun: true, cache: false });
    const seen: unknown[] = [];
    const r = await fix({ root, dryRun: true, cache: false }, [...PHASES, noticePhase(seen)]);
    const noticed = r.changes.filter((c) => c.steps.some((s) => s.transform === 'add-notice')).map((c) => c.file);
    expect(noticed).toEqual(['src/consumers/flush-job.ts', 'src/consumers/result-view.ts']);
    expect(r.changes.find((c) => c.file === 'src/consumers/flush-job.ts')!.steps).toEqual([
      { phase: 'consumers', transform: 'rewrite-imports', group: 'dispatcher' },
      { phase: 'cleanup', transform: 'add-notice', group: 'dispatcher' },
    ]);
    expect(seen).toEqual(noticed.map(() => ({ notice: { text: 'migrated to src/tools/dispatcher.ts' } })));
    expect(r.diff).toContain('+// migrated to src/tools/dispatcher.ts\n');
    // Everything else is the plan without the extra phase.
    expect(r.diff.replaceAll('+// migrated to src/tools/dispatcher.ts\n', '').replace(/@@ -\d+,\d+ \+\d+,\d+ @@/g, '@@')).toBe(plain.diff.replace(/@@ -\d+,\d+ \+\d+,\d+ @@/g, '@@'));
    // An entry is skipped with the phases the run leaves out.
    const without = await fix({ root, dryRun: true, cache: false, phases: ['factories', 'consumers'] }, [...PHASES, noticePhase([])]);
    expect(without.changes.some((c) => c.steps.some((s) => s.transform === 'add-notice'))).toBe(false);
  });

  it('passes the built-in transforms typed objects, never JSON strings', async () => {
    const root = miniApp();
    const seen: Record<string, unknown>[] = [];
    const spying = {
      ...consumers,
      load: async () => {
        const real = (await loadTransform('rewrite-imports')).default;
        const spy: Transform = (file, api, options) => (seen.push(options as Record<string, unknown>), real(file, api, options));
        return spy;
      },
    };
    const r = await fix({ root, dryRun: true, cache: false }, PHASES.map((p) => (p === consumers ? spying : p)));
    expect(r.diff).toBe((await fix({ root, dryRun: true, cache: false })).diff);
    expect(seen.length).toBeGreaterThan(0);
    for (const options of seen) {
      expect(Array.isArray(options.legacySpecifiers)).toBe(true);
      expect(options.renames).toEqual({ LegacyDispatcher: 'Dispatcher', LegacyResult: 'DispatchResult' });
      expect(Object.values(options).some((v) => typeof v === 'string' && /^[[{]/.test(v))).toBe(false);
    }
  });

  it('types every skip: the kind decides the exit code, whatever the prose says', async () => {
    const root = miniApp();
    const failing = (id: string, body: Transform) => definePhase<PhaseTarget, Record<string, never>>({
      phase: 'cleanup', transform: id, effect: 'rewrite',
      select: (ctx) => [{ file: 'src/consumers/status.ts', group: ctx.config.groups[0]! }],
      options: () => ({}),
      load: async () => body,
    });
    const threw = failing('throws', () => {
      throw new Error('no shape for this');
    });
    // Before the kinds, the exit code read the prose: " failed " or "does not parse (" in a report failed the run.
    const reported = failing('reports', (_file, api) => {
      api.report('the lookup failed here and does not parse (for a reason)');
      return undefined;
    });
    const r = await fix({ root, dryRun: true, cache: false }, [...PHASES, threw, reported]);
    const kinds = r.skipped.filter((s) => s.file === 'src/consumers/status.ts').map((s) => ({ kind: s.kind, reason: s.reason, fails: SKIP_FAILS[s.kind] }));
    expect(kinds).toEqual([
      { kind: 'transform-threw', reason: 'throws failed (no shape for this); the file is left untouched', fails: true },
      { kind: 'transform-reported', reason: 'reports: the lookup failed here and does not parse (for a reason)', fails: false },
    ]);
    expect(r.skipped.find((s) => s.kind === 'unread-importer')).toMatchObject({ file: 'src/tools/legacy-dispatcher.ts', importer: 'src/consumers/broken.ts', notAnalysed: false, reason: 'kept: src/consumers/broken.ts does not parse and may still import it' });
  });
});
