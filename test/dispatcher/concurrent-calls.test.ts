import { describe, expect, it } from 'vitest';
import { bridgesPerTest, ofRun, runThrough, tool } from './bridge-client.js';

const SECRET = 'concurrent-calls-secret';
const { setup } = bridgesPerTest(SECRET);

describe('many concurrent calls in one run', () => {
  it('50 calls at once: no MaxListenersExceededWarning, 50 completions and one agent_completed on the socket', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { bridge, client } = await setup('alice');
      const controller = new AbortController();
      const { runId, result } = await runThrough(bridge, 'alice', [tool('wait', () => new Promise((resolve) => setImmediate(() => resolve(1))))], async (run) => {
        const calls = Array.from({ length: 50 }, () => run.dispatch('wait', {}, { signal: controller.signal }));
        return (await Promise.all(calls)).filter((r) => r.status === 'success').length;
      });
      expect(result).toMatchObject({ status: 'success', result: 50 });
      await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
      expect(ofRun(client.messages(), runId, 'tool_completed')).toHaveLength(50);
      expect(ofRun(client.messages(), runId, 'agent_completed')).toHaveLength(1);
      // process 'warning' is emitted on the next tick after the listener was added.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });
});

describe('aborting many waiting calls', () => {
  it('one abort of their shared signal settles all 50 (4 executing, 46 waiting for a slot) as cancelled', async () => {
    const { bridge, client } = await setup('alice');
    const controller = new AbortController();
    let executing = 0;
    const hang = tool('hang', () => {
      if (++executing === 4) setImmediate(() => controller.abort());
      return new Promise(() => undefined);
    });
    const { runId, result } = await runThrough(bridge, 'alice', [hang], async (run) => {
      const calls = Array.from({ length: 50 }, () => run.dispatch('hang', {}, { signal: controller.signal }));
      return (await Promise.all(calls)).map((r) => r.status);
    });
    expect(result.status).toBe('success');
    expect(result.result).toEqual(Array.from({ length: 50 }, () => 'cancelled'));
    await client.waitFor((m) => ofRun(m, runId, 'agent_completed').length > 0);
    // Calls refused while waiting emit nothing; the 4 that started complete as cancelled.
    expect(ofRun(client.messages(), runId, 'tool_executing')).toHaveLength(4);
    expect(ofRun(client.messages(), runId, 'tool_completed').map((m) => (m.payload as { status: string }).status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(ofRun(client.messages(), runId, 'agent_completed')).toHaveLength(1);
  });
});
