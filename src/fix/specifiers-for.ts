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

/** Where a file's imports of the SSOT would cross into another workspace package that no specifier reaches it by. */
export type CrossPackage = { crossPackage?: string };

/** The workspace package (name) whose folder holds an absolute path: the deepest one. */
function packageOf(project: Project, abs: string): string | undefined {
  let best: { name: string; depth: number } | undefined;
  for (const [name, dir] of project.packageDirs) {
    if ((abs === dir || abs.startsWith(dir + path.sep)) && (!best || dir.length > best.depth)) best = { name, depth: dir.length };
  }
  return best?.name;
}

/** Per scan: the package specifier (`@scope/pkg`, `@scope/pkg/x`) files use most for a module, read from the refs once. */
export type PackageSpecifiers = (targetRel: string, packageName: string) => string | undefined;

export function packageSpecifiers(project: Project): PackageSpecifiers {
  let byTarget: Map<string, Map<string, number>> | undefined;
  return (targetRel, packageName) => {
    if (!byTarget) {
      byTarget = new Map();
      for (const refs of project.refs.values()) {
        for (const r of refs) {
          if (!r.target || r.ref.specifier.startsWith('.')) continue;
          const counts = byTarget.get(r.target) ?? byTarget.set(r.target, new Map()).get(r.target)!;
          counts.set(r.ref.specifier, (counts.get(r.ref.specifier) ?? 0) + 1);
        }
      }
    }
    const named = [...(byTarget.get(targetRel) ?? [])].filter(([spec]) => spec === packageName || spec.startsWith(`${packageName}/`));
    return named.sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  };
}

/** What specifiers-for needs of a scan. */
export type SpecifierContext = { root: string; project: Project; named: PackageSpecifiers };

/**
 * Issue 17, found on vite and typescript-eslint: a consumer in one workspace package was pointed at an SSOT in
 * another by a relative path (`../../other-pkg/src/x`), which breaks the package's `rootDir` and its published
 * build. Across packages the SSOT is written by a package specifier some file of the repository already
 * resolves to it (`@scope/pkg`, `@scope/pkg/x`); when none does, the file is left for a person.
 */
export function crossPackageSpecifier(ctx: SpecifierContext, file: string, ssotModule: string, legacySpecifiers: readonly string[]): Specifiers & CrossPackage {
  const { project, root } = ctx;
  const ssotPackage = packageOf(project, ssotModule);
  const filePackage = packageOf(project, path.join(root, file));
  if (!ssotPackage || ssotPackage === filePackage) return {};
  // The file already reaches the legacy module across packages by a relative path: the repository does that, so may we.
  const legacyPackages = legacySpecifiers.filter((s) => s.startsWith('.')).map((s) => packageOf(project, path.resolve(path.dirname(path.join(root, file)), s)));
  if (legacyPackages.length > 0 && legacyPackages.every((p) => p !== filePackage)) return {};
  const spec = ctx.named(path.relative(root, ssotModule).split(path.sep).join('/'), ssotPackage);
  return spec ? { ssotSpecifier: spec } : { crossPackage: ssotPackage };
}

/**
 * The specifiers a file uses for the given legacy files, as the scanner resolved them (tsconfig paths,
 * workspaces), and the SSOT specifier in the same style when they are all path aliases.
 */
export function specifiersFor(ctx: SpecifierContext & { tsconfigs: TsconfigIndex }, file: string, targets: ReadonlySet<string>, ssotModule: string): Specifiers & CrossPackage {
  const hits = (ctx.project.refs.get(file) ?? []).filter((r) => r.target && targets.has(r.target));
  if (hits.length === 0) return {};
  const out: Specifiers & CrossPackage = { legacySpecifiers: [...new Set(hits.map((r) => r.ref.specifier))] };
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
  // A path alias the file's tsconfig maps is the repository's own way across packages; without one, a package specifier.
  if (!out.ssotSpecifier) Object.assign(out, crossPackageSpecifier(ctx, file, ssotModule, out.legacySpecifiers!));
  return out;
}
