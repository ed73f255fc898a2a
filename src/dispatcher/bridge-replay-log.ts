/**
 * The WebSocket bridge's replay log: per user, a bounded ring of the latest events plus a small
 * summary per run, so a reconnecting client receives what it missed, or a snapshot when the gap
 * is older than the ring or the bridge never received some of the run's events (a seq jump, a bus
 * outage, a publisher's drop notice). All state lives in the object `createReplayStore` returns.
 */
import type { EventEnvelope, EventGap, RunStatus } from './types.js';

/** Seqs of a run this bridge does not have: fromSeq..toSeq, or (no toSeq) anything from fromSeq on. */
export interface RunGap {
  fromSeq: number;
  toSeq?: number;
}

/**
 * Sent to a user's live sockets when the bridge learns that events are missing: seqs of one run
 * (a jump in seq, or a publisher's drop notice), events of a run after fromSeq that may have been
 * published during a bus outage (no toSeq: if the next events arrive with seq fromSeq on, nothing
 * was lost), or with runId null, events of runs this bridge has not seen.
 */
export interface GapFrame {
  type: 'gap';
  runId: string | null;
  fromSeq?: number;
  toSeq?: number;
}

/** What a client receives instead of events that were evicted from the log. */
export interface RunSnapshot {
  runId: string;
  threadId: string;
  /** The highest seq the bridge has seen for the run. */
  lastSeq: number;
  /** How many events of the run the bridge has seen (logged or evicted). */
  eventCount: number;
  completed: boolean;
  /** Set once `agent_completed` was seen. */
  status?: RunStatus;
  /** tool_executing events without their tool_completed yet. */
  openToolCalls: Array<{ toolCallId: string; tool: string }>;
  /** Events with seq <= this are no longer in the log; the bridge sends the logged ones after the snapshot. */
  evictedThroughSeq: number;
  /** Seqs this bridge never received (or may not have: no toSeq). Non-empty: the run as seen here is not whole. */
  gaps: RunGap[];
}

interface RunInfo {
  threadId: string;
  lastSeq: number;
  eventCount: number;
  evictedThrough: number;
  status?: RunStatus;
  open: Map<string, string>;
  /** Known missing seqs, sorted, disjoint, at most MAX_GAPS (the last one widened past it). */
  gaps: Array<{ fromSeq: number; toSeq: number }>;
  /** Set by a bus outage: seqs from here on may be missing until the next event shows whether they are. */
  uncertainFrom?: number;
}

interface UserLog {
  ring: Array<EventEnvelope | undefined>;
  head: number;
  size: number;
  runs: Map<string, RunInfo>;
}

/** One run's plan for a resuming client. */
export interface ResumePlan {
  /** Set when the log no longer holds lastSeq + 1 or the run has gaps (or the run is unknown: then `null`). */
  snapshot?: RunSnapshot | null;
  /** Send logged events of the run with seq greater than this. */
  after: number;
}

export interface ReplayStore {
  /** Log an event; returns false for a duplicate (seq not above the run's last seq). A jump in seq is recorded as a gap. */
  append(event: EventEnvelope): boolean;
  /** Record what a bus reports missing, so that a resume of those runs answers with a snapshot listing the gaps. */
  markGap(gap: EventGap): void;
  /** Per requested run: snapshot or not, and the seq after which logged events are due. */
  plan(userId: string, runId: string, lastSeq: number): ResumePlan;
  /** The user's logged events, oldest first. */
  events(userId: string): EventEnvelope[];
  users(): number;
}

export interface ReplayStoreOptions {
  /** Events kept per user (ring). */
  perUser: number;
  /** Users kept; past it, the oldest log of a user without a connected socket is dropped. */
  maxUsers: number;
  /** Whether a user currently has sockets (their log is evicted last). */
  isConnected(userId: string): boolean;
  /** Told each gap as it is learnt, for the user's live sockets. */
  onGap?(userId: string, frame: GapFrame): void;
}

const MAX_GAPS = 16;

function newRun(threadId: string): RunInfo {
  return { threadId, lastSeq: 0, eventCount: 0, evictedThrough: 0, open: new Map(), gaps: [] };
}

/** Adds fromSeq..toSeq to the run's gaps; false when they already covered it. */
function addGap(run: RunInfo, fromSeq: number, toSeq: number): boolean {
  const gaps = run.gaps;
  if (gaps.some((g) => g.fromSeq <= fromSeq && toSeq <= g.toSeq)) return false;
  const merged = { fromSeq, toSeq };
  const kept = gaps.filter((g) => {
    if (g.toSeq < fromSeq - 1 || g.fromSeq > toSeq + 1) return true;
    merged.fromSeq = Math.min(merged.fromSeq, g.fromSeq);
    merged.toSeq = Math.max(merged.toSeq, g.toSeq);
    return false;
  });
  kept.push(merged);
  kept.sort((a, b) => a.fromSeq - b.fromSeq);
  // Bounded: past MAX_GAPS the last two merge, which over-reports (seqs in between count as missing).
  while (kept.length > MAX_GAPS) {
    const last = kept.pop()!;
    kept[kept.length - 1]!.toSeq = last.toSeq;
  }
  run.gaps = kept;
  return true;
}

export function snapshotOf(runId: string, run: RunInfo): RunSnapshot {
  const snap: RunSnapshot = {
    runId,
    threadId: run.threadId,
    lastSeq: run.lastSeq,
    eventCount: run.eventCount,
    completed: run.status !== undefined,
    openToolCalls: [...run.open].map(([toolCallId, tool]) => ({ toolCallId, tool })),
    evictedThroughSeq: run.evictedThrough,
    gaps: run.gaps.map((g): RunGap => ({ ...g })),
  };
  if (run.uncertainFrom !== undefined) snap.gaps.push({ fromSeq: run.uncertainFrom });
  if (run.status !== undefined) snap.status = run.status;
  return snap;
}

export function createReplayStore(options: ReplayStoreOptions): ReplayStore {
  const perUser = Math.max(1, Math.floor(options.perUser));
  const maxRuns = Math.max(16, perUser);
  const logs = new Map<string, UserLog>();

  function evictUser(): void {
    let scanned = 0;
    for (const userId of logs.keys()) {
      if (!options.isConnected(userId) || ++scanned > 64) {
        logs.delete(userId);
        return;
      }
    }
  }

  function logFor(userId: string): UserLog {
    let log = logs.get(userId);
    if (log) return log;
    if (logs.size >= options.maxUsers) evictUser();
    log = { ring: new Array<EventEnvelope | undefined>(perUser), head: 0, size: 0, runs: new Map() };
    logs.set(userId, log);
    return log;
  }

  function runFor(log: UserLog, runId: string, threadId: string): RunInfo {
    let run = log.runs.get(runId);
    if (run) return run;
    if (log.runs.size >= maxRuns) {
      const oldest = log.runs.keys().next();
      if (!oldest.done) log.runs.delete(oldest.value);
    }
    run = newRun(threadId);
    log.runs.set(runId, run);
    return run;
  }

  function gapFound(userId: string, runId: string, run: RunInfo, fromSeq: number, toSeq: number): void {
    if (addGap(run, fromSeq, toSeq)) options.onGap?.(userId, { type: 'gap', runId, fromSeq, toSeq });
  }

  return {
    append(e) {
      const log = logFor(e.userId);
      const existing = log.runs.get(e.runId);
      if (existing && e.seq <= existing.lastSeq) return false;
      const run = existing ?? runFor(log, e.runId, e.threadId);
      if (run.threadId === '') run.threadId = e.threadId;
      // Seqs are contiguous from 1 within a run: a jump means this bridge never received the ones between.
      // The first event after an outage settles the uncertainty: a jump records the gap, no jump clears it.
      run.uncertainFrom = undefined;
      if (e.seq > run.lastSeq + 1) gapFound(e.userId, e.runId, run, run.lastSeq + 1, e.seq - 1);
      run.lastSeq = e.seq;
      run.eventCount++;
      if (e.type === 'tool_executing' && e.toolCallId) {
        const tool = (e.payload as { tool?: unknown }).tool;
        run.open.set(e.toolCallId, typeof tool === 'string' ? tool : '');
      } else if (e.type === 'tool_completed' && e.toolCallId) {
        run.open.delete(e.toolCallId);
      } else if (e.type === 'agent_completed') {
        const status = (e.payload as { status?: unknown }).status;
        run.status = (typeof status === 'string' ? status : 'error') as RunStatus;
        run.open.clear();
      }
      if (log.size === perUser) {
        const evicted = log.ring[log.head];
        if (evicted) {
          const r = log.runs.get(evicted.runId);
          if (r && evicted.seq > r.evictedThrough) r.evictedThrough = evicted.seq;
        }
        log.ring[log.head] = e;
        log.head = (log.head + 1) % perUser;
      } else {
        log.ring[(log.head + log.size) % perUser] = e;
        log.size++;
      }
      return true;
    },

    markGap(gap) {
      if (gap.reason === 'dropped') {
        const log = logFor(gap.userId);
        // A run this bridge has not seen yet is recorded too, so its resume answers with the gap, not null.
        gapFound(gap.userId, gap.runId, runFor(log, gap.runId, ''), gap.fromSeq, gap.toSeq);
        return;
      }
      for (const [runId, run] of logs.get(gap.userId)?.runs ?? []) {
        if (run.status !== undefined || run.uncertainFrom !== undefined) continue;
        run.uncertainFrom = run.lastSeq + 1;
        options.onGap?.(gap.userId, { type: 'gap', runId, fromSeq: run.uncertainFrom });
      }
      options.onGap?.(gap.userId, { type: 'gap', runId: null });
    },

    plan(userId, runId, lastSeq) {
      const run = logs.get(userId)?.runs.get(runId);
      if (!run) return { snapshot: null, after: Number.POSITIVE_INFINITY };
      // A run with gaps always answers with its snapshot: the client must not take what follows for the whole run.
      const gapped = run.gaps.length > 0 || run.uncertainFrom !== undefined;
      if (lastSeq >= run.lastSeq && !gapped) return { after: lastSeq };
      if (lastSeq < run.evictedThrough) return { snapshot: snapshotOf(runId, run), after: run.evictedThrough };
      return gapped ? { snapshot: snapshotOf(runId, run), after: lastSeq } : { after: lastSeq };
    },

    events(userId) {
      const log = logs.get(userId);
      if (!log) return [];
      const out: EventEnvelope[] = [];
      for (let i = 0; i < log.size; i++) {
        const e = log.ring[(log.head + i) % perUser];
        if (e) out.push(e);
      }
      return out;
    },

    users() {
      return logs.size;
    },
  };
}
