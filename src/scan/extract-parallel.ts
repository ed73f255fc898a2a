import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
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
 * Below this many bytes of source to parse, TypeScript's workers cost more than they save: each one loads
 * and compiles its own copy of the compiler, so small and warm runs parse on the main thread only. Measured on 2 cores:
 * a 9.8 MB and a 20.5 MB codebase were slower with a worker, a 51 MB one 10% faster.
 * `SSOT_PARALLEL_MIN_BYTES` overrides it (the tests force the worker path with 0).
 */
export const PARALLEL_MIN_BYTES = Number(process.env.SSOT_PARALLEL_MIN_BYTES ?? 24 * 1024 * 1024);

export interface ExtractOptions {
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  /** Called with the facts of a job that arrived as JSON (from an oxc worker), for the facts cache to write as is. */
  onJson?: (index: number, json: string) => void;
  /** oxc workers started before the files were hashed (`startOxcHeadStart`): their results are used whichever extractor parses the rest. */
  headStart?: OxcHeadStart;
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
 * Facts for every job, in input order: through oxc (`extractWithOxc`) when the extractor setting and the
 * amount of source say so, else through TypeScript's parser on the main thread plus `threads - 1`
 * workers. Either way the threads take files from one shared counter, and workers read their files
 * themselves, so no source text is copied between threads.
 */
export async function extractAll(jobs: ExtractJob[], options: ExtractOptions = {}): Promise<ExtractResult[]> {
  const mode = extractorMode();
  const bytes = jobs.reduce((n, j) => n + j.size, 0);
  if (mode === 'oxc' || mode === 'check' || (mode === 'auto' && bytes < OXC_AUTO_MAX_BYTES && !options.headStart?.switched)) {
    const viaOxc = await extractWithOxc(jobs, mode, bytes, options);
    if (viaOxc) return viaOxc;
  }
  if (!options.headStart) return extractWithTypeScript(jobs, bytes, options);
  return extractAfterHeadStart(jobs, options.headStart, options);
}

/**
 * TypeScript parses what the head start's oxc workers have not taken, on the same counter: the main
 * thread and the head start's TypeScript workers (started as soon as the source was known to pass
 * OXC_AUTO_MAX_BYTES, see `OxcHeadStart.sawSource`) take the next listed file, while the oxc workers go
 * on until a TypeScript worker has loaded the compiler, so no core waits for one to load. Files oxc hands
 * back (a parse error, JSDoc `import()` types) are parsed on the main thread at the end.
 */
async function extractAfterHeadStart(jobs: ExtractJob[], head: OxcHeadStart, options: ExtractOptions): Promise<ExtractResult[]> {
  head.switchToTypeScript();
  const { extractFacts } = await import('./extract-facts.js');
  const { saveCompilerCache } = await import('./compiler.js');
  mark('compiler loaded');
  const results = new Array<ExtractResult | undefined>(jobs.length);
  const fallback: number[] = [];
  const jobOf = head.jobIndex(jobs);
  const take = ([n, r]: WorkerResult): void => {
    const i = jobOf[n]!;
    if (i < 0) return;
    if (r === 'fallback') fallback.push(i);
    else settle(results, i, r, options);
  };
  const progress = (): void => options.onProgress?.(Math.min(Atomics.load(head.shared, 1), jobs.length), jobs.length);
  const parse = (i: number): void => {
    const job = jobs[i]!;
    const read = jobText(job);
    settle(results, i, 'text' in read ? extractFacts(job.abs, read.text) : read, options);
  };
  const workers = [...head.workers, ...head.tsWorkers];
  for (;;) {
    const n = Atomics.add(head.shared, 0, 1);
    if (n >= head.paths.length) break;
    const i = jobOf[n]!;
    if (i < 0) continue; // skipped: not a job
    parse(i);
    Atomics.add(head.shared, 1, 1);
    progress();
    for (const w of workers) w.poll(take);
  }
  mark('main thread share extracted');
  for (const w of workers) await w.finish(take);
  for (const i of fallback) parse(i);
  progress();
  saveCompilerCache();
  return results as ExtractResult[];
}

async function extractWithTypeScript(jobs: ExtractJob[], bytes: number, options: ExtractOptions): Promise<ExtractResult[]> {
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
    if (r === 'fallback') return; // only oxc hands files back
    settle(results, i, r, options);
    tick();
  };
  const workers = Array.from({ length: threads - 1 }, () => new ExtractionWorker({ extractor: 'typescript', paths, order, shared }));
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

/**
 * Which extractor parses: `SSOT_EXTRACTOR=auto` (the default: oxc where its native parser loads, else
 * TypeScript), `typescript`, `oxc`, or `check` (both on every file, failing on the first file whose facts
 * differ; CI runs the whole test suite that way once).
 */
export function extractorMode(): 'auto' | 'typescript' | 'oxc' | 'check' {
  const setting = process.env.SSOT_EXTRACTOR;
  return setting === 'typescript' || setting === 'oxc' || setting === 'check' ? setting : 'auto';
}

/**
 * `SSOT_EXTRACTOR=auto` parses with oxc below this many bytes, and with TypeScript from there on, where
 * TypeScript's parser gets workers too (`PARALLEL_MIN_BYTES`). Both sides of it measured, cold scans on
 * 2 cores: oxc on two threads took 2.2-2.4 s against TypeScript's 2.6-2.7 s on the 2,000-file corpus
 * (9.8 MB), 3.7 s against 4.6-5.2 s on medusa (20.5 MB); on the 10,000-file corpus (51 MB) it took 11.0 s
 * against 7.7 s and peaked at 435 MiB. On Node 20 oxc hands its AST over as JSON, and `JSON.parse` grows
 * with the number of nodes: the corpus's dense code made 5.3-5.9 MB/s against TypeScript's 13-15 MB/s
 * once TypeScript's JIT warm-up (about 1.2 s of compilation) is paid.
 */
export const OXC_AUTO_MAX_BYTES = PARALLEL_MIN_BYTES;

/**
 * Below this many bytes to parse, oxc extracts on the main thread alone: a worker takes about 60 ms
 * to start and load oxc. Above it, the main thread and `threads - 1` workers take files from one
 * shared counter until none is left. oxc's parser is native code, so a worker needs no JIT warm-up
 * of its own (TypeScript's parser, which V8 spends 1.2 s of CPU compiling on a 7,000-file
 * codebase, gains nothing from a second core: that compilation already runs on it).
 * `SSOT_OXC_PARALLEL_MIN_BYTES` overrides it (the tests force the workers with 0).
 */
export const OXC_PARALLEL_MIN_BYTES = Number(process.env.SSOT_OXC_PARALLEL_MIN_BYTES ?? 2 * 1024 * 1024);

/**
 * Facts through oxc-parser. Files oxc cannot take (a parse error, JSDoc `import()` types) go to the
 * TypeScript extractor, which is loaded only then, on the main thread. Undefined when oxc-parser's
 * native binding does not load here: the caller falls back to TypeScript for everything.
 */
async function extractWithOxc(
  jobs: ExtractJob[],
  mode: 'auto' | 'oxc' | 'check',
  bytes: number,
  options: ExtractOptions,
): Promise<ExtractResult[] | undefined> {
  const oxc = await import('./extract-facts-oxc.js');
  const check = mode === 'check';
  if (check && options.headStart) await options.headStart.stop(); // check mode compares every file on the main thread
  if (!oxc.oxcAvailable) {
    if (mode === 'check') throw new Error('SSOT_EXTRACTOR=check: oxc-parser does not load on this platform (its native binding is missing)');
    return undefined;
  }
  mark('oxc loaded');
  const ts = check ? await import('./extract-facts.js') : undefined;
  const threads = check || bytes < OXC_PARALLEL_MIN_BYTES ? 1 : Math.max(1, Math.min(options.threads ?? availableParallelism(), 4));
  const results = new Array<ExtractResult | undefined>(jobs.length);
  const fallback: { index: number; text?: string }[] = [];
  // The counter the threads take files by, over the head start's files (every listed file, of which
  // the jobs are those not cached or skipped) or over the jobs: [0] the next to take, [1] how many are done.
  const head = check ? undefined : options.headStart;
  const paths = head ? head.paths : jobs.map((j) => j.abs);
  const jobOf = head ? head.jobIndex(jobs) : undefined;
  const shared = head ? head.shared : new Int32Array(new SharedArrayBuffer(8));
  const workers = head ? head.workers : Array.from({ length: threads - 1 }, () => new ExtractionWorker({ extractor: 'oxc', paths, shared }));
  const take = ([n, r]: WorkerResult): void => {
    const i = jobOf ? jobOf[n]! : n;
    if (i < 0) return;
    if (r === 'fallback') fallback.push({ index: i });
    else settle(results, i, r, options);
  };
  const progress = (): void => options.onProgress?.(Math.min(Atomics.load(shared, 1), jobs.length), jobs.length);
  for (;;) {
    const n = Atomics.add(shared, 0, 1);
    if (n >= paths.length) break;
    const i = jobOf ? jobOf[n]! : n;
    if (i < 0) continue; // cached or skipped: not a job
    const job = jobs[i]!;
    const read = jobText(job);
    if (!('text' in read)) {
      results[i] = read;
      Atomics.add(shared, 1, 1);
      continue;
    }
    const { text } = read;
    const facts = oxc.extractFactsOxc(job.abs, text, oxc.rawTransfer);
    if ('fallback' in facts) fallback.push({ index: i, text });
    else {
      if (ts) compareFacts(job.abs, facts, ts.extractFacts(job.abs, text));
      settle(results, i, facts, options);
    }
    Atomics.add(shared, 1, 1);
    progress();
    for (const w of workers) w.poll(take);
  }
  if (workers.length) mark('main thread share extracted');
  for (const w of workers) await w.finish(take);
  if (workers.length) mark('workers done');
  progress();
  if (fallback.length) {
    const { extractFacts } = ts ?? (await import('./extract-facts.js'));
    for (const { index, text } of fallback) {
      const job = jobs[index]!;
      const read = text !== undefined ? { text } : jobText(job);
      settle(results, index, 'text' in read ? extractFacts(job.abs, read.text) : read, options);
    }
  }
  if (ts || fallback.length) (await import('./compiler.js')).saveCompilerCache();
  return results as ExtractResult[];
}

/**
 * Cold runs with at least this many files start oxc workers as soon as the files are listed, before the
 * main thread reads and hashes them (0.24 s on medusa's 7,166 files): the workers start (about 60 ms) and
 * extract in the meantime. Each file's facts are kept only if the file turns out to need extracting.
 * `SSOT_HEAD_START_MIN_FILES` overrides it.
 */
export const HEAD_START_MIN_FILES = Number(process.env.SSOT_HEAD_START_MIN_FILES ?? 256);

/** Where a head start's shared counter holds the hand-off flag: set once a TypeScript worker has loaded the compiler. */
export const HANDOFF_SLOT = 2;

/**
 * oxc workers taking listed files from a shared counter until the main thread joins them or stops them.
 * When the source turns out to be TypeScript's (OXC_AUTO_MAX_BYTES or more, seen while the main thread
 * hashes), TypeScript workers start on the same counter, and the oxc workers stop once one of them is ready.
 */
export class OxcHeadStart {
  /** [0] the next file to take, [1] how many are done, [HANDOFF_SLOT] whether oxc workers stop taking files. */
  readonly shared = new Int32Array(new SharedArrayBuffer(12));
  readonly workers: ExtractionWorker[];
  readonly tsWorkers: ExtractionWorker[] = [];
  private bytes = 0;
  private readonly auto = extractorMode() === 'auto';

  constructor(readonly paths: string[], workers: number) {
    this.workers = Array.from({ length: workers }, () => new ExtractionWorker({ extractor: 'oxc', paths, shared: this.shared, handoff: 'yield' }));
  }

  /** The main thread read `size` bytes of source: past OXC_AUTO_MAX_BYTES (in auto mode), TypeScript's workers start. */
  sawSource(size: number): void {
    this.bytes += size;
    if (this.auto && this.bytes >= OXC_AUTO_MAX_BYTES) this.switchToTypeScript();
  }

  /** Start as many TypeScript workers as there are oxc workers (once). */
  switchToTypeScript(): void {
    if (this.tsWorkers.length || !this.workers.length) return;
    for (let i = 0; i < this.workers.length; i++) {
      this.tsWorkers.push(new ExtractionWorker({ extractor: 'typescript', paths: this.paths, shared: this.shared, handoff: 'take-over' }));
    }
    mark('TypeScript workers started');
  }

  /** Whether TypeScript workers were started: the rest is TypeScript's whatever the extractor setting says about the jobs' size. */
  get switched(): boolean {
    return this.tsWorkers.length > 0;
  }

  /** For each listed file, the index of its job, or -1 when it is no job (cached, skipped). */
  jobIndex(jobs: readonly ExtractJob[]): Int32Array {
    const byPath = new Map(jobs.map((j, i) => [j.abs, i]));
    return Int32Array.from(this.paths, (p) => byPath.get(p) ?? -1);
  }

  /** No more files are taken; what the workers extracted until then is dropped. */
  async stop(): Promise<void> {
    Atomics.store(this.shared, 0, this.paths.length);
    for (const w of [...this.workers, ...this.tsWorkers]) await w.finish(() => {});
  }
}

/**
 * The head start for a cold run (nothing cached yet): undefined unless oxc may extract here (the
 * extractor setting is auto or oxc), there is more than one thread and there are enough files.
 */
export function startOxcHeadStart(paths: string[], threads?: number): OxcHeadStart | undefined {
  const mode = extractorMode();
  const n = Math.max(1, Math.min(threads ?? availableParallelism(), 4));
  if ((mode !== 'auto' && mode !== 'oxc') || n < 2 || paths.length < HEAD_START_MIN_FILES) return undefined;
  return new OxcHeadStart(paths, n - 1);
}

export type ExtractorName = 'typescript' | 'oxc';

/** What a worker is given: its extractor, every path, the order to take them in (default: as listed), the shared counter and the port its results go to. */
export interface WorkerData {
  extractor: ExtractorName;
  paths: string[];
  order?: Int32Array;
  shared: Int32Array;
  port?: MessagePort;
  /** In a head start: 'yield' (oxc) stops taking files once the hand-off flag is set; 'take-over' (TypeScript) sets it once loaded. */
  handoff?: 'yield' | 'take-over';
}

/** A result from a worker: the path's index and its facts as JSON, why the file was unreadable, or 'fallback' for the main thread's TypeScript. */
export type WorkerResult = [index: number, result: string | { unreadable: string } | 'fallback'];

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

/** `SSOT_EXTRACTOR=check`: the two extractors' facts must be the same, byte for byte as cached. */
export function compareFacts(file: string, oxc: FileFacts, ts: FileFacts): void {
  const a = JSON.stringify(oxc);
  const b = JSON.stringify(ts);
  if (a === b) return;
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  throw new Error(`SSOT_EXTRACTOR=check: the oxc and TypeScript extractors disagree on ${file} at character ${at} of the facts:\n  oxc:        …${a.slice(Math.max(0, at - 120), at + 120)}\n  TypeScript: …${b.slice(Math.max(0, at - 120), at + 120)}`);
}
