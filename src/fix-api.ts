import { isUtf8 } from 'node:buffer';
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAME, loadConfig, type GroupConfig } from './config/load-config.js';
import { ConfigError } from './errors.js';
import { missingNames } from './analyze/api-gaps.js';
import { ProjectModel } from './analyze/project-model.js';
import { transformRunner } from './fix/apply-transform.js';
import { FIX_PHASES, type FileChange, type FixPhase, type FixResult, type Skip } from './fix/fix-types.js';
import { dirtyFiles } from './fix/git-clean.js';
import { loadTransform, type Transform } from './fix/load-transform.js';
import { currentTargets, removable, type Overlay, type ReachContext } from './fix/reach.js';
import { unifiedDiff } from './fix/unified-diff.js';
import { markDeleted } from './fix/mark-deleted.js';
import { pathsAlias, styleLike } from './fix/ssot-specifier.js';
import { TsconfigIndex } from './scan/tsconfig-index.js';
import { writeVerified, type WriteVerifiedResult } from './fix/write-verified.js';
import { projectOf, scanWithProject, type ScanOptions } from './scan-api.js';
import type { FileFacts, Finding } from './types.js';
import { isWithin } from './is-within.js';

export type { FileChange, FixPhase, FixResult, Skip } from './fix/fix-types.js';
export { FIX_PHASES } from './fix/fix-types.js';

export interface FixOptions extends ScanOptions {
  /** Only these phases (default: all that apply, in the seed's order). */
  phases?: FixPhase[];
  /** Compute everything and return the diff; write nothing. */
  dryRun?: boolean;
  /** Run even when the git work tree has uncommitted changes. */
  allowDirty?: boolean;
  /**
   * Type-check every tsconfig project holding a changed file or an importer of one, before and after writing,
   * and roll back, file by file, every change that introduced a type error.
   */
  verify?: boolean;
  /** Per project type-check timeout in ms (default: 2 minutes and 100 ms a file of the project). */
  verifyTimeoutMs?: number;
  /** Progress of the rewrite (files done out of files planned). */
  onFixProgress?: (done: number, total: number, label: string) => void;
}

const MARKER = 'ssot-kit: manual migration needed';

/**
 * `ssot fix`: scan, then run only the transforms the findings call for, only on the files they name, in the
 * seed's phase order (factories, consumers, facades, cleanup). Every output is re-parsed before it is kept;
 * all changes are computed in memory first and written at the end, each file atomically.
 */
export async function fix(options: FixOptions): Promise<FixResult> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const config = loadConfig({ root, ...(options.config ? { configPath: options.config } : {}), ...(options.config === false ? { ignoreConfig: true } : {}) });
  const configName = config.file ? path.relative(process.cwd(), config.file) || config.file : CONFIG_FILE_NAME;
  if (config.groups.length === 0) {
    throw new ConfigError('no groups to migrate', configName, 'groups', 'Write a config with `ssot init`, then run `ssot fix` again.');
  }
  if (!options.dryRun && !options.allowDirty) {
    const dirty = dirtyFiles(root)?.filter((f) => !f.startsWith('.ssot-cache'));
    if (dirty?.length) {
      const list = `${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? `, and ${dirty.length - 5} more` : ''}`;
      throw new ConfigError(`the git work tree has uncommitted changes: ${list}`, path.relative(process.cwd(), root) || '.', undefined,
        'Commit or stash them first, so the rewrite can be reviewed and undone with git; or pass --allow-dirty; or preview with --dry-run.');
    }
  }
  const phases = FIX_PHASES.filter((p) => !options.phases?.length || options.phases.includes(p));
  const scanned = await scanWithProject(options);
  const result = scanned.result;
  const project = scanned.project ?? (await projectOf(root, options));
  const { extractFacts } = await import('./scan/extract-facts.js');

  const applyTransform = transformRunner();
  const abs = (rel: string): string => path.join(root, rel);
  const originals = new Map<string, string>();
  /** Files that are not valid UTF-8: the scan reads them as tsc does (U+FFFD), but writing that back would change their other bytes. */
  const notUtf8 = new Set<string>();
  const original = (rel: string): string => {
    let text = originals.get(rel);
    if (text === undefined) {
      const bytes = readFileSync(abs(rel));
      if (!isUtf8(bytes)) notUtf8.add(rel);
      originals.set(rel, (text = bytes.toString('utf8')));
    }
    return text;
  };
  const overlay: Overlay = new Map();
  const current = (rel: string): string | null => (overlay.has(rel) ? overlay.get(rel)! : original(rel));
  const newFacts = new Map<string, FileFacts>();
  const ctx: ReachContext = {
    project,
    overlay,
    factsOf: (rel, text) => {
      let f = newFacts.get(rel);
      if (!f) newFacts.set(rel, (f = extractFacts(abs(rel), text)));
      return f;
    },
  };
  const unparseable = new Set(result.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.file));
  for (const [rel, file] of project.files) if (file.facts.parseError) unparseable.add(rel);

  const changes = new Map<string, FileChange>();
  const skipped: Skip[] = [];
  const anchorOf = new Map<string, Finding>();
  for (const f of result.findings) if (!anchorOf.has(f.file) && f.severity !== 'info') anchorOf.set(f.file, f);
  const skip = (rel: string, reason: string, finding?: Finding, kind?: Skip['kind'], ruleId?: string): void => {
    const at = finding ?? anchorOf.get(rel);
    if (skipped.some((s) => s.file === rel && s.reason === reason)) return;
    skipped.push({ file: rel, line: at?.line ?? 1, column: at?.column ?? 1, ruleId: ruleId ?? at?.ruleId ?? 'fix', reason, ...(kind ? { kind } : {}) });
  };
  const model = new ProjectModel(project);
  /**
   * Names a step's output imports from the SSOT (through a specifier the step wrote, or one that already
   * named the SSOT) that the SSOT does not export and the input did not already import from there.
   */
  const newSsotNamesLacking = (rel: string, input: string, facts: FileFacts, ssotFile: string): string[] => {
    const before = overlay.has(rel) ? ctx.factsOf(rel, input) : project.files.get(rel)?.facts;
    const inputSpecs = new Set((before?.refs ?? []).map((r) => r.specifier));
    const ssotSpecs = new Set((project.refs.get(rel) ?? []).filter((r) => r.target === ssotFile).map((r) => r.ref.specifier));
    const had = new Set((before?.refs ?? []).filter((r) => ssotSpecs.has(r.specifier)).flatMap((r) => r.names.map((n) => n.imported)));
    const out = new Set<string>();
    for (const ref of facts.refs) {
      if (inputSpecs.has(ref.specifier) && !ssotSpecs.has(ref.specifier)) continue;
      if (ref.kind === 'mock') continue;
      for (const n of ref.names) if (n.imported !== '*' && !had.has(n.imported) && model.hasExport(ssotFile, n.imported) === 'no') out.add(n.imported);
    }
    return [...out];
  };

  /** Runs one transform on one file's current text and keeps the output only if it parses. */
  const step = (rel: string, phase: FixPhase, id: string, transform: Transform, opts: Record<string, unknown>, group: string): void => {
    const text = current(rel);
    if (text === null) return;
    if (unparseable.has(rel)) return skip(rel, 'the file does not parse; it is never rewritten');
    if (notUtf8.has(rel)) return skip(rel, 'not rewritten: the file is not valid UTF-8, and writing it back would change its other bytes', undefined, 'not-utf8');
    const applied = applyTransform(transform, abs(rel), text, opts);
    if (applied.error) return skip(rel, `${id} failed (${applied.error}); the file is left untouched`);
    if (applied.output === undefined) {
      if (applied.reports.length) skip(rel, `${id}: ${applied.reports.join('; ')}`);
      return;
    }
    const facts = extractFacts(abs(rel), applied.output);
    if (facts.parseError) return skip(rel, `${id} produced output that does not parse (${facts.parseError.message}, line ${facts.parseError.loc.line}); the file is left untouched`);
    const ssotFile = typeof opts.ssot === 'string' ? path.relative(root, path.resolve(opts.ssot)).split(path.sep).join('/') : undefined;
    const lacking = ssotFile ? newSsotNamesLacking(rel, text, facts, ssotFile) : [];
    if (lacking.length) {
      // Never write an import of a name the SSOT lacks (issue 17, item 1): a form the transform could not split.
      const names = lacking.map((n) => `\`${n}\``).join(', ');
      return skip(rel, `${id} would import ${names} from the SSOT ${ssotFile}, which does not export ${lacking.length === 1 ? 'it' : 'them'}; the file is left on the legacy module (manual migration needed)`, undefined, undefined, 'ssot-api-gap');
    }
    overlay.set(rel, applied.output);
    newFacts.set(rel, facts);
    record(rel, phase, id, group);
  };
  const record = (rel: string, phase: FixPhase, transform: string, group: string): void => {
    const at = anchorOf.get(rel);
    const change = changes.get(rel) ?? {
      file: rel, action: 'modified', steps: [], line: at?.line ?? 1, column: at?.column ?? 1, ruleId: at?.ruleId ?? 'legacy-import',
      importsRewritten: 0, constructionsRewritten: 0, manual: [], mocks: [],
    };
    change.steps.push({ phase, transform, group });
    changes.set(rel, change);
  };

  const transforms = new Map<string, Transform>();
  const use = async (id: string): Promise<Transform> => {
    let t = transforms.get(id);
    if (!t) transforms.set(id, (t = (await loadTransform(id)).default));
    return t;
  };
  const byGroup = (g: GroupConfig, rule: string): Finding[] => result.findings.filter((f) => f.ruleId === rule && f.group === g.name);
  const legacyPaths = (g: GroupConfig): string[] => g.legacy.flatMap((l) => (l.path && !l.deleted ? [l.path] : []));
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/');
  const under = new Map<string, string[]>();
  const filesUnder = (p: string): string[] => {
    let files = under.get(p);
    if (!files) {
      const r = rel(p);
      under.set(p, (files = [...project.files.keys()].filter((f) => f === r || f.startsWith(`${r}/`))));
    }
    return files;
  };
  const filesOf = (g: GroupConfig): string[] => legacyPaths(g).flatMap(filesUnder);
  const ssotFiles = new Set(config.groups.flatMap((g) => [rel(g.ssot.module), ...(g.ssot.factoryModule ? [rel(g.ssot.factoryModule)] : [])]));
  /**
   * The specifiers a file uses for the given legacy files, as the scanner resolved them (tsconfig paths,
   * workspaces), and the SSOT specifier in the same style when they are all path aliases.
   */
  const tsconfigs = new TsconfigIndex(root, config.tsconfig);
  const specifiersFor = (file: string, targets: ReadonlySet<string>, ssotModule: string): { legacySpecifiers?: string; ssotSpecifier?: string } => {
    const hits = (project.refs.get(file) ?? []).filter((r) => r.target && targets.has(r.target));
    if (hits.length === 0) return {};
    const specs = [...new Set(hits.map((r) => r.ref.specifier))];
    const out: { legacySpecifiers?: string; ssotSpecifier?: string } = { legacySpecifiers: JSON.stringify(specs) };
    const aliased = hits.filter((r) => !r.ref.specifier.startsWith('.'));
    if (aliased.length === hits.length) {
      // The legacy module's own alias when it covers the SSOT, else any `paths` alias of the file's tsconfig
      // that does (issue 17, item 9); extension and `/index` as the legacy specifier writes them.
      const ssotRel = rel(ssotModule);
      const legacySpec = aliased[0]!.ref.specifier;
      let alias = aliasFor(legacySpec, aliased[0]!.target!, ssotRel);
      if (alias && /(^|\/)index(\.d)?\.[cm]?tsx?$/.test(ssotRel) && !/(^|\/)index$/.test(alias)) alias += '/index';
      alias ??= pathsAlias(tsconfigs.forFile(abs(file))?.paths ?? [], abs(ssotRel));
      if (alias) out.ssotSpecifier = styleLike(alias, ssotRel, legacySpec);
    }
    return out;
  };
  const planned = { done: 0, total: 0 };
  const tick = (label: string): void => options.onFixProgress?.(++planned.done, Math.max(planned.total, planned.done), label);

  if (phases.includes('factories')) {
    // Mappings and legacy modules of every group apply together: a bypass found for one group (a legacy
    // factory class) is often mapped in the group of the role it constructs.
    const t = await use('rewrite-construction');
    const constructions: Record<string, unknown> = {};
    for (const g of config.groups) {
      for (const [k, c] of Object.entries(g.constructions)) {
        const factory = c.factory ?? g.ssot.factory;
        if (factory && !(k in constructions)) constructions[k] = { ...c, factory };
      }
    }
    const bypasses = config.groups.flatMap((g) => byGroup(g, 'factory-bypass'));
    if (Object.keys(constructions).length === 0) {
      for (const f of bypasses) skip(f.file, `no group has a \`constructions\` mapping: add one to say how ${f.data.name ?? 'this construction'} becomes an SSOT factory call`, f);
    } else {
      const legacyFiles = new Set(config.groups.flatMap(filesOf));
      const competing = config.groups.flatMap((g) => byGroup(g, 'competing-implementation')).map((f) => f.file).filter((f) => !legacyFiles.has(f) && !ssotFiles.has(f));
      const files = [...new Set([...bypasses.map((f) => f.file), ...competing])].sort();
      planned.total += files.length;
      const opts = { legacy: [...new Set(config.groups.flatMap(legacyPaths))].join(','), ssot: config.groups[0]!.ssot.module, constructions: JSON.stringify(constructions) };
      // A file's group is the one whose legacy modules it reaches, among those its findings name (issue 17,
      // item 6: a bypass pinned to the first group wired another package's files to that group's SSOT).
      const groupOf = new Map<string, GroupConfig>();
      const reaches = (file: string, g: GroupConfig): boolean => {
        const own = new Set([...filesOf(g), rel(g.ssot.module)]);
        return (project.refs.get(file) ?? []).some((r) => r.target !== undefined && own.has(r.target));
      };
      for (const g of config.groups) {
        for (const f of byGroup(g, 'factory-bypass')) {
          const had = groupOf.get(f.file);
          if (!had || (!reaches(f.file, had) && reaches(f.file, g))) groupOf.set(f.file, g);
        }
      }
      for (const file of files) {
        const g = groupOf.get(file) ?? config.groups[0]!;
        step(file, 'factories', 'rewrite-construction', t, { ...opts, ssot: g.ssot.module, ...specifiersFor(file, legacyFiles, g.ssot.module) }, g.name);
        tick('factories');
      }
    }
  }

  if (phases.includes('consumers')) {
    const t = await use('rewrite-imports');
    for (const g of config.groups) {
      const direct = byGroup(g, 'legacy-import').filter((f) => f.messageId !== 'indirectImport');
      // Indirect consumers reach a legacy module through a barrel, which may sit in `allow`: the barrel is rewritten.
      const barrels = byGroup(g, 'legacy-import').filter((f) => f.messageId === 'indirectImport' && typeof f.data.barrel === 'string' && project.files.has(String(f.data.barrel)));
      for (const f of direct) {
        if (g.legacy.some((l) => !l.path && l.spec === f.data.module)) skip(f.file, `legacy module ${String(f.data.module)} is a package: rewrite its imports once its replacement is published`, f);
      }
      const files = [...new Set([...direct.map((f) => f.file), ...barrels.map((f) => String(f.data.barrel))])].sort();
      const legacyTargetsOf = new Map<object, Set<string>>();
      planned.total += files.length;
      for (const file of files) {
        for (const l of g.legacy) {
          if (!l.path) continue;
          const targets = legacyTargetsOf.get(l) ?? new Set(filesUnder(l.path));
          legacyTargetsOf.set(l, targets);
          const specs = specifiersFor(file, targets, g.ssot.module);
          if (!specs.legacySpecifiers) continue;
          // Names the SSOT lacks stay on the legacy module (issue 17, item 1); the transform marks them for a person.
          const keep = [...new Set((project.refs.get(file) ?? []).filter((r) => r.target && targets.has(r.target)).flatMap((r) => missingNames(model, rel(g.ssot.module), r, l).map((m) => m.legacy)))];
          step(file, 'consumers', 'rewrite-imports', t, { legacy: l.path, ssot: g.ssot.module, renames: JSON.stringify(l.renames), ...specs, ...(keep.length ? { keep: JSON.stringify(keep) } : {}) }, g.name);
        }
        tick('consumers');
      }
    }
  }

  const refused: FixResult['refused'] = [];
  if (phases.includes('facades') || phases.includes('cleanup')) {
    const legacyOf = new Map<string, GroupConfig>();
    for (const g of config.groups) for (const f of filesOf(g)) if (!ssotFiles.has(f)) legacyOf.set(f, g);
    // Barrels outside the legacy modules that only pass legacy modules on go with them when nothing imports them.
    for (const [file, pf] of project.files) {
      if (legacyOf.has(file) || ssotFiles.has(file) || overlay.has(file)) continue;
      const refs = project.refs.get(file) ?? [];
      const facts = pf.facts;
      if (refs.length === 0 || facts.decls.length > 0 || facts.uses.length > 0) continue;
      if (!refs.every((r) => ['export-from', 'export-star', 'export-star-as', 'side-effect'].includes(r.ref.kind) && r.target && legacyOf.has(r.target))) continue;
      legacyOf.set(file, legacyOf.get(refs[0]!.target!)!);
    }
    const candidates = new Set(legacyOf.keys());
    // A file that does not parse, or was not analysed at all (a skipped-file finding), has no facts: it
    // keeps every candidate whose name its text mentions, and every candidate when it cannot be read.
    const pins: { from: string; target: string; line: number; column: number }[] = [];
    const notAnalysed = new Set(result.coverage.skipped.map((s) => s.file));
    for (const file of [...unparseable, ...notAnalysed]) {
      let text: string | null;
      try {
        text = current(file);
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
        skip(c, `kept: ${file} ${notAnalysed.has(file) ? 'was not analysed' : 'does not parse'} and may still import it`);
      }
    }
    let reach = removable(ctx, candidates, pins);
    if (phases.includes('facades')) {
      const t = await use('facade');
      const kept = [...candidates].filter((f) => !reach.remove.has(f) && filesOf(legacyOf.get(f)!).includes(f)).sort();
      planned.total += kept.length;
      for (const file of kept) {
        const g = legacyOf.get(file)!;
        const renames = Object.assign({}, ...g.legacy.map((l) => l.renames)) as Record<string, string>;
        step(file, 'facades', 'facade', t, { ssot: g.ssot.module, renames: JSON.stringify(renames), root }, g.name);
        tick('facades');
      }
      // A facade no longer imports what the legacy module did: more may be unreachable now.
      for (let more = true; more; ) {
        const next = removable(ctx, candidates, pins);
        more = next.remove.size > reach.remove.size;
        reach = next;
      }
    }
    if (phases.includes('cleanup')) {
      const t = await use('remove-legacy');
      const removed = [...reach.remove].sort();
      for (const file of removed) {
        const g = legacyOf.get(file)!;
        if (!filesOf(g).includes(file)) {
          // A barrel: remove-legacy says whether it holds anything but passes of removed modules ('' = nothing).
          const applied = applyTransform(t, abs(file), current(file) ?? '', { legacy: removed.filter((f) => f !== file).map(abs) });
          if (applied.output !== '') continue;
        }
        overlay.set(file, null);
        record(file, 'cleanup', 'remove-legacy', g.name);
        changes.get(file)!.action = 'deleted';
      }
      // Legacy modules removed as a whole are marked deleted in the config, which must go on loading.
      const gone: { group: number; index: number }[] = [];
      config.groups.forEach((g, gi) => g.legacy.forEach((l, li) => {
        if (!l.path || l.deleted) return;
        const files = filesUnder(l.path);
        if (files.length > 0 && files.every((f) => overlay.get(f) === null)) gone.push({ group: gi, index: li });
      }));
      if (gone.length && config.file) {
        const cfg = rel(config.file);
        overlay.set(cfg, markDeleted(current(cfg)!, gone));
        record(cfg, 'cleanup', 'config', config.groups[gone[0]!.group]!.name);
        changes.get(cfg)!.ruleId = 'legacy-import';
      }
      if (!phases.includes('facades')) {
        for (const [file, by] of reach.keptBy) if (filesOf(legacyOf.get(file)!).includes(file)) refused.push({ module: file, consumers: by });
      }
    }
  }

  // What each change amounts to, from the facts before and after.
  const legacyTargets = new Set(config.groups.flatMap(filesOf));
  const constructionKeys = new Set(config.groups.flatMap((g) => Object.keys(g.constructions)));
  const countUses = (facts: FileFacts): number => facts.uses.filter((u) => constructionKeys.has(u.callee.split('.').pop()!) || constructionKeys.has(u.callee.split('.')[0]!)).length;
  for (const change of changes.values()) {
    const text = overlay.get(change.file);
    if (text === null || text === undefined) continue;
    const before = (project.refs.get(change.file) ?? []).filter((r) => r.target && legacyTargets.has(r.target)).length;
    const after = currentTargets(ctx, change.file).filter((t) => legacyTargets.has(t.target)).length;
    if (!change.steps.some((s) => s.phase === 'facades')) change.importsRewritten = Math.max(0, before - after);
    if (change.steps.some((s) => s.transform === 'rewrite-imports')) {
      const left = new Set(currentTargets(ctx, change.file).map((t) => `${t.line}:${t.column}`));
      for (const r of project.refs.get(change.file) ?? []) {
        if (r.ref.kind === 'mock' && r.target && legacyTargets.has(r.target) && !left.has(`${r.ref.loc.line}:${r.ref.loc.column}`)) {
          change.mocks.push({ line: r.ref.loc.line, column: r.ref.loc.column, module: r.target });
        }
      }
    }
    const oldFacts = project.files.get(change.file)?.facts;
    if (oldFacts && change.steps.some((s) => s.phase === 'factories')) change.constructionsRewritten = Math.max(0, countUses(oldFacts) - countUses(ctx.factsOf(change.file, text)));
    const oldMarkers = new Set(original(change.file).split(/\r?\n/).filter((l) => l.includes(MARKER)).map((l) => l.trim()));
    text.split(/\r?\n/).forEach((line, i) => {
      const m = line.indexOf(MARKER);
      if (m >= 0 && !oldMarkers.has(line.trim())) change.manual.push({ line: i + 1, reason: line.slice(m + MARKER.length).trim().replace(/^\(|\)$/g, '') });
    });
  }

  // Writes go only to real paths inside the root (issue 15): through a link to a folder elsewhere, a
  // rewrite changed files this repository does not hold. A linked file inside the root is written
  // through to its target, so it stays a link; a deleted module that is a link loses the link only.
  const realRoot = realpathSync(root);
  const writeTo = new Map<string, string>();
  for (const c of [...changes.values()]) {
    const real = realTarget(abs(c.file), realRoot, overlay.get(c.file) !== null);
    if (real) {
      writeTo.set(c.file, real);
      continue;
    }
    skip(c.file, 'not written: its real path is outside the scanned root (a symbolic link leads out)', undefined, 'outside-root');
    overlay.delete(c.file);
    changes.delete(c.file);
  }
  const sorted = [...changes.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
  const diff = sorted.map((c) => unifiedDiff(c.file, original(c.file), overlay.get(c.file) ?? undefined)).join('');
  let outcome: WriteVerifiedResult | undefined;
  if (!options.dryRun && sorted.length > 0) {
    outcome = await writeVerified({
      root, realRoot, refs: project.refs, verify: !!options.verify, tsconfig: config.tsconfig, verifyTimeoutMs: options.verifyTimeoutMs,
      writes: sorted.map((c) => ({ file: c.file, real: writeTo.get(c.file)!, before: original(c.file), after: overlay.get(c.file) ?? null })),
      folders: new Set([...project.files.keys(), ...sorted.map((c) => c.file)].map((f) => path.dirname(abs(f)))),
      companions: new Map(config.file ? sorted.filter((c) => c.action === 'deleted').map((c) => [c.file, [rel(config.file!)]]) : []),
    });
    for (const b of outcome.rolledBack) changes.delete(b.file);
    if (outcome.problems.length) changes.clear();
  }
  const rolledBack = outcome?.rolledBack ?? [];
  const verify = outcome?.verify;

  const kept = [...changes.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
  const fixResult: FixResult = {
    root,
    dryRun: !!options.dryRun,
    phases,
    changes: kept,
    skipped: skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line)),
    refused,
    rolledBack: rolledBack.sort((a, b) => (a.file < b.file ? -1 : 1)),
    diff,
    summary: {
      filesChanged: kept.length,
      importsRewritten: kept.reduce((n, c) => n + c.importsRewritten, 0),
      constructionsRewritten: kept.reduce((n, c) => n + c.constructionsRewritten, 0),
      facadesWritten: kept.filter((c) => c.action === 'modified' && c.steps.some((s) => s.phase === 'facades')).length,
      modulesRemoved: kept.filter((c) => c.action === 'deleted').length,
      filesSkipped: new Set(skipped.map((s) => s.file)).size,
      rolledBack: rolledBack.length,
      manualMarkers: kept.reduce((n, c) => n + c.manual.length, 0),
      mocksToReview: kept.reduce((n, c) => n + c.mocks.length, 0),
    },
    durationMs: Math.round(performance.now() - started),
  };
  if (verify) fixResult.verify = verify;
  if (outcome?.problems.length) fixResult.notWritten = outcome.problems;
  if (outcome?.staleTempsRemoved.length) fixResult.staleTempsRemoved = outcome.staleTempsRemoved.map(rel);
  return fixResult;
}

/**
 * The real path a change of `file` writes to, when it is inside the root: its folder's real path and
 * its name, or (`follow`, for a rewrite) the real path of the file a link names. Undefined when that
 * leaves the root, or the folder is gone.
 */
function realTarget(file: string, realRoot: string, follow: boolean): string | undefined {
  let real: string;
  try {
    real = follow && lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ? realpathSync(file) : path.join(realpathSync(path.dirname(file)), path.basename(file));
  } catch {
    return undefined;
  }
  return isWithin(realRoot, real) ? real : undefined;
}

/**
 * The SSOT's specifier in a path alias's style: `@app/legacy/dispatch` resolving to `src/legacy/dispatch/index.ts`
 * maps `@app/` to `src/`, so `src/tools/x.ts` is `@app/tools/x`. Undefined when the SSOT is outside the aliased folder.
 */
export function aliasFor(specifier: string, target: string, ssot: string): string | undefined {
  const strip = (p: string): string[] => p.replace(/\.(d\.)?[cm]?[jt]sx?$/, '').replace(/\/index$/, '').split('/');
  const spec = specifier.replace(/\.[cm]?js$/, '').split('/');
  const tgt = strip(target);
  let n = 0;
  while (n < spec.length && n < tgt.length && spec[spec.length - 1 - n] === tgt[tgt.length - 1 - n]) n++;
  if (n === 0) return undefined;
  const prefix = spec.slice(0, spec.length - n).join('/');
  const base = tgt.slice(0, tgt.length - n).join('/');
  const ssotPath = strip(ssot).join('/');
  if (base && !ssotPath.startsWith(`${base}/`)) return undefined;
  const tail = base ? ssotPath.slice(base.length + 1) : ssotPath;
  return prefix ? `${prefix}/${tail}` : tail;
}
