/**
 * The WebSocket bridge's replay log: per user, a bounded ring of the latest events plus a small
 * summary per run, so a reconnecting client receives what it missed, or a snapshot when the gap
 * is older than the ring. All state lives in the object `createReplayStore` returns.
 */
import type { EventEnvelope, RunStatus } from './types.js';

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
}

interface RunInfo {
  threadId: string;
  lastSeq: number;
  eventCount: number;
  evictedThrough: number;
  status?: RunStatus;
  open: Map<string, string>;
}

interface UserLog {
  ring: Array<EventEnvelope | undefined>;
  head: number;
  size: number;
  runs: Map<string, RunInfo>;
}

/** One run's plan for a resuming client. */
export interface ResumePlan {
  /** Set when the log no longer holds lastSeq + 1 (or the run is unknown: then `null`). */
  snapshot?: RunSnapshot | null;
  /** Send logged events of the run with seq greater than this. */
  after: number;
}

export interface ReplayStore {
  /** Log an event; returns false for a duplicate (seq not above the run's last seq). */
  append(event: EventEnvelope): boolean;
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
}

function newRun(e: EventEnvelope): RunInfo {
  return { threadId: e.threadId, lastSeq: 0, eventCount: 0, evictedThrough: 0, open: new Map() };
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
  };
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

  return {
    append(e) {
      const log = logFor(e.userId);
      let run = log.runs.get(e.runId);
      if (run && e.seq <= run.lastSeq) return false;
      if (!run) {
        if (log.runs.size >= maxRuns) {
          const oldest = log.runs.keys().next();
          if (!oldest.done) log.runs.delete(oldest.value);
        }
        run = newRun(e);
        log.runs.set(e.runId, run);
      }
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

    plan(userId, runId, lastSeq) {
      const run = logs.get(userId)?.runs.get(runId);
      if (!run) return { snapshot: null, after: Number.POSITIVE_INFINITY };
      if (lastSeq >= run.lastSeq) return { after: lastSeq };
      if (lastSeq < run.evictedThrough) return { snapshot: snapshotOf(runId, run), after: run.evictedThrough };
      return { after: lastSeq };
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
