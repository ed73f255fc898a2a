/**
 * `rewrite-imports`: point every reference to a legacy module at the SSOT module (issue #4, item 1).
 *
 * The transform parses with jscodeshift's own TypeScript parser settings (`ts` or `tsx`, chosen from the
 * extension) and edits the original text by node offsets instead of reprinting, so quotes, semicolons,
 * comments, line endings and every line the change has no reason to touch stay byte-identical. It calls
 * `@babel/parser` (a jscodeshift dependency) directly because recast normalizes CRLF and leading tabs before
 * parsing, which would shift every offset. It is self-contained (no `./lib` import) because
 * `npx jscodeshift -t transforms/rewrite-imports.ts` loads it through babel-register as CommonJS, where
 * a NodeNext-style `./lib/x.js` specifier would not resolve to `./lib/x.ts`.
 */
import path from 'node:path';
import type { API, ASTPath, FileInfo, JSCodeshift, Options } from 'jscodeshift';
import { transformFile, legacyModules, parseJson, children, nameOf, resolveRelative, isNonReference, probeModule, identifiersOf, parseModule, bindBareCatches, type AnyNode, type Edit } from './lib/transform-kit.ts';

export const meta = {
  id: 'rewrite-imports',
  description: 'Point imports, re-exports, require/import() calls and test mocks of a legacy module at the SSOT module.',
  options: {
    legacy: 'comma-separated legacy module files or folders (absolute, or relative to the working directory)',
    ssot: 'path of the SSOT module file',
    renames: 'JSON object: legacy export name -> SSOT export name (default {})',
    legacySpecifiers: 'optional JSON array of the specifiers in this file that reach a legacy module',
    ssotSpecifier: 'optional exact specifier to write for the SSOT module',
    keep: 'optional JSON array of legacy export names the SSOT does not export: their specifiers stay on the legacy module (an import is split when the rest can move; `import * as ns` stays whole when the file reads one of them from ns)',
  },
} as const;

/** Greppable marker left where a rewrite is unsafe. */
export const MARKER = 'ssot-kit: manual migration needed';

// Babel AST nodes are walked structurally; jscodeshift's typings do not describe offsets.
type Settings = {
  legacyFiles: string[];
  legacyDirs: string[];
  ssot: string;
  renames: Record<string, string>;
  legacySpecifiers?: Set<string>;
  ssotSpecifier?: string;
  /** Legacy export names the SSOT lacks (issue 17, item 1): never imported from the SSOT. */
  keep: Set<string>;
};

const MOCK_METHODS = new Set([
  'mock', 'doMock', 'unmock', 'doUnmock', 'importActual', 'importMock', 'requireActual', 'requireMock',
  'createMockFromModule', 'setMock',
]);

/** `ts` for TypeScript files (so `<T>x` casts parse), `tsx` for everything else. */
export function parserFor(filePath: string): 'ts' | 'tsx' {
  return /\.[cm]?ts$/.test(filePath) ? 'ts' : 'tsx';
}

function readSettings(options: Options): Settings | undefined {
  const raw = options as Record<string, unknown>;
  if (!raw.legacy || !raw.ssot) return undefined;
  const settings: Settings = {
    ...legacyModules(raw.legacy),
    ssot: probeModule(path.resolve(String(raw.ssot))),
    renames: parseJson<Record<string, string>>(raw.renames, {}),
    keep: new Set(parseJson<string[]>(raw.keep, [])),
  };
  const specs = parseJson<string[] | undefined>(raw.legacySpecifiers, undefined);
  if (specs) settings.legacySpecifiers = new Set(specs);
  if (typeof raw.ssotSpecifier === 'string' && raw.ssotSpecifier) settings.ssotSpecifier = raw.ssotSpecifier;
  return settings;
}

// The plugin list of jscodeshift's `parser/tsOptions.js` (the `ts` parser); `tsx` adds `jsx`.


type ModuleRef = { literal: AnyNode; spec: string; owner: AnyNode; parent: AnyNode | undefined };

/** Every module reference the scanner knows (except JSDoc, handled on comments). */
function collectRefs(program: AnyNode): ModuleRef[] {
  const refs: ModuleRef[] = [];
  const add = (literal: AnyNode | undefined, owner: AnyNode, parent: AnyNode | undefined): void => {
    if (!literal) return;
    if (literal.type === 'TSLiteralType') literal = literal.literal as AnyNode;
    if (literal.type === 'StringLiteral') refs.push({ literal, spec: literal.value as string, owner, parent });
    else if (literal.type === 'TemplateLiteral' && literal.expressions.length === 0) {
      refs.push({ literal, spec: literal.quasis[0].value.cooked as string, owner, parent });
    }
  };
  const visit = (node: AnyNode, parent: AnyNode | undefined): void => {
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
        add(node.source, node, parent);
        break;
      case 'ExportNamedDeclaration':
        if (node.source) add(node.source, node, parent);
        break;
      case 'TSImportEqualsDeclaration':
        if (node.moduleReference?.type === 'TSExternalModuleReference') add(node.moduleReference.expression, node, parent);
        break;
      case 'TSImportType':
        add(node.argument, node, parent);
        break;
      case 'ImportExpression':
        add(node.source, node, parent);
        break;
      case 'CallExpression': {
        const callee = node.callee as AnyNode;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isMember = callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier';
        const isMock = isMember && ['vi', 'jest'].includes(callee.object.name) && MOCK_METHODS.has(callee.property.name);
        const isResolve = isMember && callee.object.name === 'require' && callee.property.name === 'resolve';
        if (callee.type === 'Import' || isRequire || isMock || isResolve) add(node.arguments[0], node, parent);
        break;
      }
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(program, undefined);
  return refs;
}

/** The node of the scope that declares `name` as seen from `p`; the program when nothing does (type positions). */
function declaringScope(p: ASTPath<any>, name: string): AnyNode {
  let scope = p.scope?.lookup?.(name);
  if (!scope) scope = p.scope;
  while (scope && !scope.isGlobal && !scope.declares(name)) scope = scope.parent;
  return (scope && !scope.isGlobal ? scope.node : programOf(p)) as AnyNode;
}

function programOf(p: ASTPath<any>): AnyNode {
  let q: ASTPath<any> | null = p;
  while (q && q.node.type !== 'Program') q = q.parentPath as ASTPath<any> | null;
  return (q?.node ?? p.node) as AnyNode;
}

function withBareCatchesBound(ast: AnyNode): AnyNode {
  bindBareCatches(ast);
  return ast;
}

/**
 * The names a legacy reference takes that must stay on the legacy module. For `import * as ns`, the members
 * the file reads from `ns` (`members`): a namespace import cannot be split, so it stays whole.
 */
function keptNames(r: ModuleRef, keep: ReadonlySet<string>, members?: (local: string) => ReadonlySet<string>): string[] {
  if (keep.size === 0) return [];
  const owner = r.owner;
  const names: string[] = [];
  if (owner.type === 'ImportDeclaration' || owner.type === 'ExportNamedDeclaration') {
    for (const sp of owner.specifiers as AnyNode[]) {
      if (sp.type === 'ImportNamespaceSpecifier' && members) for (const m of members(nameOf(sp.local))) if (keep.has(m)) names.push(m);
      const name = sp.type === 'ImportDefaultSpecifier' ? 'default' : sp.type === 'ImportSpecifier' ? nameOf(sp.imported) : sp.type === 'ExportSpecifier' ? nameOf(sp.local) : undefined;
      if (name !== undefined && keep.has(name)) names.push(name);
    }
  } else if (owner.type === 'TSImportType') {
    let q = owner.qualifier as AnyNode | undefined;
    while (q?.type === 'TSQualifiedName') q = q.left as AnyNode;
    if (q && keep.has(q.name as string)) names.push(q.name as string);
  } else if (owner.type === 'CallExpression' && !(owner.callee.type === 'MemberExpression')) {
    // `const { X } = require(legacy)` / `await import(legacy)`: the call cannot be split, so it stays whole.
    const text = JSON.stringify(r.parent ?? null);
    for (const name of keep) if (new RegExp(`"name":"${name.replace(/\$/g, '\\$')}"`).test(text)) names.push(name);
  }
  return [...new Set(names)];
}

/** The member names read from `local` anywhere in the file: `local.x`, `local['x']` and `local.X` in a type. */
function memberNames(program: AnyNode, local: string): Set<string> {
  const out = new Set<string>();
  const stack = [program];
  while (stack.length) {
    const node = stack.pop()!;
    if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && node.object?.type === 'Identifier' && node.object.name === local) {
      if (!node.computed && node.property?.type === 'Identifier') out.add(node.property.name as string);
      else if (node.computed && (node.property?.type === 'StringLiteral' || node.property?.type === 'Literal') && typeof node.property.value === 'string') out.add(node.property.value);
    }
    if (node.type === 'TSQualifiedName' && node.left?.type === 'Identifier' && node.left.name === local && node.right?.type === 'Identifier') out.add(node.right.name as string);
    stack.push(...children(node));
  }
  return out;
}

/**
 * Splits each legacy `import { a, b } from` / `export { a, b } from` that takes both names the SSOT has and
 * names it lacks into two declarations, the second keeping the lacking names on the legacy module; the main
 * pass then moves the first and leaves the second. Undefined when nothing needs splitting, or when a
 * declaration holds comments (it then stays whole on the legacy module).
 */
function splitKept(source: string, fileNode: AnyNode, legacyRefs: ModuleRef[], keep: ReadonlySet<string>, eol: string): string | undefined {
  const comments = (fileNode.comments ?? fileNode.program.comments ?? []) as AnyNode[];
  const edits: Edit[] = [];
  for (const r of legacyRefs) {
    const owner = r.owner;
    if ((owner.type !== 'ImportDeclaration' && owner.type !== 'ExportNamedDeclaration') || owner.source !== r.literal) continue;
    const specs = owner.specifiers as AnyNode[];
    const isKept = (sp: AnyNode): boolean => keptNames({ ...r, owner: { ...owner, specifiers: [sp] } }, keep).length > 0;
    const kept = specs.filter(isKept);
    if (kept.length === 0 || kept.length === specs.length || specs.some((sp) => sp.type.includes('Namespace'))) continue;
    if (comments.some((c) => c.start > owner.start && c.end < owner.source.start)) continue;
    const tail = source.slice(owner.source.start, owner.end);
    const declText = (list: AnyNode[]): string => {
      const text = (sp: AnyNode): string => source.slice(sp.start, sp.end);
      const def = list.filter((sp) => sp.type === 'ImportDefaultSpecifier').map(text);
      const named = list.filter((sp) => sp.type !== 'ImportDefaultSpecifier').map(text);
      const clause = [...def, ...(named.length ? [`{ ${named.join(', ')} }`] : [])].join(', ');
      const kind = owner.type === 'ImportDeclaration' ? `import ${owner.importKind === 'type' ? 'type ' : ''}` : `export ${owner.exportKind === 'type' ? 'type ' : ''}`;
      return `${kind}${clause} from ${tail}`;
    };
    const lineStart = source.lastIndexOf('\n', owner.start - 1) + 1;
    const indent = /^[ \t]*/.exec(source.slice(lineStart, owner.start))?.[0] ?? '';
    edits.push({ start: owner.start, end: owner.end, text: `${declText(specs.filter((sp) => !isKept(sp)))}${eol}${indent}${declText(kept)}` });
  }
  return edits.length ? applyEdits(source, edits) : undefined;
}

/** Removes a whole statement and its line when it stands alone on that line. */
function statementRemoval(source: string, node: AnyNode): Edit {
  let start = node.start;
  let end = node.end;
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const before = source.slice(lineStart, start);
  const nl = source.indexOf('\n', end);
  const after = source.slice(end, nl === -1 ? source.length : nl + 1);
  if (/^[ \t]*$/.test(before) && /^[ \t]*\r?\n?$/.test(after)) {
    start = lineStart;
    end = nl === -1 ? source.length : nl + 1;
  }
  return { start, end, text: '' };
}

function applyEdits(source: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  let floor = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > floor && edit.start !== edit.end) continue; // overlapping edit: the outer one already covers it
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    floor = Math.min(floor, edit.start);
  }
  return out;
}

/** The jscodeshift transform. Returns `undefined` when nothing changed. */
export default function transformer(file: FileInfo, api: API, options: Options): string | undefined {
  return transformFile(file, api, readSettings(options), rewrite);
}

function rewrite(filePath: string, source: string, root: ReturnType<JSCodeshift>, j: JSCodeshift, s: Settings): string | undefined {
  const fileNode = root.get().node as AnyNode;
  const program = fileNode.program as AnyNode;
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const resolveCache = new Map<string, string | undefined>();
  const resolve = (spec: string): string | undefined => {
    if (!resolveCache.has(spec)) resolveCache.set(spec, resolveRelative(filePath, spec));
    return resolveCache.get(spec);
  };
  const isLegacy = (spec: string): boolean => {
    if (s.legacySpecifiers) return s.legacySpecifiers.has(spec);
    const target = resolve(spec);
    return target !== undefined && (s.legacyFiles.includes(target) || s.legacyDirs.some((d) => target.startsWith(d)));
  };
  const isSsot = (spec: string): boolean => spec === s.ssotSpecifier || resolve(spec) === s.ssot;

  const refs = collectRefs(program);
  if (s.keep.size > 0) {
    const split = splitKept(source, fileNode, refs.filter((r) => isLegacy(r.spec)), s.keep, eol);
    if (split !== undefined) return rewrite(filePath, split, j(withBareCatchesBound(parseModule(split, filePath)) as any), j, s) ?? split;
  }
  const relativeSpecs = refs.map((r) => r.spec).filter((spec) => spec.startsWith('.'));
  const neighboursUseJs = relativeSpecs.filter((spec) => /\.[cm]?js$/.test(spec)).length * 2 > relativeSpecs.length;
  const newSpec = (old: string): string => {
    if (s.ssotSpecifier) return s.ssotSpecifier;
    let rel = path.relative(path.dirname(filePath), s.ssot.replace(/(\.d)?\.([cm]?)tsx?$/, '')).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const ext = /\.([cm]?)tsx?$/.exec(s.ssot)?.[1] ?? '';
    const withExt = /\.[cm]?jsx?$/.test(old) || (!/\.\w+$/.test(old) && neighboursUseJs) || /\.[cm]?tsx?$/.test(old);
    // An index module is named by its folder unless the old specifier named an index, or an extension is written (ESM needs both).
    if (!withExt && /[^.]\/index$/.test(rel) && !/(^|\/)index(\.[cm]?[jt]sx?)?$/.test(old)) rel = rel.replace(/\/index$/, '');
    if (/\.[cm]?jsx?$/.test(old) || (!/\.\w+$/.test(old) && neighboursUseJs)) rel += `.${ext}js`;
    else if (/\.[cm]?tsx?$/.test(old)) rel += path.extname(s.ssot);
    return rel;
  };

  const edits: Edit[] = [];
  const markers = new Map<number, string>();
  const renames = s.renames;
  const hasRenames = Object.keys(renames).length > 0;
  const statementOf = (node: AnyNode): AnyNode =>
    (program.body as AnyNode[]).find((st) => st.start <= node.start && node.end <= st.end) ?? node;
  const mark = (node: AnyNode, reason: string): void => {
    const st = statementOf(node);
    markers.set(st.start, markers.has(st.start) ? `${markers.get(st.start)}; ${reason}` : reason);
  };
  const literalText = (lit: AnyNode, spec: string): string => {
    if (lit.type === 'TemplateLiteral') return `\`${spec}\``;
    const q = source[lit.start] === '"' ? '"' : "'";
    return q + spec.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
  };

  // Identifiers by name, in reference positions, with whether they resolve to a top-level binding.
  const refsByName = new Map<string, { node: AnyNode; parent: AnyNode; scope: AnyNode }[]>();
  for (const { node, parent, path: p } of identifiersOf(root, j)) {
    if (isNonReference(node, parent)) continue;
    if (node.type === 'JSXIdentifier' && !['JSXOpeningElement', 'JSXClosingElement'].includes(parent.type) && !(parent.type === 'JSXMemberExpression' && parent.object === node)) continue;
    const list = refsByName.get(node.name) ?? [];
    list.push({ node, parent, scope: declaringScope(p, node.name as string) });
    refsByName.set(node.name, list);
  }
  const claimed = new Set<string>();
  const isFree = (name: string): boolean => !claimed.has(name) && !refsByName.has(name);
  const localRenames = new Map<string, string>();
  // Namespace-like bindings (`import * as ns`, `import ns = require()`, `const ns = require()`), by declaring scope.
  const namespaces = new Map<string, AnyNode>();

  // Import declarations of the SSOT module or a legacy module, grouped by type-only vs value.
  const importDecls = refs.filter((r) => r.owner.type === 'ImportDeclaration' && r.owner.source === r.literal);
  const lineIsAlone = (node: AnyNode): boolean => {
    const e = statementRemoval(source, node);
    return e.start !== node.start || e.end !== node.end;
  };
  const hasInnerComments = (node: AnyNode): boolean =>
    ((fileNode.comments ?? program.comments ?? []) as AnyNode[]).some((c) => c.start > node.start && c.end < node.end);
  const mergeable = (d: AnyNode): boolean =>
    d.specifiers.length > 0 && !d.specifiers.some((sp: AnyNode) => sp.type === 'ImportNamespaceSpecifier');
  const targets = new Map<string, AnyNode>();
  for (const r of importDecls) {
    const kind = r.owner.importKind === 'type' ? 'type' : 'value';
    if (!targets.has(kind) && isSsot(r.spec) && mergeable(r.owner) && r.owner.specifiers.some((sp: AnyNode) => sp.type === 'ImportSpecifier' || r.owner.specifiers.length === 1)) {
      targets.set(kind, r.owner);
    }
  }
  const appended = new Map<AnyNode, string[]>();
  const targetLocals = (t: AnyNode): Map<string, AnyNode> =>
    new Map((t.specifiers as AnyNode[]).map((sp) => [sp.local.name as string, sp]));

  const existingTargets = new Set(targets.values());
  type Pending = { entries: { sp: AnyNode; text: string | undefined }[]; converted: boolean };
  const rewritten = new Map<AnyNode, Pending>();

  /** Renames a legacy import's specifiers; merges it into the SSOT import of its kind when it can. */
  function rewriteImport(owner: AnyNode): void {
    const kind = owner.importKind === 'type' ? 'type' : 'value';
    const specs = owner.specifiers as AnyNode[];
    const existing = targets.get(kind);
    const target = existing && existing !== owner ? existing : undefined;
    const defaultRename = renames.default;
    const hasNamespace = specs.some((sp) => sp.type === 'ImportNamespaceSpecifier');
    const keepsDefault = specs.some((sp) => sp.type === 'ImportDefaultSpecifier') && (!defaultRename || hasNamespace);
    const canMerge = target !== undefined && !hasNamespace && !keepsDefault && specs.length > 0 && lineIsAlone(owner) && !hasInnerComments(owner);
    const tLocals = target && existingTargets.has(target) ? targetLocals(target) : new Map<string, AnyNode>();
    const pending: Pending = { entries: [], converted: false };
    for (const sp of specs) {
      const local = sp.local.name as string;
      if (sp.type === 'ImportNamespaceSpecifier') {
        namespaces.set(local, program);
      } else if (sp.type === 'ImportDefaultSpecifier') {
        if (defaultRename && hasNamespace) mark(owner, `default import next to a namespace import: default is now ${defaultRename}`);
        if (defaultRename && !hasNamespace) {
          pending.converted = true;
          pending.entries.push({ sp, text: defaultRename === local ? local : `${defaultRename} as ${local}` });
        }
      } else {
        const prefix = sp.importKind === 'type' ? source.slice(sp.start, sp.imported.start) : '';
        const imported = nameOf(sp.imported);
        const aliased = sp.imported.start !== sp.local.start;
        const renamed = renames[imported];
        const inTarget = tLocals.get(renamed ?? imported);
        const typeOnly = kind === 'type' || sp.importKind === 'type';
        const reusable = canMerge && inTarget !== undefined && nameOf(inTarget.imported) === (renamed ?? imported) && (typeOnly || inTarget.importKind !== 'type');
        if (!renamed || renamed === imported) {
          pending.entries.push({ sp, text: source.slice(sp.start, sp.end) });
        } else if (aliased) {
          pending.entries.push({ sp, text: prefix + (renamed === local ? local : `${renamed} as ${local}`) });
        } else if (reusable) {
          localRenames.set(local, inTarget.local.name as string);
          pending.entries.push({ sp, text: undefined });
        } else if (isFree(renamed)) {
          claimed.add(renamed);
          localRenames.set(local, renamed);
          pending.entries.push({ sp, text: prefix + renamed });
        } else {
          pending.entries.push({ sp, text: `${prefix}${renamed} as ${local}` });
        }
      }
    }
    if (canMerge && target) {
      const list = appended.get(target) ?? [];
      for (const e of pending.entries) if (e.text !== undefined) list.push(e.text);
      appended.set(target, list);
      edits.pop(); // the declaration goes away, and its specifier edit with it
      edits.push(statementRemoval(source, owner));
      return;
    }
    if (!targets.has(kind) && specs.length > 0 && !hasNamespace && !keepsDefault) targets.set(kind, owner);
    rewritten.set(owner, pending);
  }

  /** Writes a rewritten or merge-target import: in place per specifier, or a new clause when a default became named. */
  function finishImport(owner: AnyNode, pending: Pending | undefined, extra: string[]): void {
    const specs = owner.specifiers as AnyNode[];
    const localOf = (text: string): string => /([\w$]+)\s*$/.exec(text)?.[1] ?? text;
    const have = new Set<string>();
    for (const sp of specs) {
      const e = pending?.entries.find((x) => x.sp === sp);
      if (!e) have.add(sp.local.name as string);
      else if (e.text !== undefined) have.add(localOf(e.text));
    }
    const added = extra.filter((text) => !have.has(localOf(text)) && have.add(localOf(text)));
    const first = specs[0] as AnyNode;
    const last = specs[specs.length - 1] as AnyNode;
    if (pending?.converted) {
      const texts = [...pending.entries.map((e) => e.text).filter((t): t is string => t !== undefined), ...added];
      const closing = source.indexOf('}', last.end);
      const braces = specs.some((sp) => sp.type === 'ImportSpecifier');
      const end = braces && closing !== -1 && closing < owner.source.start ? closing + 1 : last.end;
      edits.push({ start: first.start, end, text: `{ ${texts.join(', ')} }` });
      return;
    }
    for (const e of pending?.entries ?? []) {
      if (e.text !== source.slice(e.sp.start, e.sp.end)) edits.push({ start: e.sp.start, end: e.sp.end, text: e.text ?? '' });
    }
    if (added.length === 0) return;
    if (last.type === 'ImportDefaultSpecifier') {
      edits.push({ start: last.end, end: last.end, text: `, { ${added.join(', ')} }` });
      return;
    }
    const firstNamed = specs.find((sp) => sp.type === 'ImportSpecifier') as AnyNode;
    const open = source.lastIndexOf('{', firstNamed.start);
    const lead = source.slice(open + 1, firstNamed.start);
    const sep = lead.includes('\n') ? `,${eol}${lead.slice(lead.lastIndexOf('\n') + 1)}` : ', ';
    edits.push({ start: last.end, end: last.end, text: sep + added.join(sep) });
  }

  const keptLiterals = new Set<AnyNode>();
  for (const r of refs) {
    if (!isLegacy(r.spec)) continue;
    const owner = r.owner;
    const kept = keptNames(r, s.keep, (local) => memberNames(program, local));
    if (kept.length > 0) {
      // Everything this reference takes stays on the legacy module (splitKept left only such references).
      mark(owner, `the SSOT does not export ${kept.join(', ')}: kept on ${r.spec}`);
      keptLiterals.add(r.literal);
      continue;
    }
    const replacement = newSpec(r.spec);
    edits.push({ start: r.literal.start, end: r.literal.end, text: literalText(r.literal, replacement) });

    if (owner.type === 'ImportDeclaration') {
      rewriteImport(owner);
      continue;
    }
    if (owner.type === 'ExportNamedDeclaration') {
      for (const sp of owner.specifiers as AnyNode[]) {
        if (sp.type !== 'ExportSpecifier') {
          if (hasRenames) mark(owner, `export * as ${sp.exported.name} now exposes the SSOT's export names`);
          continue;
        }
        const localName = nameOf(sp.local);
        const renamed = renames[localName];
        if (!renamed || renamed === localName) continue;
        const exported = source.slice(sp.exported.start, sp.exported.end);
        const prefix = sp.exportKind === 'type' ? source.slice(sp.start, sp.local.start) : '';
        const text = prefix + (renamed === nameOf(sp.exported) ? renamed : `${renamed} as ${exported}`);
        edits.push({ start: sp.start, end: sp.end, text });
      }
    } else if (owner.type === 'ExportAllDeclaration') {
      if (hasRenames) mark(owner, `export * now re-exports the SSOT's names: ${Object.entries(renames).map(([a, b]) => `${a} -> ${b}`).join(', ')}`);
    } else if (owner.type === 'CallExpression' && owner.callee.type === 'MemberExpression' && owner.arguments[1] && hasRenames) {
      renameMockFactoryKeys(owner, owner.arguments[1] as AnyNode);
    } else if (owner.type === 'TSImportEqualsDeclaration') {
      namespaces.set(owner.id.name as string, program);
    } else if (owner.type === 'TSImportType') {
      let q = owner.qualifier as AnyNode | undefined;
      while (q?.type === 'TSQualifiedName') q = q.left as AnyNode;
      const renamed = q ? renames[q.name as string] : undefined;
      if (q && renamed) edits.push({ start: q.start, end: q.end, text: renamed });
    }
  }

  /** `vi.mock(legacy, () => ({ Old: … }))` mocks `New` once the path points at the SSOT. */
  function renameMockFactoryKeys(call: AnyNode, factory: AnyNode): void {
    let body = factory.body as AnyNode | undefined;
    if (body?.type === 'BlockStatement') {
      const ret = (body.body as AnyNode[]).filter((st) => st.type === 'ReturnStatement');
      body = ret.length === 1 ? (ret[0]?.argument as AnyNode | undefined) : undefined;
    }
    if (!/Function/.test(factory.type) || body?.type !== 'ObjectExpression') {
      mark(call, 'mock factory is not an object literal; rename its exports by hand');
      return;
    }
    for (const prop of body.properties as AnyNode[]) {
      if ((prop.type !== 'ObjectProperty' && prop.type !== 'ObjectMethod') || prop.computed) continue;
      const renamed = renames[nameOf(prop.key)];
      if (!renamed) continue;
      if (prop.shorthand) edits.push({ start: prop.start, end: prop.end, text: `${renamed}: ${source.slice(prop.value.start, prop.value.end)}` });
      else edits.push({ start: prop.key.start, end: prop.key.end, text: renamed });
    }
  }

  function bindResult(id: AnyNode, scope: AnyNode): void {
    if (id.type === 'Identifier') namespaces.set(id.name as string, scope);
    if (id.type !== 'ObjectPattern') return;
    for (const prop of id.properties as AnyNode[]) {
      if (prop.type !== 'ObjectProperty' || prop.computed) continue;
      const renamed = renames[nameOf(prop.key)];
      if (!renamed) continue;
      const text = prop.shorthand ? `${renamed}: ${source.slice(prop.value.start, prop.value.end)}` : renamed;
      edits.push(prop.shorthand ? { start: prop.start, end: prop.value.end, text } : { start: prop.key.start, end: prop.key.end, text });
    }
  }
  // `const ns = require(legacy)` / `await import(legacy)`, or destructured from either.
  root.find(j.VariableDeclarator).forEach((p) => {
    const d = p.node as unknown as AnyNode;
    // `require(legacy) as Module`, `(await import(legacy))!`: the cast hides the names from the type checker,
    // so the destructured keys must be renamed here or they read `undefined` at run time.
    const unwrap = (n: AnyNode | undefined): AnyNode | undefined =>
      n && ['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'ParenthesizedExpression', 'TSTypeAssertion', 'AwaitExpression'].includes(n.type)
        ? unwrap((n.expression ?? n.argument) as AnyNode)
        : n;
    const arg = unwrap(d.init as AnyNode | undefined);
    const call = arg?.type === 'CallExpression' && (arg.callee.type === 'Import' || (arg.callee.type === 'Identifier' && arg.callee.name === 'require')) ? arg : undefined;
    const lit = call?.arguments[0] as AnyNode | undefined;
    if (lit?.type === 'StringLiteral' && isLegacy(lit.value as string) && !keptLiterals.has(lit)) {
      bindResult(d.id as AnyNode, d.id.type === 'Identifier' ? declaringScope(p, d.id.name as string) : program);
    }
  });

  // Merged specifiers go after the target's last specifier; converted declarations get a new clause.
  for (const [owner, pending] of rewritten) finishImport(owner, pending, appended.get(owner) ?? []);
  for (const [target, list] of appended) {
    if (!rewritten.has(target)) finishImport(target, undefined, list);
  }
  // Local uses of renamed named imports, and `ns.Old` through namespace-like bindings.
  for (const [from, to] of localRenames) {
    for (const { node, parent, scope } of refsByName.get(from) ?? []) {
      if (scope !== program) continue;
      if (parent.type === 'ObjectProperty' && parent.shorthand) {
        if (parent.value === node) edits.push({ start: parent.start, end: parent.end, text: `${from}: ${to}` });
      } else if (parent.type === 'ExportSpecifier' && parent.exported.start === node.start && !parent.source) {
        edits.push({ start: parent.start, end: parent.end, text: `${to} as ${from}` });
      } else {
        edits.push({ start: node.start, end: node.end, text: to });
      }
    }
  }
  for (const [ns, nsScope] of namespaces) {
    if (!hasRenames) break;
    for (const { node, parent, scope } of refsByName.get(ns) ?? []) {
      if (scope !== nsScope) continue;
      const member = (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && parent.object === node && !parent.computed
        ? (parent.property as AnyNode)
        : parent.type === 'TSQualifiedName' && parent.left === node ? (parent.right as AnyNode) : undefined;
      const renamed = member ? renames[member.name as string] : undefined;
      if (member && renamed) edits.push({ start: member.start, end: member.end, text: renamed });
      else if (!member && parent.type !== 'TSImportEqualsDeclaration' && parent.type !== 'VariableDeclarator' && parent.type !== 'TSTypeQuery') {
        mark(node, `namespace ${ns} is used as a whole; renamed exports: ${Object.entries(renames).map(([a, b]) => `${a} -> ${b}`).join(', ')}`);
      }
    }
  }

  // JSDoc `{import('legacy').T}` in comments.
  for (const c of (fileNode.comments ?? program.comments ?? []) as AnyNode[]) {
    const re = /import\(\s*(['"])([^'"\n]+)\1\s*\)(\.([A-Za-z_$][\w$]*))?/g;
    const text = source.slice(c.start, c.end);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const spec = m[2] as string;
      if (!isLegacy(spec)) continue;
      const at = c.start + m.index + m[0].indexOf(m[1] as string);
      edits.push({ start: at, end: at + spec.length + 2, text: `${m[1]}${newSpec(spec)}${m[1]}` });
      const renamed = m[4] ? renames[m[4]] : undefined;
      if (renamed) {
        const nameAt = c.start + m.index + m[0].length - m[4]!.length;
        edits.push({ start: nameAt, end: nameAt + m[4]!.length, text: renamed });
      }
    }
  }

  for (const [at, reason] of markers) {
    const lineStart = source.lastIndexOf('\n', at - 1) + 1;
    const indent = /^[ \t]*/.exec(source.slice(lineStart, at))?.[0] ?? '';
    const line = `// ${MARKER} (${reason})`;
    if (source.slice(Math.max(0, lineStart - line.length - indent.length - 2), lineStart).includes(line)) continue;
    edits.push({ start: lineStart, end: lineStart, text: `${indent}${line}${eol}` });
  }
  return edits.length === 0 ? undefined : applyEdits(source, edits);
}
