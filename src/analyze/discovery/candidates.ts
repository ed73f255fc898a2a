import type { DeclFact } from '../../types.js';
import type { ImplementationKind } from '../group-analysis.js';
import type { ProjectModel } from '../project-model.js';
import { contractName, factoryName, isDeprecated, isVendored, looksLikeTestDouble, nameWords } from './names.js';

/** A declaration that may play a role: its API, its name's words, and what would keep it from being an SSOT. */
export interface Candidate {
  id: number;
  file: string;
  decl: DeclFact;
  kind: ImplementationKind;
  /** Public instance methods, inherited ones included; a function's returned object's methods. */
  api: string[];
  words: string[];
  /** `factory`: what it makes is its role (its own name and `create` API say little); `copy`: only compared as a copy. */
  role: 'impl' | 'factory' | 'copy';
  deprecated: boolean;
  vendored: boolean;
  /** `implements I` / `extends B`, resolved to the declared names. */
  contracts: string[];
  /** Production modules other than barrels import its module: it is chosen in code, not by configuration. */
  usedDirectly: boolean;
}

/** Methods that make things: an object or class whose API is only these is a factory. */
const MAKER_METHOD = /^(create|make|build|new|spawn|produce|instantiate)([A-Z_]\w*)?$/;

/**
 * Candidates (issue 18, item 1): classes (not abstract ones: those are contracts), singletons, object-literal
 * factories, functions returning an object literal, a class instance or a function, and, as possible
 * copies, other exported functions with a body worth comparing. Test files and test doubles are left out:
 * by name, by folder, and by who imports them (a module only tests import is test support wherever it lives).
 */
export function collectCandidates(model: ProjectModel, isTest: (rel: string) => boolean): Candidate[] {
  const out: Candidate[] = [];
  const onlyTestsImport = new Map<string, boolean>();
  const direct = new Map<string, boolean>();
  const usedDirectly = (rel: string): boolean => {
    let hit = direct.get(rel);
    if (hit === undefined) direct.set(rel, (hit = model.importers(rel).some((i) => !isTest(i.from) && !BARREL.test(i.from))));
    return hit;
  };
  const testSupport = (rel: string): boolean => {
    let hit = onlyTestsImport.get(rel);
    if (hit === undefined) {
      const importers = model.importers(rel);
      hit = importers.length > 0 && importers.every((i) => isTest(i.from) || looksLikeTestDouble('', i.from));
      onlyTestsImport.set(rel, hit);
    }
    return hit;
  };
  for (const file of model.project.files.values()) {
    const rel = file.rel;
    if (isTest(rel) || /\.d\.[cm]?ts$/.test(rel)) continue;
    const exported = new Set(file.facts.exports.flatMap((e) => (e.local && e.ref === undefined ? [e.local] : [])));
    for (const decl of file.facts.decls) {
      const c = candidateOf(model, rel, decl, decl.exported || exported.has(decl.name));
      if (!c || looksLikeTestDouble(decl.name, rel) || testSupport(rel)) continue;
      out.push({ ...c, id: out.length, usedDirectly: usedDirectly(rel) });
    }
  }
  // A name declared in many modules is a convention (`GET` and `POST` route handlers, `loader`, `config`), not a role.
  const files = new Map<string, Set<string>>();
  for (const c of out) (files.get(c.decl.name) ?? files.set(c.decl.name, new Set()).get(c.decl.name)!).add(c.file);
  const kept = out.filter((c) => files.get(c.decl.name)!.size <= CONVENTION_FILES);
  kept.forEach((c, i) => (c.id = i));
  return kept;
}

/** Module-private functions this long or longer are compared as possible copies. */
const PRIVATE_COPY_TOKENS = 30;

/** Declared in more modules than this, a name is a framework convention. */
const CONVENTION_FILES = 5;

const BARREL = /(^|\/)index\.[cm]?[jt]sx?$/;

function candidateOf(model: ProjectModel, file: string, decl: DeclFact, exported: boolean): Omit<Candidate, 'id' | 'usedDirectly'> | undefined {
  const base = { file, decl, deprecated: isDeprecated(decl.name, file, decl.deprecated), vendored: isVendored(file) };
  if (decl.kind === 'class') {
    if (decl.abstract || contractName(decl.name)) return undefined;
    const { api, contracts } = classApi(model, file, decl);
    if (!api.length && !decl.staticMethods?.length && !decl.sketch) return undefined;
    const makes = decl.staticMethods?.some((m) => MAKER_METHOD.test(m)) ?? false;
    // A class that hands most of its API to a field's same-named methods is a layer over another (issue 18: layering pairs).
    const layer = (decl.delegates ?? 0) >= 2 && (decl.delegates ?? 0) * 2 >= (decl.methods?.length ?? 0);
    const role = factoryName(decl.name) ? 'factory' : layer ? 'copy' : api.length ? 'impl' : makes ? 'factory' : 'copy';
    return { ...base, kind: decl.singletonAccessor ? 'singleton' : 'class', api, words: nameWords(decl.name), role, contracts };
  }
  if (decl.kind === 'object-factory') {
    const api = [...new Set(decl.methods ?? [])];
    const role = factoryName(decl.name) || api.every((m) => MAKER_METHOD.test(m)) ? 'factory' : 'impl';
    return { ...base, kind: 'object-factory', api, words: nameWords(decl.name), role, contracts: [] };
  }
  if (decl.kind === 'function') {
    const words = nameWords(decl.name, true);
    const r = decl.returns;
    if (r?.kind === 'object') return { ...base, kind: 'function', api: [...new Set(r.methods ?? [])], words, role: factoryName(decl.name) ? 'factory' : 'impl', contracts: [] };
    // A function returning a function is a factory when named like one (`makeDispatcherFactory`), not a route handler maker.
    if (r?.kind === 'new' || (r?.kind === 'function' && (factoryName(decl.name) || /^(create|make|build)[A-Z]/.test(decl.name)))) return { ...base, kind: 'function', api: [], words, role: 'factory', contracts: [] };
    // Module-private functions too, when they are long enough for a copy to be one (a helper pasted into a module).
    if (decl.sketch && (exported || decl.sketch.tokens >= PRIVATE_COPY_TOKENS)) return { ...base, kind: 'function', api: [], words, role: 'copy', contracts: [] };
  }
  // An exported constant (a codec, a table, a wrapped hook, `createStep(…)`) is compared as a possible copy.
  if (decl.kind === 'variable' && exported && decl.sketch) return { ...base, kind: 'constant', api: [], words: nameWords(decl.name), role: 'copy', contracts: [] };
  return undefined;
}

/** A class's public API with what it inherits from project classes, and the contracts it declares. */
function classApi(model: ProjectModel, file: string, decl: DeclFact): { api: string[]; contracts: string[] } {
  const api = new Set(decl.methods ?? []);
  const contracts: string[] = [];
  for (const i of decl.implements ?? []) {
    const t = model.resolveLocal(file, i.split('.').pop()!);
    contracts.push(`implements ${t && !t.namespace ? t.decl.name : i}`);
  }
  let current: { file: string; decl: DeclFact } | undefined = { file, decl };
  for (let depth = 0; depth < 8 && current?.decl.extends?.[0]; depth++) {
    const name: string = current.decl.extends[0];
    const t = model.resolveLocal(current.file, name);
    contracts.push(`extends ${t && !t.namespace ? t.decl.name : name}`);
    if (!t || t.namespace) break;
    for (const m of t.decl.methods ?? []) api.add(m);
    for (const i of t.decl.implements ?? []) contracts.push(`implements ${i}`);
    current = t;
  }
  return { api: [...api], contracts };
}
