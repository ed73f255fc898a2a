/**
 * One socket of the WebSocket bridge: bound to its authenticated user, with its own outbox,
 * backpressure and per-run de-duplication. Nothing here awaits, so a slow socket never delays another.
 */
import type { WebSocket } from 'ws';
import { safeSerialize } from './safe-serialize.js';
import type { EventEnvelope } from './types.js';

/** Counters shared by the connections of one bridge (owned by the bridge object). */
export interface BridgeCounters {
  delivered: number;
  replayed: number;
  snapshots: number;
  userMismatch: number;
  coalesced: number;
  duplicates: number;
  slowClosed: number;
  ignoredMessages: number;
  heartbeatTerminated: number;
  resumeLimited: number;
  gaps: number;
}

export const SLOW_CONSUMER_CODE = 4008;
export const SLOW_CONSUMER_REASON = 'slow consumer: reconnect and resume';
/** The close code for a socket past one of its resume limits (4000-4999: private use, RFC 6455 §7.4.2; 29 as in HTTP 429). */
export const RESUME_LIMIT_CODE = 4029;
export const RESUME_LIMIT_REASON = 'resume limit exceeded: reconnect and resume fewer runs less often';

/** Per-socket bounds on `resume` (the bridge options `resumeMaxRunIds` …, with their defaults applied). */
export interface ResumeLimits {
  maxRunIds: number;
  maxRequests: number;
  maxSnapshotBytes: number;
  intervalMs: number;
}

/** What a socket's resume requests used of the current interval's budget. */
export interface ResumeBudget {
  intervalStart: number;
  requests: number;
  snapshotBytes: number;
}

export interface ConnectionLimits {
  softBufferedBytes: number;
  maxBufferedBytes: number;
  /** How long a slow consumer's close handshake may take before the socket is destroyed. */
  slowCloseGraceMs: number;
  resume: ResumeLimits;
}

/** An outbound message already serialized once for every socket that receives it. */
export interface Outbound {
  /** Absent for control messages (snapshots) built from this socket's own user's log. */
  event?: EventEnvelope;
  data: string;
  bytes: number;
}

/** Never throws: what JSON cannot carry becomes an error on the event (see safeSerialize). */
export function serialize(event: EventEnvelope): Outbound {
  const data = safeSerialize(event);
  return { event, data, bytes: Buffer.byteLength(data) };
}

interface Item extends Outbound {
  queued: boolean;
}

const MAX_TRACKED_RUNS = 10_000;
const DRAIN_POLL_MS = 5;

export interface Connection {
  readonly ws: WebSocket;
  readonly userId: string;
  alive: boolean;
  /** Live events are held (not sent) until the client's resume, so a resume stays in order and exactly-once. */
  readonly held: boolean;
  /** Set once the bridge closes the socket (slow consumer, resume limit) or disposes of it. */
  readonly closing: boolean;
  readonly resumeLimits: ResumeLimits;
  readonly resumeBudget: ResumeBudget;
  /** Close with RESUME_LIMIT_CODE, dropping everything queued. */
  closeForResumeLimit(): void;
  /** A live event for this socket's user (held while the socket waits for its resume). */
  live(out: Outbound): void;
  /** A logged event sent in answer to a resume. */
  replay(out: Outbound): void;
  /** A control message: a snapshot, or a gap frame. */
  control(data: string, kind?: 'snapshot' | 'gap'): void;
  /** End the hold: deliver held live events (skipping what a replay already sent). */
  release(): void;
  /** Send everything queued or held, ignoring the soft threshold (graceful close). */
  flushAll(): void;
  bufferedBytes(): number;
  dispose(): void;
}

export function createConnection(ws: WebSocket, userId: string, limits: ConnectionLimits, counters: BridgeCounters): Connection {
  let held = true;
  let closing = false;
  const pending: Outbound[] = [];
  let pendingBytes = 0;
  let outbox: Item[] = [];
  let outHead = 0;
  let outBytes = 0;
  /** Newest queued item per run, for coalescing thinking updates. */
  const tailByRun = new Map<string, Item>();
  /** Highest seq accepted (sent or queued) per run: the exactly-once guard. */
  const accepted = new Map<string, number>();
  let drainTimer: NodeJS.Timeout | null = null;

  const queued = (): number => outbox.length - outHead;

  function sendNow(item: Outbound): void {
    // The last check before a byte leaves: an event goes only to a socket of its own user.
    if (item.event && item.event.userId !== userId) {
      counters.userMismatch++;
      return;
    }
    ws.send(item.data);
    if (item.event) counters.delivered++;
  }

  /** Close with `code`, dropping the queues; destroy the socket if the handshake outlasts the grace. */
  function closeWith(code: number, reason: string): boolean {
    if (closing) return false;
    closing = true;
    dropQueues();
    ws.close(code, reason);
    setTimeout(() => ws.terminate(), limits.slowCloseGraceMs).unref();
    return true;
  }

  function slowClose(): void {
    if (closeWith(SLOW_CONSUMER_CODE, SLOW_CONSUMER_REASON)) counters.slowClosed++;
  }

  function dropQueues(): void {
    pending.length = 0;
    pendingBytes = 0;
    outbox = [];
    outHead = 0;
    outBytes = 0;
    tailByRun.clear();
    if (drainTimer) clearTimeout(drainTimer);
    drainTimer = null;
  }

  function takeFirst(): Item | undefined {
    const item = outbox[outHead];
    if (!item) return undefined;
    outbox[outHead++] = undefined as unknown as Item;
    if (outHead > 1024 && outHead * 2 > outbox.length) {
      outbox = outbox.slice(outHead);
      outHead = 0;
    }
    item.queued = false;
    outBytes -= item.bytes;
    const runId = item.event?.runId;
    if (runId !== undefined && tailByRun.get(runId) === item) tailByRun.delete(runId);
    return item;
  }

  function drain(): void {
    drainTimer = null;
    if (closing || ws.readyState !== ws.OPEN) return;
    while (queued() > 0 && ws.bufferedAmount <= limits.softBufferedBytes) {
      const item = takeFirst();
      if (item) sendNow(item);
    }
    if (queued() > 0) drainTimer = setTimeout(drain, DRAIN_POLL_MS);
  }

  function enqueue(out: Outbound): void {
    if (closing || ws.readyState !== ws.OPEN) return;
    if (queued() === 0 && ws.bufferedAmount <= limits.softBufferedBytes) {
      sendNow(out);
      if (ws.bufferedAmount > limits.maxBufferedBytes) slowClose();
      return;
    }
    const e = out.event;
    const tail = e ? tailByRun.get(e.runId) : undefined;
    if (e && e.type === 'agent_thinking' && tail?.queued && tail.event?.type === 'agent_thinking') {
      // Still unsent and nothing of the run after it: the newer thinking text replaces it.
      outBytes += out.bytes - tail.bytes;
      tail.event = e;
      tail.data = out.data;
      tail.bytes = out.bytes;
      counters.coalesced++;
    } else {
      const item: Item = { ...out, queued: true };
      outbox.push(item);
      outBytes += item.bytes;
      if (e) tailByRun.set(e.runId, item);
    }
    if (ws.bufferedAmount + outBytes > limits.maxBufferedBytes) {
      slowClose();
      return;
    }
    if (!drainTimer) drainTimer = setTimeout(drain, DRAIN_POLL_MS);
  }

  function accept(out: Outbound): boolean {
    const e = out.event;
    if (!e) return false;
    if (e.userId !== userId) {
      counters.userMismatch++;
      return false;
    }
    const last = accepted.get(e.runId);
    if (last !== undefined && e.seq <= last) {
      counters.duplicates++;
      return false;
    }
    if (last === undefined && accepted.size >= MAX_TRACKED_RUNS) {
      const oldest = accepted.keys().next();
      if (!oldest.done) accepted.delete(oldest.value);
    }
    accepted.set(e.runId, e.seq);
    enqueue(out);
    return true;
  }

  function release(): void {
    if (!held) return;
    held = false;
    const items = pending.splice(0);
    pendingBytes = 0;
    for (const out of items) accept(out);
  }

  return {
    ws,
    userId,
    alive: true,
    get held() {
      return held;
    },
    get closing() {
      return closing;
    },
    resumeLimits: limits.resume,
    resumeBudget: { intervalStart: 0, requests: 0, snapshotBytes: 0 },
    closeForResumeLimit() {
      if (closeWith(RESUME_LIMIT_CODE, RESUME_LIMIT_REASON)) counters.resumeLimited++;
    },
    live(out) {
      if (closing) return;
      if (held) {
        if (out.event && out.event.userId !== userId) {
          counters.userMismatch++;
          return;
        }
        pending.push(out);
        pendingBytes += out.bytes;
        if (ws.bufferedAmount + outBytes + pendingBytes > limits.maxBufferedBytes) slowClose();
        return;
      }
      accept(out);
    },
    replay(out) {
      if (accept(out)) counters.replayed++;
    },
    control(data, kind = 'snapshot') {
      if (kind === 'gap') counters.gaps++;
      else counters.snapshots++;
      enqueue({ data, bytes: Buffer.byteLength(data) });
    },
    release,
    flushAll() {
      release();
      if (closing || ws.readyState !== ws.OPEN) return;
      if (drainTimer) clearTimeout(drainTimer);
      drainTimer = null;
      while (queued() > 0) {
        const item = takeFirst();
        if (item) sendNow(item);
      }
    },
    bufferedBytes() {
      return ws.bufferedAmount + outBytes + pendingBytes;
    },
    dispose() {
      closing = true;
      dropQueues();
    },
  };
}
