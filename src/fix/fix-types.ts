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

/**
 * Why a file or module was left alone, as data (issue 17, item 7): the exit code reads `kind` (SKIP_FAILS),
 * the prose (`Skip.reason`, from skipReason) is for people only.
 */
export type SkipWhy =
  /** The file does not parse: it is never rewritten. */
  | { kind: 'unparseable' }
  /** Not valid UTF-8: the scan reads it as tsc does (U+FFFD), but writing that back would change its other bytes. */
  | { kind: 'not-utf8' }
  /** The transform threw on the file. */
  | { kind: 'transform-threw'; transform: string; error: string }
  /** The transform changed nothing and said why through `api.report` (its parser cannot read the file). */
  | { kind: 'transform-reported'; transform: string; reports: string[] }
  /** The transform's output does not parse. */
  | { kind: 'output-unparseable'; transform: string; error: string; line: number }
  /** The output would import names the SSOT does not export (issue 17, item 1). */
  | { kind: 'api-gap'; transform: string; ssot: string; names: string[] }
  /** A factory bypass, and no group says which SSOT factory call replaces the construction. */
  | { kind: 'no-constructions'; construction?: string }
  /** The legacy module is a package: nothing in this repository to point its imports at yet. */
  | { kind: 'legacy-package'; module: string }
  /** A legacy module kept because a file the scan could not read (not analysed, or unparseable) may import it. */
  | { kind: 'unread-importer'; importer: string; notAnalysed: boolean }
  /** A legacy module no file imported before the run that is an entry point (a default export, or named by its package.json): kept. */
  | { kind: 'never-imported' }
  /** The change's real path leaves the scanned root (a symbolic link leads out). */
  | { kind: 'outside-root' }
  /** The SSOT lives in another workspace package that no specifier in the repository imports it by: a relative path across packages would break the build. */
  | { kind: 'cross-package'; ssotPackage: string };
export type SkipKind = SkipWhy['kind'];

/** Which skips fail the run (exit 1): a file the run should have changed and could not, or must not. */
export const SKIP_FAILS: Readonly<Record<SkipKind, boolean>> = {
  'unparseable': false,
  'not-utf8': true,
  'transform-threw': true,
  'transform-reported': false,
  'output-unparseable': true,
  'api-gap': false,
  'no-constructions': false,
  'legacy-package': false,
  'unread-importer': false,
  'never-imported': false,
  'outside-root': true,
  'cross-package': false,
};

/** A file or module the run did not change: where, the typed reason and its prose. */
export type Skip = SkipWhy & {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  reason: string;
};

/** Why the transaction wrote nothing (any of them fails the run, exit 1). */
export type NotWrittenKind = 'changed-since-plan' | 'read-only' | 'write-failed';

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
  notWritten?: { file: string; kind: NotWrittenKind; reason: string }[];
  /** Temp files of an earlier run killed mid-write (its process gone) that this run removed. */
  staleTempsRemoved?: string[];
  summary: FixSummary;
  durationMs: number;
}
