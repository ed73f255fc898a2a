/**
 * `rewrite-construction`: `new LegacyX(args)`, `LegacyX.member(args)` and legacy factory calls become the SSOT
 * factory call named by the config, with the arguments mapped where the config gives a mapping, the factory
 * import added (or merged into an existing value import of the SSOT module) and the legacy import binding
 * removed once nothing references it any more.
 *
 * Like `rewrite-imports`, it parses with jscodeshift's TypeScript plugin list through `@babel/parser`, uses
 * `j(ast)` only for scope lookups, and edits the original text at node offsets, so untouched lines, CRLF, BOM,
 * quotes and semicolons stay byte-identical. It is self-contained for `npx jscodeshift -t
 * transforms/rewrite-construction.ts`. A construction whose callee is not a legacy import binding (a local class
 * of the same name, a shadowing parameter) is left alone; an unsafe one gets
 * `// ssot-kit: manual migration needed (<reason>)` above its statement.
 */
import path from 'node:path';
import type { API, ASTPath, FileInfo, JSCodeshift, Options } from 'jscodeshift';
import { transformFile, legacyModules, applyEdits, parseJson, children, nameOf, lineStartOf, nextLine, resolveRelative, isNonReference, probeModule, identifiersOf, type AnyNode, type Edit } from './lib/transform-kit.ts';

export const meta = {
  id: 'rewrite-construction',
  description: 'Turn `new LegacyX(...)`, `LegacyX.getInstance(...)` and legacy factory calls into the SSOT factory call, adding its import.',
  options: {
    legacy: 'comma-separated legacy module files or folders (absolute, or relative to the working directory; extension optional)',
    ssot: 'path of the SSOT module file',
    ssotSpecifier: 'optional exact specifier to write for the SSOT module',
    legacySpecifiers: 'optional JSON array of the specifiers in this file that reach a legacy module (the scanner resolves tsconfig paths and workspaces)',
    constructions:
      'JSON object: legacy export name (or the SSOT class, for constructions outside the factory) -> { "factory": SSOT export, "args"?: ["$0", "{ eventSink: $1 }", "<source text>", ...], "member"?: static accessor, "then"?: method called on the accessor result }',
  },
} as const;

/** Greppable marker left where a rewrite is unsafe. */
export const MARKER = 'ssot-kit: manual migration needed';

// Babel AST nodes are walked structurally; jscodeshift's typings do not describe offsets.
type Construction = { factory: string; args?: string[]; member?: string; then?: string };
type Settings = {
  legacyFiles: string[];
  legacyDirs: string[];
  ssot: string;
  ssotSpecifier?: string;
  legacySpecifiers?: Set<string>;
  constructions: Record<string, Construction>;
};


function readSettings(options: Options): Settings | undefined {
  const raw = options as Record<string, unknown>;
  if (!raw.legacy || !raw.ssot) return undefined;
  let constructions: Record<string, Construction>;
  try {
    constructions = parseJson<Record<string, Construction>>(raw.constructions, {});
  } catch {
    return undefined; // malformed JSON: nothing can be rewritten safely
  }
  const valid = Object.entries(constructions ?? {}).filter(
    ([, c]) => c && typeof c.factory === 'string' && /^[A-Za-z_$][\w$]*$/.test(c.factory) && (c.args === undefined || Array.isArray(c.args)),
  );
  if (valid.length === 0) return undefined;
  const settings: Settings = {
    ...legacyModules(raw.legacy),
    ssot: probeModule(path.resolve(String(raw.ssot))),
    constructions: Object.fromEntries(valid),
  };
  if (typeof raw.ssotSpecifier === 'string' && raw.ssotSpecifier) settings.ssotSpecifier = raw.ssotSpecifier;
  try {
    const specs = parseJson<string[] | undefined>(raw.legacySpecifiers, undefined);
    if (Array.isArray(specs)) settings.legacySpecifiers = new Set(specs);
  } catch {
    return undefined;
  }
  return settings;
}

/** The node of the scope that declares `name` as seen from `p`; the program when nothing does (type positions). */
function declaringScope(p: ASTPath<any>, name: string, program: AnyNode): AnyNode {
  let scope = p.scope?.lookup?.(name);
  if (!scope) scope = p.scope;
  while (scope && !scope.isGlobal && !scope.declares(name)) scope = scope.parent;
  return (scope && !scope.isGlobal ? scope.node : program) as AnyNode;
}

/** Removes a whole statement and its line when it stands alone on that line. */
function statementRemoval(source: string, node: AnyNode): Edit {
  const lineStart = lineStartOf(source, node.start);
  const end = nextLine(source, node.end);
  if (/^[ \t]*$/.test(source.slice(lineStart, node.start)) && /^[ \t]*\r?\n?$/.test(source.slice(node.end, end))) {
    return { start: lineStart, end, text: '' };
  }
  return { start: node.start, end: node.end, text: '' };
}

/** The jscodeshift transform. Returns `undefined` when nothing changed; never throws on a shape it cannot convert. */
export default function transformer(file: FileInfo, api: API, options: Options): string | undefined {
  return transformFile(file, api, readSettings(options), rewrite);
}

type LegacyBinding = { key: string | undefined; namespace: boolean; sp: AnyNode; decl: AnyNode; used: boolean };

function rewrite(filePath: string, source: string, root: ReturnType<JSCodeshift>, j: JSCodeshift, s: Settings): string | undefined {
  const fileNode = root.get().node as AnyNode;
  const program = fileNode.program as AnyNode;
  const body = program.body as AnyNode[];
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const isLegacy = (spec: string): boolean => {
    if (s.legacySpecifiers?.has(spec)) return true;
    const target = resolveRelative(filePath, spec);
    return target !== undefined && (s.legacyFiles.includes(target) || s.legacyDirs.some((d) => target.startsWith(d)));
  };
  const isSsot = (spec: string): boolean => spec === s.ssotSpecifier || resolveRelative(filePath, spec) === s.ssot;

  // Identifier references by offset, with the scope that declares them; and every name the file mentions.
  const scopeAt = new Map<number, AnyNode>();
  const refsByName = new Map<string, AnyNode[]>();
  for (const { node, parent, path: p } of identifiersOf(root, j)) {
    if (node.type !== 'Identifier' || isNonReference(node, parent)) continue;
    scopeAt.set(node.start, declaringScope(p, node.name as string, program));
    refsByName.set(node.name, [...(refsByName.get(node.name) ?? []), node]);
  }
  const topLevel = (id: AnyNode): boolean => scopeAt.get(id.start) === program;

  // Value bindings imported from a legacy module, and from the SSOT module for keys naming its own exports
  // (`new RequestScopedToolDispatcher(...)` outside the factory module is a factory bypass too).
  const bindings = new Map<string, LegacyBinding>();
  const imports = body.filter((st) => st.type === 'ImportDeclaration');
  for (const decl of imports) {
    const spec = decl.source.value as string;
    const fromSsot = !isLegacy(spec) && isSsot(spec);
    if (decl.importKind === 'type' || (!isLegacy(spec) && !fromSsot)) continue;
    for (const sp of decl.specifiers as AnyNode[]) {
      if (fromSsot && sp.type !== 'ImportSpecifier') continue;
      const local = sp.local.name as string;
      if (sp.type === 'ImportNamespaceSpecifier') bindings.set(local, { key: undefined, namespace: true, sp, decl, used: false });
      else if (sp.type === 'ImportSpecifier' && sp.importKind !== 'type') {
        const imported = nameOf(sp.imported);
        if (Object.hasOwn(s.constructions, imported)) bindings.set(local, { key: imported, namespace: false, sp, decl, used: false });
      }
    }
  }
  if (bindings.size === 0) return undefined;

  /** The construction key a callee (`X`, `ns.X`) stands for, with the identifier that binds it. */
  const legacyTarget = (callee: AnyNode): { key: string; id: AnyNode } | undefined => {
    if (callee.type === 'Identifier') {
      const b = bindings.get(callee.name as string);
      return b && !b.namespace && topLevel(callee) ? { key: b.key as string, id: callee } : undefined;
    }
    if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.property.type === 'Identifier') {
      const b = bindings.get(callee.object.name as string);
      const key = callee.property.name as string;
      return b?.namespace && topLevel(callee.object) && Object.hasOwn(s.constructions, key) ? { key, id: callee.object } : undefined;
    }
    return undefined;
  };

  const edits: Edit[] = [];
  const markers = new Map<number, string>();
  const consumed = new Set<number>();
  const factoryUses = new Set<string>();
  let factoryLocals: Map<string, string> | undefined;
  const claimed = new Set<string>();
  const isFree = (name: string): boolean => !claimed.has(name) && !refsByName.has(name) && !imports.some((d) =>
    (d.specifiers as AnyNode[]).some((sp) => sp.local.name === name));

  // An existing value import of the SSOT module to merge into.
  const ssotImport = imports.find((d) => d.importKind !== 'type' && isSsot(d.source.value as string) &&
    (d.specifiers as AnyNode[]).length > 0 && !(d.specifiers as AnyNode[]).some((sp) => sp.type === 'ImportNamespaceSpecifier'));
  const localFor = (factory: string): string => {
    factoryLocals ??= new Map();
    const known = factoryLocals.get(factory);
    if (known) return known;
    const existing = (ssotImport?.specifiers as AnyNode[] | undefined)?.find(
      (sp) => sp.type === 'ImportSpecifier' && sp.importKind !== 'type' && nameOf(sp.imported) === factory,
    );
    let local = existing?.local.name as string | undefined;
    if (!local) {
      local = factory;
      if (!isFree(local)) {
        const base = `ssot${factory[0]!.toUpperCase()}${factory.slice(1)}`;
        local = base;
        for (let i = 2; !isFree(local); i++) local = `${base}${i}`;
      }
      claimed.add(local);
      factoryUses.add(factory);
    }
    factoryLocals.set(factory, local);
    return local;
  };

  /** The text of a range with the rewrites already made inside it applied (and taken out of `edits`). */
  const render = (start: number, end: number): string => {
    const inner = edits.filter((e) => e.start >= start && e.end <= end);
    for (const e of inner) edits.splice(edits.indexOf(e), 1);
    return applyEdits(source.slice(start, end), inner, start);
  };

  const stack: AnyNode[] = [];
  const mark = (reason: string): void => {
    const st = [...stack].reverse().find((n, i, arr) => /Statement$|Declaration$/.test(n.type) &&
      (arr[i + 1] === undefined || ['Program', 'BlockStatement', 'StaticBlock', 'TSModuleBlock', 'SwitchCase'].includes(arr[i + 1]!.type)));
    const at = st?.start ?? stack[stack.length - 1]!.start;
    markers.set(at, markers.has(at) ? `${markers.get(at)}; ${reason}` : reason);
  };

  const convert = (node: AnyNode, key: string, id: AnyNode): void => {
    const c = s.constructions[key]!;
    const args = node.arguments as AnyNode[];
    const positional = (c.args ?? []).some((a) => /\$\d/.test(a));
    if (node.typeParameters || node.typeArguments) {
      mark(`${key} is constructed with type arguments; map them to ${c.factory} by hand`);
      return;
    }
    if (positional && args.some((a) => a.type === 'SpreadElement')) {
      mark(`spread argument to ${key}; map it to ${c.factory}(${c.args!.join(', ')}) by hand`);
      return;
    }
    let argText: string;
    if (!c.args) {
      argText = args.length > 0 ? render(args[0]!.start, args[args.length - 1]!.end) : '';
    } else {
      // `$n` stands for the n-th original argument, alone or inside larger text (`{ eventSink: $1 }`);
      // a mapped argument whose `$n` was not passed is dropped when nothing after it is kept.
      // A template that mixes passed and missing arguments (`{ a: $1, b: $2 }` called with two) cannot be
      // shortened safely: it is marked, never half-filled.
      let partial = false;
      const parts: (string | undefined)[] = c.args.map((a) => {
        const refs = [...a.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
        const missing = refs.filter((n) => !args[n]).length;
        if (missing > 0 && missing < refs.length) partial = true;
        return missing > 0 ? undefined : a;
      });
      while (parts.length > 0 && parts[parts.length - 1] === undefined) parts.pop();
      if (partial || parts.includes(undefined)) {
        mark(`${key} is called without an argument that ${c.factory}(${c.args.join(', ')}) needs; map it by hand`);
        return;
      }
      const used = new Set(c.args.flatMap((a) => [...a.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))));
      const rendered = new Map<number, string>();
      for (const i of used) if (args[i]) rendered.set(i, render(args[i]!.start, args[i]!.end));
      argText = (parts as string[]).map((_, k) => c.args![k]!.replace(/\$(\d+)/g, (__, n: string) => rendered.get(Number(n)) ?? '')).join(', ');
    }
    // Rewrites inside dropped arguments go with them.
    render(node.start, node.end);
    edits.push({ start: node.start, end: node.end, text: `${localFor(c.factory)}(${argText})` });
    consumed.add(id.start);
    bindings.get(id.name as string)!.used = true;
  };

  const visit = (node: AnyNode): void => {
    stack.push(node);
    for (const child of children(node)) visit(child);
    if (node.type === 'NewExpression') {
      const t = legacyTarget(node.callee as AnyNode);
      if (t && !s.constructions[t.key]!.member) convert(node, t.key, t.id);
    } else if (node.type === 'CallExpression') {
      const callee = node.callee as AnyNode;
      const direct = legacyTarget(callee);
      if (direct && !s.constructions[direct.key]!.member) convert(node, direct.key, direct.id);
      else if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
        const t = legacyTarget(callee.object as AnyNode);
        const c = t && s.constructions[t.key]!;
        if (t && c!.member === callee.property.name) {
          // `X.member()` alone, when the mapping needs `X.member().then(...)`: its result is used some other way.
          const parent = stack[stack.length - 2];
          const chained = c!.then && parent?.type === 'MemberExpression' && parent.object === node && !parent.computed && parent.property.name === c!.then &&
            stack[stack.length - 3]?.type === 'CallExpression' && stack[stack.length - 3]!.callee === parent;
          if (!c!.then) convert(node, t.key, t.id);
          else if (!chained) mark(`${t.key}.${c!.member}() is used without .${c!.then}(); map it to ${c!.factory} by hand`);
        } else if (callee.object.type === 'CallExpression' && callee.object.callee.type === 'MemberExpression' && !callee.object.callee.computed) {
          const inner = callee.object.callee as AnyNode;
          const u = legacyTarget(inner.object as AnyNode);
          const d = u && s.constructions[u.key]!;
          if (u && d!.member === inner.property.name && d!.then === callee.property.name) convert(node, u.key, u.id);
        }
      }
    }
    stack.pop();
  };
  visit(program);

  // Legacy specifiers no longer referenced once their constructions are gone.
  const removedSpecs = new Set<AnyNode>();
  for (const [local, b] of bindings) {
    if (!b.used) continue;
    const left = (refsByName.get(local) ?? []).filter((id) => topLevel(id) && !consumed.has(id.start));
    if (left.length === 0) removedSpecs.add(b.sp);
  }

  // The factory import: merged into the SSOT value import, else a new declaration.
  const added = [...factoryUses].map((f) => (factoryLocals!.get(f) === f ? f : `${f} as ${factoryLocals!.get(f)}`));
  let newImport: string | undefined;
  if (added.length > 0 && ssotImport) {
    const specs = ssotImport.specifiers as AnyNode[];
    const last = specs[specs.length - 1]!;
    if (last.type === 'ImportDefaultSpecifier') edits.push({ start: last.end, end: last.end, text: `, { ${added.join(', ')} }` });
    else {
      const firstNamed = specs.find((sp) => sp.type === 'ImportSpecifier')!;
      const lead = source.slice(source.lastIndexOf('{', firstNamed.start) + 1, firstNamed.start);
      const sep = lead.includes('\n') ? `,${eol}${lead.slice(lead.lastIndexOf('\n') + 1)}` : ', ';
      edits.push({ start: last.end, end: last.end, text: sep + added.join(sep) });
    }
  } else if (added.length > 0) {
    const lit = imports[0]!.source as AnyNode;
    const q = source[lit.start] === '"' ? '"' : "'";
    const semi = imports.some((d) => source[d.end - 1] === ';') ? ';' : '';
    let spec = s.ssotSpecifier;
    if (!spec) {
      const relSpecs = imports.map((d) => d.source.value as string).filter((x) => x.startsWith('.'));
      const useJs = relSpecs.filter((x) => /\.[cm]?js$/.test(x)).length * 2 > relSpecs.length;
      spec = path.relative(path.dirname(path.resolve(filePath)), s.ssot.replace(/(\.d)?\.([cm]?)tsx?$/, '')).split(path.sep).join('/');
      if (!spec.startsWith('.')) spec = `./${spec}`;
      if (useJs) spec += `.${/\.([cm]?)tsx?$/.exec(s.ssot)?.[1] ?? ''}js`;
    }
    newImport = `import { ${added.join(', ')} } from ${q}${spec.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`)}${q}${semi}`;
  }

  // Legacy import declarations: drop removed specifiers; a declaration left empty gives its place to the new import.
  for (const decl of imports) {
    const specs = decl.specifiers as AnyNode[];
    const gone = specs.filter((sp) => removedSpecs.has(sp));
    if (gone.length === 0) continue;
    if (gone.length === specs.length) {
      if (newImport) {
        edits.push({ start: decl.start, end: decl.end, text: newImport });
        newImport = undefined;
      } else edits.push(statementRemoval(source, decl));
      continue;
    }
    const named = specs.filter((sp) => sp.type === 'ImportSpecifier');
    const head = specs.find((sp) => sp.type !== 'ImportSpecifier');
    if (head && removedSpecs.has(head)) edits.push({ start: head.start, end: source.lastIndexOf('{', named[0]!.start), text: '' });
    const keptNamed = named.filter((sp) => !removedSpecs.has(sp));
    if (keptNamed.length === 0 && named.length > 0) {
      edits.push({ start: head!.end, end: source.indexOf('}', named[named.length - 1]!.end) + 1, text: '' });
      continue;
    }
    const lastKept = named.indexOf(keptNamed[keptNamed.length - 1]!);
    named.forEach((sp, i) => {
      if (removedSpecs.has(sp) && i < lastKept) edits.push({ start: sp.start, end: named[i + 1]!.start, text: '' });
    });
    if (lastKept < named.length - 1) edits.push({ start: named[lastKept]!.end, end: named[named.length - 1]!.end, text: '' });
  }
  if (newImport) {
    const lastImport = imports[imports.length - 1]!;
    const at = nextLine(source, lastImport.end);
    edits.push({ start: at, end: at, text: (at === source.length && !source.endsWith('\n') ? eol : '') + newImport + eol });
  }

  for (const [at, reason] of markers) {
    const lineStart = lineStartOf(source, at);
    const indent = /^[ \t]*/.exec(source.slice(lineStart, at))?.[0] ?? '';
    const line = `// ${MARKER} (${reason})`;
    const prev = source.slice(lineStartOf(source, Math.max(0, lineStart - 1)), lineStart).trim();
    if (lineStart > 0 && prev === line) continue;
    edits.push({ start: lineStart, end: lineStart, text: `${indent}${line}${eol}` });
  }
  return edits.length === 0 ? undefined : applyEdits(source, edits);
}
