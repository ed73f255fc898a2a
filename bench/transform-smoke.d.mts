/** Types of transform-smoke.mjs, for the test that imports it. */
import type { API, FileInfo, Options } from 'jscodeshift';

export type SmokeTransform = (file: FileInfo, api: API, options: Options) => string | undefined | null;
export interface SmokeCounts {
  files: number;
  inputsUnparseable: number;
  runs: number;
  changed: number;
  throws: number;
  unparseable: number;
  nonIdempotent: number;
}
export interface SmokeFailure {
  file: string;
  transform: string;
  config: string;
  kind: 'throws' | 'unparseable' | 'non-idempotent';
  message: string;
}
export const TRANSFORM_IDS: string[];
export function listTypeScript(dir: string): string[];
export function configsFor(file: string, source: string, resolveRelative: (from: string, spec: string) => string | undefined): { name: string; options: Record<string, Options | null> }[];
export function smoke(
  files: string[],
  deps: {
    transforms: Record<string, SmokeTransform>;
    parses: (file: string, text: string) => string | undefined;
    resolveRelative: (from: string, spec: string) => string | undefined;
    apiFor: (file: string) => API;
  },
): { counts: SmokeCounts; failures: SmokeFailure[] };
