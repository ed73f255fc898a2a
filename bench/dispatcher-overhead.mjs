// Dispatch overhead per call: `dispatcher.dispatch(name, params)` (lookup, JSON Schema validation,
// timeout and cancellation wiring, metrics) against calling the same handler directly, in one run.
import { createToolDispatcher, createUserContext, defineTool } from '../dist/dispatcher/index.js';

const N = Number(process.env.BENCH_CALLS ?? 100_000);
const handler = async ({ a, b }) => a + b;
const add = defineTool({
  name: 'add',
  description: 'adds two numbers',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  handler,
});
const context = createUserContext({ userId: 'bench-user', runId: 'bench-run', threadId: 'bench-thread' });
const dispatcher = createToolDispatcher(context, { tools: [add] });

async function time(label, fn) {
  for (let i = 0; i < 2_000; i++) await fn(i); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn(i);
  const ns = Number(process.hrtime.bigint() - started);
  return { label, perCallUs: ns / N / 1000 };
}

const direct = await time('handler called directly', (i) => handler({ a: i, b: 1 }, { signal: AbortSignal.timeout(30_000), context }));
const viaDispatch = await time('dispatcher.dispatch()', (i) => dispatcher.dispatch('add', { a: i, b: 1 }));
const bare = await time('handler, no signal', (i) => handler({ a: i, b: 1 }));
for (const r of [bare, direct, viaDispatch]) console.log(`${r.label.padEnd(28)} ${r.perCallUs.toFixed(2).padStart(8)} µs/call`);
console.log(`dispatch overhead: ${(viaDispatch.perCallUs - bare.perCallUs).toFixed(2)} µs/call, ${(viaDispatch.perCallUs / bare.perCallUs).toFixed(1)}x a bare handler call, ${(viaDispatch.perCallUs / direct.perCallUs).toFixed(1)}x a handler call with its own timeout signal`);
const m = dispatcher.metrics();
console.log(`metrics: ${m.calls} calls, success rate ${m.successRate}, p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms`);
dispatcher.dispose();
