import picomatch from 'picomatch';
import type { GroupAnalysis } from './analyze/group-analysis.js';
import { memberKey } from './analyze/dismissed.js';

/** A group `ssot init` proposes: a high-confidence discovered group, its role named no wider than its members' shared name. */
export interface ProposedGroup {
  name: string;
  kind: 'competing' | 'duplicate-copy';
  /** Discovery's confidence, 0..1. */
  confidence: number;
  /** Role names: the members' shared multi-word name as a glob (`*ToolDispatcher`), else the members' own names. */
  role: string[];
  ssot: { module: string; export: string };
  /** Why this one is the suggested SSOT. */
  why: string;
  legacy: string[];
  members: { name: string; file: string; moduleConsumers: number; kind?: string }[];
  /** What the config would create for this group: its findings in a scan with the config, and its legacy modules. */
  impact?: { findings: number; legacyModules: number };
  /**
   * Implementations the role names also match that init did not make members: outside the members' modules, and
   * of another kind than the members or in a package none of them is in. The configured scan reports them as competing implementations; they are not
   * declared legacy, so their importers are not reported (issue 18: `*WhereUniqueInput` matched a generator
   * function, `User` matched the server's own model beside a generated sample's).
   */
  roleMatches?: { name: string; file: string }[];
}

/** A group discovery found that init does not write, and why. */
export interface LeftOut {
  name: string;
  members: string[];
  reason: string;
}

/** Words of an identifier: `RequestScopedToolDispatcher` -> Request Scoped Tool Dispatcher, `createStep` -> create Step. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$-]+/)
    .filter(Boolean);
}

/**
 * The members' shared name as a role glob, when it has two words or more: the common suffix
 * (`*ToolDispatcher`), else the common prefix (`normalizeTaxLines*`). One shared word (`*Service`,
 * `*Component`, `*Store`) names a layer, not a role: the members' own names are used instead (issue 18, item 6).
 */
export function roleNames(names: readonly string[]): { role: string[]; shared?: string[] } {
  const unique = [...new Set(names)];
  if (unique.length < 2) return { role: unique };
  const split = unique.map(words);
  const common = (fromEnd: boolean): string[] => {
    const out: string[] = [];
    for (let i = 0; ; i++) {
      const at = (w: string[]): string | undefined => (fromEnd ? w[w.length - 1 - i] : w[i]);
      const first = at(split[0]!);
      // A member whose whole name is the shared part keeps the glob honest: `*ToolDispatcher` matches `ToolDispatcher`.
      if (first === undefined || !split.every((w) => at(w)?.toLowerCase() === first.toLowerCase())) return fromEnd ? out.reverse() : out;
      out.push(first);
    }
  };
  // Names with separators (`get_user`) lose them in words(): a glob that misses a member is no glob.
  const fits = (glob: string): boolean => unique.every((n) => picomatch.isMatch(n, glob));
  const suffix = common(true);
  if (suffix.length >= 2 && fits(`*${suffix.join('')}`)) return { role: [`*${suffix.join('')}`], shared: suffix };
  const prefix = common(false);
  if (prefix.length >= 2 && fits(`${prefix.join('')}*`)) return { role: [`${prefix.join('')}*`], shared: prefix };
  return { role: unique.sort() };
}

function kebab(parts: readonly string[]): string {
  return parts.map((w) => w.toLowerCase()).join('-');
}

/**
 * One proposal from a discovered group: discovery's SSOT suggestion and reasons, or the most imported
 * module; the SSOT must be exported by its module (`exported`), else there is no proposal.
 */
export function propose(group: GroupAnalysis, exported: (file: string, name: string) => boolean, owned: ModuleOwned): ProposedGroup | undefined {
  const members = group.implementations.map((i) => ({ name: i.name, file: i.file, moduleConsumers: i.moduleConsumers, kind: i.kind }));
  const candidates = members.filter((m) => exported(m.file, m.name));
  const suggested = candidates.find((m) => m.file === group.ssot.file && m.name === group.ssot.export);
  const best = suggested ?? [...candidates].sort((a, b) => b.moduleConsumers - a.moduleConsumers || (a.name < b.name ? -1 : 1))[0];
  if (!best) return undefined;
  const { role, shared } = roleNames(members.map((m) => m.name));
  const generic = group.name === 'similar-api' || /-\d+$/.test(group.name);
  return {
    name: shared ? kebab(shared) : generic ? kebab(words(best.name)) : group.name,
    kind: group.discovery?.kind === 'duplicate-copy' ? 'duplicate-copy' : 'competing',
    confidence: group.discovery?.confidence ?? 1,
    role,
    ssot: { module: best.file, export: best.name },
    why: suggested && group.discovery?.ssotReasons.length ? group.discovery.ssotReasons.join('; ') : `${best.moduleConsumers} file(s) import its module, the most of ${members.length} candidates`,
    legacy: legacyOf(members, best.file, owned),
    members,
  };
}

/** Whether a module is about these members: its other exports are few (a props type, a helper), so it can go once they do. */
export type ModuleOwned = (file: string, memberNames: readonly string[]) => boolean;

/**
 * The members' modules other than the SSOT's that the group owns: a module with many other exports
 * (a validators.ts holding one copied schema among thirty) is no legacy module, or every importer of
 * anything in it would be reported; its member is still reported as a competing implementation.
 */
export function legacyOf(members: readonly { name: string; file: string }[], ssotFile: string, owned: ModuleOwned): string[] {
  const byFile = new Map<string, string[]>();
  for (const m of members) if (m.file !== ssotFile) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m.name]);
  return [...byFile].filter(([file, names]) => owned(file, names)).map(([file]) => file).sort();
}

/** What a kept group occupies: its members, its modules, and what its role names match. */
interface Claim {
  name: string;
  members: Set<string>;
  files: Set<string>;
  matches: (name: string) => boolean;
}

export function claimOf(g: { name: string; role: string[]; ssot: { module: string; export?: string }; legacy: string[]; members: { name: string; file: string }[] }): Claim {
  return {
    name: g.name,
    members: new Set(g.members.map(memberKey)),
    files: new Set([g.ssot.module, ...g.legacy]),
    matches: picomatch(g.role.length ? g.role : ['\0']),
  };
}

/**
 * Keeps proposals that overlap no group kept before them (higher confidence first, configured groups
 * first of all): no shared member, no shared SSOT or legacy module, no role name matching the other's
 * members; group names made unique. Returns the kept ones and the ones left out, with the group they overlap.
 */
export function withoutOverlaps(proposals: ProposedGroup[], configured: Claim[]): { kept: ProposedGroup[]; leftOut: LeftOut[] } {
  const claims = [...configured];
  const names = new Set(configured.map((c) => c.name));
  const kept: ProposedGroup[] = [];
  const leftOut: LeftOut[] = [];
  for (const p of [...proposals].sort((a, b) => b.confidence - a.confidence || (a.name < b.name ? -1 : 1))) {
    const mine = claimOf(p);
    const clash = claims.find(
      (c) => [...mine.members].some((m) => c.members.has(m)) || [...mine.files].some((f) => c.files.has(f)) || p.members.some((m) => c.matches(m.name)) || [...c.members].some((k) => mine.matches(k.slice(k.lastIndexOf('#') + 1))),
    );
    if (clash) {
      leftOut.push({ name: p.name, members: p.members.map(memberKey), reason: `overlaps group ${clash.name}` });
      continue;
    }
    let name = p.name;
    for (let i = 2; names.has(name); i++) name = `${p.name}-${i}`;
    names.add(name);
    claims.push({ ...mine, name });
    kept.push({ ...p, name });
  }
  return { kept, leftOut };
}
