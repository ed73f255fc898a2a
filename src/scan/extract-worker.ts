import { workerData } from 'node:worker_threads';
import { HANDOFF_SLOT, type ExtractorName, type WorkerData, type WorkerMessage, type WorkerResult } from './extract-parallel.js';
import type { FileFacts } from '../types.js';
import { readSource } from './read-source.js';

/**
 * Worker side of parallel extraction: takes the next file from the counter it shares with the main
 * thread and the other workers (in the order `order` gives), reads it itself (no text crosses threads)
 * and sends the results on its port in batches, facts as JSON, then 'done'. Files oxc cannot take are
 * marked for the main thread, which holds the TypeScript extractor.
 */
async function load(extractor: ExtractorName): Promise<((abs: string, text: string) => FileFacts | 'fallback') | undefined> {
  if (extractor === 'typescript') {
    const { extractFacts } = await import('./extract-facts.js');
    return extractFacts;
  }
  const oxc = await import('./extract-facts-oxc.js');
  if (!oxc.oxcAvailable) return undefined;
  return (abs, text) => {
    const facts = oxc.extractFactsOxc(abs, text, oxc.rawTransfer);
    return 'fallback' in facts ? 'fallback' : facts;
  };
}

/** Results per message: few enough for the main thread to use facts early, enough to keep messages rare. */
const BATCH = 16;

async function run({ extractor, paths, order, shared, port, handoff }: WorkerData): Promise<void> {
  const send = (message: WorkerMessage): void => port!.postMessage(message);
  let batch: WorkerResult[] = [];
  const extract = await load(extractor);
  // A TypeScript worker that takes over from a head start's oxc workers: they stop taking files now.
  if (extract && handoff === 'take-over') Atomics.store(shared, HANDOFF_SLOT, 1);
  // Without an extractor it takes nothing: the main thread extracts every file with TypeScript.
  for (;;) {
    if (!extract) break;
    if (handoff === 'yield' && Atomics.load(shared, HANDOFF_SLOT) !== 0) break;
    const k = Atomics.add(shared, 0, 1);
    if (k >= paths.length) break;
    const i = order ? order[k]! : k;
    const abs = paths[i]!;
    const source = readSource(abs);
    if (!source.ok) batch.push([i, { unreadable: source.detail }]);
    else {
      const facts = extract(abs, source.text);
      // As JSON: cloning it costs the main thread a JSON.parse, far less than a structured clone of the
      // objects, and the facts cache writes that same text without serializing the facts again.
      batch.push([i, facts === 'fallback' ? 'fallback' : JSON.stringify(facts)]);
    }
    Atomics.add(shared, 1, 1);
    if (batch.length >= BATCH) {
      send(batch);
      batch = [];
    }
  }
  if (batch.length) send(batch);
  send('done');
}

await run(workerData as WorkerData);
