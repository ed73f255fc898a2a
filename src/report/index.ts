import type { Reporter } from './report-types.js';

/**
 * Reporter registry: format name -> module. Adding a reporter is a file and a line here. Modules load
 * on demand, so a run pays only for the format it prints.
 */
const registry: Readonly<Record<string, () => Promise<{ default: Reporter }>>> = {
  text: () => import('./text.js'),
  json: () => import('./json.js'),
  sarif: () => import('./sarif.js'),
  markdown: () => import('./markdown.js'),
  github: () => import('./github.js'),
  mermaid: () => import('./mermaid.js'),
  dot: () => import('./dot.js'),
  html: () => import('./html.js'),
};

export const formats = Object.keys(registry);

/** The reporter for a format name. */
export async function getReporter(format: string): Promise<Reporter> {
  const load = registry[format];
  if (!load) throw new Error(`unknown format "${format}" (known: ${formats.join(', ')})`);
  return (await load()).default;
}

export type { Reporter, ReportOptions } from './report-types.js';
