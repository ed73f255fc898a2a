import path from 'node:path';
import type { GroupConfig, LegacyModule } from '../config/load-config.js';
import type { ResolvedRef } from '../scan/scan-project.js';

export interface LegacyMatcher {
  /** Which legacy module of the group a resolved reference reaches, if any. */
  match(ref: ResolvedRef, fromAbs: string): LegacyModule | undefined;
  /** The legacy module a file belongs to, if any. */
  moduleOf(abs: string): LegacyModule | undefined;
}

/**
 * Matches by resolved target, never by specifier text, so aliases, `.js` suffixes and directory
 * indexes match and look-alike names (`tool-dispatcher-metrics`) do not. A folder legacy module
 * covers every file under it; a package legacy module matches the package and its subpaths.
 */
export function legacyMatcher(group: GroupConfig): LegacyMatcher {
  const byFile = new Map<string, LegacyModule>();
  const folders: { prefix: string; module: LegacyModule }[] = [];
  const packages: LegacyModule[] = [];
  for (const m of group.legacy) {
    if (m.packageName) packages.push(m);
    else if (m.path) {
      if (/\.[cm]?[jt]sx?$/.test(m.path)) byFile.set(m.path, m);
      else folders.push({ prefix: m.path + path.sep, module: m });
    }
  }
  const deleted = group.legacy.filter((m) => m.deleted && m.path).map((m) => ({ stem: stripExt(m.path!), module: m }));
  const moduleOf = (abs: string): LegacyModule | undefined => {
    const hit = byFile.get(abs);
    if (hit) return hit;
    for (const f of folders) if (abs.startsWith(f.prefix)) return f.module;
    return undefined;
  };
  const match = (ref: ResolvedRef, fromAbs: string): LegacyModule | undefined => {
    if (!ref.targetAbs && deleted.length && ref.ref.specifier.startsWith('.')) {
      // A deleted module no longer resolves: compare the path the specifier names.
      const stem = stripExt(path.resolve(path.dirname(fromAbs), ref.ref.specifier));
      const hit = deleted.find((d) => d.stem === stem || d.stem === path.join(stem, 'index'));
      if (hit) return hit.module;
    }
    if (ref.targetAbs) {
      const hit = moduleOf(ref.targetAbs);
      if (hit) return hit;
    }
    const spec = ref.ref.specifier;
    for (const p of packages) {
      const name = p.packageName!;
      if (spec === name || spec.startsWith(`${name}/`)) return p;
    }
    return undefined;
  };
  return { match, moduleOf };
}

function stripExt(p: string): string {
  return p.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
}
