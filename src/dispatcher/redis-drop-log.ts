/**
 * What a Redis event bus dropped because its pending bound was full (Redis unreachable): per user
 * and run, the dropped seqs as one range, published as gap notices once Redis is back. A run's
 * range spans its first to its last dropped seq, so a seq published between two drops is reported
 * missing too: over-reporting, never under-reporting. Bounded: past MAX_RUNS runs, a further run is
 * recorded for its user only (a notice without a run: "events of runs not named were lost").
 */

/** Dropped seqs fromSeq..toSeq of one run, or (no runId) of runs not named. */
export interface DroppedRange {
  userId: string;
  runId?: string;
  fromSeq: number;
  toSeq: number;
}

export interface DropLog {
  record(userId: string, runId: string, seq: number): void;
  /** Removes and returns every range, to be published. */
  take(): DroppedRange[];
  /** Puts back a range whose notice could not be published. */
  restore(range: DroppedRange): void;
  size(): number;
}

const MAX_RUNS = 10_000;

export function createDropLog(): DropLog {
  const ranges = new Map<string, DroppedRange>();
  let runs = 0;

  function add(range: DroppedRange): void {
    const key = JSON.stringify([range.userId, range.runId ?? null]);
    const known = ranges.get(key);
    if (known) {
      known.fromSeq = Math.min(known.fromSeq, range.fromSeq);
      known.toSeq = Math.max(known.toSeq, range.toSeq);
      return;
    }
    if (range.runId !== undefined && runs >= MAX_RUNS) {
      add({ userId: range.userId, fromSeq: range.fromSeq, toSeq: range.toSeq });
      return;
    }
    if (range.runId !== undefined) runs++;
    ranges.set(key, { ...range });
  }

  return {
    record(userId, runId, seq) {
      add({ userId, runId, fromSeq: seq, toSeq: seq });
    },
    take() {
      const all = [...ranges.values()];
      ranges.clear();
      runs = 0;
      return all;
    },
    restore: add,
    size() {
      return ranges.size;
    },
  };
}
