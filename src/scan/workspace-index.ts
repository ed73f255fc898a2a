import { readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { mapTarget } from './package-map.js';

/** A package of an npm/yarn/pnpm workspace, resolved to its folder in the repository. */
export interface WorkspacePackage {
  name: string;
  dir: string;
  /** package.json fields that point at the entry, in resolution order. */
  entries: string[];
  exports?: unknown;
}

/**
 * Packages by name: first those the root declares as workspaces (package.json `workspaces` or
 * pnpm-workspace.yaml), then any other named package.json in the repository (nested workspace roots,
 * packages a tool links by name), so names resolve to source without an install.
 * @param packageFiles root-relative paths of the package.json files found by the walk
 */
export function readWorkspaces(root: string, packageFiles: readonly string[]): Map<string, WorkspacePackage> {
  const patterns = workspacePatterns(root);
  const declared = patterns.length ? picomatch(patterns.filter((p) => !p.startsWith('!')).map((p) => p.replace(/\/$/, ''))) : () => false;
  const negated = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const excluded = negated.length ? picomatch(negated) : () => false;
  const packages = new Map<string, WorkspacePackage>();
  const others: WorkspacePackage[] = [];
  // Shallow folders first, so that a package wins over a fixture copy of it deeper down.
  const dirs = packageFiles.map((f) => path.posix.dirname(f)).filter((d) => d !== '.').sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  for (const rel of dirs) {
    const pkg = readPackage(path.join(root, rel));
    if (!pkg) continue;
    if (declared(rel) && !excluded(rel)) {
      if (!packages.has(pkg.name)) packages.set(pkg.name, pkg);
    } else others.push(pkg);
  }
  for (const pkg of others) if (!packages.has(pkg.name)) packages.set(pkg.name, pkg);
  return packages;
}

function workspacePatterns(root: string): string[] {
  const patterns: string[] = [];
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces?: string[] | { packages?: string[] } };
    const ws = Array.isArray(pkg.workspaces) ? pkg.workspaces : pkg.workspaces?.packages;
    if (ws) patterns.push(...ws);
  } catch {
    /* no package.json */
  }
  try {
    // pnpm-workspace.yaml: only the `packages:` list matters; a full YAML parser is not needed for it.
    const yaml = readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
    let inPackages = false;
    for (const line of yaml.split(/\r?\n/)) {
      if (/^packages\s*:/.test(line)) inPackages = true;
      else if (/^\S/.test(line)) inPackages = false;
      else if (inPackages) {
        const m = /^\s*-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line);
        if (m) patterns.push(m[1]!);
      }
    }
  } catch {
    /* not pnpm */
  }
  return patterns;
}

function readPackage(dir: string): WorkspacePackage | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    if (typeof pkg.name !== 'string') return undefined;
    const entries = ['source', 'types', 'typings', 'module', 'main'].map((k) => pkg[k]).filter((v): v is string => typeof v === 'string');
    return { name: pkg.name, dir, entries, exports: pkg.exports };
  } catch {
    return undefined;
  }
}

/** The export-map target for a subpath (`.` or `./x`), preferring source-ish conditions: the package's source is what is scanned. */
export function exportTarget(exportsField: unknown, subpath: string): string | undefined {
  if (exportsField === undefined || exportsField === null) return undefined;
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) return subpath === '.' ? pickCondition(exportsField) : undefined;
  const map = exportsField as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.length > 0 && !keys[0]!.startsWith('.')) return subpath === '.' ? pickCondition(map) : undefined;
  return mapTarget(map, subpath, pickCondition);
}

const CONDITIONS = ['source', 'types', 'typescript', 'import', 'module', 'node', 'require', 'default'];

function pickCondition(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = pickCondition(v);
      if (t) return t;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const c of CONDITIONS) if (c in obj) {
      const t = pickCondition(obj[c]);
      if (t) return t;
    }
  }
  return undefined;
}
