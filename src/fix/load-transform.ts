import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstCollections } from './ast-collection.js';

/** What a transform gets: jscodeshift's `(file, api, options)` shape, with `api.jscodeshift` from ast-collection.ts. */
export interface TransformApi {
  jscodeshift: AstCollections;
  j: AstCollections;
  stats: (name: string, quantity?: number) => void;
  report: (msg: string) => void;
}
export type TransformOptions = Record<string, unknown>;
// The transforms are typed against jscodeshift's API (they also run under `npx jscodeshift -t`); this is
// the subset they use, so the loaded module is called through this signature.
export type Transform = (file: { path: string; source: string }, api: TransformApi, options: TransformOptions) => string | undefined | null;

/**
 * The transforms ship as TypeScript in `transforms/` (for `npx jscodeshift -t`) and compiled in
 * `dist/transforms/` (for `ssot fix`); run from source (tests), this module sits in `src/fix/`.
 */
export async function loadTransform<T = Record<string, unknown>>(id: string): Promise<{ default: Transform } & T> {
  const candidates = [new URL(`../transforms/${id}.js`, import.meta.url), new URL(`../../transforms/${id}.ts`, import.meta.url)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (!found) throw new Error(`transform ${id} not found next to ${fileURLToPath(import.meta.url)}: run \`npm run build\``);
  return (await import(pathToFileURL(fileURLToPath(found)).href)) as { default: Transform } & T;
}
