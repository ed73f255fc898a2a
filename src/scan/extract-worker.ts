import { workerData } from 'node:worker_threads';
import type { WorkerData, WorkerMessage, WorkerResult } from './extract-parallel.js';
import { extractFacts } from './extract-facts.js';
import { readSource } from './read-source.js';

/**
 * Worker side of parallel extraction: takes the next file from the counter it shares with the main
 * thread and the other workers (in the order `order` gives), reads it itself (no text crosses threads),
 * extracts its facts with TypeScript's parser and sends the results on its port in batches, facts as
 * JSON, then 'done'.
 */

/** Results per message: few enough for the main thread to use facts early, enough to keep messages rare. */
const BATCH = 16;

function run({ paths, order, shared, port }: WorkerData): void {
  const send = (message: WorkerMessage): void => port!.postMessage(message);
  let batch: WorkerResult[] = [];
  for (;;) {
    const k = Atomics.add(shared, 0, 1);
    if (k >= paths.length) break;
    const i = order ? order[k]! : k;
    const abs = paths[i]!;
    const source = readSource(abs);
    // As JSON: cloning it costs the main thread a JSON.parse, far less than a structured clone of the
    // objects, and the facts cache writes that same text without serializing the facts again.
    batch.push([i, source.ok ? JSON.stringify(extractFacts(abs, source.text)) : { unreadable: source.detail }]);
    if (batch.length >= BATCH) {
      send(batch);
      batch = [];
    }
  }
  if (batch.length) send(batch);
  send('done');
}

run(workerData as WorkerData);
