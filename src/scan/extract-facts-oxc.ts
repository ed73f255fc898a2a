import { createRequire } from 'node:module';
import type { DeclFact, FileFacts, ImportedName, Loc, RefKind } from '../types.js';
import { FactsCollector, MUTATING_METHODS, addClassMembers, isStackOverflow, type ClassMember } from './facts-common.js';
import { describeDeclText } from './decl-sketch.js';
import { deepNestingAt, mayHoldJsx } from './nesting-depth.js';
import { SFC_FILE, sfcModule } from './sfc-blocks.js';

/**
 * The facts extractor on oxc-parser's AST (ESTree with TypeScript nodes). It gives the same facts,
 * positions included, as the TypeScript-based one (extract-facts.ts), which stays the reference: a file
 * oxc reports an error in, or whose comments may hold JSDoc `import()` types, goes to that one
 * (`fallback`), so parse errors keep TypeScript's messages; so does a file nested too deep for oxc's
 * native parser, which would take the process down with it (see nesting-depth.ts). `SSOT_EXTRACTOR=check` runs both on every
 * file and throws on the first difference; the test suite runs once that way.
 */

// oxc's ESTree nodes: a type tag, UTF-16 offsets, and the fields of that type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type N = { type: string; start: number; end: number; [field: string]: any };

interface OxcModule {
  parseSync(filename: string, text: string, options?: { experimentalRawTransfer?: boolean; lang?: 'jsx'; sourceType?: 'commonjs' | 'module' | 'unambiguous' }): { program: N; errors: unknown[]; comments: { type: string; value: string }[] };
  rawTransferSupported(): boolean;
  visitorKeys: Record<string, readonly string[]>;
}

/** oxc-parser, or undefined where its native binding does not load (an unsupported platform). */
const oxc: OxcModule | undefined = (() => {
  try {
    return createRequire(import.meta.url)('oxc-parser') as OxcModule;
  } catch {
    return undefined;
  }
})();

/** Whether oxc-parser loaded here. */
export const oxcAvailable = oxc !== undefined;

/**
 * Whether to take the AST by raw transfer instead of JSON: `SSOT_OXC_RAW_TRANSFER=1`, where it works
 * (Node 22 and later, 64-bit little-endian). Opt-in: measured on Node 22, it was faster than JSON on one
 * thread, but 10,000 files peaked at 608 MiB against 408 MiB, and each worker would hold its own buffer.
 */
export const rawTransfer = !!oxc && process.env.SSOT_OXC_RAW_TRANSFER === '1' && oxc.rawTransferSupported();


/** Nodes whose code does not run at module load (TypeScript's function-likes, class fields and static blocks). */
const SCOPES = new Set([
  'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'TSDeclareFunction', 'TSEmptyBodyFunctionExpression',
  'MethodDefinition', 'TSAbstractMethodDefinition', 'PropertyDefinition', 'TSAbstractPropertyDefinition', 'AccessorProperty',
  'TSAbstractAccessorProperty', 'StaticBlock',
]);
/** TypeScript nodes that are not types: expressions, declarations and containers whose children are visited as values. */
const TS_VALUE_NODES = new Set([
  'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression',
  'TSEnumDeclaration', 'TSEnumBody', 'TSEnumMember', 'TSModuleDeclaration', 'TSModuleBlock', 'TSGlobalDeclaration',
  'TSImportEqualsDeclaration', 'TSExternalModuleReference', 'TSExportAssignment', 'TSNamespaceExportDeclaration',
  'TSParameterProperty', 'TSDeclareFunction', 'TSEmptyBodyFunctionExpression', 'TSAbstractMethodDefinition',
  'TSAbstractPropertyDefinition', 'TSAbstractAccessorProperty', 'TSTypeParameter', 'TSTypeParameterDeclaration',
  'TSTypeParameterInstantiation', 'TSIndexSignature', 'TSQualifiedName',
]);
/** Type nodes as TypeScript's walk sees them: every other `TS*` node, and `implements` clauses. */
function isTypeNode(type: string): boolean {
  return type.charCodeAt(0) === 84 && type.charCodeAt(1) === 83 && !TS_VALUE_NODES.has(type);
}

/** Why a file goes to the TypeScript extractor instead. */
export type OxcFallback = 'parse-error' | 'jsdoc-import' | 'deep-nesting';

/**
 * Whether a comment may hold a JSDoc `import()` type, which only TypeScript's parser reads: a `/**`
 * comment with `import(` after a `{` (JSDoc types are written in braces: `@type {import('./x').T}`).
 * Prose such as "use this instead of import()" in a doc comment does not send the file to TypeScript.
 */
function mayHoldJsDocImportType(comment: { type: string; value: string }): boolean {
  return comment.type === 'Block' && comment.value.startsWith('*') && /\{[\s\S]*import\(/.test(comment.value);
}

/**
 * JavaScript as TypeScript's parser reads it (ScriptKind.JS): JSX allowed in `.js` too, and the module
 * kind taken from the extension (`.cjs` may `return` at the top, `.js` may be either).
 */
function jsOptions(name: string): { lang?: 'jsx'; sourceType?: 'commonjs' | 'module' | 'unambiguous' } {
  if (!/\.[cm]?jsx?$/.test(name)) return {};
  return { lang: 'jsx', sourceType: name.endsWith('.cjs') ? 'commonjs' : name.endsWith('.mjs') ? 'module' : 'unambiguous' };
}

/** Facts from oxc's AST, or why this file must be extracted with TypeScript. The text must have no BOM. */
export function extractFactsOxc(fileName: string, text: string, rawTransfer: boolean): FileFacts | { fallback: OxcFallback } {
  const m = oxc;
  if (!m) throw new Error('oxc-parser is not available on this platform');
  if (SFC_FILE.test(fileName)) ({ name: fileName, text } = sfcModule(fileName, text));
  const name = /\.(c|m)?tsx?$/.test(fileName) || /\.(c|m)?jsx?$/.test(fileName) ? fileName : `${fileName}.ts`;
  // Past its stack, oxc's native parser crashes the process (SIGSEGV): such files never reach it.
  if (deepNestingAt(text, mayHoldJsx(name)) !== -1) return { fallback: 'deep-nesting' };
  try {
    const result = m.parseSync(name, text, { ...jsOptions(name), ...(rawTransfer ? { experimentalRawTransfer: true } : {}) });
    if (result.errors.length) return { fallback: 'parse-error' };
    const mayHaveImportTypes = text.includes('import(');
    if (mayHaveImportTypes && result.comments.some(mayHoldJsDocImportType)) return { fallback: 'jsdoc-import' };
    return new OxcFactsExtractor(text, result.program, mayHaveImportTypes, m.visitorKeys).run();
  } catch (error) {
    // The raw transfer's deserializer recurses in JavaScript: a RangeError, which TypeScript's side reports.
    if (!isStackOverflow(error)) throw error;
    return { fallback: 'deep-nesting' };
  }
}

class OxcFactsExtractor extends FactsCollector {
  constructor(
    private readonly text: string,
    private readonly program: N,
    private readonly mayHaveImportTypes: boolean,
    private readonly keys: Record<string, readonly string[]>,
  ) {
    super(text);
  }

  run(): FileFacts {
    const statements = this.program.body as N[];
    for (const statement of statements) {
      this.collectTopLevelNames(declarationOf(statement));
      if (statement.type === 'ExportNamedDeclaration' && !statement.source && !statement.declaration) {
        for (const el of statement.specifiers as N[]) this.exportedNames.add(nameOf(el.local));
      }
    }
    for (const statement of statements) this.topLevelStatement(statement);
    this.walk(statements);
    return this.finish();
  }

  // --- positions -------------------------------------------------------------------------------

  /** A node's range as TypeScript gives it: bindings end before their type annotation. */
  private nodeLoc(node: N): Loc {
    return this.loc(node.start, bindingEnd(node));
  }

  // --- top level -------------------------------------------------------------------------------

  private collectTopLevelNames(statement: N): void {
    switch (statement.type) {
      case 'ImportDeclaration':
        for (const s of statement.specifiers as N[]) this.topLevel.add(s.local.name);
        break;
      case 'TSImportEqualsDeclaration':
        this.topLevel.add(statement.id.name);
        break;
      case 'ClassDeclaration':
      case 'FunctionDeclaration':
      case 'TSDeclareFunction':
        if (statement.id) this.topLevel.add(statement.id.name);
        break;
      case 'VariableDeclaration':
        for (const d of statement.declarations as N[]) {
          const init = d.init && unwrap(d.init);
          if (!init || !(init.type === 'Identifier' || init.type === 'ObjectExpression' || isFunctionExpression(init) || init.type === 'ClassExpression' || isRequireCall(init))) continue;
          this.addBindingNames(d.id, this.topLevel);
        }
        break;
    }
  }

  private addBindingNames(pattern: N, into: Set<string>): void {
    switch (pattern.type) {
      case 'Identifier':
        into.add(pattern.name);
        break;
      case 'ObjectPattern':
        for (const p of pattern.properties as N[]) this.addBindingNames(p.type === 'RestElement' ? p.argument : p.value, into);
        break;
      case 'ArrayPattern':
        for (const el of pattern.elements as (N | null)[]) if (el) this.addBindingNames(el, into);
        break;
      case 'AssignmentPattern':
        this.addBindingNames(pattern.left, into);
        break;
      case 'RestElement':
        this.addBindingNames(pattern.argument, into);
        break;
    }
  }

  private topLevelStatement(statement: N): void {
    switch (statement.type) {
      case 'ImportDeclaration':
        return this.importDeclaration(statement);
      case 'ExportAllDeclaration':
        return this.exportAll(statement);
      case 'TSExportAssignment':
        return this.exportAssignment(statement.expression, '=', statement);
      case 'ExportDefaultDeclaration': {
        const d = statement.declaration as N;
        if (d.type === 'ClassDeclaration' || d.type === 'FunctionDeclaration' || d.type === 'TSDeclareFunction' || d.type === 'TSInterfaceDeclaration') {
          return this.declaration(d, { isDefault: true, start: statement.start });
        }
        return this.exportAssignment(d, 'default', statement);
      }
      case 'ExportNamedDeclaration':
        if (statement.declaration) return this.declaration(statement.declaration, { isDefault: false, start: statement.start });
        return this.exportNamed(statement);
      default:
        return this.declaration(statement, undefined);
    }
  }

  /** A declaration, exported (`export …`, `export default …`) or not. `start`: where TypeScript's node starts. */
  private declaration(node: N, exported: { isDefault: boolean; start: number } | undefined): void {
    switch (node.type) {
      case 'TSImportEqualsDeclaration':
        return this.importEquals(node, !!exported);
      case 'ClassDeclaration':
        return this.classLike(node, node.id?.name ?? 'default', this.exportsOf(exported, node.id?.name, node.id, node), exported?.start ?? node.start);
      case 'FunctionDeclaration':
      case 'TSDeclareFunction': {
        const isExported = this.exportsOf(exported, node.id?.name, node.id, node);
        const decl: DeclFact = { name: node.id?.name ?? 'default', kind: 'function', exported: isExported, loc: node.id ? this.nodeLoc(node.id) : this.loc(exported?.start ?? node.start, node.end) };
        const returns = returnsOf(node);
        if (returns) decl.returns = returns;
        if (node.id) describeDeclText(decl, this.text, node.id.start, node.end, (a, b) => this.loc(a, b));
        this.facts.decls.push(decl);
        return;
      }
      case 'VariableDeclaration':
        return this.variableDeclaration(node, !!exported);
      case 'TSInterfaceDeclaration':
        return this.simpleDecl(node, 'interface', exported);
      case 'TSTypeAliasDeclaration':
        return this.simpleDecl(node, 'type', exported);
      case 'TSEnumDeclaration':
        return this.simpleDecl(node, 'enum', exported);
    }
  }

  private addRef(specifier: N, kind: RefKind, typeOnly: boolean, names: ImportedName[] = []): number {
    return this.pushRef(stringValue(specifier)!, this.nodeLoc(specifier), kind, typeOnly, names);
  }

  private importDeclaration(node: N): void {
    const specifiers = node.specifiers as N[];
    // `import 'm'` has no clause; `import {} from 'm'` has an empty one.
    if (specifiers.length === 0 && !this.text.slice(node.start, node.source.start).includes('from')) {
      this.addRef(node.source, 'side-effect', false);
      return;
    }
    const clauseTypeOnly = node.importKind === 'type';
    const names: ImportedName[] = [];
    for (const s of specifiers) {
      if (s.type === 'ImportDefaultSpecifier') names.push({ imported: 'default', local: s.local.name, typeOnly: clauseTypeOnly });
      else if (s.type === 'ImportNamespaceSpecifier') names.push({ imported: '*', local: s.local.name, typeOnly: clauseTypeOnly });
      else names.push({ imported: nameOf(s.imported), local: s.local.name, typeOnly: clauseTypeOnly || s.importKind === 'type' });
    }
    const typeOnly = clauseTypeOnly || (names.length > 0 && names.every((n) => n.typeOnly));
    for (const n of names) if (!n.typeOnly) this.importedValues.set(n.local, n.local);
    this.addRef(node.source, 'import', typeOnly, names);
  }

  private exportAll(node: N): void {
    const typeOnly = node.exportKind === 'type';
    if (!node.exported) {
      this.facts.starExports.push(this.addRef(node.source, 'export-star', typeOnly));
      return;
    }
    const name = nameOf(node.exported);
    const ref = this.addRef(node.source, 'export-star-as', typeOnly, [{ imported: '*', local: name, typeOnly }]);
    this.facts.exports.push({ name, ref, imported: '*', typeOnly, loc: this.nodeLoc(node.exported) });
  }

  private exportNamed(node: N): void {
    const clauseTypeOnly = node.exportKind === 'type';
    const specifiers = node.specifiers as N[];
    if (node.source) {
      const names = specifiers.map((el) => ({ imported: nameOf(el.local), local: nameOf(el.exported), typeOnly: clauseTypeOnly || el.exportKind === 'type' }));
      const typeOnly = clauseTypeOnly || (names.length > 0 && names.every((n) => n.typeOnly));
      const ref = this.addRef(node.source, 'export-from', typeOnly, names);
      specifiers.forEach((el, i) => {
        const n = names[i]!;
        this.facts.exports.push({ name: n.local, ref, imported: n.imported, typeOnly: n.typeOnly, loc: this.nodeLoc(el) });
      });
      return;
    }
    for (const el of specifiers) {
      this.facts.exports.push({ name: nameOf(el.exported), local: nameOf(el.local), typeOnly: clauseTypeOnly || el.exportKind === 'type', loc: this.nodeLoc(el) });
    }
  }

  private importEquals(node: N, exported: boolean): void {
    const typeOnly = node.importKind === 'type';
    const ref = node.moduleReference as N;
    if (ref.type === 'TSExternalModuleReference' && stringValue(ref.expression) !== undefined) {
      this.addRef(ref.expression, 'import-equals', typeOnly, [{ imported: '*', local: node.id.name, typeOnly }]);
    }
    if (exported) this.facts.exports.push({ name: node.id.name, local: node.id.name, typeOnly, loc: this.nodeLoc(node.id) });
  }

  private exportAssignment(expression: N, name: string, statement: N): void {
    const local = expression.type === 'Identifier' ? (expression.name as string) : undefined;
    // `export default (x)`: TypeScript's node is the parenthesized expression.
    this.facts.exports.push({ name, local, typeOnly: false, loc: this.nodeLoc(expression) });
    if (!local && expression.type === 'ClassExpression') {
      this.classLike(expression, expression.id?.name ?? 'default', false, statement.start);
      this.facts.exports[this.facts.exports.length - 1]!.local = expression.id?.name ?? 'default';
    }
  }

  private exportsOf(exported: { isDefault: boolean; start: number } | undefined, name: string | undefined, nameNode: N | undefined, node: N): boolean {
    if (!exported) return false;
    const exportName = exported.isDefault ? 'default' : name;
    if (exportName) this.facts.exports.push({ name: exportName, local: name ?? 'default', typeOnly: false, loc: nameNode ? this.nodeLoc(nameNode) : this.loc(exported.start, node.end) });
    return true;
  }

  private simpleDecl(node: N, kind: DeclFact['kind'], exportedAs: { isDefault: boolean; start: number } | undefined): void {
    const name = node.id.name as string;
    const exported = this.exportsOf(exportedAs, name, node.id, node);
    if (!exported && !this.exportedNames.has(name)) return;
    const decl: DeclFact = { name, kind, exported, loc: this.nodeLoc(node.id) };
    if (node.type === 'TSInterfaceDeclaration' && (node.extends as N[] | undefined)?.length) decl.extends = (node.extends as N[]).flatMap((h) => heritageName(h.expression));
    this.facts.decls.push(decl);
  }

  private classLike(node: N, name: string, exported: boolean, start: number): void {
    const decl: DeclFact = { name, kind: 'class', exported, loc: node.id ? this.nodeLoc(node.id) : this.loc(start, node.end) };
    const ext = node.superClass ? heritageName(node.superClass) : [];
    const impl = ((node.implements as N[] | undefined) ?? []).flatMap((h) => heritageName(h.expression));
    if (ext.length) decl.extends = ext;
    if (impl.length) decl.implements = impl;
    const members: ClassMember[] = [];
    for (const member of node.body.body as N[]) {
      const type = member.type as string;
      const isMethodDef = type === 'MethodDefinition' || type === 'TSAbstractMethodDefinition';
      const isProperty = type === 'PropertyDefinition' || type === 'TSAbstractPropertyDefinition' || type === 'AccessorProperty' || type === 'TSAbstractAccessorProperty';
      if ((!isMethodDef && !isProperty) || (isMethodDef && member.kind === 'constructor')) continue;
      const memberName = propertyNameText(member.key, member.computed);
      if (memberName === undefined) continue;
      members.push({
        name: memberName,
        kind: isProperty ? 'field' : (member.kind as 'method' | 'get' | 'set'),
        isStatic: !!member.static,
        isPublic: member.accessibility !== 'private' && member.accessibility !== 'protected' && !memberName.startsWith('#'),
        isMethod: (isMethodDef && member.kind === 'method') || (isProperty && !!member.value && isFunctionExpression(member.value)),
        readonly: !!member.readonly,
        nameLoc: () => this.nodeLoc(member.key),
        selfTyped: () => typeMentions(member.typeAnnotation?.typeAnnotation, name) || isNewOf(member.value, name),
        swap: () => (member.value?.body ? collaboratorSwap(member.value, this.keys) : undefined),
      });
    }
    addClassMembers(decl, members);
    if (node.abstract) decl.abstract = true;
    if (node.id) describeDeclText(decl, this.text, node.id.start, node.end, (a, b) => this.loc(a, b));
    this.facts.decls.push(decl);
  }

  private variableDeclaration(node: N, exported: boolean): void {
    const mutable = node.kind === 'var' || node.kind === 'let';
    for (const d of node.declarations as N[]) {
      if (d.id.type !== 'Identifier') {
        const names = new Set<string>();
        this.addBindingNames(d.id, names);
        for (const name of names) {
          this.facts.decls.push({ name, kind: 'variable', exported, loc: this.nodeLoc(d.id), mutable, init: { kind: 'other' } });
          if (exported) this.facts.exports.push({ name, local: name, typeOnly: false, loc: this.nodeLoc(d.id) });
        }
        continue;
      }
      const name = d.id.name as string;
      if (exported) this.facts.exports.push({ name, local: name, typeOnly: false, loc: this.nodeLoc(d.id) });
      const init = d.init ? unwrap(d.init) : undefined;
      const decl: DeclFact = { name, kind: 'variable', exported, mutable, loc: this.nodeLoc(d.id), init: describeInit(init) };
      if (isReadonlyType(d.id.typeAnnotation?.typeAnnotation) || (d.init && isAsConst(d.init))) decl.init = { kind: 'literal' };
      if (init && isFunctionExpression(init)) {
        decl.kind = 'function';
        const returns = returnsOf(init);
        if (returns) decl.returns = returns;
      } else if (init && init.type === 'ObjectExpression') {
        const methods = objectMethods(init);
        if (methods.length > 0 && methods.length * 2 >= init.properties.length) {
          decl.kind = 'object-factory';
          decl.methods = methods;
        }
      } else if (init && init.type === 'ClassExpression') {
        this.classLike(init, name, exported, init.start);
        continue;
      }
      // Exported constants too: copies of a codec, a table or a wrapped hook are copies (issue 18).
      if (decl.kind !== 'variable' || (init && (exported || this.exportedNames.has(name)))) describeDeclText(decl, this.text, d.id.start, d.end, (a, b) => this.loc(a, b));
      this.facts.decls.push(decl);
    }
  }

  // --- deep walk -------------------------------------------------------------------------------

  /**
   * Nodes still to visit, each as its parent then itself, and after a node's children the scope and
   * type depth to restore (a number): an explicit stack instead of recursion, so that no nesting the
   * parser accepted (a left-deep `a + b + …` of thousands of terms) can overflow the thread's stack.
   */
  private readonly stack: (N | number)[] = [];
  /** One node's children, in order, before they go onto the stack in reverse. */
  private readonly kids: N[] = [];

  private walk(statements: N[]): void {
    const stack = this.stack;
    for (let k = statements.length - 1; k >= 0; k--) stack.push(this.program, statements[k]!);
    while (stack.length) {
      const top = stack.pop()!;
      if (typeof top === 'number') {
        if (top & 1) this.depth--;
        if (top & 2) this.typeDepth--;
      } else this.visit(top, stack.pop() as N);
    }
  }

  private visit(node: N, parent: N): void {
    const type = node.type;
    if (type === 'Identifier' || type === 'JSXIdentifier') {
      if (this.typeDepth === 0 && this.importedValues.size) {
        const isPropertyName = (parent.type === 'MemberExpression' || parent.type === 'JSXMemberExpression') && parent.property === node && !parent.computed;
        if (!isPropertyName && this.importedValues.has(node.name)) this.valueUsed.add(node.name);
      }
      this.pushChildren(node);
      return;
    }
    if (type === 'ImportDeclaration') return;
    const typeContext = isTypeNode(type) || type === 'TSClassImplements';
    if (typeContext && !this.mayHaveImportTypes) return;
    switch (type) {
      case 'CallExpression':
        this.callExpression(node, parent);
        break;
      case 'ImportExpression':
        if (stringValue(node.source) !== undefined) this.addRef(node.source, 'dynamic-import', false, [{ imported: '*', local: '*', typeOnly: false }]);
        break;
      case 'NewExpression':
        this.newExpression(node);
        break;
      case 'TSImportType':
        this.importType(node);
        break;
      case 'AssignmentExpression':
        // `x ??= …`, `x ||= …` and a guarded `x = …` initialise x once: not a write after initialisation.
        if (node.operator !== '??=' && node.operator !== '||=' && !this.lazyWrites.has(node)) this.markWrite(node.left);
        break;
      case 'IfStatement':
        this.lazyInit(node);
        break;
      case 'UpdateExpression':
        this.markWrite(node.argument);
        break;
      case 'UnaryExpression':
        if (node.operator === 'delete') this.markWrite(node.argument);
        break;
    }
    const scope = SCOPES.has(type) || ((type === 'Property' || type === 'MethodDefinition') && (node.method || node.kind === 'get' || node.kind === 'set'));
    if (scope) this.depth++;
    if (typeContext) this.typeDepth++;
    if (scope || typeContext) this.stack.push((scope ? 1 : 0) | (typeContext ? 2 : 0));
    this.pushChildren(node);
  }

  /** A node's children onto the stack (each with the node as its parent), so that they are visited in source order. */
  private pushChildren(node: N): void {
    const keys = this.keys[node.type];
    if (!keys) return;
    const kids = this.kids;
    for (const key of keys) {
      const child = node[key] as N | (N | null)[] | null | undefined;
      if (!child) continue;
      if (Array.isArray(child)) {
        for (const c of child) if (c) kids.push(c);
      } else if (typeof child.type === 'string') kids.push(child);
    }
    for (let k = kids.length - 1; k >= 0; k--) this.stack.push(node, kids[k]!);
    kids.length = 0;
  }

  private importType(node: N): void {
    const source = node.source ?? node.argument?.literal ?? node.argument;
    if (source && stringValue(source) !== undefined) {
      const qualifier = node.qualifier ? entityRoot(node.qualifier) : '*';
      this.addRef(source, 'typeof-import', true, [{ imported: qualifier, local: qualifier, typeOnly: true }]);
    }
  }

  private callExpression(node: N, parent: N): void {
    const callee = node.callee as N;
    const arg = (node.arguments as N[])[0];
    const literalArg = arg && stringValue(arg) !== undefined ? arg : undefined;
    const isAccess = callee.type === 'MemberExpression' && !callee.computed;
    const rootNode = isAccess ? (callee.object as N) : callee;
    if (isAccess && callee.property.type === 'Identifier' && MUTATING_METHODS.has(callee.property.name)) this.markWrite(rootNode, true);
    if (rootNode.type !== 'Identifier') return;
    const root = rootNode.name as string;
    const special = root === 'require' || root === 'vi' || root === 'jest';
    if (!special && !this.topLevel.has(root)) return;
    const name = isAccess ? `${root}.${memberName(callee.property)}` : root;
    this.recordCall(root, name, literalArg && (() => [stringValue(literalArg)!, this.nodeLoc(literalArg)]), () => requireNames(parent), () => this.nodeLoc(callee));
  }

  private newExpression(node: N): void {
    const name = calleeName(node.callee);
    if (!name || !this.topLevel.has(name.split('.')[0]!)) return;
    this.facts.uses.push({ kind: 'new', callee: name, moduleLevel: this.depth === 0, loc: this.nodeLoc(node) });
  }

  /** `if (!x) x = …` and `if (x == null) { x = …; }`, as the TypeScript extractor's `lazyInit`. */
  private lazyInit(node: N): void {
    if (node.alternate) return;
    let test = node.test as N;
    if (test.type === 'UnaryExpression' && test.operator === '!') test = test.argument;
    else if (test.type === 'BinaryExpression' && (test.operator === '==' || test.operator === '===')) {
      const right = test.right as N;
      if ((right.type === 'Literal' && right.value === null && right.raw === 'null') || right.type === 'NullLiteral' || (right.type === 'Identifier' && right.name === 'undefined')) test = test.left;
    }
    const name = test.type === 'Identifier' ? (test.name as string) : undefined;
    let then = node.consequent as N;
    if (then.type === 'BlockStatement' && then.body.length === 1) then = then.body[0];
    const assignment = then.type === 'ExpressionStatement' ? (then.expression as N) : undefined;
    if (name && assignment?.type === 'AssignmentExpression' && assignment.operator === '=' && assignment.left.type === 'Identifier' && assignment.left.name === name) this.lazyWrites.add(assignment);
  }

  /** Record a write inside a function, as the TypeScript extractor's `markWrite` does. */
  private markWrite(target: N, viaMethod = false): void {
    if (this.depth === 0) return;
    if (target.type === 'Identifier' && !viaMethod) {
      this.noteWrite(target.name, undefined, true, () => this.nodeLoc(target));
      return;
    }
    let expr = target;
    let member: string | undefined;
    while (expr.type === 'MemberExpression' || expr.type === 'ParenthesizedExpression') {
      if (expr.type === 'MemberExpression') member = !expr.computed && expr.property.type === 'Identifier' ? (expr.property.name as string) : undefined;
      expr = expr.type === 'MemberExpression' ? expr.object : expr.expression;
    }
    if (expr.type === 'Identifier') this.noteWrite(expr.name, member, false, () => this.nodeLoc(target));
    else if (expr.type === 'ThisExpression' && member !== undefined) this.noteWrite('this', member, false, () => this.nodeLoc(target));
  }

}

// --- helpers over ESTree nodes -------------------------------------------------------------------

/** `export …` / `export default …` statements hold their declaration; other statements are their own. */
function declarationOf(statement: N): N {
  if ((statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') && statement.declaration) return statement.declaration;
  return statement;
}

/** Where TypeScript ends a binding: before its type annotation (oxc's identifier and pattern ranges include it). */
function bindingEnd(node: N): number {
  const annotation = node.typeAnnotation as N | null | undefined;
  if (annotation && (node.type === 'Identifier' || node.type === 'ObjectPattern' || node.type === 'ArrayPattern')) {
    return node.type === 'Identifier' ? node.start + (node.name as string).length + (node.optional ? 1 : 0) : annotation.start;
  }
  return node.end;
}

/** An identifier's or string literal's name (import and export names may be strings). */
function nameOf(node: N): string {
  return node.type === 'Identifier' ? node.name : String(node.value);
}

function memberName(property: N): string {
  return property.type === 'PrivateIdentifier' ? `#${property.name}` : property.name;
}

/** The text of a string literal or of a template literal without substitutions; undefined for anything else. */
function stringValue(node: N): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined;
  return undefined;
}

function unwrap(node: N): N {
  let n = node;
  while (n.type === 'ParenthesizedExpression' || n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion' || n.type === 'TSNonNullExpression' || n.type === 'ChainExpression') {
    n = n.expression;
  }
  return n;
}

function isFunctionExpression(node: N): boolean {
  const n = unwrap(node);
  return n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression';
}

function isRequireCall(node: N): boolean {
  return node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require';
}

function calleeName(expr: N): string | undefined {
  if (expr.type === 'Identifier') return expr.name;
  if (expr.type === 'MemberExpression' && !expr.computed && expr.object.type === 'Identifier') return `${expr.object.name}.${memberName(expr.property)}`;
  return undefined;
}

function describeInit(init: N | undefined): DeclFact['init'] {
  if (!init) return { kind: 'other' };
  if (init.type === 'NewExpression') return { kind: 'new', target: calleeName(init.callee) };
  if (init.type === 'CallExpression') {
    const name = calleeName(init.callee);
    if (name === 'Object.freeze') return { kind: 'literal' };
    return { kind: 'call', target: name };
  }
  // `import(…)` is a call in TypeScript's AST, with no callee name.
  if (init.type === 'ImportExpression') return { kind: 'call', target: undefined };
  if (init.type === 'Identifier') return { kind: 'alias', target: init.name };
  if (init.type === 'ObjectExpression') return { kind: 'object' };
  if (init.type === 'ArrayExpression') return { kind: 'array' };
  if (isFunctionExpression(init)) return { kind: 'function' };
  if ((init.type === 'Literal' && init.value !== null) || (init.type === 'Literal' && init.regex) || (init.type === 'TemplateLiteral' && init.expressions.length === 0)) return { kind: 'literal' };
  return { kind: 'other' };
}

function entityRoot(name: N): string {
  let n = name;
  while (n.type === 'TSQualifiedName') n = n.left;
  return n.name;
}

/** `extends`/`implements` names: `X`, or `ns.X` for a qualified one; nothing for calls and the like. */
function heritageName(e: N): string[] {
  if (e.type === 'Identifier') return [e.name];
  if (e.type === 'MemberExpression' && !e.computed) return [e.object.type === 'Identifier' ? `${e.object.name}.${memberName(e.property)}` : memberName(e.property)];
  if (e.type === 'TSQualifiedName') return [e.left.type === 'Identifier' ? `${e.left.name}.${e.right.name}` : e.right.name];
  return [];
}

function propertyNameText(key: N, computed: boolean): string | undefined {
  if (computed) return undefined;
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return undefined;
}

/** What a function returns, as returns-of.ts reads it from TypeScript's AST (issue 18). */
function returnsOf(fn: N): DeclFact['returns'] {
  const body = fn.body as N | null | undefined;
  if (!body) return undefined;
  let expr: N | undefined;
  if (body.type !== 'BlockStatement') expr = body;
  else {
    const last = (body.body as N[])[body.body.length - 1];
    if (last?.type === 'ReturnStatement' && last.argument) expr = last.argument;
  }
  if (!expr) return undefined;
  const e = unwrap(expr);
  if (e.type === 'ObjectExpression') {
    const methods = objectMethods(e);
    return methods.length ? { kind: 'object', methods } : undefined;
  }
  if (e.type === 'NewExpression') {
    const target = calleeName(e.callee);
    return target ? { kind: 'new', target } : undefined;
  }
  if (isFunctionExpression(e)) return { kind: 'function' };
  return undefined;
}

function objectMethods(obj: N): string[] {
  const names: string[] = [];
  for (const p of obj.properties as N[]) {
    if (p.type !== 'Property') continue;
    const isFn = (p.method && p.kind === 'init') || (!p.method && p.kind === 'init' && !p.shorthand && isFunctionExpression(p.value));
    const name = propertyNameText(p.key, p.computed);
    if (isFn && name !== undefined) names.push(name);
  }
  return names;
}

function isReadonlyType(type: N | undefined): boolean {
  if (!type) return false;
  if (type.type === 'TSTypeReference') return type.typeName.type === 'Identifier' && (type.typeName.name as string).startsWith('Readonly');
  return type.type === 'TSTypeOperator' && type.operator === 'readonly';
}

function isAsConst(init: N): boolean {
  return init.type === 'TSAsExpression' && init.typeAnnotation.type === 'TSTypeReference' && init.typeAnnotation.typeName.type === 'Identifier' && init.typeAnnotation.typeName.name === 'const';
}

function typeMentions(type: N | undefined, name: string): boolean {
  if (!type) return false;
  if (type.type === 'TSTypeReference') return type.typeName.type === 'Identifier' && type.typeName.name === name;
  if (type.type === 'TSUnionType') return (type.types as N[]).some((t) => typeMentions(t, name));
  return false;
}

function isNewOf(init: N | undefined | null, name: string): boolean {
  return !!init && init.type === 'NewExpression' && init.callee.type === 'Identifier' && init.callee.name === name;
}

/** The parameter names of a function: plain, defaulted, rest and parameter properties. */
function paramName(p: N): string {
  const inner = p.type === 'TSParameterProperty' ? p.parameter : p;
  const id = inner.type === 'AssignmentPattern' ? inner.left : inner.type === 'RestElement' ? inner.argument : inner;
  return id.type === 'Identifier' ? id.name : '';
}

const FUNCTION_LIKE = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'TSDeclareFunction', 'TSEmptyBodyFunctionExpression']);

/** `this.field = param` in a method's body (not in nested functions): the method swaps a collaborator. */
function collaboratorSwap(fn: N, keys: Record<string, readonly string[]>): string | undefined {
  const params = new Set((fn.params as N[]).map(paramName));
  // Depth first in source order, with a stack instead of recursion: a method body can nest as deep as the parser allowed.
  const pending: N[] = [];
  const kids: N[] = [];
  const pushAll = (nodes: N[]): void => {
    for (let k = nodes.length - 1; k >= 0; k--) pending.push(nodes[k]!);
  };
  pushAll(fn.body.body as N[]);
  while (pending.length) {
    const node = pending.pop()!;
    if (node.type === 'AssignmentExpression' && node.operator === '=') {
      const left = node.left as N;
      const right = unwrap(node.right);
      if (left.type === 'MemberExpression' && !left.computed && left.object.type === 'ThisExpression' && right.type === 'Identifier' && params.has(right.name)) return memberName(left.property);
    }
    if (FUNCTION_LIKE.has(node.type)) continue;
    for (const key of keys[node.type] ?? []) {
      const child = node[key] as N | (N | null)[] | null | undefined;
      if (!child) continue;
      if (Array.isArray(child)) for (const c of child) c && kids.push(c);
      else if (typeof child.type === 'string') kids.push(child);
    }
    pushAll(kids);
    kids.length = 0;
  }
  return undefined;
}

/** `const { a, b: c } = require('m')` gives named bindings; `const m = require('m')` a namespace. */
function requireNames(parent: N): ImportedName[] {
  if (parent.type === 'VariableDeclarator') {
    if (parent.id.type === 'Identifier') return [{ imported: '*', local: parent.id.name, typeOnly: false }];
    if (parent.id.type === 'ObjectPattern') {
      return (parent.id.properties as N[]).flatMap((p) => {
        // `...rest` binds the rest under its own name, as TypeScript's binding element does.
        if (p.type === 'RestElement') return p.argument.type === 'Identifier' ? [{ imported: p.argument.name as string, local: p.argument.name as string, typeOnly: false }] : [];
        if (p.type !== 'Property') return [];
        const value = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
        const imported = !p.computed && p.key.type === 'Identifier' ? (p.key.name as string) : value.type === 'Identifier' ? (value.name as string) : undefined;
        return imported && value.type === 'Identifier' ? [{ imported, local: value.name as string, typeOnly: false }] : [];
      });
    }
  }
  return [{ imported: '*', local: '*', typeOnly: false }];
}
