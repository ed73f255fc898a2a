import type { Project, ResolvedRef } from '../scan/scan-project.js';
import type { DeclFact, ExportFact } from '../types.js';

/** What a name stands for: a declaration in a file, or a whole module (namespace). */
export type SymbolTarget = { file: string; decl: DeclFact; namespace?: false } | { file: string; namespace: true };

interface Binding {
  ref: ResolvedRef;
  imported: string;
}

/**
 * Cross-file symbol resolution over the facts: follows imports, re-exports, `export *`
 * and `const A = B` aliases to the declaration a name finally denotes.
 */
export class ProjectModel {
  private readonly decls = new Map<string, Map<string, DeclFact>>();
  private readonly bindings = new Map<string, Map<string, Binding>>();
  /** file -> export name -> what it denotes (null while being computed, or when it resolves to nothing). */
  private readonly exportMemo = new Map<string, Map<string, SymbolTarget | null>>();
  /** file -> export name -> its ExportFact. */
  private readonly exportIndex = new Map<string, Map<string, ExportFact>>();
  private readonly exportsMemo = new Map<string, Map<string, SymbolTarget>>();
  private importersIndex?: Map<string, { from: string; ref: ResolvedRef }[]>;

  constructor(readonly project: Project) {}

  /**
   * What this model read of each file's declarations and exports, by name, and which files it
   * enumerated whole: an edit that touches none of it cannot change what the model answers
   * (see `inertChange` in incremental.ts).
   */
  private readonly declLookups = new Map<string, Set<string>>();
  private readonly declsEnumerated = new Set<string>();

  private declMap(file: string): Map<string, DeclFact> {
    let byName = this.decls.get(file);
    if (!byName) {
      byName = new Map();
      for (const d of this.project.files.get(file)?.facts.decls ?? []) if (!byName.has(d.name) || d.kind === 'class') byName.set(d.name, d);
      this.decls.set(file, byName);
    }
    return byName;
  }

  /** The declaration `name` of a file (built on first use: most files are never asked about). */
  decl(file: string, name: string): DeclFact | undefined {
    let names = this.declLookups.get(file);
    if (!names) this.declLookups.set(file, (names = new Set()));
    names.add(name);
    return this.declMap(file).get(name);
  }

  /** Every declaration of a file, by name. */
  declsOf(file: string): ReadonlyMap<string, DeclFact> {
    this.declsEnumerated.add(file);
    return this.declMap(file);
  }

  /** Names looked up per file (declarations and exports), and files whose declarations or exports were listed whole. */
  reads(): { names: Map<string, Set<string>>; whole: Set<string> } {
    const names = new Map<string, Set<string>>();
    for (const [file, set] of this.declLookups) names.set(file, new Set(set));
    for (const [file, memo] of this.exportMemo) {
      let set = names.get(file);
      if (!set) names.set(file, (set = new Set()));
      for (const n of memo.keys()) set.add(n);
    }
    for (const [file, read] of this.exportReads) {
      let set = names.get(file);
      if (!set) names.set(file, (set = new Set()));
      for (const n of read) set.add(n);
    }
    return { names, whole: new Set([...this.declsEnumerated, ...this.exportsMemo.keys()]) };
  }

  binding(file: string, local: string): Binding | undefined {
    let b = this.bindings.get(file);
    if (!b) {
      b = new Map();
      for (const ref of this.project.refs.get(file) ?? []) {
        if (ref.ref.kind !== 'import' && ref.ref.kind !== 'import-equals' && ref.ref.kind !== 'require') continue;
        for (const n of ref.ref.names) if (n.local !== '*') b.set(n.local, { ref, imported: n.imported });
      }
      this.bindings.set(file, b);
    }
    return b.get(local);
  }

  /** What a local name of `file` denotes. */
  resolveLocal(file: string, local: string, depth = 0): SymbolTarget | undefined {
    if (depth > 32) return undefined;
    const decl = this.decl(file, local);
    if (decl) {
      if (decl.kind === 'variable' && decl.init?.kind === 'alias' && decl.init.target && decl.init.target !== local) {
        return this.resolveLocal(file, decl.init.target, depth + 1) ?? { file, decl };
      }
      return { file, decl };
    }
    const binding = this.binding(file, local);
    if (!binding?.ref.target) return undefined;
    if (binding.imported === '*') return { file: binding.ref.target, namespace: true };
    return this.resolveExport(binding.ref.target, binding.imported, depth + 1);
  }

  /** What `file` exports under `name`. */
  resolveExport(file: string, name: string, depth = 0): SymbolTarget | undefined {
    let memo = this.exportMemo.get(file);
    if (!memo) this.exportMemo.set(file, (memo = new Map()));
    const hit = memo.get(name);
    if (hit !== undefined) return hit ?? undefined;
    if (depth > 32) return undefined;
    memo.set(name, null); // cycle guard
    const result = this.computeExport(file, name, depth);
    memo.set(name, result ?? null);
    return result;
  }

  private exportFact(file: string, name: string): ExportFact | undefined {
    let index = this.exportIndex.get(file);
    if (!index) {
      index = new Map();
      for (const e of this.project.files.get(file)?.facts.exports ?? []) if (!index.has(e.name)) index.set(e.name, e);
      this.exportIndex.set(file, index);
    }
    return index.get(name);
  }

  private computeExport(file: string, name: string, depth: number): SymbolTarget | undefined {
    const facts = this.project.files.get(file)?.facts;
    if (!facts) return undefined;
    const refs = this.project.refs.get(file) ?? [];
    const own = this.exportFact(file, name);
    if (own) return this.exportTarget(file, own, refs, depth);
    if (name === 'default') return undefined;
    for (const index of facts.starExports) {
      const target = refs[index]?.target;
      if (!target) continue;
      const found = this.resolveExport(target, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  private exportTarget(file: string, e: ExportFact, refs: ResolvedRef[], depth: number): SymbolTarget | undefined {
    if (e.ref !== undefined) {
      const target = refs[e.ref]?.target;
      if (!target) return undefined;
      return e.imported === '*' ? { file: target, namespace: true } : this.resolveExport(target, e.imported ?? e.name, depth + 1);
    }
    return e.local ? this.resolveLocal(file, e.local, depth + 1) : undefined;
  }

  /**
   * Whether `file` exports `name` at all (own, re-exported, through `export *`), whatever it resolves to:
   * `unknown` when an `export *` or `export =` leads somewhere the facts cannot follow (a package, an
   * unresolved path), so a name may come from there. What `ssot-api-gap` and `ssot fix` ask before they
   * point an import of `name` at an SSOT module (issue 17, item 1).
   */
  hasExport(file: string, name: string, seen = new Set<string>()): 'yes' | 'no' | 'unknown' {
    const facts = this.project.files.get(file)?.facts;
    if (!facts || seen.has(file)) return facts ? 'no' : 'unknown';
    seen.add(file);
    let names = this.exportReads.get(file);
    if (!names) this.exportReads.set(file, (names = new Set()));
    names.add(name);
    if (this.exportFact(file, name)) return 'yes';
    if (this.exportFact(file, '=')) return 'unknown';
    if (name === 'default') return 'no';
    const refs = this.project.refs.get(file) ?? [];
    let unknown = false;
    for (const index of facts.starExports) {
      const target = refs[index]?.target;
      const found = target ? this.hasExport(target, name, seen) : 'unknown';
      if (found === 'yes') return 'yes';
      if (found === 'unknown') unknown = true;
    }
    return unknown ? 'unknown' : 'no';
  }

  private readonly exportReads = new Map<string, Set<string>>();

  /** Every name a module exports (own and through `export *`), with what it denotes. */
  exportsOf(file: string, seen = new Set<string>()): Map<string, SymbolTarget> {
    const memo = this.exportsMemo.get(file);
    if (memo) return memo;
    const out = new Map<string, SymbolTarget>();
    if (seen.has(file)) return out;
    seen.add(file);
    const facts = this.project.files.get(file)?.facts;
    if (!facts) return out;
    const refs = this.project.refs.get(file) ?? [];
    for (const index of facts.starExports) {
      const target = refs[index]?.target;
      if (!target) continue;
      for (const [n, t] of this.exportsOf(target, seen)) if (n !== 'default' && !out.has(n)) out.set(n, t);
    }
    for (const e of facts.exports) {
      const t = this.exportTarget(file, e, refs, 0);
      if (t) out.set(e.name, t);
    }
    this.exportsMemo.set(file, out);
    return out;
  }

  /** `X` or `ns.X` or `X.member`: the symbol called or constructed, and the member if any. */
  resolveCallee(file: string, callee: string): { target: SymbolTarget; member?: string } | undefined {
    const dot = callee.indexOf('.');
    const head = dot < 0 ? callee : callee.slice(0, dot);
    const target = this.resolveLocal(file, head);
    if (!target) return undefined;
    if (dot < 0) return { target };
    const member = callee.slice(dot + 1);
    if (target.namespace) {
      const inner = this.resolveExport(target.file, member);
      return inner ? { target: inner } : undefined;
    }
    return { target, member };
  }

  /** Files that refer to `file`, with the reference. */
  importers(file: string): { from: string; ref: ResolvedRef }[] {
    if (!this.importersIndex) {
      this.importersIndex = new Map();
      for (const [from, refs] of this.project.refs) {
        for (const ref of refs) {
          if (!ref.target || ref.target === from) continue;
          let list = this.importersIndex.get(ref.target);
          if (!list) this.importersIndex.set(ref.target, (list = []));
          list.push({ from, ref });
        }
      }
    }
    return this.importersIndex.get(file) ?? [];
  }
}

/** Stable key of a declaration. */
export function declKey(file: string, name: string): string {
  return `${file}#${name}`;
}
