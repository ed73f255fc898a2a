import { astCollections, type AstCollections } from './ast-collection.js';
import type { Transform, TransformOptions } from './load-transform.js';

export interface Applied {
  /** The new text; undefined when the transform changed nothing. */
  output?: string;
  /** Lines the transform reported through `api.report`. */
  reports: string[];
  /** Set when the transform threw: the file is left untouched. */
  error?: string;
}

export type ApplyTransform = (transform: Transform, absPath: string, source: string, options: TransformOptions) => Applied;

/**
 * Runs the transforms in-process on one file's text at a time, the way jscodeshift's runner calls them,
 * with `api.jscodeshift` from ast-collection.ts (the transforms parse with `@babel/parser` themselves).
 */
export function transformRunner(): ApplyTransform {
  let j: AstCollections | undefined;
  return (transform, absPath, source, options) => {
    const reports: string[] = [];
    j ??= astCollections();
    const api = { jscodeshift: j, j, stats: () => {}, report: (msg: string) => reports.push(msg) };
    try {
      const out = transform({ path: absPath, source }, api, options);
      return out === undefined || out === null || out === source ? { reports } : { output: out, reports };
    } catch (error) {
      return { reports, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
