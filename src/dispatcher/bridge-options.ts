/** The public types of the WebSocket bridge (`createWebSocketBridge` in websocket-bridge.ts). */
import type { IncomingMessage } from 'node:http';
import type { EventBus, EventSink } from './types.js';

export interface WebSocketBridgeOptions {
  /** 0 picks an ephemeral port. */
  port: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The user id for an upgrade request, or null to refuse it with 401. `token` is the bearer token found in the request. */
  authenticate(request: IncomingMessage, token: string | null): string | null | Promise<string | null>;
  /** Events kept per user for resume (default 1000). */
  replayLimit?: number;
  /** Users whose logs are kept (default 10000). */
  replayUsers?: number;
  /** Hard cap of bytes buffered per socket before it is closed with 4008 (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Above this many buffered bytes, events wait in the socket's outbox (default 64 KiB). */
  softBufferedBytes?: number;
  /** Ping interval; a socket that missed the previous pong is terminated (default 15000). */
  heartbeatMs?: number;
  /** How long live events wait for a new socket's first `resume` (default 250). */
  resumeWindowMs?: number;
  // Resume limits, per socket: a request naming more run ids than `resumeMaxRunIds`, or past
  // `resumeMaxRequests` requests or `resumeMaxSnapshotBytes` bytes of snapshot frames within one
  // `resumeIntervalMs`, closes the socket with RESUME_LIMIT_CODE (4029) before anything of it is
  // answered. Every request counts, the empty one a new socket sends too; an unknown run id is
  // answered with a null snapshot, which counts against the byte budget.
  /** Run ids one `resume` may name (default 1000, the runs a user's log keeps at the default replayLimit). */
  resumeMaxRunIds?: number;
  /** `resume` requests per socket per interval (default 20). */
  resumeMaxRequests?: number;
  /** Bytes of snapshot frames (null snapshots included) answered per socket per interval (default 1 MiB). */
  resumeMaxSnapshotBytes?: number;
  /** The interval of the two budgets above, in ms (default 10000). */
  resumeIntervalMs?: number;
  /** Bounded wait of `close()` for flushing and close handshakes (default 2000). */
  closeTimeoutMs?: number;
  /** When given, `sink.emit` publishes to the bus, and sockets receive what the bus delivers for their user. */
  bus?: EventBus;
}

export interface WebSocketBridgeStats {
  sockets: number;
  users: number;
  delivered: number;
  dropped: { userMismatch: number; coalesced: number; duplicates: number };
  slowClosed: number;
  /** Sockets closed with RESUME_LIMIT_CODE. */
  resumeLimited: number;
  /** Gap frames sent: events of a run this bridge knows to be missing, or that may be missing after a bus outage. */
  gaps: number;
  replayed: number;
  snapshots: number;
  ignoredMessages: number;
  heartbeatTerminated: number;
  rejectedUpgrades: number;
}

export interface WebSocketBridge {
  readonly port: number;
  /** Hand this to dispatchers. */
  readonly sink: EventSink;
  stats(): WebSocketBridgeStats;
  /** Stop accepting, flush queued events, close sockets with 1001, close the server. Idempotent. */
  close(): Promise<void>;
}
