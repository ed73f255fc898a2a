/** Client → bridge messages: parsing, and answering a `resume` from the socket's own user's log. */
import type { RawData } from 'ws';
import { serialize, type BridgeCounters, type Connection } from './bridge-connection.js';
import type { ReplayStore } from './bridge-replay-log.js';

const MAX_RESUME_RUNS = 10_000;

export type ClientMessage = { kind: 'resume'; runs: unknown } | { kind: 'other' } | { kind: 'malformed' };

export function parseClientMessage(data: RawData, isBinary: boolean): ClientMessage {
  if (isBinary) return { kind: 'malformed' };
  let msg: unknown;
  try {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    msg = JSON.parse(buf.toString('utf8'));
  } catch {
    return { kind: 'malformed' };
  }
  const m = msg as { type?: unknown; runs?: unknown } | null;
  return typeof m === 'object' && m !== null && m.type === 'resume' ? { kind: 'resume', runs: m.runs } : { kind: 'other' };
}

/**
 * `{ type: 'resume', runs: { runId: lastSeq } }`: per run, a snapshot when the log no longer holds
 * lastSeq + 1 (state null for a run this user's log does not know), then the logged events after
 * it, in order; then the socket's held live events (the connection skips what was just replayed).
 * Only the socket's own user's log is read: a client cannot reach another user's runs.
 */
export function handleResume(conn: Connection, runs: unknown, store: ReplayStore, counters: BridgeCounters): void {
  if (typeof runs !== 'object' || runs === null || Array.isArray(runs)) {
    counters.ignoredMessages++;
    conn.release();
    return;
  }
  const plans = new Map<string, number>();
  for (const [runId, lastSeq] of Object.entries(runs as Record<string, unknown>).slice(0, MAX_RESUME_RUNS)) {
    if (typeof lastSeq !== 'number' || !Number.isInteger(lastSeq) || lastSeq < 0) continue;
    const plan = store.plan(conn.userId, runId, lastSeq);
    if (plan.snapshot !== undefined) conn.control(JSON.stringify({ type: 'snapshot', runId, state: plan.snapshot }));
    plans.set(runId, plan.after);
  }
  if (plans.size > 0) {
    for (const e of store.events(conn.userId)) {
      const after = plans.get(e.runId);
      if (after !== undefined && e.seq > after) conn.replay(serialize(e));
    }
  }
  conn.release();
}
