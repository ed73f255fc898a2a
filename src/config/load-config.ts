import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import picomatch from 'picomatch';
import { ConfigError } from '../errors.js';
import { publishConfigLoaded } from '../diagnostics.js';
import { describeJsonError, parseJsonc } from '../scan/parse-jsonc.js';
import type { Severity } from '../types.js';
import { isWithin } from '../is-within.js';

export const CONFIG_FILE_NAME = 'ssot.config.json';
/** The names a config may have, in the order they are looked for in each folder. */
export const CONFIG_FILE_NAMES = [CONFIG_FILE_NAME, 'ssot.config.jsonc'] as const;
const DEFAULT_TESTS = ['**/*.test.*', '**/*.spec.*', '**/*.stories.*', '**/__tests__/**', '**/__mocks__/**', '**/__fixtures__/**', '**/test/**', '**/tests/**', '**/integration-tests/**', '**/e2e/**'];

/** A legacy module: a path in the repository (file or folder) or a package specifier. */
export interface LegacyModule {
  /** As written in the config. */
  spec: string;
  /** Absolute path, when the module is a path. */
  path?: string;
  /** Package specifier, when the module is a package (`@old/dispatch` or `@old/dispatch/sub`). */
  packageName?: string;
  renames: Record<string, string>;
  deleted: boolean;
}

export interface GroupConfig {
  name: string;
  description?: string;
  ssot: { module: string; export?: string; factory?: string; factoryModule?: string };
  legacy: LegacyModule[];
  /** How `ssot fix` maps constructions and legacy factory calls to the SSOT factory (see the schema). */
  constructions: Record<string, Construction>;
  role: { names: string[]; implements: string[]; extends: string[]; minSharedMethods: number };
  /** Globs relative to the scanned root. */
  allow: string[];
  budget?: { max?: number; zeroBy?: string };
}

/** One `constructions` entry: which call to match and the SSOT factory call it becomes. */
export interface Construction {
  factory?: string;
  member?: string;
  then?: string;
  args?: string[];
}

export interface RuleSetting {
  severity?: Severity | 'off';
  options?: Record<string, unknown>;
}

export interface ResolvedConfig {
  /** Absolute path of the config file, when there is one. */
  file?: string;
  root: string;
  include?: string[];
  exclude?: string[];
  tsconfig?: string;
  tests: string[];
  rules: Record<string, RuleSetting>;
  groups: GroupConfig[];
  /** Rule ids whose findings fail `ssot check` whatever the baseline says. */
  neverBaseline: string[];
  /** Discovery without groups: report groups at or above this confidence (0..1; issue 18). */
  discovery?: { minConfidence?: number };
  /** Sets a person judged not competing, members as root-relative `file#Name` (see analyze/dismissed.ts). */
  dismissed?: { members: string[]; reason?: string }[];
}

interface RawConfig {
  neverBaseline?: string[];
  discovery?: { minConfidence?: number };
  dismissed?: { members: string[]; reason?: string }[];
  include?: string[];
  exclude?: string[];
  tsconfig?: string;
  tests?: string[];
  strictResolution?: boolean;
  rules?: Record<string, string | RuleSetting>;
  groups?: {
    name: string;
    description?: string;
    ssot: { module: string; export?: string; factory?: string; factoryModule?: string };
    legacy?: (string | { module: string; renames?: Record<string, string>; deleted?: boolean })[];
    constructions?: Record<string, Construction>;
    role?: string[] | { names?: string[]; implements?: string[]; extends?: string[]; minSharedMethods?: number };
    allow?: string[];
    budget?: { max?: number; zeroBy?: string };
  }[];
}

export interface LoadConfigOptions {
  root: string;
  /** Explicit config path (relative to cwd); missing means the nearest config from the root up (`findConfig`). */
  configPath?: string;
  /** Use no config file at all (discovery). */
  ignoreConfig?: boolean;
}

/** Reject rule ids the registry does not know (typos in `rules`). */
export function checkRuleIds(config: ResolvedConfig, known: readonly string[]): void {
  for (const id of [...Object.keys(config.rules), ...config.neverBaseline]) {
    if (!known.includes(id)) {
      const display = config.file ? path.relative(process.cwd(), config.file) || config.file : CONFIG_FILE_NAME;
      const key = config.rules[id] ? `rules.${id}` : 'neverBaseline';
      throw new ConfigError(`unknown rule "${id}"`, display, key, `Known rules: ${known.join(', ')}.`);
    }
  }
}

/** Load and validate the config once; every later stage trusts it. */
export function loadConfig(options: LoadConfigOptions): ResolvedConfig {
  const root = options.root;
  const explicit = options.configPath !== undefined;
  const file = explicit ? path.resolve(options.configPath!) : findConfig(root);
  if (options.ignoreConfig || file === undefined || !existsSync(file)) {
    if (explicit && !options.ignoreConfig) throw new ConfigError('config file not found', options.configPath, undefined, 'Check the --config path, or run `ssot init` to write one.');
    const above = tsconfigAbove(root, gitTop(path.resolve(root)));
    return { root, tests: DEFAULT_TESTS, rules: {}, groups: [], neverBaseline: [], ...(above ? { tsconfig: above } : {}) };
  }
  const display = path.relative(process.cwd(), file) || file;
  let raw: RawConfig;
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
    raw = parseJsonc(text) as RawConfig;
  } catch (error) {
    throw new ConfigError(describeJsonError(error, text), display);
  }
  validateShape(raw, display);
  publishConfigLoaded(file);
  const dir = path.dirname(file);
  const rebase = globRebaser(root, dir);
  const inside = repositoryBoundary(root, dir, display);
  const config: ResolvedConfig = {
    file,
    root,
    tests: (raw.tests ?? DEFAULT_TESTS).map(rebase),
    rules: {},
    groups: [],
    neverBaseline: raw.neverBaseline ?? [],
  };
  if (raw.discovery) config.discovery = { ...raw.discovery };
  if (raw.dismissed) {
    // Members are written relative to the config, as every path in it; kept root-relative like the scan's files.
    const fromConfig = (member: string): string => {
      const at = member.lastIndexOf('#');
      return `${path.relative(root, path.resolve(dir, member.slice(0, at))).split(path.sep).join('/')}${member.slice(at)}`;
    };
    config.dismissed = raw.dismissed.map((d) => ({ members: d.members.map(fromConfig), ...(d.reason ? { reason: d.reason } : {}) }));
  }
  if (raw.include) config.include = raw.include.map(rebase);
  if (raw.exclude) config.exclude = raw.exclude.map(rebase);
  if (raw.tsconfig) {
    config.tsconfig = inside(path.resolve(dir, raw.tsconfig), raw.tsconfig, 'tsconfig');
    if (!existsSync(config.tsconfig)) throw new ConfigError(`no such file: ${raw.tsconfig}`, display, 'tsconfig');
  } else {
    // Outside git (another revision's temp tree), the config's folder bounds the repository.
    const above = tsconfigAbove(root, gitTop(path.resolve(root)) ?? (isWithin(dir, path.resolve(root)) ? dir : undefined));
    if (above) config.tsconfig = above;
  }
  for (const [id, setting] of Object.entries(raw.rules ?? {})) {
    config.rules[id] = typeof setting === 'string' ? { severity: setting as Severity | 'off' } : setting;
  }
  // Issue 16: unresolved relative and alias imports fail the gate, unless `rules` sets the rule itself.
  if (raw.strictResolution === true) config.rules['unresolved-import'] ??= { severity: 'error' };

  const names = new Set<string>();
  (raw.groups ?? []).forEach((g, i) => {
    const key = `groups[${i}]`;
    if (names.has(g.name)) throw new ConfigError(`duplicate group name "${g.name}"`, display, `${key}.name`);
    names.add(g.name);
    const ssotModule = inside(path.resolve(dir, g.ssot.module), g.ssot.module, `${key}.ssot.module`);
    if (!isFile(ssotModule)) throw new ConfigError(`no such file: ${g.ssot.module}`, display, `${key}.ssot.module`, 'Paths in the config are relative to the config file.');
    const factoryModule = g.ssot.factoryModule ? inside(path.resolve(dir, g.ssot.factoryModule), g.ssot.factoryModule, `${key}.ssot.factoryModule`) : undefined;
    if (factoryModule && !isFile(factoryModule)) throw new ConfigError(`no such file: ${g.ssot.factoryModule}`, display, `${key}.ssot.factoryModule`);
    const role = Array.isArray(g.role) ? { names: g.role } : g.role ?? {};
    config.groups.push({
      name: g.name,
      ...(g.description ? { description: g.description } : {}),
      ssot: { ...g.ssot, module: ssotModule, ...(factoryModule ? { factoryModule } : {}) },
      legacy: (g.legacy ?? []).map((entry, j) => legacyModule(entry, dir, display, `${key}.legacy[${j}]`, inside)),
      constructions: g.constructions ?? {},
      role: { names: role.names ?? [], implements: role.implements ?? [], extends: role.extends ?? [], minSharedMethods: role.minSharedMethods ?? 0 },
      allow: (g.allow ?? []).map(rebase),
      ...(g.budget ? { budget: g.budget } : {}),
    });
  });
  return config;
}

/** Returns the path when it stays inside the repository, else throws a ConfigError naming the key. */
type Confine = (abs: string, written: string, key: string) => string;

function legacyModule(entry: string | { module: string; renames?: Record<string, string>; deleted?: boolean }, dir: string, display: string, key: string, inside: Confine): LegacyModule {
  const spec = typeof entry === 'string' ? entry : entry.module;
  const renames = typeof entry === 'string' ? {} : entry.renames ?? {};
  const deleted = typeof entry === 'string' ? false : entry.deleted === true;
  const abs = path.resolve(dir, spec);
  const firstSegment = spec.split('/')[0]!;
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || /\.[cm]?[jt]sx?$/.test(spec) || existsSync(path.join(dir, firstSegment));
  if (!looksLikePath) return { spec, packageName: spec, renames, deleted };
  inside(abs, spec, `${key}${typeof entry === 'string' ? '' : '.module'}`);
  const resolved = [abs, ...['.ts', '.tsx', '.mts', '.cts', '.js'].map((e) => abs + e)].find((p) => existsSync(p));
  if (resolved) inside(resolved, spec, `${key}${typeof entry === 'string' ? '' : '.module'}`);
  if (!resolved && !deleted) {
    throw new ConfigError(`no such file or folder: ${spec}`, display, `${key}${typeof entry === 'string' ? '' : '.module'}`, 'If the module was removed, write { "module": "…", "deleted": true }.');
  }
  return { spec, path: resolved ?? abs, renames, deleted };
}

/**
 * Paths a config names (tsconfig, SSOT, factory and legacy modules) stay inside the repository: the
 * git work tree that holds the scanned root, or the root itself outside git. Checked on real paths, so
 * a symbolic link inside that points outside is refused too (issue 15: `"tsconfig": "../../../etc/shadow"`
 * put that file's first bytes into a finding). A tsconfig's own `extends` may leave it, as TypeScript's does.
 */
function repositoryBoundary(root: string, configDir: string, display: string): Confine {
  const abs = path.resolve(root);
  // Outside git (a temp tree of another revision), a config found above the root bounds the repository.
  const top = realOrSelf(gitTop(abs) ?? (isWithin(configDir, abs) ? configDir : abs));
  return (abs, written, key) => {
    if (isWithin(top, realOrSelf(abs))) return abs;
    throw new ConfigError(`${JSON.stringify(written)} is outside the repository`, display, key, 'Paths in the config name files of the repository that holds the scanned folder.');
  };
}

/**
 * The nearest config from `root` up to the top of the git work tree that holds it (the root alone
 * outside git), as ESLint and knip find theirs: `ssot scan src` uses the repository's config.
 */
export function findConfig(root: string): string | undefined {
  const start = path.resolve(root);
  const top = gitTop(start);
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) if (isFile(path.join(dir, name))) return path.join(dir, name);
    if (top === undefined || dir === top || path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The tsconfig.json nearest above the root, up to the repository's top: what TypeScript uses for files
 * with none between them and the root (`ssot scan src` in a project whose tsconfig is beside `src`).
 */
function tsconfigAbove(root: string, top: string | undefined): string | undefined {
  const start = path.resolve(root);
  if (top === undefined) return undefined;
  for (let dir = start; dir !== top; ) {
    dir = path.dirname(dir);
    if (isFile(path.join(dir, 'tsconfig.json'))) return path.join(dir, 'tsconfig.json');
    if (path.dirname(dir) === dir) return undefined;
  }
  return undefined;
}

/** The nearest folder from `dir` up that holds `.git` (a folder, or a file in worktrees and submodules). */
function gitTop(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The real path of what exists of `p` (its nearest existing ancestor, resolved, with the rest appended). */
function realOrSelf(p: string): string {
  const rest: string[] = [];
  for (let d = p; ; d = path.dirname(d)) {
    try {
      return path.join(realpathSync(d), ...rest.reverse());
    } catch {
      if (path.dirname(d) === d) return p;
      rest.push(path.basename(d));
    }
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Config globs are relative to the config's folder; files are matched relative to the root. A config
 * below the root gets its folder prefixed; a config above it (found upward) has the root's path
 * from the config consumed segment by segment, so `packages/api/src/**` scanned from `packages/api`
 * is `src/**`, `**\/*.ts` stays itself, and a glob for another folder matches nothing here.
 */
function globRebaser(root: string, dir: string): (glob: string) => string {
  const rel = path.relative(root, dir).split(path.sep).join('/');
  if (!rel) return (g) => g.replace(/^\.\//, '');
  if (!rel.startsWith('..')) return (g) => (g.startsWith('!') ? `!${rel}/${g.slice(1).replace(/^\.\//, '')}` : `${rel}/${g.replace(/^\.\//, '')}`);
  const down = path.relative(dir, root).split(path.sep);
  return (g) => {
    const negated = g.startsWith('!');
    const parts = (negated ? g.slice(1) : g).replace(/^\.\//, '').split('/');
    let i = 0;
    for (const segment of down) {
      if (parts[i] === '**') break; // matches the rest of the way down, and below
      if (i >= parts.length - 1 || !picomatch.isMatch(segment, parts[i]!)) return `${negated ? '!' : ''}${NOWHERE}`;
      i++;
    }
    return `${negated ? '!' : ''}${parts.slice(i).join('/')}`;
  };
}

/** A glob no root-relative path matches: what a config glob for another folder becomes. */
export const NOWHERE = '.ssot-nowhere/**';

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** The validator generated at build time (scripts/build-validators.mjs); compiled from the schema when running from source. */
const validator: Validator = compiledValidator();

function compiledValidator(): Validator {
  const require = createRequire(import.meta.url);
  try {
    return require('./config-validator.cjs') as Validator;
  } catch {
    const { Ajv } = require('ajv') as typeof import('ajv');
    return new Ajv({ allErrors: false, strict: false, validateFormats: false }).compile(require('../../schema/ssot.config.schema.json') as object) as Validator;
  }
}

function validateShape(raw: unknown, display: string): void {
  if (validator(raw)) return;
  const error = validator.errors?.[0];
  if (!error) throw new ConfigError('invalid config', display);
  const key = instancePathToKey(error.instancePath);
  let message = error.message ?? 'invalid';
  if (error.keyword === 'additionalProperties') message = `unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === 'enum') message += `: ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  throw new ConfigError(message, display, key || undefined, 'See schema/ssot.config.schema.json or the README\'s config reference.');
}

/** `/groups/0/ssot/module` -> `groups[0].ssot.module` */
function instancePathToKey(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}
