import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeSerialize } from '../../src/dispatcher/safe-serialize.js';

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function event(type: string, payload: unknown): Record<string, unknown> {
  return { v: 1, type, seq: 3, userId: 'alice', runId: 'r1', threadId: 't1', ts: 1, payload };
}

/**
 * Makers of values JSON.stringify throws on or drops. Made inside the property: fast-check itself
 * cannot hold a revoked proxy as a generated value.
 */
const hostile = fc.constantFrom<() => unknown>(
  () => 1n,
  () => { const o: Record<string, unknown> = {}; o.self = o; return o; },
  () => ({ get x(): never { throw new Error('getter'); } }),
  () => ({ toJSON(): never { throw new Error('toJSON'); } }),
  revoked,
  () => () => 1,
  () => Symbol('s'),
);

describe('safeSerialize', () => {
  it('writes a frame JSON can carry exactly as JSON.stringify does', () => {
    const frame = event('tool_completed', { tool: 'lookup', status: 'success', result: { rows: [1, 2] }, durationMs: 2 });
    expect(safeSerialize(frame)).toBe(JSON.stringify(frame));
  });

  it.each([
    ['tool_completed', { tool: 'sum', status: 'success', result: 10n, durationMs: 1 }, { tool: 'sum', status: 'error', error: 'result cannot be sent as JSON: Do not know how to serialize a BigInt', durationMs: 1 }],
    ['agent_completed', { status: 'success', result: () => 1, durationMs: 1 }, { status: 'error', error: 'result is a function, which JSON cannot carry', durationMs: 1 }],
    ['tool_executing', { tool: 'sum', params: { n: 1n } }, { tool: 'sum', error: 'params cannot be sent as JSON: Do not know how to serialize a BigInt' }],
    ['agent_started', revoked(), { error: expect.stringMatching(/^payload cannot be read: .*revoked/) }],
  ])('%s with what JSON cannot carry: the field is left out and named in the error', (type, payload, expected) => {
    const sent = JSON.parse(safeSerialize(event(type, payload))) as Record<string, unknown>;
    expect(sent).toEqual({ ...event(type, undefined), payload: expected });
  });

  it('keeps a __proto__ field a plain field when it rebuilds a payload', () => {
    const payload = JSON.parse('{"__proto__":{"polluted":true},"status":"success","result":0}') as Record<string, unknown>;
    payload.result = 1n;
    const text = safeSerialize(event('agent_completed', payload));
    expect(text).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('frames that are not objects become an object with an error', () => {
    expect(JSON.parse(safeSerialize(1n))).toEqual({ error: 'frame cannot be sent as JSON: Do not know how to serialize a BigInt' });
    expect(JSON.parse(safeSerialize(undefined))).toEqual({ error: 'a frame of type undefined cannot be sent as JSON' });
    expect(JSON.parse(safeSerialize(() => 1))).toEqual({ error: 'a frame of type function cannot be sent as JSON' });
  });

  it('never throws and always writes JSON, whatever the payload holds (fixed seed)', () => {
    const where = fc.constantFrom('payload', 'field', 'nested', 'none');
    fc.assert(
      fc.property(fc.constantFrom('agent_started', 'tool_executing', 'tool_completed', 'agent_completed'), fc.anything(), hostile, where, (type, value, make, at) => {
        const payload = at === 'payload' ? make() : at === 'field' ? { status: 'success', result: make(), value } : at === 'nested' ? { result: { value, nested: [make()] } } : value;
        const text = safeSerialize(event(type, payload));
        expect(typeof JSON.parse(text)).toBe('object');
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
