import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDismissed, memberKey } from './analyze/dismissed.js';
import type { GroupAnalysis } from './analyze/group-analysis.js';
import { CONFIG_FILE_NAME, loadConfig, type GroupConfig, type ResolvedConfig } from './config/load-config.js';
import { ConfigError } from './errors.js';
import { claimOf, legacyOf, propose, withoutOverlaps, type LeftOut, type ModuleOwned, type ProposedGroup } from './init-proposals.js';
import { parseJsonc } from './scan/parse-jsonc.js';
import { prepare, type ScanOptions } from './prepare.js';
import { loadProject } from './scan/scan-project.js';
import { analyzeProject } from './scan-api.js';
import { writeAtomic } from './write-atomic.js';

export type { LeftOut, ProposedGroup } from './init-proposals.js';

/** Discovered groups under this confidence are not proposed (the scan's own threshold shows more; issue 18, item 6). */
export const INIT_MIN_CONFIDENCE = 0.75;
/**
 * With `--yes`, a proposal that would create more than this is refused (listed, not written): a group
 * that large is a layer or a family, not one role, or needs a person to look at it first.
 */
export const INIT_LIMITS = { legacyModules: 20, findings: 200 } as const;

export interface InitOptions extends Omit<ScanOptions, 'config'> {
  /** Replace an existing ssot.config.json. */
  force?: boolean;
  /** Keep an existing config and add only groups that overlap none of its groups. */
  update?: boolean;
  /** Propose discovered groups at or above this confidence (default INIT_MIN_CONFIDENCE). */
  minConfidence?: number;
  /** Refusal limits without `choose` (default INIT_LIMITS). */
  limits?: { legacyModules: number; findings: number };
  /** Per proposal, with its impact: keep it (maybe with another SSOT) or not (interactive prompts). Without it, limits apply. */
  choose?: (proposal: ProposedGroup) => Promise<ProposedGroup | undefined>;
}

export interface InitResult {
  file: string;
  /** Groups written. */
  groups: ProposedGroup[];
  /** Proposals over the limits (without `choose`), with the limit they pass. */
  refused: LeftOut[];
  /** Families (siblings of one contract, chosen by configuration): for information, never written. */
  families: LeftOut[];
  /** Groups not proposed: overlapping a kept or configured group, dismissed, declined. */
  skipped: LeftOut[];
  config: Record<string, unknown>;
}

/**
 * `ssot init`: discovery, then one proposed group per high-confidence `competing` or `duplicate-copy`
 * group, its role named by the members' shared multi-word name, widened by it and measured with a
 * scan under the proposed config (findings and legacy modules per group), then written as ssot.config.json.
 * The project is parsed once; the proposed configs are analysed in memory, never written elsewhere.
 */
export async function init(options: InitOptions): Promise<InitResult> {
  const root = path.resolve(options.root);
  const file = path.join(root, CONFIG_FILE_NAME);
  const exists = existsSync(file);
  if (exists && !options.force && !options.update) {
    throw new ConfigError('a config already exists', path.relative(process.cwd(), file) || file, undefined, 'Pass --update to add new groups to it, or --force to replace it.');
  }
  const current = exists && options.update ? loadConfig({ root, configPath: file }) : undefined;
  const base: ResolvedConfig = { ...(current ?? loadConfig({ root, ignoreConfig: true })), groups: [] };
  // The session takes the config object as it is: init's proposals are measured on it in memory, never written to a temporary file.
  const project = await loadProject((await prepare(options, base)).inventory);
  const discovered = (await analyzeProject(project, { ...base, discovery: { minConfidence: 0 } }, ['competing-implementation'])).groups.filter((g) => g.discovered);

  const exported = (file: string, name: string): boolean => !!project.files.get(file)?.facts.exports.some((e) => e.name === name && !e.typeOnly);
  // A module is the members' when at most two of its other value exports remain (a helper, a constant) or they are fewer
  // than the members; its types and interfaces go with the members they describe.
  const owned: ModuleOwned = (file, names) => {
    const facts = project.files.get(file)?.facts;
    if (!facts) return false;
    const typeNames = new Set(facts.decls.filter((d) => d.kind === 'interface' || d.kind === 'type').map((d) => d.name));
    const values = new Set(facts.exports.filter((e) => !e.typeOnly && !(e.local && typeNames.has(e.local)) && !(e.name === 'default' && e.local && names.includes(e.local))).map((e) => e.name));
    const others = [...values].filter((n) => !names.includes(n)).length;
    return others <= 2 || others < values.size - others;
  };
  const families: LeftOut[] = [];
  const skipped: LeftOut[] = [];
  const proposals: ProposedGroup[] = [];
  const threshold = options.minConfidence ?? INIT_MIN_CONFIDENCE;
  for (const g of discovered) {
    const leftOut = (reason: string): LeftOut => ({ name: g.name, members: g.implementations.map(memberKey), reason });
    if (current && isDismissed(g, current)) skipped.push(leftOut('dismissed in the config'));
    else if (g.discovery?.kind === 'family') families.push(leftOut(`family (confidence ${(g.discovery.confidence).toFixed(2)}): siblings of one contract, kept apart by design`));
    else if ((g.discovery?.confidence ?? 1) >= threshold) {
      const p = propose(g, exported, owned);
      if (p) proposals.push(p);
      else skipped.push(leftOut('no member is exported by its module, so none can be the SSOT'));
    }
  }
  const configured = (current?.groups ?? []).map((g) => claimOf(configuredShape(g, root)));
  let { kept, leftOut } = withoutOverlaps(proposals, configured);
  skipped.push(...leftOut);

  // Widen by the role names, then measure: the members and legacy modules a configured scan finds, and its findings per group.
  if (kept.some((p) => p.role.some((r) => r.includes('*')))) {
    const widened = await analyzeProject(project, configFor(kept, base, current), ['competing-implementation']);
    kept = kept.map((p) => widen(p, widened.groups.find((g) => g.name === p.name), owned, (file) => packageDirOf(root, file)));
  }
  if (kept.length) {
    const measured = await analyzeProject(project, configFor(kept, base, current), undefined);
    kept = kept.map((p) => ({ ...p, impact: { findings: measured.findings.filter((f) => f.group === p.name).length, legacyModules: p.legacy.length } }));
  }

  const refused: LeftOut[] = [];
  const chosen: ProposedGroup[] = [];
  const limits = options.limits ?? INIT_LIMITS;
  for (const p of kept) {
    if (options.choose) {
      const picked = await options.choose(p);
      if (picked) chosen.push(picked);
      else skipped.push({ name: p.name, members: p.members.map(memberKey), reason: 'declined' });
      continue;
    }
    const over = p.impact!.legacyModules > limits.legacyModules ? `${p.impact!.legacyModules} legacy modules (limit ${limits.legacyModules})` : p.impact!.findings > limits.findings ? `${p.impact!.findings} findings (limit ${limits.findings})` : undefined;
    if (over) refused.push({ name: p.name, members: p.members.map(memberKey), reason: `would create ${over}` });
    else chosen.push(p);
  }

  const config = written(chosen, root, exists && options.update ? readRaw(file) : undefined);
  writeAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
  loadConfig({ root, configPath: file }); // what we wrote must load
  return { file, groups: chosen, refused, families, skipped, config };
}

/**
 * Implementations the configured scan finds by the role names join the discovered members when they live in a
 * member's module, or are of a kind the members are in a package a member lives in; the legacy modules follow. The other matches
 * are listed (`roleMatches`), not made legacy: a name alone does not make two packages' classes one role.
 */
function widen(p: ProposedGroup, configured: GroupAnalysis | undefined, owned: ModuleOwned, packageOf: (file: string) => string): ProposedGroup {
  if (!configured) return p;
  const known = new Set(p.members.map(memberKey));
  const kinds = new Set(p.members.map((m) => m.kind));
  const packages = new Set(p.members.map((m) => packageOf(m.file)));
  const extra = configured.implementations.filter((i) => !known.has(memberKey(i)));
  const files = new Set(p.members.map((m) => m.file));
  // In a member's module (a class's factory beside it), or of a member's kind in a member's package.
  const joining = extra.filter((i) => files.has(i.file) || (kinds.has(i.kind) && packages.has(packageOf(i.file))));
  const members = [...p.members, ...joining.map((i) => ({ name: i.name, file: i.file, moduleConsumers: i.moduleConsumers, kind: i.kind }))];
  const roleMatches = extra.filter((i) => !joining.includes(i)).map((i) => ({ name: i.name, file: i.file }));
  return { ...p, members, legacy: legacyOf(members, p.ssot.module, owned), ...(roleMatches.length ? { roleMatches } : {}) };
}

/** The root-relative folder of the nearest package.json above a root-relative file ('' for the root). */
function packageDirOf(root: string, file: string): string {
  for (let dir = path.posix.dirname(file); dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) {
    if (existsSync(path.join(root, dir, 'package.json'))) return dir;
  }
  return '';
}

/** A configured group as init's proposals are shaped, root-relative, to test proposals against. */
function configuredShape(g: GroupConfig, root: string): Parameters<typeof claimOf>[0] {
  const rel = (abs: string): string => path.relative(root, abs).split(path.sep).join('/');
  return { name: g.name, role: g.role.names, ssot: { module: rel(g.ssot.module) }, legacy: g.legacy.flatMap((l) => (l.path ? [rel(l.path)] : [])), members: [] };
}

/** The proposals as a resolved config, in memory: what a scan with the written config would see. */
function configFor(groups: ProposedGroup[], base: ResolvedConfig, current: ResolvedConfig | undefined): ResolvedConfig {
  const abs = (rel: string): string => path.join(base.root, rel);
  return {
    ...base,
    groups: [
      ...(current?.groups ?? []),
      ...groups.map((g) => ({
        name: g.name,
        ssot: { module: abs(g.ssot.module), export: g.ssot.export },
        legacy: g.legacy.map((l) => ({ spec: l, path: abs(l), renames: renamesIn(g, l), deleted: false })),
        constructions: {},
        role: { names: g.role, implements: [], extends: [], minSharedMethods: 0 },
        allow: [g.ssot.module, ...g.legacy],
      })),
    ],
  };
}

/** The config to write: an existing one with the new groups appended (`--update`), or a new one. */
function written(groups: ProposedGroup[], root: string, existing: Record<string, unknown> | undefined): Record<string, unknown> {
  const config: Record<string, unknown> = existing ? { ...existing } : { $schema: schemaRef(root) };
  config.groups = [
    ...((existing?.groups as unknown[] | undefined) ?? []),
    ...groups.map((g) => ({
      name: g.name,
      description: `Proposed by ssot init (${g.kind}, confidence ${g.confidence.toFixed(2)}): ${g.members.map((m) => m.name).join(', ')}. SSOT ${g.ssot.export} (${g.why}).`,
      ssot: g.ssot,
      legacy: g.legacy.map((l) => (Object.keys(renamesIn(g, l)).length ? { module: l, renames: renamesIn(g, l) } : l)),
      role: { names: g.role },
      allow: [g.ssot.module, ...g.legacy],
    })),
  ];
  if (!existing) config.dismissed = [];
  return config;
}

/**
 * A legacy module's members under other names than the SSOT's export: importers of those names are
 * asked to use the SSOT's (the names `ssot fix` rewrites, and no API gap to report for them).
 */
function renamesIn(g: ProposedGroup, module: string): Record<string, string> {
  // A legacy factory becomes the SSOT module's factory, a legacy class its class: the SSOT module's member of the same kind.
  const sort = (kind: string | undefined): string => (kind === 'singleton' ? 'class' : kind ?? '');
  const counterpart = (kind: string | undefined): string => g.members.find((m) => m.file === g.ssot.module && sort(m.kind) === sort(kind))?.name ?? g.ssot.export;
  const out: Record<string, string> = {};
  for (const m of g.members) if (m.file === module && m.name !== counterpart(m.kind)) out[m.name] = counterpart(m.kind);
  return out;
}

function readRaw(file: string): Record<string, unknown> {
  return parseJsonc(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/**
 * `$schema` for the written config: the copy in a node_modules of the repository (the root's or one
 * above it, up to the work tree's top) relative to the config, or else the published copy of this
 * version: never a path into the folder ssot-kit happens to run from (issue 18, item 6).
 */
export function schemaRef(root: string): string {
  const tail = 'node_modules/ssot-kit/schema/ssot.config.schema.json';
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, tail))) return `${path.relative(root, dir).split(path.sep).join('/') || '.'}/${tail}`;
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  return `https://unpkg.com/ssot-kit@${version}/schema/ssot.config.schema.json`;
}
