import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GroupConfig } from '../config/load-config.js';
import type { PhaseContext, Removal } from './phase-context.js';
import { removable } from './reach.js';

/** The removal state, computed once by the first phase that asks (after consumers, on their plan). */
export function removal(ctx: PhaseContext): Removal {
  if (ctx.memo.removal) return ctx.memo.removal;
  const { project, plan, ssotFiles } = ctx;
  const legacyOf = new Map<string, GroupConfig>();
  for (const g of ctx.config.groups) for (const f of ctx.filesOf(g)) if (!ssotFiles.has(f)) legacyOf.set(f, g);
  // Barrels outside the legacy modules that only pass legacy modules on go with them when nothing imports them.
  for (const [file, pf] of project.files) {
    if (legacyOf.has(file) || ssotFiles.has(file) || plan.overlay.has(file)) continue;
    const refs = project.refs.get(file) ?? [];
    const facts = pf.facts;
    if (refs.length === 0 || facts.decls.length > 0 || facts.uses.length > 0) continue;
    if (!refs.every((r) => ['export-from', 'export-star', 'export-star-as', 'side-effect'].includes(r.ref.kind) && r.target && legacyOf.has(r.target))) continue;
    legacyOf.set(file, legacyOf.get(refs[0]!.target!)!);
  }
  const candidates = new Set(legacyOf.keys());
  // A legacy module no other file imported before this run, with a default export or named by its
  // package.json (main, module, types, exports, bin), is an entry point a tool or another package loads by
  // name: it is kept, and said. On vite, init listed a playground's vite.config.ts (it holds a copy of
  // promiseWithResolvers) and a package's "./nested" export, and fix deleted them. One that is neither, and
  // that nothing imports, is dead legacy code, and goes.
  const importedBefore = new Set<string>();
  for (const [file, refs] of project.refs) for (const r of refs) if (r.target && r.target !== file) importedBefore.add(r.target);
  for (const c of [...candidates]) {
    if (importedBefore.has(c) || !(project.files.get(c)?.facts.exports.some((e) => e.name === 'default') || packageEntry(ctx.root, c))) continue;
    candidates.delete(c);
    plan.skip(c, { kind: 'never-imported' });
  }
  // A file that does not parse, or was not analysed at all (a skipped-file finding), has no facts: it
  // keeps every candidate whose name its text mentions, and every candidate when it cannot be read.
  const pins: Removal['pins'] = [];
  for (const file of [...ctx.unparseable, ...ctx.notAnalysed]) {
    let text: string | null;
    try {
      text = plan.current(file);
    } catch {
      text = null;
    }
    for (const c of candidates) {
      const stem = path.posix.basename(c).replace(/\.[cm]?[jt]sx?$/, '');
      const name = stem === 'index' ? path.posix.basename(path.posix.dirname(c)) : stem;
      const at = text === null ? 0 : text.indexOf(name);
      if (file === c || at < 0) continue;
      const lines = (text ?? '').slice(0, at).split('\n');
      pins.push({ from: file, target: c, line: lines.length, column: lines[lines.length - 1]!.length + 1 });
      plan.skip(c, { kind: 'unread-importer', importer: file, notAnalysed: ctx.notAnalysed.has(file) });
    }
  }
  return (ctx.memo.removal = { legacyOf, candidates, pins, reach: removable(plan.reach, candidates, pins) });
}

/** Whether the nearest package.json above `file` (root-relative) names it in main, module, browser, types, typings, exports or bin. */
function packageEntry(root: string, file: string): boolean {
  const abs = path.resolve(root, file);
  for (let dir = path.dirname(abs); dir.startsWith(path.resolve(root)); dir = path.dirname(dir)) {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    } catch {
      if (dir === path.dirname(dir)) return false;
      continue;
    }
    const named: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') named.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    for (const key of ['main', 'module', 'browser', 'types', 'typings', 'exports', 'bin']) collect(pkg[key]);
    const stem = (p: string): string => p.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
    return named.some((n) => { const p = path.resolve(dir, n); return p === abs || stem(p) === stem(abs); });
  }
  return false;
}
