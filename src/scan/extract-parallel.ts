import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from '../types.js';
import { mark } from '../timing.js';
import { readSource } from './read-source.js';

export interface ExtractJob {
  abs: string;
  size: number;
  /** The text, when the caller still has it; otherwise the file is read again. */
  text?: string;
}

/** Facts, or why the file could not be read when it was read again. */
export type ExtractResult = FileFacts | { unreadable: string };

/**
 * Below this many bytes of source to parse, workers cost more than they save: each one loads its own
 * copy of the compiler, so small and warm runs parse on the main thread only. Measured on 2 cores:
 * a 9.8 MB and a 20.5 MB codebase were slower with a worker, a 51 MB one 10% faster.
 * `SSOT_PARALLEL_MIN_BYTES` overrides it (the tests force the worker path with 0).
 */
export const PARALLEL_MIN_BYTES = Number(process.env.SSOT_PARALLEL_MIN_BYTES ?? 24 * 1024 * 1024);

/**
 * Extract facts on the main thread plus `threads - 1` workers. Files are dealt by size so every
 * thread gets about the same number of bytes; workers read their files themselves, so no source
 * text is copied between threads; results come back in input order.
 */
export async function extractAll(jobs: ExtractJob[], options: { threads?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<ExtractResult[]> {
  const mode = extractorMode();
  if (mode !== 'typescript') {
    const viaOxc = await extractWithOxc(jobs, mode === 'check', options.onProgress);
    if (viaOxc) return viaOxc;
  }
  const bytes = jobs.reduce((n, j) => n + j.size, 0);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 4));
  const { extractFacts } = await import('./extract-facts.js');
  const { saveCompilerCache } = await import('./compiler.js');
  mark('compiler loaded');
  const local = (job: ExtractJob): ExtractResult => {
    if (job.text !== undefined) return extractFacts(job.abs, job.text);
    const source = readSource(job.abs);
    return source.ok ? extractFacts(job.abs, source.text) : { unreadable: source.detail };
  };
  let done = 0;
  const tick = (n = 1): void => options.onProgress?.((done += n), jobs.length);
  if (threads === 1 || bytes < PARALLEL_MIN_BYTES) {
    const facts = jobs.map((job) => {
      const r = local(job);
      tick();
      return r;
    });
    saveCompilerCache();
    return facts;
  }
  // Greedy partition by size: largest first, each to the lightest share.
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.size - jobs[a]!.size);
  const shares: number[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  for (const i of order) {
    let k = 0;
    for (let t = 1; t < threads; t++) if (load[t]! < load[k]!) k = t;
    shares[k]!.push(i);
    load[k]! += jobs[i]!.size;
  }
  const results = new Array<ExtractResult>(jobs.length);
  const workers = shares.slice(1).map((share) =>
    runWorker(share.map((i) => jobs[i]!.abs)).then((facts) => {
      share.forEach((i, n) => (results[i] = facts[n]!));
      tick(share.length);
    }),
  );
  for (const i of shares[0]!) {
    results[i] = local(jobs[i]!);
    tick();
  }
  mark('main thread share extracted');
  saveCompilerCache();
  await Promise.all(workers);
  return results;
}

/**
 * Which extractor parses: `SSOT_EXTRACTOR=typescript` (the default), `oxc`, or `check` (both, failing on
 * the first file whose facts differ; the test suite runs once this way in CI). oxc is opt-in: on Node 22
 * and later, where its raw transfer hands the AST over without JSON, a cold scan of medusa took
 * 3.4-4.0 s against 4.5-4.9 s, but peaked at 608 MiB against 408 MiB on 10,000 files; on Node 20 it
 * must go through JSON and is slower than TypeScript's parser.
 */
export function extractorMode(): 'typescript' | 'oxc' | 'check' {
  const setting = process.env.SSOT_EXTRACTOR;
  return setting === 'oxc' || setting === 'check' ? setting : 'typescript';
}

/**
 * Facts through oxc-parser, on the main thread. Files oxc cannot take (a parse error, JSDoc `import()`
 * types) go to the TypeScript extractor, which is loaded only then. Undefined when oxc-parser's native
 * binding does not load here: the caller falls back to TypeScript for everything.
 */
async function extractWithOxc(jobs: ExtractJob[], check: boolean, onProgress?: (done: number, total: number) => void): Promise<ExtractResult[] | undefined> {
  const oxc = await import('./extract-facts-oxc.js');
  if (!oxc.oxcAvailable) {
    if (check) throw new Error('SSOT_EXTRACTOR=check: oxc-parser is not installed (npm install oxc-parser@0.159.0) or does not load on this platform');
    return undefined;
  }
  mark('oxc loaded');
  const rawTransfer = oxc.rawTransfer;
  const ts = check ? await import('./extract-facts.js') : undefined;
  const results = new Array<ExtractResult>(jobs.length);
  const fallback: { index: number; text: string }[] = [];
  jobs.forEach((job, i) => {
    let text = job.text;
    if (text === undefined) {
      const source = readSource(job.abs);
      if (!source.ok) {
        results[i] = { unreadable: source.detail };
        return;
      }
      text = source.text;
    }
    const facts = oxc.extractFactsOxc(job.abs, text, rawTransfer);
    if ('fallback' in facts) fallback.push({ index: i, text });
    else {
      if (ts) compareFacts(job.abs, facts, ts.extractFacts(job.abs, text));
      results[i] = facts;
    }
    onProgress?.(i + 1, jobs.length);
  });
  if (fallback.length) {
    const { extractFacts } = ts ?? (await import('./extract-facts.js'));
    for (const { index, text } of fallback) results[index] = extractFacts(jobs[index]!.abs, text);
  }
  if (ts || fallback.length) (await import('./compiler.js')).saveCompilerCache();
  return results;
}

/** `SSOT_EXTRACTOR=check`: the two extractors' facts must be the same, byte for byte as cached. */
export function compareFacts(file: string, oxc: FileFacts, ts: FileFacts): void {
  const a = JSON.stringify(oxc);
  const b = JSON.stringify(ts);
  if (a === b) return;
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  throw new Error(`SSOT_EXTRACTOR=check: the oxc and TypeScript extractors disagree on ${file} at character ${at} of the facts:\n  oxc:        …${a.slice(Math.max(0, at - 120), at + 120)}\n  TypeScript: …${b.slice(Math.max(0, at - 120), at + 120)}`);
}

function runWorker(paths: string[]): Promise<ExtractResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./extract-worker.js', import.meta.url));
    worker.once('message', (facts: ExtractResult[]) => {
      resolve(facts);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.postMessage(paths);
  });
}
