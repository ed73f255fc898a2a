// WebSocket bridge vs raw `ws` sends: same payloads, same 1,000 loopback clients (in a child
// process, so client work does not share the server's event loop). Prints events/s and p50/p99
// delivery latency for both, and the ratios. Run: npm run bench:dispatcher
// Env: BENCH_CLIENTS (default 1000), BENCH_EVENTS per client (default 100), BENCH_ROUNDS (default 2).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Latency runs send PACE_BATCH events (to successive clients) per 1 ms timer tick, PACED_EVENTS per client. */
const PACE_BATCH = Number(process.env.BENCH_PACE_BATCH ?? 20);
const PACED_EVENTS = Number(process.env.BENCH_PACED_EVENTS ?? 20);
const SECRET = 'bench-secret';
const here = fileURLToPath(import.meta.url);
const dist = new URL('../dist/dispatcher/', import.meta.url);
// CLOCK_MONOTONIC is system-wide on Linux, so parent and child timestamps compare directly.
const now = () => Number(process.hrtime.bigint()) / 1e6;

if (process.argv[2] === 'clients') await clientMain();
else await parentMain();

// ---------------------------------------------------------------- child: the 1,000 clients
async function clientMain() {
  let sockets = [];
  let expected = 0;
  let received = 0;
  let latencies = [];
  let lastAt = 0;
  let done = null;
  const onMessage = (data) => {
    const e = JSON.parse(data);
    const at = now();
    latencies.push(at - e.payload.sentAt);
    lastAt = at;
    if (++received === expected) done?.();
  };
  process.on('message', async (msg) => {
    if (msg.cmd === 'connect') {
      sockets = [];
      const opened = [];
      for (const [i, token] of msg.tokens.entries()) {
        const ws = new WebSocket(`${msg.url}?token=${token}&u=user-${i}`, { perMessageDeflate: false });
        ws.on('message', onMessage);
        ws.on('error', (err) => console.error('client error', err.message));
        opened.push(new Promise((resolve) => ws.once('open', () => { ws.send('{"type":"resume","runs":{}}'); resolve(); })));
        sockets.push(ws);
        if (i % 100 === 99) await Promise.all(opened.slice(-100));
      }
      await Promise.all(opened);
      process.send({ cmd: 'connected' });
    } else if (msg.cmd === 'expect') {
      expected = msg.count;
      received = 0;
      latencies = new Array(0);
      await new Promise((resolve) => { done = resolve; });
      latencies.sort((a, b) => a - b);
      const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
      process.send({ cmd: 'result', received, lastAt, min: latencies[0], p10: pct(0.1), p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1) });
    } else if (msg.cmd === 'disconnect') {
      await Promise.all(sockets.map((ws) => new Promise((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', resolve);
        ws.close();
      })));
      sockets = [];
      process.send({ cmd: 'disconnected' });
    } else if (msg.cmd === 'exit') {
      process.exit(0);
    }
  });
  process.send({ cmd: 'ready' });
}

// ---------------------------------------------------------------- parent: servers and emitters
function waitFor(child, cmd) {
  return new Promise((resolve) => {
    const on = (msg) => { if (msg.cmd === cmd) { child.off('message', on); resolve(msg); } };
    child.on('message', on);
  });
}

function event(user, seq) {
  return {
    v: 1, type: seq % 10 === 1 ? 'agent_started' : 'agent_thinking', seq, userId: user, runId: `run-${user}`, threadId: `thread-${user}`,
    ts: Date.now(), payload: { text: 'thinking about the next step of the plan', sentAt: now() },
  };
}

/** Saturated: one event per client per round, yielding with setImmediate between rounds; measures throughput. */
async function drive(child, emit, firstSeq = 1) {
  const result = waitFor(child, 'result');
  child.send({ cmd: 'expect', count: CLIENTS * EVENTS });
  await new Promise((r) => setTimeout(r, 20));
  const start = now();
  // seq keeps counting across runs of one phase: the bridge drops an already-seen seq as a duplicate.
  for (let seq = firstSeq; seq < firstSeq + EVENTS; seq++) {
    for (let i = 0; i < CLIENTS; i++) emit(event(`user-${i}`, seq));
    await new Promise((r) => setImmediate(r));
  }
  const r = await result;
  return { eps: (CLIENTS * EVENTS) / ((r.lastAt - start) / 1000), p50: r.p50, p99: r.p99, max: r.max };
}

/**
 * Paced: small batches on a 1 ms timer, far below both sides' capacity, so the latency measured is
 * the delivery path's own and not the consumer's queue (a 1,000-event burst would dominate it, and
 * reward the slower producer).
 */
async function drivePaced(child, emit, firstSeq) {
  const result = waitFor(child, 'result');
  child.send({ cmd: 'expect', count: CLIENTS * PACED_EVENTS });
  await new Promise((r) => setTimeout(r, 20));
  let n = 0;
  for (let seq = firstSeq; seq < firstSeq + PACED_EVENTS; seq++) {
    for (let i = 0; i < CLIENTS; i++) {
      emit(event(`user-${i}`, seq));
      if (++n % PACE_BATCH === 0) await new Promise((r) => setTimeout(r, 1));
    }
  }
  return result;
}

async function measure(child, emit) {
  const burst = await drive(child, emit);
  const paced = await drivePaced(child, emit, EVENTS + 1);
  return { eps: burst.eps, burstP50: burst.p50, burstP99: burst.p99, p50: paced.p50, p99: paced.p99, max: paced.max };
}

async function rawPhase(child, tokens) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  const byUser = new Map();
  wss.on('connection', (ws, req) => {
    const u = new URL(req.url, 'http://x').searchParams.get('u');
    byUser.set(u, ws);
    ws.on('message', () => undefined);
  });
  const connected = waitFor(child, 'connected');
  child.send({ cmd: 'connect', url: `ws://127.0.0.1:${wss.address().port}/`, tokens });
  await connected;
  const r = await measure(child, (e) => byUser.get(e.userId)?.send(JSON.stringify(e)));
  const disconnected = waitFor(child, 'disconnected');
  child.send({ cmd: 'disconnect' });
  await disconnected;
  await new Promise((res) => wss.close(res));
  return r;
}

async function bridgePhase(child, tokens, { createWebSocketBridge, hmacAuthenticator }) {
  const bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET) });
  const connected = waitFor(child, 'connected');
  child.send({ cmd: 'connect', url: `ws://127.0.0.1:${bridge.port}/`, tokens });
  await connected;
  await new Promise((r) => setTimeout(r, 300)); // past the resume window for every socket
  const r = await measure(child, (e) => bridge.sink.emit(e));
  const stats = bridge.stats();
  const disconnected = waitFor(child, 'disconnected');
  child.send({ cmd: 'disconnect' });
  await disconnected;
  await bridge.close();
  return { ...r, stats };
}

async function parentMain() {
  const bridgeMod = await import(new URL('websocket-bridge.js', dist).href);
  const { createHmacToken } = await import(new URL('hmac-token.js', dist).href);
  const tokens = Array.from({ length: CLIENTS }, (_, i) => createHmacToken(`user-${i}`, SECRET));
  const child = fork(here, ['clients'], { stdio: 'inherit' });
  await waitFor(child, 'ready');
  const t0 = Date.now();
  console.log(`dispatcher-ws: ${CLIENTS} clients, ${EVENTS} events each, ${ROUNDS} round(s) per side, node ${process.version}`);
  const raw = [];
  const bridged = [];
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(await rawPhase(child, tokens));
    bridged.push(await bridgePhase(child, tokens, bridgeMod));
  }
  child.send({ cmd: 'exit' });
  if (process.env.BENCH_VERBOSE) for (const [i, x] of raw.entries()) console.log('round', i, 'raw', x, 'bridge', bridged[i]);
  // Best of the rounds per figure (max throughput, min latency): the least disturbed measurement.
  const best = (runs) => ({
    eps: Math.max(...runs.map((x) => x.eps)),
    p50: Math.min(...runs.map((x) => x.p50)),
    p99: Math.min(...runs.map((x) => x.p99)),
    burstP99: Math.min(...runs.map((x) => x.burstP99)),
    stats: runs.at(-1).stats,
  });
  const r = best(raw);
  const b = best(bridged);
  const fmt = (x) => `${Math.round(x.eps).toLocaleString('en-US').padStart(9)} ev/s (saturated, p99 ${x.burstP99.toFixed(1).padStart(5)} ms)   paced latency (${PACE_BATCH}/ms): p50 ${x.p50.toFixed(2).padStart(6)} ms  p99 ${x.p99.toFixed(2).padStart(6)} ms`;
  console.log(`raw ws   ${fmt(r)}`);
  console.log(`bridge   ${fmt(b)}`);
  console.log(`ratio bridge/raw: throughput ${(b.eps / r.eps).toFixed(2)}x   paced p50 ${(b.p50 / r.p50).toFixed(2)}x   paced p99 ${(b.p99 / r.p99).toFixed(2)}x`);
  console.log(`bridge stats: delivered ${b.stats.delivered}, coalesced ${b.stats.dropped.coalesced}, userMismatch ${b.stats.dropped.userMismatch}, slowClosed ${b.stats.slowClosed}`);
  console.log(`(best of ${ROUNDS} per side; total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
