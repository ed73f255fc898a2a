/**
 * Helpers the transforms share. Imported with a `.ts` suffix so that jscodeshift's own loader
 * (babel-register, CommonJS) finds this file when a transform runs standalone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, type ParserPlugin } from '@babel/parser';
import type { API, ASTPath, FileInfo, JSCodeshift } from 'jscodeshift';

export type AnyNode = { type: string; start: number; end: number; [key: string]: any };
export type Edit = { start: number; end: number; text: string };

export const TS_PLUGINS: ParserPlugin[] = [
  'asyncGenerators', 'decoratorAutoAccessors', 'bigInt', 'classPrivateMethods', 'classPrivateProperties',
  'classProperties', 'decorators-legacy', 'doExpressions', 'dynamicImport', 'exportDefaultFrom', 'exportNamespaceFrom',
  'functionBind', 'functionSent', 'importAttributes', 'importMeta', 'nullishCoalescingOperator', 'numericSeparator',
  'objectRestSpread', 'optionalCatchBinding', 'optionalChaining', ['pipelineOperator', { proposal: 'minimal' }],
  'throwExpressions', 'typescript', 'explicitResourceManagement', 'deprecatedImportAssert',
];

/**
 * TC39 decorators (`export @dec class`), which TypeScript 5 accepts, instead of the legacy ones: Babel takes
 * one or the other, and only the legacy plugin allows parameter decorators (NestJS, Angular), so a file
 * the legacy plugin rejects is parsed again with this list.
 */
const TC39_PLUGINS: ParserPlugin[] = TS_PLUGINS.map((p) => (p === 'decorators-legacy' ? ['decorators', { allowCallParenthesized: true }] : p));

export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === undefined || value === null || value === '') return fallback;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Whether `p` is a file; false for anything stat refuses (`a.json/index.ts` is ENOTDIR, not ENOENT). */
export function isFile(p: string): boolean {
  try {
    return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** Collects every child node, skipping location and comment bookkeeping. */
export function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'tokens' || key === 'comments' || key === 'extra' || key.endsWith('Comments')) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v.type === 'string') out.push(v);
    } else if (value && typeof value.type === 'string') out.push(value);
  }
  return out;
}

export function nameOf(node: AnyNode): string {
  return node.type === 'StringLiteral' ? (node.value as string) : (node.name as string);
}

export function lineStartOf(source: string, at: number): number {
  return source.lastIndexOf('\n', at - 1) + 1;
}

export function nextLine(source: string, at: number): number {
  const nl = source.indexOf('\n', at);
  return nl === -1 ? source.length : nl + 1;
}

/** TypeScript's probing for a relative specifier: exact, `.js`→`.ts`, extensionless, directory index. */
export function resolveRelative(fromFile: string, spec: string): string | undefined {
  if (!/^\.\.?(\/|$)/.test(spec)) return undefined;
  const base = path.resolve(path.dirname(fromFile), spec);
  const candidates: string[] = [];
  if (/\.[cm]?tsx?$/.test(base)) candidates.push(base);
  const js = /\.([cm]?)js(x?)$/.exec(base);
  if (js) {
    const stem = base.slice(0, -js[0].length);
    candidates.push(`${stem}.${js[1]}ts`, `${stem}.tsx`, `${stem}.d.${js[1]}ts`);
  }
  for (const ext of ['.ts', '.tsx', '.d.ts']) candidates.push(base + ext);
  for (const ext of ['.ts', '.tsx', '.d.ts']) candidates.push(path.join(base, `index${ext}`));
  return candidates.find(isFile);
}

/** Positions where an identifier is a property name or label, not a reference to a binding. */
export function isNonReference(node: AnyNode, parent: AnyNode): boolean {
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.property === node && !parent.computed;
    case 'ObjectProperty':
    case 'ObjectMethod':
    case 'ClassProperty':
    case 'ClassMethod':
    case 'ClassAccessorProperty':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
    case 'TSDeclareMethod':
    case 'TSAbstractMethodDefinition':
    case 'TSEnumMember':
      return parent.key === node && !parent.computed && !parent.shorthand;
    case 'TSQualifiedName':
      return parent.right === node;
    case 'TSImportType':
      return parent.qualifier === node;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return true;
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
      return true;
    case 'ExportSpecifier':
      return parent.exported === node && parent.local !== node;
    default:
      return false;
  }
}

/** A module path given without its extension (`src/legacy`) resolves like an extensionless specifier. */
export function probeModule(abs: string): string {
  return isFile(abs) ? abs : (resolveRelative(abs, `./${path.basename(abs)}`) ?? abs);
}

/** Parses a module the way jscodeshift's `ts` parser does (`tsx`, with `jsx`, for files that are not `.ts`). */
export function parseModule(source: string, filePath: string): AnyNode {
  const tsx = !/\.[cm]?ts$/.test(filePath);
  const withPlugins = (plugins: ParserPlugin[]): AnyNode =>
    parse(source, {
      sourceType: 'module',
      allowImportExportEverywhere: true,
      allowReturnOutsideFunction: true,
      plugins: tsx ? [...plugins, 'jsx'] : plugins,
    }) as unknown as AnyNode;
  try {
    return withPlugins(TS_PLUGINS);
  } catch (error) {
    if (!source.includes('@')) throw error;
    try {
      return withPlugins(TC39_PLUGINS);
    } catch {
      throw error;
    }
  }
}

/**
 * ast-types' scope analysis asserts that a catch clause has a parameter, so `catch {}` (ES2019) threw
 * "null does not match type Pattern" from any scope lookup in the file (issue 17, item 7). The clause gets a
 * parameter whose name no source can spell; the transforms edit text by offsets and never print the tree.
 */
export function bindBareCatches(node: AnyNode): void {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'CatchClause' && !n.param) n.param = { type: 'Identifier', name: '\u0000catch', start: n.start, end: n.start, loc: n.loc };
    stack.push(...children(n));
  }
}

/** The `legacy` option (comma-separated or an array; files or folders, extension optional) as absolute files and folders. */
export function legacyModules(value: unknown): { legacyFiles: string[]; legacyDirs: string[] } {
  const out = { legacyFiles: [] as string[], legacyDirs: [] as string[] };
  const entries = Array.isArray(value) ? (value as unknown[]) : String(value ?? '').split(',');
  for (const entry of entries.map((e) => String(e).trim()).filter(Boolean)) {
    const abs = path.resolve(entry);
    if (fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) out.legacyDirs.push(abs + path.sep);
    else out.legacyFiles.push(probeModule(abs));
  }
  return out;
}

/** Applies non-overlapping edits to `source` (whose first character sits at `offset` in the file), last first. */
export function applyEdits(source: string, edits: readonly Edit[], offset = 0): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  for (const e of sorted) out = out.slice(0, e.start - offset) + e.text + out.slice(e.end - offset);
  return out;
}

/**
 * A transform's frame: `edit` sees the text without its BOM, the BOM goes back on the result, and an
 * unchanged result is `undefined` (jscodeshift's "nothing changed").
 */
export function withBom(text: string, edit: (source: string) => string | undefined): string | undefined {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const source = text.slice(bom.length);
  const out = edit(source);
  return out === undefined || out === source ? undefined : bom + out;
}

/**
 * The frame of a jscodeshift transform over one file: BOM kept, the source parsed with `parseModule`
 * (a file it cannot parse is left alone), then `rewrite` on the collection; `undefined` when nothing changed.
 */
export function transformFile<S>(
  file: FileInfo,
  api: API,
  settings: S | undefined,
  rewrite: (filePath: string, source: string, root: ReturnType<JSCodeshift>, j: JSCodeshift, settings: S) => string | undefined,
): string | undefined {
  if (!settings) return undefined;
  const j: JSCodeshift = api.jscodeshift;
  return withBom(file.source, (source) => {
    let ast: AnyNode;
    try {
      ast = parseModule(source, file.path);
    } catch (error) {
      // Not parseable: nothing this transform can do safely; said, so the file is not left behind silently.
      api.report(`not rewritten: the transforms' parser cannot read it (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
    bindBareCatches(ast);
    const root = j(ast as any);
    return rewrite(file.path, source, root, j, settings);
  });
}

export type IdentifierAt = { node: AnyNode; parent: AnyNode; path: ASTPath<any> };

/**
 * Every `Identifier` and `JSXIdentifier` in the tree with its parent and a path to start scope lookups from.
 * ast-types does not visit every field Babel fills (parameter decorators, `@Inject(X) private x`, were
 * missed, so their names were not renamed): the tree is walked structurally, and a node ast-types did not
 * reach borrows the path of its nearest ancestor that it did.
 */
export function identifiersOf(root: ReturnType<JSCodeshift>, j: JSCodeshift): IdentifierAt[] {
  const pathOf = new Map<AnyNode, ASTPath<any>>();
  root.find(j.Node as any).forEach((p: ASTPath<any>) => {
    pathOf.set(p.node as AnyNode, p);
  });
  const out: IdentifierAt[] = [];
  const top = root.get().node as AnyNode;
  const stack: { node: AnyNode; parent: AnyNode | undefined; near: ASTPath<any> | undefined }[] = [{ node: top, parent: undefined, near: pathOf.get(top) }];
  while (stack.length) {
    const { node, parent, near } = stack.pop()!;
    const own = pathOf.get(node) ?? near;
    if (parent && own && (node.type === 'Identifier' || node.type === 'JSXIdentifier')) out.push({ node, parent, path: own });
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, parent: node, near: own });
  }
  return out;
}
