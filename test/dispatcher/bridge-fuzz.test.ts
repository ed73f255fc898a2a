import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSocketBridge, hmacAuthenticator, type Run, type WebSocketBridge } from '../../src/dispatcher/index.js';
import { ofRun, openClient, runThrough, tool, type BridgeClient, type Frame } from './bridge-client.js';

/**
 * What a client can send the bridge, at random: JSON of any shape, resume messages with odd run ids
 * (`__proto__`, `constructor`, lone surrogates) and odd seqs (huge, fractional, negative, 1e999),
 * prototype-pollution keys, binary frames, invalid UTF-8, a BOM, UTF-16, fragments, frames past the
 * size limit. Fixed seed and run count, so it runs with the suite and fails the same way every time.
 * Each run opens its own socket; the bridge may close it, but with a close code, and whatever it
 * sends before must be well-formed JSON for this user only. Afterwards the bridge must still serve.
 */

const SECRET = 'bridge-fuzz-secret';
const SEED = 20_240_611;
const RUNS = 200;
const FUZZ_USER = 'mallory';

/** Codes the bridge or ws may close a hostile socket with: unsupported data, invalid UTF-8, too big, protocol error, resume limit, slow consumer. */
const CLOSE_CODES = [1002, 1003, 1007, 1009, 4008, 4029];
const FRAME_TYPES = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed', 'snapshot', 'gap'];

let bridge: WebSocketBridge;
const runIds: string[] = [];
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => void crashes.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // A small log, so that resumes of the older runs answer with snapshots.
  bridge = await createWebSocketBridge({ port: 0, authenticate: hmacAuthenticator(SECRET), replayLimit: 8 });
  const tools = [tool('lookup', () => ({ rows: 3 })), tool('hostile', () => ({ total: 10n }))];
  for (const body of [
    async (run: Run) => { run.thinking('looking'); return (await run.dispatch('lookup', {})).result; },
    async (run: Run) => (await run.dispatch('hostile', {})).status,
    async (run: Run) => { run.thinking('again'); await run.dispatch('lookup', {}); return 'done'; },
  ]) {
    runIds.push((await runThrough(bridge, FUZZ_USER, tools, body)).runId);
  }
});

afterAll(async () => {
  await bridge?.close();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

interface Outgoing {
  data: Buffer | string;
  binary: boolean;
  /** Send as two fragments split at this byte. */
  split?: number;
}

const text = (data: string | Buffer): Outgoing => ({ data, binary: false });

/** Seq values as JSON text, including literals JSON.stringify never writes. */
const seqText = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -1, max: 8 }).map(String) },
  fc.integer({ min: -3, max: 40 }).map(String),
  fc.constantFrom('1e999', '-1e999', '1e308', '9007199254740993', '123456789012345678901234567890', '0.5', '-0', '1E+1', 'null', 'true', '"3"', '[3]', '{"seq":3}'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

/** What a client can send, knowing the ids of some of its user's runs. */
function outgoingFrames(knownRunIds: readonly string[]): fc.Arbitrary<Outgoing> {
  // Mostly known runs, so that resumes reach the log: replays and snapshots.
  const runKey = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...knownRunIds) },
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', '\u0000', '\ud800', '\udfff'),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );

  /** `{"type":"resume","runs":{…}}` written by hand, so keys like __proto__ and duplicate keys reach the bridge as sent. */
  const resumeText = fc
    .tuple(fc.array(fc.tuple(runKey, seqText), { maxLength: 12 }), fc.oneof({ weight: 4, arbitrary: fc.constant('resume') }, fc.constantFrom('Resume', 'resume ', 'snapshot')))
    .map(([entries, type]) => `{"type":${JSON.stringify(type)},"runs":{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}}`);

  const pollution = fc.constantFrom(
    '{"__proto__":{"type":"resume","runs":{"x":0}}}',
    '{"type":"resume","runs":{"__proto__":{"polluted":true}}}',
    '{"type":"resume","runs":{"__proto__":0,"constructor":0,"toString":0}}',
    '{"constructor":{"prototype":{"polluted":true}},"type":"resume","runs":{}}',
    '{"type":"resume","__proto__":{"runs":{"x":0}}}',
    '{"type":"resume","runs":{"constructor":{"prototype":{"polluted":true}}}}',
    '{"type":{"toString":"resume"},"runs":{}}',
    '{"type":["resume"],"runs":{}}',
    '{"type":"resume","runs":[0,1,2]}',
    '{"type":"resume","runs":"run-1"}',
    '{"type":"resume","runs":null}',
    '{"type":"resume"}',
  );

  const invalidUtf8 = fc.oneof(
    fc.constantFrom(
      Buffer.from([0xff]),
      Buffer.from([0xc0, 0x80]), // overlong NUL
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate
      Buffer.from([0xf4, 0x90, 0x80, 0x80]), // past U+10FFFF
      Buffer.from('{"type":"resume","runs":{"\xe2\x82":0}}', 'latin1'), // truncated sequence inside JSON
    ),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from(bytes), Buffer.from([0xfe])])),
  );

  return fc.oneof(
    fc.jsonValue().map((v) => text(JSON.stringify(v))),
    resumeText.map(text),
    pollution.map(text),
    invalidUtf8.map(text),
    fc.uint8Array({ maxLength: 256 }).map((bytes) => ({ data: Buffer.from(bytes), binary: true })),
    resumeText.map((json) => ({ data: Buffer.from(json), binary: true })),
    resumeText.map((json) => text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]))), // BOM
    resumeText.map((json) => text(Buffer.from(json, 'utf16le'))),
    resumeText.chain((json) => fc.nat({ max: json.length }).map((split) => ({ data: Buffer.from(json), binary: false, split }))),
    fc.constantFrom('', ' ', 'null', '0', '"resume"', '[]', '{}', '1e999', '{"type":"resume","runs":{}}  \n').map(text),
    fc.constantFrom(
      () => text('['.repeat(60_000) + ']'.repeat(60_000)), // deep nesting, under the size limit
      () => text(`{"type":"resume","runs":{${Array.from({ length: 1500 }, (_, i) => `"r${i}":0`).join(',')}}}`), // past resumeMaxRunIds
      () => text('x'.repeat(300 * 1024)), // past maxPayload (256 KiB)
    ).map((make) => make()),
  );
}

function send(client: BridgeClient, frame: Outgoing): void {
  const { ws } = client;
  if (ws.readyState !== ws.OPEN) return;
  if (frame.split === undefined) {
    ws.send(frame.data, { binary: frame.binary });
    return;
  }
  const bytes = Buffer.isBuffer(frame.data) ? frame.data : Buffer.from(frame.data);
  ws.send(bytes.subarray(0, frame.split), { binary: frame.binary, fin: false });
  ws.send(bytes.subarray(frame.split), { fin: true });
}

/** A frame the bridge sent is text, valid UTF-8, JSON, one of the known types, and for this socket's user. */
function checkFrame(frame: Frame, userId: string): void {
  expect(frame.binary).toBe(false);
  expect(isUtf8(frame.bytes)).toBe(true);
  expect(frame.json).toBeTypeOf('object');
  const message = frame.json as Record<string, unknown>;
  expect(FRAME_TYPES).toContain(message.type);
  expect(message.runId).toBeTypeOf('string');
  if (message.type === 'snapshot') {
    expect(message.state === null || typeof message.state === 'object').toBe(true);
  } else if (message.type !== 'gap') {
    expect(message.userId).toBe(userId);
    expect(Number.isInteger(message.seq)).toBe(true);
    expect(message.payload).toBeTypeOf('object');
  }
}

describe('fuzzing the bridge with what a client can send', () => {
  it(`${RUNS} runs (seed ${SEED}): every frame sent back is well-formed, every close has a code, and the bridge serves on`, async () => {
    let received = 0;
    let snapshots = 0;
    let closed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(outgoingFrames(runIds), { minLength: 1, maxLength: 4 }), async (frames) => {
        const client = await openClient(bridge.port, FUZZ_USER, SECRET, false);
        try {
          for (const frame of frames) send(client, frame);
          // Answered: the bridge handled every frame before the ping. Not answered: it closed the socket.
          if (!(await client.roundTrip())) {
            expect(CLOSE_CODES).toContain((await client.closed).code);
            closed++;
          }
          expect(crashes).toEqual([]);
          for (const frame of client.frames) checkFrame(frame, FUZZ_USER);
          received += client.frames.length;
          snapshots += client.messages().filter((m) => m.type === 'snapshot').length;
        } finally {
          client.ws.terminate();
          await client.closed;
        }
      }),
      // No shrinking: the runs share one bridge, so a smaller input after a failure would not show what failed.
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The fuzz reached the resume path (replays and snapshots) and the refusals alike.
    expect(received).toBeGreaterThan(0);
    expect(snapshots).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(0);
    expect(crashes).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Another user is served as before: a run reaches its socket, in full.
    const bob = await openClient(bridge.port, 'bob', SECRET);
    try {
      const { runId } = await runThrough(bridge, 'bob', [tool('lookup', () => 1)], async (run) => (await run.dispatch('lookup', {})).result);
      await bob.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
      expect(ofRun(bob.messages(), runId).map((m) => m.type)).toEqual(['agent_started', 'tool_executing', 'tool_completed', 'agent_completed']);
      for (const frame of bob.frames) checkFrame(frame, 'bob');
    } finally {
      bob.ws.terminate();
    }
    // And the fuzzed user can still resume its runs from the start.
    const mallory = await openClient(bridge.port, FUZZ_USER, SECRET, Object.fromEntries(runIds.map((id) => [id, 0])));
    try {
      const last = runIds.at(-1) ?? '';
      await mallory.waitFor((m) => ofRun(m, last, 'agent_completed').length > 0);
      for (const frame of mallory.frames) checkFrame(frame, FUZZ_USER);
    } finally {
      mallory.ws.terminate();
    }
  });
});
