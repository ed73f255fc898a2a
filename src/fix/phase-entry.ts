import type { GroupConfig } from '../config/load-config.js';
import type { Finding } from '../types.js';
import type { FixPhase, SkipWhy } from './fix-types.js';
import type { Transform } from './load-transform.js';
import type { PhaseContext } from './phase-context.js';

/** A transform's options: a plain object (each phase types its own as a `type`, so it fits). */
export type TransformOptions = Record<string, unknown>;

/** One file a phase runs its transform on, for one group; an entry adds what its options need. */
export interface PhaseTarget {
  /** Root-relative POSIX path. */
  file: string;
  group: GroupConfig;
  /** For a `delete` phase: the file is a legacy module itself, deleted without asking the transform. */
  whole?: boolean;
}

/** A file a phase leaves alone, and why; recorded in `select`'s order among the targets. */
export interface PhaseSkip {
  file: string;
  skip: SkipWhy;
  /** Where to report it (default: the file's first finding). */
  finding?: Finding;
}

/**
 * One phase of `ssot fix` (issue 17, item 7): which files it takes, which transform it runs on each and
 * with which options. `fix()` runs the table's entries in order, each on the plan the earlier ones left, so a
 * new transform is one entry.
 */
export interface PhaseEntry<T extends PhaseTarget = PhaseTarget, O extends TransformOptions = TransformOptions> {
  phase: FixPhase;
  /** Id of the transform in transforms/ (also what the change's steps name). */
  transform: string;
  /**
   * `rewrite`: the file becomes the transform's output (kept only if it parses and imports nothing the SSOT
   * lacks). `delete`: the file is deleted when it is `whole`, or when the transform leaves nothing in it ('').
   */
  effect: 'rewrite' | 'delete';
  /** The files to run on, in order, from the findings, the project and the config (and the plan so far). */
  select(ctx: PhaseContext): (T | PhaseSkip)[];
  /** The transform's options for one target: objects, never serialised within the process. */
  options(target: T, ctx: PhaseContext): O;
  /** Runs once the phase's targets are done (work the next phase reads). */
  after?(ctx: PhaseContext): void;
  /** The transform itself, when it is not in transforms/ (a test's). */
  load?(): Promise<Transform>;
}

/** Types one table entry: its targets and options stay typed inside, the table holds them all alike. */
export function definePhase<T extends PhaseTarget, O extends TransformOptions>(entry: PhaseEntry<T, O>): PhaseEntry {
  return entry as unknown as PhaseEntry;
}

export function isSkip(item: PhaseTarget | PhaseSkip): item is PhaseSkip {
  return 'skip' in item;
}
