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

export type ApplyTransform = (transform: Transform, absPath: string, source: string, options: Options) => Applied;

/**
 * Runs jscodeshift transforms in-process on one file's text at a time, the way jscodeshift's runner calls
 * them. One jscodeshift instance per parser for the whole run: building one costs about as much as a small
 * file's transform.
 */
export function transformRunner(): ApplyTransform {
  const parsers = new Map<string, ReturnType<typeof jscodeshift.withParser>>();
  return (transform, absPath, source, options) => {
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
  };
}
