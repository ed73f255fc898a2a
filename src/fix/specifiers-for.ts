import path from 'node:path';
import type { Project } from '../scan/scan-project.js';
import type { TsconfigIndex } from '../scan/tsconfig-index.js';
import { aliasFor, pathsAlias, styleLike } from './ssot-specifier.js';

/** The specifier options of rewrite-imports and rewrite-construction for one file. */
export type Specifiers = {
  /** The specifiers the file writes for the legacy files (absent when it reaches none). */
  legacySpecifiers?: string[];
  /** The SSOT's specifier in the file's alias style, when every legacy specifier is an alias and one covers the SSOT. */
  ssotSpecifier?: string;
};

/**
 * The specifiers a file uses for the given legacy files, as the scanner resolved them (tsconfig paths,
 * workspaces), and the SSOT specifier in the same style when they are all path aliases.
 */
export function specifiersFor(ctx: { root: string; project: Project; tsconfigs: TsconfigIndex }, file: string, targets: ReadonlySet<string>, ssotModule: string): Specifiers {
  const hits = (ctx.project.refs.get(file) ?? []).filter((r) => r.target && targets.has(r.target));
  if (hits.length === 0) return {};
  const out: Specifiers = { legacySpecifiers: [...new Set(hits.map((r) => r.ref.specifier))] };
  const aliased = hits.filter((r) => !r.ref.specifier.startsWith('.'));
  if (aliased.length === hits.length) {
    // The legacy module's own alias when it covers the SSOT, else any `paths` alias of the file's tsconfig
    // that does (issue 17, item 9); extension and `/index` as the legacy specifier writes them.
    const ssotRel = path.relative(ctx.root, ssotModule).split(path.sep).join('/');
    const legacySpec = aliased[0]!.ref.specifier;
    let alias = aliasFor(legacySpec, aliased[0]!.target!, ssotRel);
    if (alias && /(^|\/)index(\.d)?\.[cm]?tsx?$/.test(ssotRel) && !/(^|\/)index$/.test(alias)) alias += '/index';
    alias ??= pathsAlias(ctx.tsconfigs.forFile(path.join(ctx.root, file))?.paths ?? [], path.join(ctx.root, ssotRel));
    if (alias) out.ssotSpecifier = styleLike(alias, ssotRel, legacySpec);
  }
  return out;
}
