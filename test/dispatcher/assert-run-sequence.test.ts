import { describe, expect, it } from 'vitest';
import { assertRunSequence, type EventEnvelope, type EventType } from '../../src/dispatcher/index.js';

type Spec = [EventType, number, string?] | [EventType, number, string | undefined, Partial<EventEnvelope>];

function run(specs: Spec[], ids: Partial<EventEnvelope> = {}): EventEnvelope[] {
  return specs.map(([type, seq, toolCallId, extra]) => ({
    v: 1, type, seq, userId: 'u1', runId: 'r1', threadId: 't1', ts: 0, payload: {},
    ...(toolCallId ? { toolCallId } : {}), ...ids, ...(extra ?? {}),
  }));
}

const good: Spec[] = [['agent_started', 1], ['agent_thinking', 2], ['tool_executing', 3, 'c1'], ['tool_completed', 4, 'c1'], ['agent_completed', 5]];

describe('assertRunSequence', () => {
  it('accepts well-formed, interleaved runs and summarizes them', () => {
    const a = run(good);
    const b = run(good, { userId: 'u2', runId: 'r2', threadId: 't2' });
    const interleaved = a.flatMap((event, i) => [event, b[i]!]);
    expect(assertRunSequence(interleaved)).toEqual({ runs: 2, events: 10 });
    expect(assertRunSequence([])).toEqual({ runs: 0, events: 0 });
  });

  it.each<[string, EventEnvelope[], RegExp]>([
    ['first event is not agent_started', run([['agent_thinking', 1], ['agent_completed', 2]]), /run u1\/r1: event #0 \(agent_thinking seq 1\): the first event must be agent_started with seq 1/],
    ['agent_started does not have seq 1', run([['agent_started', 2], ['agent_completed', 3]]), /the first event must be agent_started with seq 1/],
    ['a gap in seq', run([['agent_started', 1], ['agent_thinking', 3], ['agent_completed', 4]]), /event #1 \(agent_thinking seq 3\): expected seq 2/],
    ['a repeated seq', run([['agent_started', 1], ['agent_thinking', 1], ['agent_completed', 2]]), /expected seq 2/],
    ['a second agent_started', run([['agent_started', 1], ['agent_started', 2], ['agent_completed', 3]]), /agent_started must come once, first/],
    ['no agent_completed', run([['agent_started', 1], ['agent_thinking', 2]]), /run u1\/r1: no agent_completed \(last seq 2\)/],
    ['events after agent_completed', run([['agent_started', 1], ['agent_completed', 2], ['agent_thinking', 3]]), /event #2 \(agent_thinking seq 3\): event after agent_completed/],
    ['two agent_completed', run([['agent_started', 1], ['agent_completed', 2], ['agent_completed', 3]]), /event after agent_completed/],
    ['tool_executing never completed', run([['agent_started', 1], ['tool_executing', 2, 'c1'], ['agent_completed', 3]]), /agent_completed while tool calls are open: c1/],
    ['tool_completed without tool_executing', run([['agent_started', 1], ['tool_completed', 2, 'c9'], ['agent_completed', 3]]), /tool_completed for toolCallId c9 without tool_executing/],
    ['tool_completed twice', run([['agent_started', 1], ['tool_executing', 2, 'c1'], ['tool_completed', 3, 'c1'], ['tool_completed', 4, 'c1'], ['agent_completed', 5]]), /second tool_completed for toolCallId c1/],
    ['a reused toolCallId', run([['agent_started', 1], ['tool_executing', 2, 'c1'], ['tool_completed', 3, 'c1'], ['tool_executing', 4, 'c1'], ['tool_completed', 5, 'c1'], ['agent_completed', 6]]), /toolCallId c1 was already used/],
    ['a tool event without toolCallId', run([['agent_started', 1], ['tool_executing', 2], ['agent_completed', 3]]), /tool_executing needs a toolCallId/],
    ['a threadId change', run([['agent_started', 1], ['agent_thinking', 2, undefined, { threadId: 't2' }], ['agent_completed', 3]]), /threadId t2 differs from the run's t1/],
    ['a runId under two users', [...run(good), ...run(good, { userId: 'u2' })], /runId r1 already belongs to user u1/],
    ['a wrong version', run([['agent_started', 1, undefined, { v: 2 as 1 }]]), /v must be 1/],
    ['an unknown type', run([['agent_started', 1], ['agent_paused' as EventType, 2], ['agent_completed', 3]]), /unknown type/],
    ['an empty userId', run([['agent_started', 1, undefined, { userId: '' }]]), /userId must be a non-empty string/],
    ['a non-integer seq', run([['agent_started', 1.5]]), /seq must be a positive integer/],
    ['a missing payload', run([['agent_started', 1, undefined, { payload: undefined as never }]]), /payload must be an object/],
  ])('rejects %s', (_name, events, message) => {
    expect(() => assertRunSequence(events)).toThrow(message);
  });
});
