import type { DeclFact, UnitFact } from '../types.js';
import type { ProjectModel } from './project-model.js';

/**
 * Which functions a request can run (issue 18: shared-state reports state written by code requests reach, not
 * registries filled at boot). Starts from the handler units the extractor marked (route callbacks, `GET`/`POST`
 * exports, NestJS-style handler decorators) and follows each unit's calls as far as they resolve: functions,
 * static and `this.` methods (inherited ones included), methods of typed fields (`this.users.find()` through
 * the field's declared class, or every class implementing its interface), methods of module-level instances.
 * Calls through values the facts cannot type (a DI container, a callback parameter) end the path: what they
 * reach counts as not reached, which `unresolved` counts.
 */
export interface RequestReach {
  /** `file#unit` of every unit a request handler reaches, handlers included. */
  reached: ReadonlySet<string>;
  /** Handler units found outside tests. */
  handlers: number;
  /** Calls from reached units that named a project symbol but led to no unit (a property, a type-less field). */
  unresolved: number;
}

export function requestReach(files: ReadonlyMap<string, { facts: { units: UnitFact[]; decls: DeclFact[] } }>, model: ProjectModel, isExcluded: (rel: string) => boolean): RequestReach {
  const units = new Map<string, Map<string, UnitFact>>();
  const implementers = new Map<string, { file: string; decl: DeclFact }[]>();
  for (const [rel, file] of files) {
    const byName = new Map<string, UnitFact>();
    for (const u of file.facts.units) if (!byName.has(u.name)) byName.set(u.name, u);
    units.set(rel, byName);
    for (const d of file.facts.decls) {
      if (d.kind !== 'class') continue;
      for (const i of d.implements ?? []) {
        let list = implementers.get(i);
        if (!list) implementers.set(i, (list = []));
        list.push({ file: rel, decl: d });
      }
    }
  }
  const classDecl = (rel: string, name: string): DeclFact | undefined => files.get(rel)?.facts.decls.find((d) => d.kind === 'class' && d.name === name);

  /** `Class.member` in `rel`, or inherited through `extends` (five levels at most). */
  const method = (rel: string, className: string, member: string, depth = 0): string | undefined => {
    if (units.get(rel)?.has(`${className}.${member}`)) return `${rel}#${className}.${member}`;
    const base = classDecl(rel, className)?.extends?.[0];
    if (!base || depth > 4) return undefined;
    const t = model.resolveCallee(rel, base);
    return t && !t.target.namespace && t.target.decl ? method(t.target.file, t.target.decl.name, member, depth + 1) : undefined;
  };

  /** Units a named type's `member` may be: its own method, or every implementing class's. */
  const ofType = (rel: string, type: string, member: string): string[] => {
    const t = model.resolveCallee(rel, type);
    if (!t || t.target.namespace || !t.target.decl) return [];
    const decl = t.target.decl;
    if (decl.kind === 'class') {
      const m = method(t.target.file, decl.name, member);
      return m ? [m] : [];
    }
    if (decl.kind !== 'interface') return [];
    const out: string[] = [];
    for (const impl of implementers.get(decl.name) ?? []) {
      const m = method(impl.file, impl.decl.name, member);
      if (m) out.push(m);
    }
    return out;
  };

  const targets = (rel: string, unit: UnitFact, call: string): string[] | undefined => {
    const parts = call.split('.');
    const own = unit.name.includes('.') ? unit.name.slice(0, unit.name.indexOf('.')) : undefined;
    if (parts[0] === 'this') {
      if (!own) return undefined;
      if (parts.length === 2) {
        const m = method(rel, own, parts[1]!);
        return m ? [m] : undefined;
      }
      const type = classDecl(rel, own)?.fieldTypes?.find(([f]) => f === parts[1])?.[1];
      const found = type ? ofType(rel, type, parts[2]!) : [];
      return found.length ? found : undefined;
    }
    if (units.get(rel)?.has(call)) return [`${rel}#${call}`];
    const t = model.resolveCallee(rel, call);
    if (!t || t.target.namespace || !t.target.decl) return undefined;
    const { file, decl } = t.target;
    if (t.member) {
      if (decl.kind === 'class') {
        const m = method(file, decl.name, t.member);
        return m ? [m] : undefined;
      }
      if (units.get(file)?.has(`${decl.name}.${t.member}`)) return [`${file}#${decl.name}.${t.member}`];
      // A module-level instance: `export const cache = new Cache()`, then `cache.set()`.
      if (decl.kind === 'variable' && decl.init?.kind === 'new' && decl.init.target) {
        const found = ofType(file, decl.init.target, t.member);
        return found.length ? found : undefined;
      }
      return undefined;
    }
    if (decl.kind === 'class') {
      const m = method(file, decl.name, 'constructor');
      return m ? [m] : [];
    }
    return units.get(file)?.has(decl.name) ? [`${file}#${decl.name}`] : undefined;
  };

  const reached = new Set<string>();
  const queue: [string, UnitFact][] = [];
  let handlers = 0;
  for (const rel of units.keys()) {
    if (isExcluded(rel)) continue;
    for (const u of files.get(rel)!.facts.units) {
      if (!u.handler) continue;
      handlers++;
      const key = `${rel}#${u.name}`;
      if (!reached.has(key)) {
        reached.add(key);
        queue.push([rel, u]);
      }
    }
  }
  let unresolved = 0;
  while (queue.length) {
    const [rel, unit] = queue.pop()!;
    for (const call of unit.calls) {
      const found = targets(rel, unit, call);
      if (!found) {
        unresolved++;
        continue;
      }
      for (const key of found) {
        if (reached.has(key)) continue;
        reached.add(key);
        const hash = key.lastIndexOf('#');
        const file = key.slice(0, hash);
        const u = units.get(file)?.get(key.slice(hash + 1));
        if (u) queue.push([file, u]);
      }
    }
  }
  return { reached, handlers, unresolved };
}
