import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { API, FileInfo, Options } from 'jscodeshift';

export type Transform = (file: FileInfo, api: API, options: Options) => string | undefined | null;

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
