// Resume flood (security issue item 8): one authenticated socket sends `resume` with 10,000 unknown
// run ids every 5 ms while another user receives an event every 2 ms. Prints that user's event
// latency (p50/p95/max) without and with the flood, the bytes the flooder received, and how its
// sockets ended (it reconnects at once whenever the bridge closes one). The acceptance check: p95 under the flood stays below 100 ms.
// Run: npm run build && node bench/dispatcher-resume-flood.mjs
// Env: BENCH_DIST (compiled dispatcher folder, default ../dist/dispatcher/), BENCH_FLOOD_MS (default 2000).
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';

const SECRET = 'bench-secret';
const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? 2000);
const RUN_IDS = 10_000;
const FLOOD_EVERY_MS = 5;
const EVENT_EVERY_MS = 2;
const here = fileURLToPath(import.meta.url);
const dist = process.env.BENCH_DIST ? pathToFileURL(`${process.env.BENCH_DIST.replace(/\/?$/, '/')}`) : new URL('../dist/dispatcher/', import.meta.url);
// CLOCK_MONOTONIC is system-wide on Linux, so parent and child timestamps compare directly.
const now = () => Number(process.hrtime.bigint()) / 1e6;

if (process.argv[2] === 'victim') await victim(process.argv[3]);
else if (process.argv[2] === 'flooder') await flooder(process.argv[3]);
else await parentMain();

/** Receives events; on 'report' sends latency percentiles of what arrived since the last report. */
async function victim(url) {
  let latencies = [];
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('message', (data) => {
    const e = JSON.parse(data);
    if (e.payload?.sentAt !== undefined) latencies.push(now() - e.payload.sentAt);
  });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send('{"type":"resume","runs":{}}');
  process.on('message', (msg) => {
    if (msg.cmd !== 'report') return;
    const sorted = latencies.sort((a, b) => a - b);
    const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
    process.send({ cmd: 'latency', count: sorted.length, p50: pct(0.5), p95: pct(0.95), max: sorted.at(-1) ?? NaN });
    latencies = [];
    if (msg.last) ws.close();
  });
  process.send({ cmd: 'ready' });
}

/** Sends the flood until told to stop, reconnecting at once whenever the bridge closes the socket; reports bytes received and the close codes. */
async function flooder(url) {
  const runs = {};
  for (let i = 0; i < RUN_IDS; i++) runs[`unknown-run-${i}`] = 0;
  const flood = JSON.stringify({ type: 'resume', runs });
  let bytes = 0;
  let sent = 0;
  let stopped = false;
  const closes = {};
  let ws;
  const open = () => new Promise((resolve) => {
    ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('message', (data) => (bytes += data.length));
    ws.on('close', (code) => {
      closes[code] = (closes[code] ?? 0) + 1;
      if (!stopped) void open();
    });
    ws.on('error', () => undefined);
    ws.once('open', resolve);
  });
  await open();
  const timer = setInterval(() => {
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(flood);
      sent++;
    }
  }, FLOOD_EVERY_MS);
  process.on('message', (msg) => {
    if (msg.cmd !== 'stop') return;
    stopped = true;
    clearInterval(timer);
    process.send({ cmd: 'flooded', bytes, sent, closes });
    ws.terminate();
  });
  process.send({ cmd: 'ready' });
}

function next(child, cmd) {
  return new Promise((resolve) => {
    const on = (msg) => { if (msg.cmd === cmd) { child.off('message', on); resolve(msg); } };
    child.on('message', on);
  });
}

async function parentMain() {
  const { createWebSocketBridge, hmacAuthenticator, createHmacToken } = await import(new URL('index.js', dist).href);
  const bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET) });
  const url = (user) => `ws://127.0.0.1:${bridge.port}/?token=${createHmacToken(user, SECRET)}`;
  const victimChild = fork(here, ['victim', url('alice')]);
  await next(victimChild, 'ready');
  // An event is due every EVENT_EVERY_MS; latency counts from when it was due, so time the bridge's
  // event loop spends elsewhere (on the flood) before the emit is part of it.
  let seq = 0;
  const t0 = now();
  const emitter = setInterval(() => {
    while (t0 + (seq + 1) * EVENT_EVERY_MS <= now()) {
      seq++;
      bridge.sink.emit({ v: 1, type: 'agent_thinking', seq, userId: 'alice', runId: 'r1', threadId: 't1', ts: Date.now(), payload: { text: `step ${seq}`, sentAt: t0 + seq * EVENT_EVERY_MS } });
    }
  }, 1);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  await sleep(FLOOD_MS);
  victimChild.send({ cmd: 'report' });
  const quiet = await next(victimChild, 'latency');

  const flooderChild = fork(here, ['flooder', url('mallory')]);
  await next(flooderChild, 'ready');
  await sleep(FLOOD_MS);
  flooderChild.send({ cmd: 'stop' });
  const flooded = await next(flooderChild, 'flooded');
  // Events emitted during the flood may still be on their way: give them a moment, then report.
  await sleep(200);
  victimChild.send({ cmd: 'report', last: true });
  const underFlood = await next(victimChild, 'latency');
  clearInterval(emitter);

  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`other user, no flood:    ${quiet.count} events, p50 ${ms(quiet.p50)}, p95 ${ms(quiet.p95)}, max ${ms(quiet.max)}`);
  console.log(`other user, under flood: ${underFlood.count} events, p50 ${ms(underFlood.p50)}, p95 ${ms(underFlood.p95)}, max ${ms(underFlood.max)}`);
  const closes = Object.entries(flooded.closes).map(([code, n]) => `${n} x ${code}`).join(', ');
  console.log(`flooder (reconnects when closed): sent ${flooded.sent} resume requests of ${RUN_IDS} run ids, received ${(flooded.bytes / 1024 / 1024).toFixed(2)} MiB, ` +
    (closes ? `closed ${closes}` : 'never closed'));
  console.log(`acceptance (p95 under flood < 100 ms): ${underFlood.p95 < 100 ? 'pass' : 'FAIL'}`);
  flooderChild.kill();
  victimChild.kill();
  await bridge.close();
  process.exitCode = underFlood.p95 < 100 ? 0 : 1;
}
