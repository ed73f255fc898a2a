import jscodeshift from 'jscodeshift';
import type { API, Options } from 'jscodeshift';
import type { Transform } from './load-transform.js';

export interface Applied {
  /** The new text; undefined when the transform changed nothing. */
  output?: string;
  /** Lines the transform reported through `api.report`. */
  reports: string[];
  /** Set when the transform threw: the file is left untouched. */
  error?: string;
}

// One jscodeshift instance per parser: building one costs about as much as a small file's transform.
const parsers = new Map<string, ReturnType<typeof jscodeshift.withParser>>();

/** Runs a jscodeshift transform in-process on one file's text, the way jscodeshift's runner calls it. */
export function applyTransform(transform: Transform, absPath: string, source: string, options: Options): Applied {
  const reports: string[] = [];
  const parser = /\.[cm]?ts$/.test(absPath) ? 'ts' : 'tsx';
  let j = parsers.get(parser);
  if (!j) parsers.set(parser, (j = jscodeshift.withParser(parser)));
  const api: API = { jscodeshift: j, j, stats: () => {}, report: (msg: string) => reports.push(msg) };
  try {
    const out = transform({ path: absPath, source }, api, options);
    return out === undefined || out === null || out === source ? { reports } : { output: out, reports };
  } catch (error) {
    return { reports, error: error instanceof Error ? error.message : String(error) };
  }
}
