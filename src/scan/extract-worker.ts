import { parentPort } from 'node:worker_threads';
import type { FileFacts } from '../types.js';
import { extractFacts } from './extract-facts.js';
import { readSource } from './read-source.js';

/** Worker side of parallel extraction: reads each file itself (no text crosses threads) and returns facts in order. */
parentPort!.on('message', (paths: string[]) => {
  const out: (FileFacts | { unreadable: string })[] = paths.map((abs) => {
    const source = readSource(abs);
    return source.ok ? extractFacts(abs, source.text) : { unreadable: source.detail };
  });
  parentPort!.postMessage(out);
});
