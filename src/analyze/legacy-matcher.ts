import path from 'node:path';
import type { GroupConfig, LegacyModule } from '../config/load-config.js';
import type { ResolvedRef } from '../scan/scan-project.js';

export interface LegacyMatcher {
  /** Which legacy module of the group a resolved reference reaches, if any. */
  match(ref: ResolvedRef): LegacyModule | undefined;
  /** The legacy module a file (root-relative) belongs to, if any. */
  moduleOf(rel: string): LegacyModule | undefined;
}

/**
 * Matches by resolved target, never by specifier text, so aliases, `.js` suffixes and directory
 * indexes match and look-alike names (`tool-dispatcher-metrics`) do not. A folder legacy module
 * covers every file under it; a package legacy module matches the package and its subpaths; a
 * deleted module, which no longer resolves, is matched by the path its specifier names.
 * A package legacy module matches wherever the package resolves (issue 16): a workspace package's
 * folder (its source, reached by name, alias or path), a node_modules copy, or the package unresolved.
 * Paths inside the root are compared root-relative (as references store them), others absolute.
 * @param packageDir the folder of a workspace package, by name
 */
export function legacyMatcher(group: GroupConfig, root: string, packageDir: (name: string) => string | undefined = () => undefined): LegacyMatcher {
  const key = (abs: string): string => {
    const rel = path.relative(root, abs);
    return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
  };
  const byFile = new Map<string, LegacyModule>();
  const folders: { prefix: string; module: LegacyModule }[] = [];
  const packages: LegacyModule[] = [];
  const deleted: { stem: string; module: LegacyModule }[] = [];
  for (const m of group.legacy) {
    if (m.packageName) {
      packages.push(m);
      const dir = packageDir(m.packageName);
      if (dir) folders.push({ prefix: `${key(dir)}/`, module: m });
    } else if (m.path) {
      if (m.deleted) deleted.push({ stem: stripExt(key(m.path)), module: m });
      if (/\.[cm]?[jt]sx?$/.test(m.path)) byFile.set(key(m.path), m);
      else folders.push({ prefix: `${key(m.path)}/`, module: m });
    }
  }
  const moduleOf = (target: string): LegacyModule | undefined => {
    const hit = byFile.get(target);
    if (hit) return hit;
    for (const f of folders) if (target.startsWith(f.prefix)) return f.module;
    if (packages.length && target.includes('node_modules/')) {
      for (const p of packages) if (target.startsWith(`node_modules/${p.packageName}/`) || target.includes(`/node_modules/${p.packageName}/`)) return p;
    }
    return undefined;
  };
  const match = (ref: ResolvedRef): LegacyModule | undefined => {
    const target = ref.target ?? (ref.targetAbs && key(ref.targetAbs));
    if (target) return moduleOf(target);
    const spec = ref.ref.specifier;
    if (deleted.length && spec.startsWith('.')) {
      const stem = stripExt(path.posix.join(path.posix.dirname(ref.from), spec));
      const hit = deleted.find((d) => d.stem === stem || d.stem === `${stem}/index`);
      if (hit) return hit.module;
    }
    for (const p of packages) {
      const name = p.packageName!;
      if (ref.external === name || spec === name || spec.startsWith(`${name}/`)) return p;
    }
    return undefined;
  };
  return { match, moduleOf };
}

function stripExt(p: string): string {
  return p.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
}
