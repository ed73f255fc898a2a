/** The data `ssot fix` returns: what changed, what was left alone and why, what verification rolled back. */

/** The seed's migration phases, in the order they run. */
export const FIX_PHASES = ['factories', 'consumers', 'facades', 'cleanup'] as const;
export type FixPhase = (typeof FIX_PHASES)[number];

/** One file the run changed (or, with --dry-run, would change). */
export interface FileChange {
  /** POSIX path relative to the root. */
  file: string;
  action: 'modified' | 'deleted';
  /** Phases and transforms that touched the file, in order. */
  steps: { phase: FixPhase; transform: string; group: string }[];
  /** The finding that called for the change (first one), for file:line:col and rule id in the output. */
  line: number;
  column: number;
  ruleId: string;
  importsRewritten: number;
  constructionsRewritten: number;
  /** Lines where a transform left `ssot-kit: manual migration needed` (1-based, in the new text). */
  manual: { line: number; reason: string }[];
  /**
   * Test mocks of a legacy module now pointed at the SSOT (1-based, in the old text). The rewrite keeps the
   * code under test mocked, but a mock that guarded against the legacy module now replaces the SSOT.
   */
  mocks: { line: number; column: number; module: string }[];
}

/** A file or module the run did not change, and why. */
export interface Skip {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  reason: string;
  /**
   * Set when the skip fails the run (exit 1): `outside-root`, a change whose real path leaves the root;
   * `not-utf8`, a file a rewrite would corrupt (its legacy references stay, so its modules stay too).
   */
  kind?: 'outside-root' | 'not-utf8';
}

/** A legacy module that cleanup did not remove because files still reach it. */
export interface Refusal {
  module: string;
  consumers: { file: string; line: number; column: number }[];
}

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

export interface RollBack {
  file: string;
  diagnostics: Diagnostic[];
}

/** What `--verify` checked (issue 17, item 2). */
export interface VerifyReport {
  /** Every tsconfig project holding a changed file or a file importing one, with the changed files it covers. */
  projects: { tsconfig: string; checker: string; changed: string[]; errorsBefore: number; errorsAfter: number }[];
  /** Changed source files no project includes, or only projects tsc could not check: written, never type-checked (exit 1 unless --allow-unverified). */
  unverified: string[];
  /** Projects whose tsc type-checked nothing (a syntax or config error stops it before type errors), and why. */
  notChecked?: { tsconfig: string; reason: string }[];
  /** The checkers used, comma-separated. */
  checker: string;
  errorsBefore: number;
  errorsAfter: number;
}

export interface FixSummary {
  filesChanged: number;
  importsRewritten: number;
  constructionsRewritten: number;
  facadesWritten: number;
  modulesRemoved: number;
  filesSkipped: number;
  rolledBack: number;
  manualMarkers: number;
  mocksToReview: number;
}

export interface FixResult {
  root: string;
  dryRun: boolean;
  phases: FixPhase[];
  changes: FileChange[];
  skipped: Skip[];
  refused: Refusal[];
  rolledBack: RollBack[];
  /** Unified diff of every change (always computed; printed by --dry-run). */
  diff: string;
  /** With --verify: which projects were type-checked, by which checker, the error counts before and after (after rollback), and what no project covers. */
  verify?: VerifyReport;
  /**
   * Set when nothing was written (exit 1): a planned file changed after it was read, is read-only, or a write
   * failed; every file is as it was. `changes` still lists the plan.
   */
  notWritten?: { file: string; kind: 'changed-since-plan' | 'read-only' | 'write-failed'; reason: string }[];
  /** Temp files of an earlier run killed mid-write (its process gone) that this run removed. */
  staleTempsRemoved?: string[];
  summary: FixSummary;
  durationMs: number;
}
