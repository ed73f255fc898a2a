import { describe, expect, it } from 'vitest';
import { createReplayStore, type GapFrame } from '../../src/dispatcher/bridge-replay-log.js';
import { parseGapNotice } from '../../src/dispatcher/redis-event-bus.js';
import type { EventEnvelope } from '../../src/dispatcher/types.js';

function ev(seq: number, runId = 'r1'): EventEnvelope {
  return { v: 1, type: 'agent_thinking', seq, userId: 'alice', runId, threadId: 'th1', ts: 0, payload: { text: `t${seq}` } };
}

function store(): { frames: GapFrame[]; log: ReturnType<typeof createReplayStore> } {
  const frames: GapFrame[] = [];
  const log = createReplayStore({ perUser: 100, maxUsers: 10, isConnected: () => true, onGap: (_user, frame) => frames.push(frame) });
  return { frames, log };
}

describe('replay log gaps', () => {
  it('a contiguous run has no gaps: a resume from its last seq answers nothing', () => {
    const { frames, log } = store();
    for (let seq = 1; seq <= 5; seq++) log.append(ev(seq));
    expect(log.plan('alice', 'r1', 5)).toEqual({ after: 5 });
    expect(frames).toEqual([]);
  });

  it('a jump in seq is a gap: told at once, and every resume of the run answers a snapshot listing it', () => {
    const { frames, log } = store();
    for (const seq of [1, 2, 6, 7]) log.append(ev(seq));
    log.append(ev(3, 'late')); // a run first seen at seq 3 lacks 1..2
    expect(frames).toEqual([
      { type: 'gap', runId: 'r1', fromSeq: 3, toSeq: 5 },
      { type: 'gap', runId: 'late', fromSeq: 1, toSeq: 2 },
    ]);
    expect(log.plan('alice', 'r1', 7)).toMatchObject({ snapshot: { lastSeq: 7, eventCount: 4, gaps: [{ fromSeq: 3, toSeq: 5 }] }, after: 7 });
    expect(log.plan('alice', 'late', 0)).toMatchObject({ snapshot: { gaps: [{ fromSeq: 1, toSeq: 2 }] }, after: 0 });
  });

  it('an outage leaves unfinished runs open-ended until their next event shows whether something was lost', () => {
    const { frames, log } = store();
    for (let seq = 1; seq <= 3; seq++) log.append(ev(seq, 'settles'));
    for (let seq = 1; seq <= 3; seq++) log.append(ev(seq, 'jumps'));
    for (let seq = 1; seq <= 3; seq++) log.append(ev(seq, 'quiet'));
    log.append({ ...ev(1, 'done'), type: 'agent_completed', payload: { status: 'success', durationMs: 1 } });
    log.markGap({ reason: 'outage', userId: 'alice' });
    expect(frames).toEqual([
      { type: 'gap', runId: 'settles', fromSeq: 4 },
      { type: 'gap', runId: 'jumps', fromSeq: 4 },
      { type: 'gap', runId: 'quiet', fromSeq: 4 },
      { type: 'gap', runId: null },
    ]);
    log.append(ev(4, 'settles'));
    log.append(ev(9, 'jumps'));
    expect(log.plan('alice', 'settles', 4)).toEqual({ after: 4 });
    expect(log.plan('alice', 'jumps', 9)).toMatchObject({ snapshot: { gaps: [{ fromSeq: 4, toSeq: 8 }] } });
    expect(log.plan('alice', 'quiet', 3)).toMatchObject({ snapshot: { gaps: [{ fromSeq: 4 }] } });
    expect(log.plan('alice', 'done', 0)).toEqual({ after: 0 }); // a completed run lost nothing after its last event
  });

  it('a publisher\'s drop notice is recorded once, also for a run not seen yet', () => {
    const { frames, log } = store();
    log.markGap({ reason: 'dropped', userId: 'alice', runId: 'unseen', fromSeq: 4, toSeq: 9 });
    log.markGap({ reason: 'dropped', userId: 'alice', runId: 'unseen', fromSeq: 5, toSeq: 6 });
    for (let seq = 1; seq <= 3; seq++) log.append(ev(seq, 'unseen'));
    log.append(ev(10, 'unseen')); // the jump 4..9 is the notice's range: nothing new to tell
    expect(frames).toEqual([{ type: 'gap', runId: 'unseen', fromSeq: 4, toSeq: 9 }]);
    expect(log.plan('alice', 'unseen', 0)).toMatchObject({ snapshot: { threadId: 'th1', lastSeq: 10, gaps: [{ fromSeq: 4, toSeq: 9 }] } });
  });
});

describe('parseGapNotice', () => {
  it('accepts a notice for its channel\'s user and rejects the rest', () => {
    expect(parseGapNotice('{"v":1,"gap":{"runId":"r1","fromSeq":3,"toSeq":5}}', 'alice')).toEqual({ reason: 'dropped', userId: 'alice', runId: 'r1', fromSeq: 3, toSeq: 5 });
    expect(parseGapNotice('{"v":1,"gap":{}}', 'alice')).toEqual({ reason: 'outage', userId: 'alice' });
    for (const bad of ['', 'null', '{"v":2,"gap":{}}', '{"v":1}', '{"v":1,"gap":[]}', '{"v":1,"gap":{"runId":"r1","fromSeq":0,"toSeq":5}}', '{"v":1,"gap":{"runId":"r1","fromSeq":5,"toSeq":3}}', '{"v":1,"gap":{"runId":7,"fromSeq":1,"toSeq":2}}']) {
      expect(parseGapNotice(bad, 'alice')).toBeUndefined();
    }
  });
});
