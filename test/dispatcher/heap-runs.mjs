// Child process of heap.test.ts (run with --expose-gc): 10,000 runs in batches, heapUsed after a
// full GC at the end of each batch, printed as JSON. Imports the built library.
import { randomUUID } from 'node:crypto';
import { createToolDispatcher, createUserContext, defineTool } from '../../dist/dispatcher/index.js';

const BATCHES = Number(process.argv[2] ?? 20);
const PER_BATCH = Number(process.argv[3] ?? 500);
// `leak`: keep every dispatcher, to show that the parent's trend check catches a real leak.
const retained = process.argv[4] === 'leak' ? [] : undefined;

const tools = [
  defineTool({
    name: 'lookup', description: 'echo', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
    handler: async (params) => ({ answer: params.q.toUpperCase() }),
  }),
  defineTool({ name: 'fail', description: 'throws', parameters: { type: 'object' }, handler: () => { throw new Error('nope'); } }),
  defineTool({
    name: 'hang', description: 'times out', timeoutMs: 2, parameters: { type: 'object' },
    handler: (_params, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
  }),
];

async function oneRun(i) {
  const context = createUserContext({ userId: `user-${i % 97}`, runId: `run-${randomUUID()}`, threadId: `thread-${i}` });
  let delivered = 0;
  const dispatcher = createToolDispatcher(context, { tools, sink: { emit: () => { delivered++; } } });
  dispatcher.on(() => undefined);
  const controller = new AbortController();
  if (i % 10 === 0) controller.abort();
  await dispatcher.run(async (run) => {
    run.thinking('working');
    await Promise.all([run.dispatch('lookup', { q: 'x' }), run.dispatch('fail', {}), run.dispatch('lookup', { q: 1 }), run.dispatch('missing', {})]);
    if (i % 5 === 0) await run.dispatch('hang', {});
    if (i % 7 === 0) throw new Error('body failed');
    return 'done';
  }, { signal: controller.signal, input: { i } });
  await dispatcher.flush();
  dispatcher.dispose();
  retained?.push(dispatcher);
  if (delivered < 2) throw new Error('events not delivered');
}

const heap = [];
for (let batch = 0; batch < BATCHES; batch++) {
  await Promise.all(Array.from({ length: PER_BATCH }, (_, j) => oneRun(batch * PER_BATCH + j)));
  await new Promise((resolve) => setImmediate(resolve));
  globalThis.gc();
  globalThis.gc();
  heap.push(process.memoryUsage().heapUsed);
}
process.stdout.write(JSON.stringify({ runs: BATCHES * PER_BATCH, heap }));
