/**
 * The reference WebSocket bridge of the SSOT dispatcher: delivers a user's events to that user's
 * sockets only. Sockets are bound to the user `authenticate` returns at upgrade time; every event is
 * checked against the socket's user right before it is sent; a bounded per-user log lets a client
 * resume exactly once after a reconnect; a slow client is closed (4008) instead of slowing others.
 * All state lives in the object the factory returns.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { extractToken, rejectUpgrade } from './bridge-auth.js';
import { createConnection, serialize, type BridgeCounters, type Connection, type Outbound } from './bridge-connection.js';
import type { WebSocketBridge, WebSocketBridgeOptions } from './bridge-options.js';
import { createReplayStore } from './bridge-replay-log.js';
import { handleResume, parseClientMessage, resumeLimitsOf } from './bridge-resume.js';
import { safeSerialize } from './safe-serialize.js';
import type { EventEnvelope, EventSink } from './types.js';

export { extractToken, hmacAuthenticator } from './bridge-auth.js';
export { RESUME_LIMIT_CODE, RESUME_LIMIT_REASON, SLOW_CONSUMER_CODE, SLOW_CONSUMER_REASON } from './bridge-connection.js';
export type { RunSnapshot } from './bridge-replay-log.js';
export type { WebSocketBridge, WebSocketBridgeOptions, WebSocketBridgeStats } from './bridge-options.js';

interface UserEntry {
  conns: Set<Connection>;
  unsubscribe: Promise<(() => Promise<void>) | null> | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function isEnvelope(e: unknown): e is EventEnvelope {
  const x = e as EventEnvelope | null;
  return typeof x === 'object' && x !== null && typeof x.userId === 'string' && typeof x.runId === 'string' && Number.isInteger(x.seq);
}

export async function createWebSocketBridge(options: WebSocketBridgeOptions): Promise<WebSocketBridge> {
  // Loaded here: `import 'ssot-kit/dispatcher'` does not load ws unless a bridge is made (issue 19).
  const { WebSocketServer } = await import('ws');
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const resumeWindowMs = options.resumeWindowMs ?? 250;
  const closeTimeoutMs = options.closeTimeoutMs ?? 2000;
  const limits = {
    maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
    softBufferedBytes: Math.min(options.softBufferedBytes ?? 64 * 1024, options.maxBufferedBytes ?? Infinity),
    slowCloseGraceMs: Math.min(5000, Math.max(closeTimeoutMs, 1000)),
    resume: resumeLimitsOf(options),
  };
  const bus = options.bus;
  const counters: BridgeCounters = {
    delivered: 0, replayed: 0, snapshots: 0, userMismatch: 0, coalesced: 0, duplicates: 0,
    slowClosed: 0, ignoredMessages: 0, heartbeatTerminated: 0, resumeLimited: 0, gaps: 0,
  };
  let rejectedUpgrades = 0;
  let closing = false;
  let closed: Promise<void> | null = null;
  const users = new Map<string, UserEntry>();
  const unsubscribing = new Set<Promise<void>>();
  const store = createReplayStore({
    perUser: options.replayLimit ?? 1000,
    maxUsers: options.replayUsers ?? 10_000,
    isConnected: (userId) => (users.get(userId)?.conns.size ?? 0) > 0,
    // Missing events are told to the user's live sockets at once: a client never takes a partial run for a whole one.
    onGap: (userId, frame) => {
      const data = safeSerialize(frame);
      for (const conn of users.get(userId)?.conns ?? []) conn.control(data, 'gap');
    },
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024, perMessageDeflate: false });
  const server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' }).end('Upgrade Required');
  });

  /** Deliver to the connected sockets of `userId` (each socket re-checks the event's user itself); `out` when already serialized. */
  function deliver(userId: string, event: EventEnvelope, out?: Outbound): void {
    const entry = users.get(userId);
    if (!entry || entry.conns.size === 0) return;
    const frame = out ?? serialize(event);
    for (const conn of entry.conns) conn.live(frame);
  }

  function subscribe(userId: string, entry: UserEntry): Promise<unknown> {
    if (!bus) return Promise.resolve();
    const sub = bus.subscribe(userId, (event) => {
      if (!isEnvelope(event) || closing) return;
      if (event.userId === userId) store.append(event);
      deliver(userId, event);
    }, (gap) => {
      if (!closing && gap.userId === userId) store.markGap(gap);
    });
    entry.unsubscribe = sub.then((u) => u, () => null);
    return sub;
  }

  function release(entry: UserEntry | undefined, userId: string): void {
    if (!entry || entry.conns.size > 0 || users.get(userId) !== entry) return;
    users.delete(userId);
    const unsub = entry.unsubscribe;
    entry.unsubscribe = null;
    if (!unsub) return;
    const done: Promise<void> = unsub.then((u) => u?.()).catch(() => undefined).finally(() => unsubscribing.delete(done));
    unsubscribing.add(done);
  }

  function onConnection(ws: WebSocket, userId: string): void {
    if (closing) {
      ws.close(1001, 'server shutting down');
      return;
    }
    const conn = createConnection(ws, userId, limits, counters);
    let entry = users.get(userId);
    let ready: Promise<unknown> = Promise.resolve();
    if (!entry) {
      entry = { conns: new Set(), unsubscribe: null };
      users.set(userId, entry);
      ready = subscribe(userId, entry);
    } else if (entry.unsubscribe) {
      ready = entry.unsubscribe.then((u) => {
        if (!u) throw new Error('subscription failed');
      });
    }
    entry.conns.add(conn);
    const mine = entry;
    let subscribed = !bus;
    let windowOver = false;
    let resumeAsked: unknown = undefined;
    const timer = setTimeout(() => {
      windowOver = true;
      if (subscribed) conn.release();
    }, resumeWindowMs);
    ready.then(
      () => {
        subscribed = true;
        if (resumeAsked !== undefined) handleResume(conn, resumeAsked, store, counters);
        else if (windowOver) conn.release();
      },
      () => ws.close(1011, 'subscription failed'),
    );
    ws.on('pong', () => { conn.alive = true; });
    ws.on('message', (data, isBinary) => {
      // A socket the bridge is closing (slow consumer, resume limit) costs no more parsing.
      if (conn.closing) return;
      const msg = parseClientMessage(data, isBinary);
      if (msg.kind === 'malformed') {
        conn.dispose();
        ws.close(1003, 'malformed message');
      } else if (msg.kind === 'other') {
        counters.ignoredMessages++;
      } else if (!subscribed) {
        // Answered once the bus delivers this user's events, so nothing falls in between.
        resumeAsked = msg.runs;
      } else {
        handleResume(conn, msg.runs, store, counters);
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(timer);
      conn.dispose();
      mine.conns.delete(conn);
      release(mine, userId);
    });
  }

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    if (closing) return rejectUpgrade(socket, 503);
    let userId: string | null;
    try {
      userId = await options.authenticate(req, extractToken(req));
    } catch {
      rejectedUpgrades++;
      return rejectUpgrade(socket, 500);
    }
    if (typeof userId !== 'string' || userId.length === 0) {
      rejectedUpgrades++;
      return rejectUpgrade(socket, 401);
    }
    if (closing || socket.destroyed) return rejectUpgrade(socket, 503);
    const boundUser = userId;
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, boundUser));
  }
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void onUpgrade(req, socket, head));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    wss.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;

  const heartbeat = setInterval(() => {
    for (const entry of users.values()) {
      for (const conn of entry.conns) {
        if (!conn.alive) {
          counters.heartbeatTerminated++;
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        try { conn.ws.ping(); } catch { /* closing */ }
      }
    }
  }, heartbeatMs);
  heartbeat.unref();

  const sink: EventSink = {
    emit(event) {
      if (closing || !isEnvelope(event)) return;
      // The log and the bus keep what the sockets receive, parsed back from its JSON: plain data
      // that a resume or a Redis publish cannot fail on, and that a tool changing its result
      // object after the event cannot change.
      const out = serialize(event);
      const sent = JSON.parse(out.data) as EventEnvelope;
      const fresh = store.append(sent);
      if (bus) return bus.publish(sent);
      if (fresh) deliver(sent.userId, sent, { ...out, event: sent });
    },
  };

  async function shutdown(): Promise<void> {
    closing = true;
    clearInterval(heartbeat);
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const conns = [...users.values()].flatMap((e) => [...e.conns]);
    for (const conn of conns) conn.flushAll();
    const deadline = Date.now() + closeTimeoutMs;
    while (Date.now() < deadline && conns.some((c) => c.ws.readyState === c.ws.OPEN && c.ws.bufferedAmount > 0)) await sleep(5);
    const closes = conns.map((c) => new Promise<void>((resolve) => {
      if (c.ws.readyState === c.ws.CLOSED) return resolve();
      c.ws.once('close', () => resolve());
      c.ws.close(1001, 'server shutting down');
    }));
    const all = Promise.all(closes);
    await Promise.race([all, sleep(Math.max(0, deadline - Date.now()) + 250)]);
    for (const c of conns) if (c.ws.readyState !== c.ws.CLOSED) c.ws.terminate();
    await all;
    for (const [userId, entry] of [...users]) {
      entry.conns.clear();
      release(entry, userId);
    }
    await Promise.all([...unsubscribing]);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await serverClosed;
  }

  return {
    port,
    sink,
    stats() {
      let sockets = 0;
      for (const e of users.values()) sockets += e.conns.size;
      return {
        sockets,
        users: [...users.values()].filter((e) => e.conns.size > 0).length,
        delivered: counters.delivered,
        dropped: { userMismatch: counters.userMismatch, coalesced: counters.coalesced, duplicates: counters.duplicates },
        slowClosed: counters.slowClosed,
        resumeLimited: counters.resumeLimited,
        gaps: counters.gaps,
        replayed: counters.replayed,
        snapshots: counters.snapshots,
        ignoredMessages: counters.ignoredMessages,
        heartbeatTerminated: counters.heartbeatTerminated,
        rejectedUpgrades,
      };
    },
    close() {
      closed ??= shutdown();
      return closed;
    },
  };
}
