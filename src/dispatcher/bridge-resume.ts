/** Client → bridge messages: parsing, and answering a `resume` from the socket's own user's log. */
import type { RawData } from 'ws';
import { serialize, type BridgeCounters, type Connection, type ResumeLimits } from './bridge-connection.js';
import type { WebSocketBridgeOptions } from './bridge-options.js';
import type { ReplayStore } from './bridge-replay-log.js';
import { safeSerialize } from './safe-serialize.js';

/** The bridge options' resume limits with their documented defaults (bridge-options.ts). */
export function resumeLimitsOf(options: Partial<WebSocketBridgeOptions>): ResumeLimits {
  return {
    maxRunIds: options.resumeMaxRunIds ?? 1000,
    maxRequests: options.resumeMaxRequests ?? 20,
    maxSnapshotBytes: options.resumeMaxSnapshotBytes ?? 1024 * 1024,
    intervalMs: options.resumeIntervalMs ?? 10_000,
  };
}

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
 *
 * A request past one of the socket's resume limits (run ids per request, requests or snapshot bytes
 * per interval) closes the socket with RESUME_LIMIT_CODE and is not answered at all: one socket
 * asking for thousands of unknown runs every few ms must not buy megabytes of frames and the
 * bridge's event loop (security issue, item 8).
 */
export function handleResume(conn: Connection, runs: unknown, store: ReplayStore, counters: BridgeCounters): void {
  if (conn.closing) return;
  if (typeof runs !== 'object' || runs === null || Array.isArray(runs)) {
    counters.ignoredMessages++;
    conn.release();
    return;
  }
  const limits = conn.resumeLimits;
  const budget = conn.resumeBudget;
  const now = Date.now();
  if (now - budget.intervalStart >= limits.intervalMs) {
    budget.intervalStart = now;
    budget.requests = 0;
    budget.snapshotBytes = 0;
  }
  const entries = Object.entries(runs as Record<string, unknown>);
  if (++budget.requests > limits.maxRequests || entries.length > limits.maxRunIds) return conn.closeForResumeLimit();
  const snapshots: string[] = [];
  const plans = new Map<string, number>();
  for (const [runId, lastSeq] of entries) {
    if (typeof lastSeq !== 'number' || !Number.isInteger(lastSeq) || lastSeq < 0) continue;
    const plan = store.plan(conn.userId, runId, lastSeq);
    if (plan.snapshot !== undefined) {
      const frame = safeSerialize({ type: 'snapshot', runId, state: plan.snapshot });
      budget.snapshotBytes += Buffer.byteLength(frame);
      if (budget.snapshotBytes > limits.maxSnapshotBytes) return conn.closeForResumeLimit();
      snapshots.push(frame);
    }
    plans.set(runId, plan.after);
  }
  for (const frame of snapshots) conn.control(frame);
  if (plans.size > 0) {
    for (const e of store.events(conn.userId)) {
      const after = plans.get(e.runId);
      if (after !== undefined && e.seq > after) conn.replay(serialize(e));
    }
  }
  conn.release();
}
