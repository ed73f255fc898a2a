import { describe, expect, it } from 'vitest';
import { bridgesPerTest, ofRun, revokedProxy, runThrough, tool } from './bridge-client.js';

/**
 * Values a tool or a run body may throw that String() or `.message` cannot read. Before
 * describeThrown, turning them into text threw inside the dispatcher: an unhandled rejection (the
 * process exits) and a run that never completed until its timeout.
 */

const SECRET = 'thrown-values-secret';
const { setup } = bridgesPerTest(SECRET);

function nullPrototype(): unknown {
  return Object.create(null);
}
function throwingToString(): unknown {
  return { toString(): never { throw new Error('toString exploded'); } };
}
function errorWithThrowingMessage(): unknown {
  const error = new Error('hidden');
  Object.defineProperty(error, 'message', { get(): never { throw new Error('message getter exploded'); } });
  return error;
}

/** What is thrown, and a pattern the reported error must match. */
const thrown: Array<[string, () => unknown, RegExp]> = [
  ['Object.create(null)', nullPrototype, /object/i],
  ['an object whose toString throws', throwingToString, /object/i],
  ['a revoked proxy', revokedProxy, /proxy|object/i],
  ['an Error whose message getter throws', errorWithThrowingMessage, /Error/],
  ['a BigInt', () => 7n, /7/],
  ['a symbol', () => Symbol('why'), /Symbol\(why\)/],
  ['undefined', () => undefined, /undefined/],
];

describe('thrown values String() cannot read', () => {
  it.each(thrown)('a run body throwing %s ends with agent_completed {status: error}, not timeout', async (_name, make, message) => {
    const { bridge, client } = await setup('alice');
    const { runId, result } = await runThrough(bridge, 'alice', [], () => {
      throw make();
    });
    expect(result.status).toBe('error');
    expect(result.error).toMatch(message);
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    const completed = ofRun(client.messages(), runId, 'agent_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.payload).toMatchObject({ status: 'error', error: result.error });
  });

  it.each(thrown)('a tool throwing %s completes with status error, and its run goes on', async (_name, make, message) => {
    const { bridge, client } = await setup('alice');
    const { runId, result } = await runThrough(bridge, 'alice', [tool('thrower', () => { throw make(); })], async (run) => {
      const r = await run.dispatch('thrower', {});
      return r.status;
    });
    expect(result).toMatchObject({ status: 'success', result: 'error' });
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    const completed = ofRun(client.messages(), runId, 'tool_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.payload).toMatchObject({ status: 'error', error: expect.stringMatching(message) });
    expect(ofRun(client.messages(), runId, 'agent_completed')).toHaveLength(1);
  });

  it('a tool rejecting with a revoked proxy from an async handler completes with status error', async () => {
    const { bridge, client } = await setup('alice');
    const { runId, result } = await runThrough(bridge, 'alice', [tool('thrower', () => Promise.reject(revokedProxy()))], (run) => run.dispatch('thrower', {}));
    expect(result).toMatchObject({ status: 'success', result: { status: 'error' } });
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    expect(ofRun(client.messages(), runId, 'tool_completed')[0]?.payload).toMatchObject({ status: 'error' });
  });
});
