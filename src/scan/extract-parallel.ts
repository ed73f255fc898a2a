import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { FileFacts } from '../types.js';
import { mark } from '../timing.js';
import { publishParsed } from '../diagnostics.js';
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
 * Below this many bytes of source to parse, TypeScript's workers cost more than they save: each one loads
 * and compiles its own copy of the compiler, so small and warm runs parse on the main thread only. Measured on 2 cores:
 * a 9.8 MB and a 20.5 MB codebase were slower with a worker, a 51 MB one 10% faster.
 * `SSOT_PARALLEL_MIN_BYTES` overrides it (the tests force the worker path with 0).
 */
export const PARALLEL_MIN_BYTES = Number(process.env.SSOT_PARALLEL_MIN_BYTES ?? 24 * 1024 * 1024);

export interface ExtractOptions {
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called with the facts of a job that arrived as JSON (from a worker), for the facts cache to write as is. */
  onJson?: (index: number, json: string) => void;
  /**
   * Called with each job's facts as soon as they are known, while other files are still being parsed:
   * the caller can resolve the file's references meanwhile, on the main thread, while workers parse on.
   */
  onFacts?: (index: number, facts: FileFacts) => void;
}

/** A job's source text: the one the caller kept, else the file read again. */
function jobText(job: ExtractJob): { text: string } | { unreadable: string } {
  if (job.text !== undefined) return { text: job.text };
  const source = readSource(job.abs);
  return source.ok ? { text: source.text } : { unreadable: source.detail };
}

/** A job's result, from the main thread or a worker, into `results`; facts also to `onJson` and `onFacts`. */
function settle(results: (ExtractResult | undefined)[], i: number, r: ExtractResult | string, options: ExtractOptions): void {
  if (typeof r === 'string') {
    const facts = JSON.parse(r) as FileFacts;
    results[i] = facts;
    options.onJson?.(i, r);
    options.onFacts?.(i, facts);
  } else {
    results[i] = r;
    if (!('unreadable' in r)) options.onFacts?.(i, r);
  }
}

/**
 * Facts for every job, in input order, through TypeScript's parser (`extract-facts.ts`): on the main
 * thread alone below `PARALLEL_MIN_BYTES` of source, else on the main thread plus `threads - 1` workers
 * taking files from one shared counter. Workers read their files themselves, so no source text is
 * copied between threads.
 */
export async function extractAll(jobs: ExtractJob[], options: ExtractOptions = {}): Promise<ExtractResult[]> {
  publishParsed(jobs);
  const bytes = jobs.reduce((n, j) => n + j.size, 0);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 4));
  const { extractFacts } = await import('./extract-facts.js');
  const { saveCompilerCache } = await import('./compiler.js');
  mark('compiler loaded');
  const local = (job: ExtractJob): ExtractResult => {
    const read = jobText(job);
    return 'text' in read ? extractFacts(job.abs, read.text) : read;
  };
  let done = 0;
  const tick = (n = 1): void => options.onProgress?.((done += n), jobs.length);
  if (threads === 1 || bytes < PARALLEL_MIN_BYTES) {
    const facts = jobs.map((job, i) => {
      const r = local(job);
      if (!('unreadable' in r)) options.onFacts?.(i, r);
      tick();
      return r;
    });
    saveCompilerCache();
    return facts;
  }
  // The main thread and the workers take files from one counter, largest first, so that they finish
  // together whatever each thread's speed (a worker compiles the parser again).
  const order = Int32Array.from(jobs.map((_, i) => i).sort((a, b) => jobs[b]!.size - jobs[a]!.size));
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const paths = jobs.map((j) => j.abs);
  const results = new Array<ExtractResult | undefined>(jobs.length);
  const take = ([i, r]: WorkerResult): void => {
    settle(results, i, r, options);
    tick();
  };
  const workers = Array.from({ length: threads - 1 }, () => new ExtractionWorker({ paths, order, shared }));
  for (;;) {
    const k = Atomics.add(shared, 0, 1);
    if (k >= jobs.length) break;
    const i = order[k]!;
    settle(results, i, local(jobs[i]!), options);
    tick();
    for (const w of workers) w.poll(take);
  }
  mark('main thread share extracted');
  saveCompilerCache();
  for (const w of workers) await w.finish(take);
  return results as ExtractResult[];
}

/** What a worker is given: every path, the order to take them in (default: as listed), the shared counter and the port its results go to. */
export interface WorkerData {
  paths: string[];
  order?: Int32Array;
  shared: Int32Array;
  port?: MessagePort;
}

/** A result from a worker: the path's index and its facts as JSON, or why the file was unreadable. */
export type WorkerResult = [index: number, result: string | { unreadable: string }];

/** What a worker sends on its port: a batch of results, and 'done' after the last one. */
export type WorkerMessage = WorkerResult[] | 'done';

/**
 * An extraction worker. It sends its results in batches on a port of its own, which the main thread
 * reads without waiting (`poll`, between its own files), so that it can use each file's facts while
 * the worker parses on; `finish` waits for the rest.
 */
export class ExtractionWorker {
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private finished = false;
  private failure: Error | undefined;

  constructor(data: WorkerData) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./extract-worker.js', import.meta.url), { workerData: { ...data, port: port2 }, transferList: [port2] });
    this.worker.once('error', (error) => (this.failure = error));
    this.worker.once('exit', (code) => {
      if (code !== 0) this.failure ??= new Error(`an extraction worker exited (code ${code}) before it finished`);
    });
  }

  /** Hands every result that has arrived to `take`, without waiting for more. */
  poll(take: (result: WorkerResult) => void): void {
    if (this.finished) return;
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const message = m.message as WorkerMessage;
      if (message === 'done') {
        this.finished = true;
        // It sends nothing more: end it now, so its heap is freed while the others work on.
        this.port.close();
        void this.worker.terminate();
        return;
      }
      for (const result of message) take(result);
    }
  }

  /** Hands every remaining result to `take` once the worker has sent its last. */
  async finish(take: (result: WorkerResult) => void): Promise<void> {
    for (;;) {
      this.poll(take);
      if (this.finished) break;
      if (this.failure) throw this.failure;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await this.worker.terminate();
  }
}
