import { accessSync, constants, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from '../is-within.js';
import { tempName, writeAtomic, writeTemp } from '../write-atomic.js';

/** One file of the plan: where it is written, the text the plan was computed from, and the new text (null: delete). */
export interface PlannedWrite {
  /** Root-relative POSIX path, for reports. */
  file: string;
  /** The real path written (a link inside the root is written through to its target). */
  real: string;
  before: string;
  after: string | null;
}

/** A file the transaction did not write, and why. */
export interface WriteProblem {
  file: string;
  kind: 'changed-since-plan' | 'read-only' | 'write-failed';
  reason: string;
}

/**
 * Writes a plan as one transaction (issue 17, items 4 and 5): every file is checked first (still the text
 * the plan was computed from, and writable, a 0444 file included: a rename would replace it anyway), then
 * every new text goes to a temp file beside its target, then the temp files are renamed over their targets,
 * each compared once more just before. Any problem leaves every file as it was (replaced ones are restored
 * from the kept originals) and every temp file removed; `restore` undoes a committed file later (--verify's
 * rollback, or a signal).
 */
export class WriteTransaction {
  /** Each real path's temp file, until it is renamed or removed. */
  private readonly temps = new Map<string, string>();
  private readonly replaced = new Map<string, PlannedWrite & { mode: number }>();
  private readonly modes = new Map<string, number>();

  private readonly writes: PlannedWrite[] = [];
  /** Two changes of one real file (a link inside the root and its target) that disagree. */
  private readonly clashes: WriteProblem[] = [];

  constructor(
    writes: PlannedWrite[],
    private readonly realRoot: string,
  ) {
    // A linked file and its target are one file: it is written once.
    const byReal = new Map<string, PlannedWrite>();
    for (const w of writes) {
      const first = byReal.get(w.real);
      if (!first) byReal.set(w.real, w);
      else if (first.after !== w.after) this.clashes.push({ file: w.file, kind: 'changed-since-plan', reason: `it is a link to ${first.file}, and the two rewrites differ` });
    }
    this.writes = [...byReal.values()];
  }

  /** The problems that would stop the transaction, found without writing anything. */
  preflight(): WriteProblem[] {
    const problems: WriteProblem[] = [...this.clashes];
    for (const w of this.writes) {
      const changed = this.changedSincePlan(w);
      if (changed) problems.push({ file: w.file, kind: 'changed-since-plan', reason: changed });
      else {
        const ro = readOnly(w.real);
        if (ro) problems.push({ file: w.file, kind: 'read-only', reason: ro });
      }
    }
    return problems;
  }

  /** Writes every new text to its temp file; a problem removes them all and is returned. Nothing is replaced yet. */
  writeTemps(): WriteProblem | undefined {
    for (const w of this.writes) {
      const mode = (statSync(w.real, { throwIfNoEntry: false })?.mode ?? 0o100644) & 0o7777;
      this.modes.set(w.file, mode);
      if (w.after === null) continue;
      const tmp = tempName(w.real);
      try {
        this.temps.set(w.real, tmp);
        writeTemp(tmp, w.after, mode);
      } catch (error) {
        return this.abort({ file: w.file, kind: 'write-failed', reason: `could not write its new text beside it (${describe(error)})` });
      }
    }
    return undefined;
  }

  /** Renames the temp files over their targets (removes deleted files), each compared once more just before; a problem restores every replaced file. */
  renameAll(): WriteProblem | undefined {
    for (const w of this.writes) {
      const changed = this.changedSincePlan(w);
      if (changed) return this.abort({ file: w.file, kind: 'changed-since-plan', reason: changed });
      try {
        this.replaced.set(w.file, { ...w, mode: this.modes.get(w.file)! });
        if (w.after === null) removeFile(w.real, this.realRoot);
        else {
          renameSync(this.temps.get(w.real)!, w.real);
          this.temps.delete(w.real);
        }
      } catch (error) {
        if (w.after !== null && existsSync(this.temps.get(w.real)!)) this.replaced.delete(w.file);
        return this.abort({ file: w.file, kind: 'write-failed', reason: `could not be ${w.after === null ? 'removed' : 'replaced'} (${describe(error)})` });
      }
    }
    return undefined;
  }

  /** Puts one committed file back as it was (its text and mode); true when it had been written. */
  restore(file: string): boolean {
    const w = this.replaced.get(file);
    if (!w) return false;
    writeAtomic(w.real, w.before, { mode: w.mode });
    this.replaced.delete(file);
    return true;
  }

  /** Restores every committed file and removes every temp file; safe to call from a signal handler. */
  rollbackAll(): string[] {
    const failed: string[] = [];
    for (const file of [...this.replaced.keys()].reverse()) {
      try {
        this.restore(file);
      } catch {
        failed.push(file);
      }
    }
    this.cleanup();
    return failed;
  }

  /** Removes temp files left by this transaction; returns those that could not be removed (their folder turned read-only). */
  cleanup(): string[] {
    const left: string[] = [];
    for (const tmp of this.temps.values()) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        left.push(tmp);
      }
    }
    this.temps.clear();
    return left;
  }

  private abort(problem: WriteProblem): WriteProblem {
    const left = [...this.temps.values()];
    const failed = this.rollbackAll();
    if (failed.length) problem.reason += `; could not restore ${failed.join(', ')} (see git diff)`;
    const stuck = left.filter((t) => existsSync(t));
    if (stuck.length) problem.reason += `; could not remove ${stuck.map((t) => path.relative(this.realRoot, t)).join(', ')} (a later run removes it once its folder is writable)`;
    return problem;
  }

  private changedSincePlan(w: PlannedWrite): string | undefined {
    let now: string;
    try {
      now = readFileSync(w.real, 'utf8');
    } catch (error) {
      return `it could not be read again before writing (${describe(error)})`;
    }
    return now === w.before ? undefined : 'it changed after ssot fix read it (another process wrote it); run ssot fix again';
  }
}

/** Why a file cannot be written, or undefined: its mode has no write bit (a rename would replace it anyway), or this user cannot write it or its folder. */
function readOnly(file: string): string | undefined {
  const st = lstatSync(file);
  if ((st.mode & 0o222) === 0) return `the file is read-only (mode ${(st.mode & 0o777).toString(8)}); make it writable to migrate it`;
  try {
    accessSync(file, constants.W_OK);
  } catch {
    return 'this user cannot write the file';
  }
  try {
    accessSync(path.dirname(file), constants.W_OK);
  } catch {
    return `this user cannot write its folder ${path.basename(path.dirname(file))}/ (a rename or removal needs it)`;
  }
  return undefined;
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^\w+: /, '')}` : String(e.message ?? e);
}

/** Deletes a file, then its folder while that is left empty (a legacy directory module goes as a whole), never the root or above. */
function removeFile(file: string, realRoot: string): void {
  rmSync(file);
  for (let dir = path.dirname(file); isWithin(realRoot, dir) && dir !== realRoot && readdirSync(dir).length === 0; dir = path.dirname(dir)) rmdirSync(dir);
}
