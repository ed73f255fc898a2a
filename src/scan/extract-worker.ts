import { parentPort, workerData } from 'node:worker_threads';
import type { ExtractorName, WorkerData, WorkerResult } from './extract-parallel.js';
import type { FileFacts } from '../types.js';
import { readSource } from './read-source.js';

/**
 * Worker side of parallel extraction: takes the next file from the counter it shares with the main
 * thread and the other workers (in the order `order` gives), reads it itself (no text crosses threads)
 * and sends every result back at the end, facts as JSON. Files oxc cannot take are marked for the main
 * thread, which holds the TypeScript extractor.
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

async function run({ extractor, paths, order, shared }: WorkerData): Promise<WorkerResult[]> {
  const out: WorkerResult[] = [];
  const extract = await load(extractor);
  if (!extract) return out; // takes nothing: the main thread extracts every file with TypeScript
  for (;;) {
    const k = Atomics.add(shared, 0, 1);
    if (k >= paths.length) return out;
    const i = order ? order[k]! : k;
    const abs = paths[i]!;
    const source = readSource(abs);
    if (!source.ok) out.push([i, { unreadable: source.detail }]);
    else {
      const facts = extract(abs, source.text);
      // As JSON: cloning it costs the main thread a JSON.parse, far less than a structured clone of the
      // objects, and the facts cache writes that same text without serializing the facts again.
      out.push([i, facts === 'fallback' ? 'fallback' : JSON.stringify(facts)]);
    }
    Atomics.add(shared, 1, 1);
  }
}

parentPort!.postMessage(await run(workerData as WorkerData));
