/**
 * `remove-legacy`: the cleanup step of `ssot fix` (issue #4) — drop what still mentions the legacy modules being deleted.
 *
 * The fix planner deletes legacy modules that no file reaches any more. Re-exports (`export * from`,
 * `export * as ns from`, `export { A } from`, `export type { T } from`) and side-effect imports (`import 'm'`) of
 * such a module in a surviving file would then break the build, yet nothing else depends on them, so this transform
 * deletes exactly those statements: the whole line when the statement stands alone on it (a `//` comment on that
 * line goes with it; comments on other lines stay). A barrel left with nothing but comments becomes `''`, which the
 * planner reads as "delete this file too". Any other reference (an import binding, `import x = require()`,
 * `require()`, `import()`, an `import()` type, a JSDoc `import()` type, a test mock, `require.resolve`) means the
 * module is still in use: the file is left unchanged and each reference is reported, because rewriting it is
 * `rewrite-imports`' job and deleting the module under it would break it. A file that is itself being removed is
 * left alone (the planner deletes it). Like the other transforms it parses with jscodeshift's TypeScript plugin list
 * through `@babel/parser` and edits the original text at node offsets, so untouched lines, CRLF, BOM, quotes,
 * semicolons and comments stay byte-identical; it needs no scope lookups, so it never builds a jscodeshift tree.
 */
import path from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { parseModule, legacyModules, applyEdits, children, lineStartOf, nextLine, resolveRelative, type AnyNode, type Edit } from './lib/transform-kit.ts';

export const meta = {
  id: 'remove-legacy',
  description: 'Delete re-exports and side-effect imports of legacy modules being removed; report every other remaining use.',
  options: {
    legacy: 'comma-separated legacy module files or folders being removed (absolute, or relative to the working directory; extension optional)',
  },
} as const;

/** The syntactic form of a module reference, named like the scanner's `RefKind` (src/types.ts). */
export type RefForm =
  | 'import' | 'side-effect' | 'export-from' | 'export-star' | 'export-star-as' | 'dynamic-import' | 'require'
  | 'import-equals' | 'typeof-import' | 'jsdoc-import' | 'mock' | 'require-resolve';

/** A reference that keeps a removed module in use; `line` and `column` (1-based) point at the specifier string. */
export type RemainingUse = { line: number; column: number; specifier: string; form: RefForm };

/** What `findRemainingUses` reads: the transform's own `legacy` option (a comma-separated string or a list). */
export type LegacyOptions = { legacy?: string | readonly string[] };

type Settings = { legacyFiles: string[]; legacyDirs: string[] };
type Ref = { at: number; spec: string; form: RefForm; owner: AnyNode | undefined };

/** Statement forms that only forward a module, so deleting them loses nothing but the module itself. */
const FORWARDING = new Set<RefForm>(['side-effect', 'export-from', 'export-star', 'export-star-as']);
const MOCK_METHODS = new Set([
  'mock', 'doMock', 'unmock', 'doUnmock', 'importActual', 'importMock', 'requireActual', 'requireMock',
  'createMockFromModule', 'setMock',
]);

function readSettings(raw: Record<string, unknown>): Settings | undefined {
  if (!raw.legacy) return undefined;
  const settings: Settings = legacyModules(raw.legacy);
  return settings.legacyFiles.length + settings.legacyDirs.length > 0 ? settings : undefined;
}


const isRemoved = (abs: string, s: Settings): boolean => s.legacyFiles.includes(abs) || s.legacyDirs.some((d) => abs.startsWith(d));
const stem = (p: string): string => p.replace(/(\.d)?\.[cm]?[jt]sx?$/, '').replace(/[\\/]index$/, '');

/** Every module reference, with the scanner's form names; JSDoc `import()` types come from `/** … *\/` comments. */
function collectRefs(ast: AnyNode, source: string): Ref[] {
  const refs: Ref[] = [];
  const add = (literal: AnyNode | undefined, form: RefForm, owner: AnyNode): void => {
    if (literal?.type === 'TSLiteralType') literal = literal.literal as AnyNode;
    if (literal?.type === 'StringLiteral') refs.push({ at: literal.start, spec: literal.value as string, form, owner });
    else if (literal?.type === 'TemplateLiteral' && literal.expressions.length === 0) {
      refs.push({ at: literal.start, spec: literal.quasis[0].value.cooked as string, form, owner });
    }
  };
  const visit = (node: AnyNode): void => {
    switch (node.type) {
      case 'ImportDeclaration':
        add(node.source, node.specifiers.length === 0 ? 'side-effect' : 'import', node);
        break;
      case 'ExportAllDeclaration':
        add(node.source, 'export-star', node);
        break;
      case 'ExportNamedDeclaration':
        if (node.source) add(node.source, node.specifiers.some((sp: AnyNode) => sp.type === 'ExportNamespaceSpecifier') ? 'export-star-as' : 'export-from', node);
        break;
      case 'TSImportEqualsDeclaration':
        if (node.moduleReference?.type === 'TSExternalModuleReference') add(node.moduleReference.expression, 'import-equals', node);
        break;
      case 'TSImportType':
        add(node.argument, 'typeof-import', node);
        break;
      case 'ImportExpression':
        add(node.source, 'dynamic-import', node);
        break;
      case 'CallExpression': {
        const callee = node.callee as AnyNode;
        const isMember = callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier';
        if (callee.type === 'Import') add(node.arguments[0], 'dynamic-import', node);
        else if (callee.type === 'Identifier' && callee.name === 'require') add(node.arguments[0], 'require', node);
        else if (isMember && ['vi', 'jest'].includes(callee.object.name) && MOCK_METHODS.has(callee.property.name)) add(node.arguments[0], 'mock', node);
        else if (isMember && callee.object.name === 'require' && callee.property.name === 'resolve') add(node.arguments[0], 'require-resolve', node);
        break;
      }
    }
    for (const child of children(node)) visit(child);
  };
  visit(ast.program as AnyNode);
  for (const c of (ast.comments ?? []) as AnyNode[]) {
    if (c.type !== 'CommentBlock' || !(c.value as string).startsWith('*')) continue;
    const text = source.slice(c.start, c.end);
    const re = /import\(\s*(['"])([^'"\n]+)\1\s*\)/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      refs.push({ at: c.start + m.index + m[0].indexOf(m[1] as string), spec: m[2] as string, form: 'jsdoc-import', owner: undefined });
    }
  }
  return refs.sort((a, b) => a.at - b.at);
}

/** The forwarding statements to delete and the remaining uses; `undefined` for a removed or unparseable file. */
function analyze(filePath: string, source: string, s: Settings): { program: AnyNode; forwards: AnyNode[]; uses: Ref[] } | undefined {
  const self = path.resolve(filePath);
  if (isRemoved(self, s)) return undefined;
  let ast: AnyNode;
  try {
    ast = parseModule(source, filePath);
  } catch {
    return undefined; // not parseable: nothing this transform can judge safely
  }
  const program = ast.program as AnyNode;
  const topLevel = new Set(program.body as AnyNode[]);
  const cache = new Map<string, boolean>();
  const removed = (spec: string): boolean => {
    if (cache.has(spec)) return cache.get(spec)!;
    const target = resolveRelative(self, spec);
    let hit = target !== undefined && isRemoved(target, s);
    if (!target && /^\.\.?(\/|$)/.test(spec)) {
      // The module may already be gone from disk: match it by path without extension (`./x.js` names `x.ts`).
      const abs = path.resolve(path.dirname(self), spec);
      hit = isRemoved(abs, s) || s.legacyFiles.some((f) => stem(f) === stem(abs));
    }
    cache.set(spec, hit);
    return hit;
  };
  const forwards: AnyNode[] = [];
  const uses: Ref[] = [];
  for (const ref of collectRefs(ast, source)) {
    if (!removed(ref.spec)) continue;
    // A forwarding statement nested in `declare module` or a block is not ours to drop: it counts as a use.
    if (ref.owner && topLevel.has(ref.owner) && FORWARDING.has(ref.form)) forwards.push(ref.owner);
    else uses.push(ref);
  }
  return { program, forwards, uses };
}

/** 1-based line and column of an offset, counting line breaks the way Babel and TypeScript do. */
function position(source: string, at: number): { line: number; column: number } {
  const before = source.slice(0, at);
  const breaks = before.match(/\r\n?|[\n\u2028\u2029]/g)?.length ?? 0;
  const lastBreak = Math.max(...['\n', '\r', '\u2028', '\u2029'].map((ch) => before.lastIndexOf(ch)));
  return { line: breaks + 1, column: at - lastBreak };
}

const toUses = (source: string, refs: Ref[]): RemainingUse[] =>
  refs.map((r) => ({ ...position(source, r.at), specifier: r.spec, form: r.form }));

/**
 * The references in `source` that keep a removed module in use (everything but top-level re-exports and
 * side-effect imports), in file order, so the fix planner can refuse a removal without running jscodeshift.
 * Empty when the file is itself being removed, has no such reference, cannot be parsed, or `legacy` is empty.
 */
export function findRemainingUses(filePath: string, source: string, legacyOptions: LegacyOptions): RemainingUse[] {
  const settings = readSettings(legacyOptions as Record<string, unknown>);
  if (!settings) return [];
  const text = source.replace(/^\uFEFF/, '');
  const found = analyze(filePath, text, settings);
  return found ? toUses(text, found.uses) : [];
}

/** Deletes statements; a run of them alone on its lines (a trailing `//` comment included) takes those lines. */
function removals(source: string, statements: AnyNode[]): Edit[] {
  const runs: [number, number][] = [];
  for (const st of [...new Set(statements)].sort((a, b) => a.start - b.start)) {
    const last = runs[runs.length - 1];
    if (last && /^[ \t]*$/.test(source.slice(last[1], st.start))) last[1] = st.end;
    else runs.push([st.start, st.end]);
  }
  return runs.map(([start, end]) => {
    const lineStart = lineStartOf(source, start);
    const lineEnd = nextLine(source, end);
    const before = source.slice(lineStart, start);
    const after = source.slice(end, lineEnd);
    if (/^[ \t]*$/.test(before) && /^[ \t]*(\/\/.*)?\r?\n?$/.test(after)) return { start: lineStart, end: lineEnd, text: '' };
    // Code shares the line: take the statement and the blanks between it and that code.
    const trailing = /^[ \t]*/.exec(after)![0].length;
    if (!/^[ \t]*\r?\n?$/.test(after)) return { start, end: end + trailing, text: '' };
    return { start: start - /[ \t]*$/.exec(before)![0].length, end, text: '' };
  });
}

/**
 * The jscodeshift transform. Returns `undefined` when nothing changed or the file still uses a removed module
 * (each use is reported), and `''` when only comments would remain. The fix planner reads `''` as "delete this
 * file"; jscodeshift's own runner treats a falsy result as skipped, so standalone runs leave such a file as it is.
 */
export default function transformer(file: FileInfo, api: API, options: Options): string | undefined {
  const settings = readSettings(options as Record<string, unknown>);
  if (!settings) return undefined;
  const bom = file.source.startsWith('\uFEFF') ? '\uFEFF' : '';
  const source = file.source.slice(bom.length);
  const found = analyze(file.path, source, settings);
  if (!found) return undefined;
  if (found.uses.length > 0) {
    for (const u of toUses(source, found.uses)) {
      api.report?.(`${file.path}:${u.line}:${u.column}: still uses ${u.specifier}; migrate it before removing the module`);
    }
    return undefined;
  }
  if (found.forwards.length === 0) return undefined;
  const { program, forwards } = found;
  const left = (program.body as AnyNode[]).filter((st) => !forwards.includes(st));
  if (left.length === 0 && (program.directives ?? []).length === 0 && !program.interpreter) return '';
  const out = applyEdits(source, removals(source, forwards));
  return out === source ? undefined : bom + out;
}
