import { declKey, type ProjectModel, type SymbolTarget } from './project-model.js';

export type Relation = 'import' | 'type-import' | 'namespace' | 'dynamic-import' | 're-export' | 'construct' | 'call' | 'subclass' | 'implements' | 'mock';

/** declKey -> consuming file -> how it consumes. */
export type ConsumerIndex = Map<string, Map<string, Set<Relation>>>;

/**
 * For every declaration, the files that import, construct, call, subclass or re-export it.
 * Built once over the facts; every rule and report reads it.
 */
export function buildConsumerIndex(model: ProjectModel): ConsumerIndex {
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
    let files = index.get(key);
    if (!files) index.set(key, (files = new Map()));
    let rels = files.get(from);
    if (!rels) files.set(from, (rels = new Set()));
    rels.add(relation);
  };

  for (const [file, refs] of model.project.refs) {
    for (const r of refs) {
      if (!r.target) continue;
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
  for (const file of model.project.files.values()) {
    for (const use of file.facts.uses) {
      const resolved = model.resolveCallee(file.rel, use.callee);
      if (resolved && !resolved.target.namespace) add(file.rel, resolved.target, use.kind === 'new' ? 'construct' : 'call');
    }
    for (const decl of file.facts.decls) {
      for (const base of decl.extends ?? []) add(file.rel, model.resolveLocal(file.rel, base), 'subclass');
      for (const iface of decl.implements ?? []) add(file.rel, model.resolveLocal(file.rel, iface), 'implements');
    }
  }
  return index;
}
