import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../scan/scan-project.js';
import type { FileFacts, Finding } from '../types.js';
import type { FileChange, FixPhase, Refusal, Skip, SkipWhy } from './fix-types.js';
import type { Overlay, ReachContext } from './reach.js';
import { skipReason } from './skip-reason.js';

/**
 * What a run has decided so far, all in memory: each file's text as the phases leave it (the overlay, `null`
 * once deleted), the changes, the skips, the refusals. Nothing touches the disk until the plan is written.
 */
export class FixPlan {
  readonly overlay: Overlay = new Map();
  readonly changes = new Map<string, FileChange>();
  readonly skipped: Skip[] = [];
  readonly refused: Refusal[] = [];
  /** The project as the plan leaves it, for reach.ts. */
  readonly reach: ReachContext;
  private readonly originals = new Map<string, string>();
  /** Files that are not valid UTF-8: the scan reads them as tsc does (U+FFFD), but writing that back would change their other bytes. */
  private readonly notUtf8 = new Set<string>();
  private readonly newFacts = new Map<string, FileFacts>();
  /** Each file's first finding (not info): where its change or skip is reported. */
  private readonly anchorOf = new Map<string, Finding>();

  constructor(
    private readonly root: string,
    readonly project: Project,
    findings: readonly Finding[],
    /** The scanner's own extraction, so every reference form in a new text counts. */
    readonly extract: (absPath: string, text: string) => FileFacts,
  ) {
    for (const f of findings) if (!this.anchorOf.has(f.file) && f.severity !== 'info') this.anchorOf.set(f.file, f);
    this.reach = { project, overlay: this.overlay, factsOf: (rel, text) => this.factsOf(rel, text) };
  }

  /** The file's text when the run started (read once). */
  original(rel: string): string {
    let text = this.originals.get(rel);
    if (text === undefined) {
      const bytes = readFileSync(path.join(this.root, rel));
      if (!isUtf8(bytes)) this.notUtf8.add(rel);
      this.originals.set(rel, (text = bytes.toString('utf8')));
    }
    return text;
  }

  /** The file's text as the plan leaves it so far; `null` once deleted. */
  current(rel: string): string | null {
    return this.overlay.has(rel) ? this.overlay.get(rel)! : this.original(rel);
  }

  /** Whether the file (once read) is not valid UTF-8. */
  isNotUtf8(rel: string): boolean {
    return this.notUtf8.has(rel);
  }

  /** Facts of a changed file's new text. */
  factsOf(rel: string, text: string): FileFacts {
    let f = this.newFacts.get(rel);
    if (!f) this.newFacts.set(rel, (f = this.extract(path.join(this.root, rel), text)));
    return f;
  }

  /** Keeps a step's output (and its facts, already extracted to check it parses) as the file's new text. */
  accept(rel: string, text: string, facts: FileFacts): void {
    this.overlay.set(rel, text);
    this.newFacts.set(rel, facts);
  }

  /** Records a skip once per file and reason, at the finding given or the file's first one. */
  skip(rel: string, why: SkipWhy, finding?: Finding, ruleId?: string): void {
    const at = finding ?? this.anchorOf.get(rel);
    const reason = skipReason(why);
    if (this.skipped.some((s) => s.file === rel && s.reason === reason)) return;
    this.skipped.push({ file: rel, line: at?.line ?? 1, column: at?.column ?? 1, ruleId: ruleId ?? at?.ruleId ?? 'fix', reason, ...why });
  }

  /** Adds a step to the file's change (creating it, anchored at the file's first finding). */
  record(rel: string, phase: FixPhase, transform: string, group: string): FileChange {
    const at = this.anchorOf.get(rel);
    const change = this.changes.get(rel) ?? {
      file: rel, action: 'modified', steps: [], line: at?.line ?? 1, column: at?.column ?? 1, ruleId: at?.ruleId ?? 'legacy-import',
      importsRewritten: 0, constructionsRewritten: 0, manual: [], mocks: [],
    };
    change.steps.push({ phase, transform, group });
    this.changes.set(rel, change);
    return change;
  }
}
