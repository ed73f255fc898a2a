import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHmacToken } from '../../src/dispatcher/hmac-token.js';
import type { EventEnvelope } from '../../src/dispatcher/types.js';
import {
  createWebSocketBridge,
  hmacAuthenticator,
  RESUME_LIMIT_CODE,
  type WebSocketBridge,
  type WebSocketBridgeOptions,
} from '../../src/dispatcher/websocket-bridge.js';

const SECRET = 'resume-secret-0123456789';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const bridges: WebSocketBridge[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await Promise.all(bridges.splice(0).map((b) => b.close()));
});

async function start(opts: Partial<WebSocketBridgeOptions> = {}): Promise<WebSocketBridge> {
  const bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET), ...opts });
  bridges.push(bridge);
  return bridge;
}

interface Client {
  ws: WebSocket;
  frames: Array<{ type: string; seq?: number; runId?: string; state?: unknown }>;
  bytes: number;
  closed: Promise<{ code: number; reason: string }>;
}

async function connect(bridge: WebSocketBridge, userId: string): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/`, { headers: { Authorization: `Bearer ${createHmacToken(userId, SECRET)}` } });
  sockets.push(ws);
  const client: Client = { ws, frames: [], bytes: 0, closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))) };
  ws.on('message', (data: Buffer) => {
    client.bytes += data.length;
    client.frames.push(JSON.parse(data.toString()) as Client['frames'][number]);
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  ws.send(JSON.stringify({ type: 'resume', runs: {} }));
  await sleep(30);
  return client;
}

function ev(userId: string, runId: string, seq: number): EventEnvelope {
  return { v: 1, type: 'agent_thinking', seq, userId, runId, threadId: `th-${runId}`, ts: Date.now(), payload: { text: `t${seq}` } };
}

function unknownRuns(count: number, prefix = 'no-such-run-'): Record<string, number> {
  const runs: Record<string, number> = {};
  for (let i = 0; i < count; i++) runs[`${prefix}${i}`] = 0;
  return runs;
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('resume limits', () => {
  it('closes a socket flooding resume requests with unknown run ids; another user still receives every event', async () => {
    const bridge = await start();
    const flooder = await connect(bridge, 'mallory');
    const victim = await connect(bridge, 'alice');
    // The reproduction: 10,000 unknown run ids every 5 ms.
    const flood = JSON.stringify({ type: 'resume', runs: unknownRuns(10_000) });
    let closeCode: number | undefined;
    void flooder.closed.then(({ code }) => (closeCode = code));
    const timer = setInterval(() => {
      if (flooder.ws.readyState === WebSocket.OPEN) flooder.ws.send(flood);
    }, 5);
    try {
      for (let seq = 1; seq <= 200; seq++) {
        await bridge.sink.emit(ev('alice', 'r1', seq));
        if (seq % 10 === 0) await sleep(5);
      }
      await waitUntil(() => closeCode !== undefined, 'the flooder to be closed', 5_000);
    } finally {
      clearInterval(timer);
    }
    expect(closeCode).toBe(RESUME_LIMIT_CODE);
    expect((await flooder.closed).reason).toBe('resume limit exceeded: reconnect and resume fewer runs less often');
    // Refused before anything was answered: no snapshot frame per unknown run id.
    expect(flooder.bytes).toBeLessThan(64 * 1024);
    await waitUntil(() => victim.frames.length >= 200, 'all 200 events for alice');
    expect(victim.frames.map((f) => f.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(victim.ws.readyState).toBe(WebSocket.OPEN);
    expect(bridge.stats()).toMatchObject({ resumeLimited: 1, sockets: 1 });
  });

  it('answers requests within the limits and closes the socket at the first request past one of them', async () => {
    const cases: Array<{ limits: Partial<WebSocketBridgeOptions>; within: Array<Record<string, number>>; past: Record<string, number> }> = [
      { limits: { resumeMaxRunIds: 50 }, within: [unknownRuns(50)], past: unknownRuns(51) },
      // connect() sent the first request (`runs: {}`): two more fit in three.
      { limits: { resumeMaxRequests: 3, resumeIntervalMs: 60_000 }, within: [{ a: 0 }, { b: 0 }], past: { c: 0 } },
      // Each null snapshot of a 60-character run id is about 100 bytes: 20 of them fit in 3000 bytes, 40 do not.
      { limits: { resumeMaxSnapshotBytes: 3000, resumeIntervalMs: 60_000 }, within: [unknownRuns(20, 'x'.repeat(50))], past: unknownRuns(20, 'y'.repeat(50)) },
    ];
    for (const { limits, within, past } of cases) {
      const bridge = await start(limits);
      const client = await connect(bridge, 'alice');
      const expected = within.reduce((n, runs) => n + Object.keys(runs).length, 0);
      for (const runs of within) client.ws.send(JSON.stringify({ type: 'resume', runs }));
      await waitUntil(() => client.frames.length >= expected, `${expected} null snapshots`);
      expect(client.frames.every((f) => f.type === 'snapshot' && f.state === null)).toBe(true);
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
      client.ws.send(JSON.stringify({ type: 'resume', runs: past }));
      expect((await client.closed).code).toBe(RESUME_LIMIT_CODE);
      expect(client.frames).toHaveLength(expected);
    }
  });

  it('counts requests per interval: a new interval starts a new budget', async () => {
    const bridge = await start({ resumeMaxRequests: 3, resumeIntervalMs: 200 });
    const client = await connect(bridge, 'alice');
    client.ws.send(JSON.stringify({ type: 'resume', runs: { a: 0 } }));
    client.ws.send(JSON.stringify({ type: 'resume', runs: { b: 0 } }));
    await waitUntil(() => client.frames.length === 2, 'two answers');
    await sleep(400);
    client.ws.send(JSON.stringify({ type: 'resume', runs: { c: 0 } }));
    await waitUntil(() => client.frames.length === 3, 'the third answer');
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });
});
