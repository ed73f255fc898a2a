import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic, RollBack, VerifyReport } from './fix-types.js';
import { findProjects, type VerifyProject } from './find-projects.js';
import { checkerFor, checkProject, defaultTimeoutMs, killGroup, newDiagnostics, semanticsSkipped, type Checker } from './verify.js';
import { WriteTransaction, type PlannedWrite, type WriteProblem } from './write-transaction.js';
import { removeStaleTemps } from '../write-atomic.js';

export interface WriteVerifiedOptions {
  root: string;
  realRoot: string;
  writes: PlannedWrite[];
  /** Each file's imports and what they resolve to, for importers and blame. */
  refs: ReadonlyMap<string, readonly { target?: string | undefined }[]>;
  /** Folders to clear of temp files that a killed run left. */
  folders: Iterable<string>;
  verify: boolean;
  /** The config's `tsconfig`, always tried as a project. */
  tsconfig?: string | undefined;
  /** Changes that go back with a file when it is rolled back (the config's `deleted` marks with a removed module). */
  companions?: ReadonlyMap<string, readonly string[]>;
  /** Per project; default from its size (defaultTimeoutMs). */
  verifyTimeoutMs?: number | undefined;
}

export interface WriteVerifiedResult {
  /** Set when nothing was written: what stopped the transaction. */
  problems: WriteProblem[];
  rolledBack: RollBack[];
  verify?: VerifyReport;
  staleTempsRemoved: string[];
}

/**
 * Writes the plan as one transaction and, with verify, type-checks every project it touches before and after,
 * restoring file by file what added an error until none is new (issue 17). A checker that misbehaves throws
 * VerifyError after everything written is restored. SIGINT and SIGTERM restore too, then exit 130 / 143.
 */
export async function writeVerified(o: WriteVerifiedOptions): Promise<WriteVerifiedResult> {
  const staleTempsRemoved = removeStaleTemps(o.folders);
  const tx = new WriteTransaction(o.writes, o.realRoot);
  const problems = tx.preflight();
  if (problems.length) return { problems, rolledBack: [], staleTempsRemoved };

  let child: { pid?: number | undefined } | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    killGroup(child?.pid);
    const failed = tx.rollbackAll();
    process.stderr.write(`ssot fix: stopped by ${signal}; every file is as it was${failed.length ? `, except ${failed.join(', ')} (see git diff)` : ''}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const work = mkdtempSync(path.join(os.tmpdir(), 'ssot-verify-'));
  try {
    const changed = o.writes.map((w) => w.file);
    const live = new Set(changed);
    const importers = reaching(live, o.refs);
    const found = o.verify ? findProjects(o.root, changed, importers, o.tsconfig) : { projects: [], unverified: [] };
    const checkers = new Map<string, Checker>(); // per run: a tsc installed or updated since is asked again
    const runs = found.projects.map((p, i) => ({ project: p, checker: checkerFor(path.dirname(p.tsconfig), o.root, checkers), buildInfo: path.join(work, `${i}.tsbuildinfo`), beforeMs: 0 }));
    // Without --verify-timeout, an after-check may take three times its before-check: a project's size is known only once tsc has run.
    const check = (r: (typeof runs)[number]): Promise<Diagnostic[]> =>
      checkProject({ checker: r.checker, tsconfig: r.project.tsconfig, build: r.project.build, buildInfo: r.buildInfo, root: o.root, timeoutMs: o.verifyTimeoutMs ?? Math.max(defaultTimeoutMs(r.project.files.size), 3 * r.beforeMs), onChild: (c) => (child = c) });
    const before: Diagnostic[][] = [];
    const notChecked: { tsconfig: string; reason: string }[] = [];
    for (const r of [...runs]) {
      const started = Date.now();
      const diagnostics = await check(r);
      r.beforeMs = Date.now() - started;
      const skipped = r.checker.bundled ? undefined : await semanticsSkipped(diagnostics, o.root);
      if (!skipped) before.push(diagnostics);
      else {
        notChecked.push({ tsconfig: path.relative(o.root, r.project.tsconfig).split(path.sep).join('/'), reason: `${r.checker.name} type-checked nothing: ${skipped}` });
        runs.splice(runs.indexOf(r), 1);
      }
    }
    const covered = new Set(runs.flatMap((r) => r.project.changed));
    const unverified = [...new Set([...found.unverified, ...found.projects.flatMap((p) => p.changed).filter((f) => !covered.has(f))])].sort();

    const problem = tx.writeTemps() ?? (await beforeWriteHook(o.root)) ?? tx.renameAll();
    if (problem) return { problems: [problem], rolledBack: [], staleTempsRemoved };

    const rolledBack: RollBack[] = [];
    let after: Diagnostic[][] = [];
    try {
      for (;;) {
        after = [];
        for (const r of runs) after.push(await check(r));
        const blame = blameNew(runs.map((r) => r.project), before, after, live, o.refs);
        if (blame.size === 0) break;
        for (const [file, diagnostics] of blame) {
          for (const f of [file, ...(o.companions?.get(file) ?? [])]) {
            if (!live.has(f)) continue;
            tx.restore(f);
            live.delete(f);
            rolledBack.push({ file: f, diagnostics });
          }
        }
      }
    } catch (error) {
      tx.rollbackAll();
      throw error;
    }
    if (!o.verify) return { problems: [], rolledBack, staleTempsRemoved };
    const verify: VerifyReport = {
      projects: runs.map((r, i) => ({
        tsconfig: path.relative(o.root, r.project.tsconfig).split(path.sep).join('/'),
        checker: r.project.build && !r.checker.bundled ? `${r.checker.name} -b` : r.checker.name,
        changed: r.project.changed,
        errorsBefore: before[i]!.length,
        errorsAfter: after[i]!.length,
      })),
      unverified,
      ...(notChecked.length ? { notChecked } : {}),
      checker: [...new Set(runs.map((r) => r.checker.name))].join(', ') || 'none',
      errorsBefore: before.reduce((n, d) => n + d.length, 0),
      errorsAfter: after.reduce((n, d) => n + d.length, 0),
    };
    return { problems: [], rolledBack, verify, staleTempsRemoved };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    tx.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Files that import a changed file, directly or through other files (a barrel, a package entry reached by a
 * path alias): a project holding any of them compiles the changed file too, so a change can break it.
 */
function reaching(changed: ReadonlySet<string>, refs: WriteVerifiedOptions['refs']): string[] {
  const importersOf = new Map<string, string[]>();
  for (const [file, list] of refs) for (const r of list) if (r.target) importersOf.set(r.target, [...(importersOf.get(r.target) ?? []), file]);
  const seen = new Set<string>(changed);
  const queue = [...changed];
  while (queue.length) for (const f of importersOf.get(queue.pop()!) ?? []) if (!seen.has(f)) queue.push((seen.add(f), f));
  return [...seen].filter((f) => !changed.has(f));
}

/**
 * The changed files to restore for diagnostics no before-check had: the file itself when it changed, else
 * the changed files it imports, else every changed file of the project. Empty when nothing is new or nothing
 * is left to restore.
 */
function blameNew(projects: VerifyProject[], before: Diagnostic[][], after: Diagnostic[][], live: ReadonlySet<string>, refs: WriteVerifiedOptions['refs']): Map<string, Diagnostic[]> {
  const blame = new Map<string, Diagnostic[]>();
  const seen = new Set<string>();
  projects.forEach((p, i) => {
    for (const d of newDiagnostics(before[i]!, after[i]!)) {
      const key = `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let culprits = live.has(d.file) ? [d.file] : (refs.get(d.file) ?? []).flatMap((r) => (r.target && live.has(r.target) ? [r.target] : []));
      if (culprits.length === 0) culprits = [...live].filter((f) => p.files.has(f));
      if (culprits.length === 0) culprits = [...live];
      for (const c of new Set(culprits)) blame.set(c, [...(blame.get(c) ?? []), d]);
    }
  });
  return blame;
}

/**
 * Test-only (documented as such in the README): `SSOT_FIX_BEFORE_WRITE=<executable>` runs it after the plan
 * and the temp files are written and before any file is replaced, with the root as its working folder, so a
 * test can edit a file concurrently, make a folder read-only, or signal the run at that moment.
 */
async function beforeWriteHook(root: string): Promise<undefined> {
  const hook = process.env.SSOT_FIX_BEFORE_WRITE;
  if (!hook) return undefined;
  await new Promise<void>((resolve) => spawn(hook, [], { cwd: root, stdio: 'ignore' }).on('close', () => resolve()).on('error', () => resolve()));
  return undefined;
}
