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
  /** With --verify: which checker ran and the error counts before and after (after rollback). */
  verify?: { checker: string; errorsBefore: number; errorsAfter: number };
  summary: FixSummary;
  durationMs: number;
}
