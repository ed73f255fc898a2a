import type { FileFacts } from '../types.js';
import { declKey, type ProjectModel, type SymbolTarget } from './project-model.js';

export type Relation = 'import' | 'type-import' | 'namespace' | 'dynamic-import' | 're-export' | 'construct' | 'call' | 'subclass' | 'implements' | 'mock';

/** declKey -> consuming file -> how it consumes. */
export type ConsumerIndex = Map<string, Map<string, Set<Relation>>>;

/**
 * For each declaration of interest (the groups' implementations), the files that import, construct,
 * call, subclass or re-export it. Only references into files that can lead to one of them (the
 * declaring files and whatever re-exports from them) are resolved, so the cost follows the
 * implementations' reach, not the size of the codebase.
 */
export function buildConsumerIndex(model: ProjectModel, interesting: ReadonlySet<string>, reach = reachingFiles(model, interesting)): ConsumerIndex {
  const index: ConsumerIndex = new Map();
  const add = (from: string, target: SymbolTarget | undefined, relation: Relation): void => {
    if (!target) return;
    if (target.namespace) {
      if (target.file === from) return;
      for (const t of model.exportsOf(target.file).values()) if (!t.namespace) add(from, t, relation === 're-export' ? 're-export' : relation === 'import' ? 'namespace' : relation);
      return;
    }
    if (target.file === from) return;
    const key = declKey(target.file, target.decl.name);
    if (!interesting.has(key)) return;
    let files = index.get(key);
    if (!files) index.set(key, (files = new Map()));
    let rels = files.get(from);
    if (!rels) files.set(from, (rels = new Set()));
    rels.add(relation);
  };

  for (const [file, refs] of model.project.refs) {
    for (const r of refs) {
      if (!r.target || !reach.has(r.target)) continue;
      const kind = r.ref.kind;
      if (kind === 'export-star') {
        add(file, { file: r.target, namespace: true }, 're-export');
        continue;
      }
      if (kind === 'side-effect' || kind === 'require-resolve') continue;
      if (kind === 'mock' || kind === 'dynamic-import') {
        add(file, { file: r.target, namespace: true }, kind === 'mock' ? 'mock' : 'dynamic-import');
        continue;
      }
      for (const n of r.ref.names) {
        const relation: Relation = kind === 'export-from' || kind === 'export-star-as' ? 're-export' : n.typeOnly || r.ref.typeOnly ? 'type-import' : 'import';
        const target = n.imported === '*' ? ({ file: r.target, namespace: true } as const) : model.resolveExport(r.target, n.imported);
        add(file, target, relation);
      }
    }
  }
  const reachable = (file: string, name: string): boolean => {
    if (reach.has(file) && model.decl(file, name)) return true;
    const target = model.binding(file, name)?.ref.target;
    return !!target && reach.has(target);
  };
  for (const file of model.project.files.values()) {
    for (const use of file.facts.uses) {
      if (!reachable(file.rel, use.callee.split('.')[0]!)) continue;
      const resolved = model.resolveCallee(file.rel, use.callee);
      if (resolved && !resolved.target.namespace) add(file.rel, resolved.target, use.kind === 'new' ? 'construct' : 'call');
    }
    for (const decl of file.facts.decls) {
      for (const base of decl.extends ?? []) if (reachable(file.rel, base)) add(file.rel, model.resolveLocal(file.rel, base), 'subclass');
      for (const iface of decl.implements ?? []) if (reachable(file.rel, iface)) add(file.rel, model.resolveLocal(file.rel, iface), 'implements');
    }
  }
  return index;
}

/**
 * Files declaring a declaration of interest, plus every file that forwards exports from one of them:
 * only references into these can make a file a consumer.
 */
export function reachingFiles(model: ProjectModel, interesting: ReadonlySet<string>): Set<string> {
  const reach = new Set<string>();
  for (const key of interesting) reach.add(key.slice(0, key.lastIndexOf('#')));
  const queue = [...reach];
  const checked = new Set<string>();
  while (queue.length) {
    const file = queue.pop()!;
    for (const { from } of model.importers(file)) {
      if (reach.has(from) || checked.has(from)) continue;
      checked.add(from);
      if (!forwards(model, from)) continue;
      reach.add(from);
      queue.push(from);
    }
  }
  return reach;
}

/** Whether a file has `export … from` or `export *` references: the only files that can be barrels. */
export function hasReexports(facts: FileFacts): boolean {
  return facts.refs.some((r) => r.kind === 'export-from' || r.kind === 'export-star' || r.kind === 'export-star-as');
}

/** Whether a file can export something it did not declare: re-exports, or exports of imported bindings and aliases. */
function forwards(model: ProjectModel, file: string): boolean {
  const facts = model.project.files.get(file)?.facts;
  if (!facts) return false;
  if (hasReexports(facts)) return true;
  return facts.exports.some((e) => {
    if (!e.local) return false;
    const d = model.decl(file, e.local);
    return !d || (d.kind === 'variable' && d.init?.kind === 'alias');
  });
}
