import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GroupAnalysis } from './analyze/group-analysis.js';
import { CONFIG_FILE_NAME, loadConfig } from './config/load-config.js';
import { ConfigError } from './errors.js';
import { scan, type ScanOptions } from './scan-api.js';

/** A group `ssot init` proposes: discovered by API similarity, widened by name, the SSOT suggested from evidence. */
export interface ProposedGroup {
  name: string;
  /** Role name glob, from the members' common name suffix (`*ToolDispatcher`). */
  role: string[];
  ssot: { module: string; export: string };
  /** Why this one: module consumers, delegation. */
  why: string;
  legacy: string[];
  members: { name: string; file: string; moduleConsumers: number }[];
}

export interface InitOptions extends Omit<ScanOptions, 'config'> {
  /** Overwrite an existing ssot.config.json. */
  force?: boolean;
  /** Pick, per proposal, whether to keep it and which member is the SSOT (interactive prompts). */
  choose?: (proposal: ProposedGroup) => Promise<ProposedGroup | undefined>;
}

export interface InitResult {
  file: string;
  groups: ProposedGroup[];
  config: Record<string, unknown>;
}

/**
 * `ssot init`: discovery, then one proposed group per cluster of competing implementations, widened
 * by a name glob and re-checked with a scan under the proposed config, written as ssot.config.json.
 * Never overwrites an existing config unless `force`.
 */
export async function init(options: InitOptions): Promise<InitResult> {
  const root = path.resolve(options.root);
  const file = path.join(root, CONFIG_FILE_NAME);
  if (existsSync(file) && !options.force) {
    throw new ConfigError('a config already exists', path.relative(process.cwd(), file) || file, undefined, 'Pass --force to replace it, or edit it by hand.');
  }
  // Discovery ignores any existing config: it is about to be replaced.
  const discovered = await scan({ ...options, root, config: false, rules: ['competing-implementation'] });
  let groups = discovered.groups.filter((g) => g.discovered).map(propose);
  // Widen each proposal by its name glob and take the members a configured scan finds.
  if (groups.length) {
    const widened = await scanWithConfig(root, options, configFor(groups, root, true));
    groups = groups.map((p) => widen(p, widened.groups.find((g) => g.name === p.name)));
  }
  const chosen: ProposedGroup[] = [];
  for (const g of groups) {
    const picked = options.choose ? await options.choose(g) : g;
    if (picked) chosen.push(picked);
  }
  const config = configFor(chosen, root);
  writeAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
  loadConfig({ root, configPath: file }); // what we wrote must load
  return { file, groups: chosen, config };
}

async function scanWithConfig(root: string, options: InitOptions, config: Record<string, unknown>) {
  // Outside the user's tree: module paths are absolute, globs stay relative to the root.
  const tmp = path.join(tmpdir(), `ssot-init-${process.pid}-${Date.now()}.json`);
  writeFileSync(tmp, JSON.stringify(config));
  try {
    return await scan({ ...options, root, config: tmp, rules: ['competing-implementation'] });
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** `tool-dispatcher` -> `*ToolDispatcher`. */
function nameGlob(group: string): string | undefined {
  if (group === 'similar-api' || /-\d+$/.test(group)) return undefined;
  return `*${group.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
}

function propose(group: GroupAnalysis): ProposedGroup {
  const members = group.implementations.map((i) => ({ name: i.name, file: i.file, moduleConsumers: i.moduleConsumers }));
  const best = [...members].sort((a, b) => b.moduleConsumers - a.moduleConsumers || (a.name < b.name ? -1 : 1))[0]!;
  const glob = nameGlob(group.name);
  return {
    name: group.name,
    role: glob ? [glob] : members.map((m) => m.name),
    ssot: { module: best.file, export: best.name },
    why: `${best.moduleConsumers} file(s) import its module, the most of ${members.length} candidates`,
    legacy: [...new Set(members.filter((m) => m.file !== best.file).map((m) => m.file))].sort(),
    members,
  };
}

/** Members found by the configured scan (name glob) join the discovered ones; the SSOT may change to the most used module. */
function widen(p: ProposedGroup, configured: GroupAnalysis | undefined): ProposedGroup {
  if (!configured) return p;
  const all = configured.implementations;
  const members = all.map((i) => ({ name: i.name, file: i.file, moduleConsumers: i.moduleConsumers }));
  const classes = all.filter((i) => i.kind === 'class' || i.kind === 'singleton');
  const pool = classes.length ? classes : all;
  const best = [...pool].map((i) => ({ name: i.name, file: i.file, n: i.moduleConsumers })).sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1))[0]!;
  return {
    ...p,
    ssot: { module: best.file, export: best.name },
    why: `${best.n} file(s) import its module, the most of ${pool.length} candidates`,
    legacy: [...new Set(members.filter((m) => m.file !== best.file).map((m) => m.file))].sort(),
    members,
  };
}

function configFor(groups: ProposedGroup[], root: string, absolute = false): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const schema = absolute ? undefined : schemaPath(root);
  if (schema) config.$schema = schema;
  const at = (rel: string): string => (absolute ? path.join(root, rel) : rel);
  config.groups = groups.map((g) => ({
    name: g.name,
    description: `Proposed by ssot init: ${g.members.map((m) => m.name).join(', ')}. SSOT ${g.ssot.export} (${g.why}).`,
    ssot: { ...g.ssot, module: at(g.ssot.module) },
    legacy: g.legacy.map(at),
    role: { names: g.role },
    allow: [g.ssot.module, ...g.legacy],
  }));
  return config;
}

function schemaPath(root: string): string | undefined {
  try {
    const file = createRequire(import.meta.url).resolve('../schema/ssot.config.schema.json');
    return path.relative(root, file).split(path.sep).join('/');
  } catch {
    return undefined;
  }
}

function writeAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}
