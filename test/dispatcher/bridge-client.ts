import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { createHmacToken } from '../../src/dispatcher/hmac-token.js';
import {
  createToolDispatcher,
  createUserContext,
  type RunBody,
  type RunResult,
  type ToolDefinition,
  type WebSocketBridge,
  createWebSocketBridge,
  hmacAuthenticator,
} from '../../src/dispatcher/index.js';

/** A frame the bridge sent: its bytes, their UTF-8 text and what JSON.parse made of it (undefined when it did not parse). */
export interface Frame {
  bytes: Buffer;
  text: string;
  binary: boolean;
  json: unknown;
}

/** A real WebSocket client of the bridge for one user, keeping every frame it receives. */
export interface BridgeClient {
  readonly ws: WebSocket;
  readonly userId: string;
  readonly frames: Frame[];
  /** Parsed frames (those that parsed), in order. */
  messages(): Array<Record<string, unknown>>;
  readonly closed: Promise<{ code: number; reason: string }>;
  resume(runs: Record<string, number>): void;
  /** Resolves once `predicate` holds; rejects after `timeoutMs` (a bound on waiting, not an assertion about time). */
  waitFor(predicate: (messages: Array<Record<string, unknown>>) => boolean, timeoutMs?: number): Promise<void>;
  /**
   * A ping answered by a pong: the bridge has handled every frame this client sent before it (ws
   * reads a socket's frames in order and answers pings itself). False when the socket closed first;
   * rejects when neither happened within `timeoutMs` (the bridge stopped reading the socket).
   */
  roundTrip(timeoutMs?: number): Promise<boolean>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens a socket for `userId` with a fresh HMAC token; `resume` (default `{}`) is sent at once unless false. */
export async function openClient(port: number, userId: string, secret: string, resume: Record<string, number> | false = {}): Promise<BridgeClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { Authorization: `Bearer ${createHmacToken(userId, secret)}` } });
  const frames: Frame[] = [];
  ws.on('message', (data, binary) => {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const text = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    frames.push({ bytes, text, binary, json });
  });
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const messages = (): Array<Record<string, unknown>> =>
    frames.flatMap((f) => (typeof f.json === 'object' && f.json !== null ? [f.json as Record<string, unknown>] : []));
  const client: BridgeClient = {
    ws,
    userId,
    frames,
    messages,
    closed,
    resume(runs) {
      ws.send(JSON.stringify({ type: 'resume', runs }));
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(messages())) {
        if (Date.now() > deadline) throw new Error(`timed out; last messages: ${JSON.stringify(messages().slice(-3))}`);
        await sleep(5);
      }
    },
    roundTrip(timeoutMs = 10_000) {
      if (ws.readyState !== ws.OPEN) return Promise.resolve(false);
      return new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no pong and no close within ${timeoutMs} ms`)), timeoutMs);
        const onPong = (): void => { clearTimeout(timer); ws.off('close', onClose); resolve(true); };
        const onClose = (): void => { clearTimeout(timer); ws.off('pong', onPong); resolve(false); };
        ws.once('pong', onPong);
        ws.once('close', onClose);
        ws.ping();
      });
    },
  };
  if (resume !== false) {
    client.resume(resume);
    await client.roundTrip();
  }
  return client;
}

/** The messages of one run, by type. */
export function ofRun(messages: Array<Record<string, unknown>>, runId: string, type?: string): Array<Record<string, unknown>> {
  return messages.filter((m) => m.runId === runId && (type === undefined || m.type === type));
}

let runCounter = 0;

/**
 * Runs `body` for `userId` with `tools`, its events going to `bridge`; resolves with the run's id
 * and result once the events reached the bridge's sink. Run and tool timeouts are bounded so that a
 * run whose ending is lost shows up as `timeout` instead of hanging the test.
 */
export async function runThrough(bridge: WebSocketBridge, userId: string, tools: ToolDefinition[], body: RunBody, input?: unknown): Promise<{ runId: string; result: RunResult }> {
  const runId = `run-${++runCounter}`;
  const dispatcher = createToolDispatcher(createUserContext({ userId, runId, threadId: `thread-${runId}` }), {
    sink: bridge.sink,
    tools,
    runTimeoutMs: 3000,
    toolTimeoutMs: 3000,
  });
  const result = await dispatcher.run(body, input === undefined ? {} : { input });
  await dispatcher.flush();
  return { runId, result };
}

/** A tool named `name` that accepts any object and runs `handler`. */
export function tool(name: string, handler: () => unknown): ToolDefinition {
  return { name, description: name, parameters: { type: 'object' }, handler };
}

/** A proxy that throws on every operation, even Object.prototype.toString. */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/**
 * The bridges and clients of a test file, closed after each test; `setup(user)` starts a bridge with HMAC
 * tokens signed by `secret` and connects that user to it.
 */
export function bridgesPerTest(secret: string): {
  setup(userId: string): Promise<{ bridge: WebSocketBridge; client: BridgeClient }>;
  bridges: WebSocketBridge[];
  clients: BridgeClient[];
} {
  const bridges: WebSocketBridge[] = [];
  const clients: BridgeClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await Promise.all(bridges.splice(0).map((b) => b.close()));
  });
  const setup = async (userId: string): Promise<{ bridge: WebSocketBridge; client: BridgeClient }> => {
    const bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(secret) });
    bridges.push(bridge);
    const client = await openClient(bridge.port, userId, secret);
    clients.push(client);
    return { bridge, client };
  };
  return { setup, bridges, clients };
}
