import { parentPort, workerData } from 'node:worker_threads';
import type { OxcWorkerResult } from './extract-parallel.js';
import { extractFactsOxc, oxcAvailable, rawTransfer } from './extract-facts-oxc.js';
import { readSource } from './read-source.js';

/**
 * Worker side of oxc extraction: takes the next job from the counter it shares with the main thread
 * and the other workers, reads the file itself (no text crosses threads) and sends every result back
 * at the end. Files oxc cannot take are marked for the main thread, which holds the TypeScript extractor.
 */
function run({ paths, shared }: { paths: string[]; shared: Int32Array }): OxcWorkerResult[] {
  const out: OxcWorkerResult[] = [];
  if (!oxcAvailable) return out; // takes nothing: the main thread extracts every file with TypeScript
  for (;;) {
    const i = Atomics.add(shared, 0, 1);
    if (i >= paths.length) return out;
    const abs = paths[i]!;
    const source = readSource(abs);
    if (!source.ok) out.push([i, { unreadable: source.detail }]);
    else {
      const facts = extractFactsOxc(abs, source.text, rawTransfer);
      // As JSON: cloning it costs the main thread a JSON.parse, far less than a structured clone of the
      // objects, and the facts cache writes that same text without serializing the facts again.
      out.push([i, 'fallback' in facts ? 'fallback' : JSON.stringify(facts)]);
    }
    Atomics.add(shared, 1, 1);
  }
}
parentPort!.postMessage(run(workerData as { paths: string[]; shared: Int32Array }));
