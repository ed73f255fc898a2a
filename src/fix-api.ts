import { realpathSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAME, type ResolvedConfig } from './config/load-config.js';
import { ConfigError } from './errors.js';
import { transformRunner } from './fix/apply-transform.js';
import { confine } from './fix/confine.js';
import { countChanges } from './fix/count-changes.js';
import { FixPlan } from './fix/fix-plan.js';
import { FIX_PHASES, type FixPhase, type FixResult } from './fix/fix-types.js';
import { dirtyFiles } from './fix/git-clean.js';
import { phaseContext, type PhaseContext } from './fix/phase-context.js';
import type { PhaseEntry } from './fix/phase-entry.js';
import { PHASES } from './fix/phases.js';
import { runPhases } from './fix/run-phases.js';
import { unifiedDiff } from './fix/unified-diff.js';
import { writeVerified, type WriteVerifiedResult } from './fix/write-verified.js';
import { prepare, resolveConfig, type ScanOptions, type Session } from './prepare.js';
import { scanSession } from './scan-api.js';

export type { FileChange, FixPhase, FixResult, Skip, SkipKind } from './fix/fix-types.js';
export { FIX_PHASES, SKIP_FAILS } from './fix/fix-types.js';

export interface FixOptions extends ScanOptions {
  /** Only these phases (default: all that apply, in the seed's order). */
  phases?: FixPhase[];
  /** Compute everything and return the diff; write nothing. */
  dryRun?: boolean;
  /** Run even when the git work tree has uncommitted changes. */
  allowDirty?: boolean;
  /**
   * Type-check every tsconfig project holding a changed file or an importer of one, before and after writing,
   * and roll back, file by file, every change that introduced a type error.
   */
  verify?: boolean;
  /** Per project type-check timeout in ms (default: 2 minutes and 100 ms a file of the project). */
  verifyTimeoutMs?: number;
  /** Progress of the rewrite (files done out of files planned). */
  onFixProgress?: (done: number, total: number, label: string) => void;
}

/**
 * `ssot fix`: read (config, clean work tree, scan) → plan (each phase of the table selects its files from the
 * findings and rewrites them in memory, re-parsing every output) → confine (no write leaves the root) →
 * verify and write (one transaction, type-checked per project before and after, rolled back file by file).
 * @param table the phases (fix/phases.ts); a test can run one more through it
 */
export async function fix(options: FixOptions, table: readonly PhaseEntry[] = PHASES): Promise<FixResult> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const config = refuseRun(root, await resolveConfig(options), options);
  const ctx = await readProject(await prepare(options, config), options);
  await runPhases(ctx, table, transformRunner(), options.onFixProgress);
  countChanges(ctx);
  const realRoot = realpathSync(root);
  const writeTo = confine(ctx.plan, root, realRoot);
  const planned = [...ctx.plan.changes.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
  const diff = planned.map((c) => unifiedDiff(c.file, ctx.plan.original(c.file), ctx.plan.overlay.get(c.file) ?? undefined)).join('');
  const outcome = options.dryRun || planned.length === 0 ? undefined : await writeVerified({
    root, realRoot, refs: ctx.project.refs, verify: !!options.verify, tsconfig: config.tsconfig, verifyTimeoutMs: options.verifyTimeoutMs,
    writes: planned.map((c) => ({ file: c.file, real: writeTo.get(c.file)!, before: ctx.plan.original(c.file), after: ctx.plan.overlay.get(c.file) ?? null })),
    folders: new Set([...ctx.project.files.keys(), ...planned.map((c) => c.file)].map((f) => path.dirname(ctx.abs(f)))),
    companions: new Map(config.file ? planned.filter((c) => c.action === 'deleted').map((c) => [c.file, [ctx.rel(config.file!)]]) : []),
  });
  return fixResult(ctx, { diff, outcome, dryRun: !!options.dryRun, started });
}

/** The config, refusing a run with no groups, or (unless dry or allowed) over uncommitted changes. */
function refuseRun(root: string, config: ResolvedConfig, options: FixOptions): ResolvedConfig {
  const configName = config.file ? path.relative(process.cwd(), config.file) || config.file : CONFIG_FILE_NAME;
  if (config.groups.length === 0) {
    throw new ConfigError('no groups to migrate', configName, 'groups', 'Write a config with `ssot init`, then run `ssot fix` again.');
  }
  if (!options.dryRun && !options.allowDirty) {
    const dirty = dirtyFiles(root)?.filter((f) => !f.startsWith('.ssot-cache'));
    if (dirty?.length) {
      const list = `${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? `, and ${dirty.length - 5} more` : ''}`;
      throw new ConfigError(`the git work tree has uncommitted changes: ${list}`, path.relative(process.cwd(), root) || '.', undefined,
        'Commit or stash them first, so the rewrite can be reviewed and undone with git; or pass --allow-dirty; or preview with --dry-run.');
    }
  }
  return config;
}

/** Scans the session's files and opens an empty plan over the project the scan read (listed and parsed once). */
async function readProject(session: Session, options: FixOptions): Promise<PhaseContext> {
  const { root, config } = session;
  const phases = FIX_PHASES.filter((p) => !options.phases?.length || options.phases.includes(p));
  const scanned = await scanSession(session);
  const project = await scanned.project();
  const { extractFacts } = await import('./scan/extract-facts.js');
  const plan = new FixPlan(root, project, scanned.result.findings, extractFacts);
  return phaseContext({ root, config, result: scanned.result, project, phases, plan });
}

/** What the run did: the plan's changes less those not written or rolled back, the skips, the summary. */
function fixResult(ctx: PhaseContext, o: { diff: string; outcome: WriteVerifiedResult | undefined; dryRun: boolean; started: number }): FixResult {
  const { changes, skipped, refused } = ctx.plan;
  const { outcome } = o;
  for (const b of outcome?.rolledBack ?? []) changes.delete(b.file);
  if (outcome?.problems.length) changes.clear();
  const rolledBack = outcome?.rolledBack ?? [];
  const kept = [...changes.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
  const r: FixResult = {
    root: ctx.root,
    dryRun: o.dryRun,
    phases: [...ctx.phases],
    changes: kept,
    skipped: skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    refused,
    rolledBack: rolledBack.sort((a, b) => (a.file < b.file ? -1 : 1)),
    diff: o.diff,
    summary: {
      filesChanged: kept.length,
      importsRewritten: kept.reduce((n, c) => n + c.importsRewritten, 0),
      constructionsRewritten: kept.reduce((n, c) => n + c.constructionsRewritten, 0),
      facadesWritten: kept.filter((c) => c.action === 'modified' && c.steps.some((s) => s.phase === 'facades')).length,
      modulesRemoved: kept.filter((c) => c.action === 'deleted').length,
      filesSkipped: new Set(skipped.map((s) => s.file)).size,
      rolledBack: rolledBack.length,
      manualMarkers: kept.reduce((n, c) => n + c.manual.length, 0),
      mocksToReview: kept.reduce((n, c) => n + c.mocks.length, 0),
    },
    durationMs: Math.round(performance.now() - o.started),
  };
  if (outcome?.verify) r.verify = outcome.verify;
  if (outcome?.problems.length) r.notWritten = outcome.problems;
  if (outcome?.staleTempsRemoved.length) r.staleTempsRemoved = outcome.staleTempsRemoved.map(ctx.rel);
  return r;
}
