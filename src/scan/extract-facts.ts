import type * as TS from 'typescript-6';
import { ts } from './compiler.js';
import {
  KIND_FLAGS,
  SCOPE,
  UNIT,
  TYPE_CONTEXT,
  calleeName,
  collaboratorSwap,
  describeInit,
  entityRoot,
  hasModifier,
  heritageNames,
  isAsConst,
  isFunctionExpression,
  isNewOf,
  isReadonlyType,
  isRequireCall,
  objectMethods,
  propertyNameText,
  requireNames,
  typeMentions,
  unescapeName,
  unwrap,
} from './syntax-helpers.js';

// TypeScript's bundle exports through getters: every `ts.x` is a call. The hot loop reads them once here.
const {
  SyntaxKind: SK,
  JSDocParsingMode,
  NodeFlags,
  ScriptKind,
  ScriptTarget,
  createSourceFile,
  flattenDiagnosticMessageText,
  forEachChild,
  isClassDeclaration,
  isClassExpression,
  isElementAccessExpression,
  isEnumDeclaration,
  isExportAssignment,
  isExportDeclaration,
  isExternalModuleReference,
  isFunctionDeclaration,
  isGetAccessorDeclaration,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isInterfaceDeclaration,
  isLiteralTypeNode,
  isMethodDeclaration,
  isNamedExports,
  isNamespaceExport,
  isNamespaceImport,
  isNoSubstitutionTemplateLiteral,
  isObjectLiteralExpression,
  isOmittedExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isPropertyDeclaration,
  isSetAccessorDeclaration,
  isStringLiteral,
  isTypeAliasDeclaration,
  isVariableStatement,
} = ts;
import type { DeclFact, FileFacts, ImportedName, Loc, RefKind, UnitFact } from '../types.js';
import { FactsCollector, MUTATING_METHODS, addClassMembers, isStackOverflow, lineStarts, type ClassMember } from './facts-common.js';
import { HANDLER_CLASS_DECORATORS, HANDLER_METHOD_DECORATORS, ROUTE_EXPORTS, decoratorNames, isDiSingleton, isRouteRegistration, typeName, unitCallee, writeTarget } from './request-syntax.js';
import { describeDeclText } from './decl-sketch.js';
import { deepNestingFacts } from './nesting-depth.js';
import { returnsOf } from './returns-of.js';
import { SFC_FILE, sfcModule } from './sfc-blocks.js';

export { lineStarts };


/**
 * Parse one file with TypeScript's parser and extract its facts. The text must have no BOM. A file
 * nested deeper than the parser's recursion can go (it throws a RangeError) gets a parse error.
 */
export function extractFacts(fileName: string, text: string): FileFacts {
  if (SFC_FILE.test(fileName)) ({ name: fileName, text } = sfcModule(fileName, text));
  try {
    return parseAndExtract(fileName, text);
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return deepNestingFacts(fileName, text);
  }
}

function parseAndExtract(fileName: string, text: string): FileFacts {
  const kind = scriptKind(fileName);
  // JSDoc matters only for its `import()` types: without `import(` in the text, the parser skips
  // JSDoc comments (they never produce parse errors, and positions do not depend on them).
  const mayHaveImportTypes = text.includes('import(');
  const sf = createSourceFile(fileName, text, { languageVersion: ScriptTarget.Latest, jsDocParsingMode: mayHaveImportTypes ? JSDocParsingMode.ParseAll : JSDocParsingMode.ParseNone }, false, kind);
  return new FactsExtractor(sf, mayHaveImportTypes).run();
}

/** `Promise<void>`: what a promise-chain mutex is declared as. */
function isVoidPromise(type: TS.TypeNode | undefined): boolean {
  if (!type || type.kind !== SK.TypeReference) return false;
  const ref = type as TS.TypeReferenceNode;
  return isIdentifier(ref.typeName) && ref.typeName.text === 'Promise' && ref.typeArguments?.length === 1 && ref.typeArguments[0]!.kind === SK.VoidKeyword;
}

/** Declared types whose mutating methods (`set`, `push`, `delete`…) write the value itself. */
const COLLECTION_TYPES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'ReadonlyArray', 'Record', 'Partial', 'LRUCache', 'LRU']);

/** `if (x) return …;`, also inside `if (production) { … }`: the target `x` a later assignment fills once. */
function guardOf(statement: TS.Statement, depth = 0): string | undefined {
  if (statement.kind !== SK.IfStatement || (statement as TS.IfStatement).elseStatement || depth > 2) return undefined;
  let then = (statement as TS.IfStatement).thenStatement;
  if (then.kind === SK.Block && (then as TS.Block).statements.length === 1) then = (then as TS.Block).statements[0]!;
  if (then.kind === SK.ReturnStatement) return writeTarget((statement as TS.IfStatement).expression);
  return guardOf(then, depth + 1);
}

/** As tsc reads the file: JavaScript (JSX allowed in `.js`, as in an allowJs project) or TypeScript. */
function scriptKind(fileName: string): TS.ScriptKind {
  if (/\.[cm]?js$/.test(fileName)) return ScriptKind.JS;
  if (fileName.endsWith('.jsx')) return ScriptKind.JSX;
  return fileName.endsWith('.tsx') ? ScriptKind.TSX : ScriptKind.TS;
}

class FactsExtractor extends FactsCollector {
  private parent: TS.Node;
  /** Only files whose text contains `import(` can have import() types (in code or JSDoc). */
  private readonly mayHaveImportTypes: boolean;

  constructor(private readonly sf: TS.SourceFile, mayHaveImportTypes: boolean) {
    super(sf.text);
    this.parent = sf;
    this.mayHaveImportTypes = mayHaveImportTypes;
  }

  run(): FileFacts {
    const diagnostics = (this.sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics;
    const first = diagnostics?.[0];
    if (first) {
      const loc = this.loc(first.start, first.start + Math.max(first.length, 1));
      return { ...this.facts, parseError: { message: flattenDiagnosticMessageText(first.messageText, ' '), loc } };
    }
    for (const statement of this.sf.statements) {
      this.collectTopLevelNames(statement);
      if (isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && isNamedExports(statement.exportClause)) {
        for (const el of statement.exportClause.elements) this.exportedNames.add((el.propertyName ?? el.name).text);
      }
    }
    for (const statement of this.sf.statements) this.topLevelStatement(statement);
    for (const statement of this.sf.statements) this.statementUnits(statement);
    this.walk();
    return this.finish();
  }

  // --- positions -------------------------------------------------------------------------------

  private nodeLoc(node: TS.Node): Loc {
    return this.loc(node.getStart(this.sf), node.end);
  }

  // --- top level -------------------------------------------------------------------------------

  private collectTopLevelNames(statement: TS.Statement): void {
    if (isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) this.topLevel.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && isNamespaceImport(bindings)) this.topLevel.add(bindings.name.text);
      else if (bindings) for (const el of bindings.elements) this.topLevel.add(el.name.text);
    } else if (isImportEqualsDeclaration(statement)) {
      this.topLevel.add(statement.name.text);
    } else if ((isClassDeclaration(statement) || isFunctionDeclaration(statement)) && statement.name) {
      this.topLevel.add(statement.name.text);
    } else if (isVariableStatement(statement)) {
      // Only variables that can denote something resolvable: aliases, factories, classes, functions, require().
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer && unwrap(d.initializer);
        if (!init || !(isIdentifier(init) || isObjectLiteralExpression(init) || isFunctionExpression(init) || isClassExpression(init) || isRequireCall(init))) continue;
        this.addBindingNames(d.name, this.topLevel);
      }
    }
  }

  private addBindingNames(name: TS.BindingName, into: Set<string>): void {
    if (isIdentifier(name)) into.add(name.text);
    else for (const el of name.elements) if (!isOmittedExpression(el)) this.addBindingNames(el.name, into);
  }

  private topLevelStatement(statement: TS.Statement): void {
    if (isImportDeclaration(statement)) this.importDeclaration(statement);
    else if (isExportDeclaration(statement)) this.exportDeclaration(statement);
    else if (isImportEqualsDeclaration(statement)) this.importEquals(statement);
    else if (isExportAssignment(statement)) this.exportAssignment(statement);
    else if (isClassDeclaration(statement)) this.classDeclaration(statement);
    else if (isFunctionDeclaration(statement)) this.functionDeclaration(statement);
    else if (isVariableStatement(statement)) this.variableStatement(statement);
    else if (isInterfaceDeclaration(statement)) this.simpleDecl(statement, 'interface');
    else if (isTypeAliasDeclaration(statement)) this.simpleDecl(statement, 'type');
    else if (isEnumDeclaration(statement)) this.simpleDecl(statement, 'enum');
  }

  private addRef(specifier: TS.Expression, kind: RefKind, typeOnly: boolean, names: ImportedName[] = []): number {
    return this.pushRef((specifier as TS.StringLiteral).text, this.nodeLoc(specifier), kind, typeOnly, names);
  }

  private importDeclaration(node: TS.ImportDeclaration): void {
    if (!isStringLiteral(node.moduleSpecifier)) return;
    const clause = node.importClause;
    if (!clause) {
      this.addRef(node.moduleSpecifier, 'side-effect', false);
      return;
    }
    const clauseTypeOnly = clause.isTypeOnly;
    const names: ImportedName[] = [];
    if (clause.name) names.push({ imported: 'default', local: clause.name.text, typeOnly: clauseTypeOnly });
    const bindings = clause.namedBindings;
    if (bindings && isNamespaceImport(bindings)) {
      names.push({ imported: '*', local: bindings.name.text, typeOnly: clauseTypeOnly });
    } else if (bindings) {
      for (const el of bindings.elements) {
        names.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text, typeOnly: clauseTypeOnly || el.isTypeOnly });
      }
    }
    const typeOnly = clauseTypeOnly || (names.length > 0 && names.every((n) => n.typeOnly));
    for (const n of names) if (!n.typeOnly) this.importedValues.set(n.local.startsWith('__') ? `_${n.local}` : n.local, n.local);
    this.addRef(node.moduleSpecifier, 'import', typeOnly, names);
  }

  private exportDeclaration(node: TS.ExportDeclaration): void {
    const clause = node.exportClause;
    if (node.moduleSpecifier && isStringLiteral(node.moduleSpecifier)) {
      if (!clause) {
        const ref = this.addRef(node.moduleSpecifier, 'export-star', node.isTypeOnly);
        this.facts.starExports.push(ref);
      } else if (isNamespaceExport(clause)) {
        const name = clause.name.text;
        const ref = this.addRef(node.moduleSpecifier, 'export-star-as', node.isTypeOnly, [{ imported: '*', local: name, typeOnly: node.isTypeOnly }]);
        this.facts.exports.push({ name, ref, imported: '*', typeOnly: node.isTypeOnly, loc: this.nodeLoc(clause.name) });
      } else {
        const names = clause.elements.map((el) => ({
          imported: (el.propertyName ?? el.name).text,
          local: el.name.text,
          typeOnly: node.isTypeOnly || el.isTypeOnly,
        }));
        const typeOnly = node.isTypeOnly || (names.length > 0 && names.every((n) => n.typeOnly));
        const ref = this.addRef(node.moduleSpecifier, 'export-from', typeOnly, names);
        clause.elements.forEach((el, i) => {
          const n = names[i]!;
          this.facts.exports.push({ name: n.local, ref, imported: n.imported, typeOnly: n.typeOnly, loc: this.nodeLoc(el) });
        });
      }
      return;
    }
    if (clause && isNamedExports(clause)) {
      for (const el of clause.elements) {
        this.facts.exports.push({
          name: el.name.text,
          local: (el.propertyName ?? el.name).text,
          typeOnly: node.isTypeOnly || el.isTypeOnly,
          loc: this.nodeLoc(el),
        });
      }
    }
  }

  private importEquals(node: TS.ImportEqualsDeclaration): void {
    const ref = node.moduleReference;
    if (isExternalModuleReference(ref) && isStringLiteral(ref.expression)) {
      this.addRef(ref.expression, 'import-equals', node.isTypeOnly, [{ imported: '*', local: node.name.text, typeOnly: node.isTypeOnly }]);
    }
    if (hasModifier(node, SK.ExportKeyword)) {
      this.facts.exports.push({ name: node.name.text, local: node.name.text, typeOnly: node.isTypeOnly, loc: this.nodeLoc(node.name) });
    }
  }

  private exportAssignment(node: TS.ExportAssignment): void {
    const name = node.isExportEquals ? '=' : 'default';
    const local = isIdentifier(node.expression) ? node.expression.text : undefined;
    this.facts.exports.push({ name, local, typeOnly: false, loc: this.nodeLoc(node.expression) });
    if (!local && isClassExpression(node.expression)) {
      this.classLike(node.expression, node.expression.name?.text ?? 'default', false);
      this.facts.exports[this.facts.exports.length - 1]!.local = node.expression.name?.text ?? 'default';
    }
  }

  private exportsOf(node: TS.Node, name: string | undefined, nameNode: TS.Node | undefined): boolean {
    if (!hasModifier(node, SK.ExportKeyword)) return false;
    const isDefault = hasModifier(node, SK.DefaultKeyword);
    const exportName = isDefault ? 'default' : name;
    if (exportName) this.facts.exports.push({ name: exportName, local: name ?? 'default', typeOnly: false, loc: this.nodeLoc(nameNode ?? node) });
    return true;
  }

  private simpleDecl(node: TS.InterfaceDeclaration | TS.TypeAliasDeclaration | TS.EnumDeclaration, kind: DeclFact['kind']): void {
    const exported = this.exportsOf(node, node.name.text, node.name);
    // A type nobody can import matters to no rule unless the file exports it by name later (`export { T }`).
    if (!exported && !this.exportedNames.has(node.name.text)) return;
    const decl: DeclFact = { name: node.name.text, kind, exported, loc: this.nodeLoc(node.name) };
    if (isInterfaceDeclaration(node) && node.heritageClauses) decl.extends = heritageNames(node.heritageClauses, SK.ExtendsKeyword);
    this.facts.decls.push(decl);
  }

  private functionDeclaration(node: TS.FunctionDeclaration): void {
    const name = node.name?.text ?? 'default';
    const exported = this.exportsOf(node, node.name?.text, node.name);
    const decl: DeclFact = { name, kind: 'function', exported, loc: this.nodeLoc(node.name ?? node) };
    const returns = returnsOf(node);
    if (returns) decl.returns = returns;
    if (node.name) describeDeclText(decl, this.sf.text, node.name.getStart(this.sf), node.end, (a, b) => this.loc(a, b));
    this.facts.decls.push(decl);
  }

  private classDeclaration(node: TS.ClassDeclaration): void {
    const exported = this.exportsOf(node, node.name?.text, node.name);
    this.classLike(node, node.name?.text ?? 'default', exported);
  }

  private classLike(node: TS.ClassLikeDeclaration, name: string, exported: boolean): void {
    const decl: DeclFact = { name, kind: 'class', exported, loc: this.nodeLoc(node.name ?? node) };
    if (node.heritageClauses) {
      const ext = heritageNames(node.heritageClauses, SK.ExtendsKeyword);
      const impl = heritageNames(node.heritageClauses, SK.ImplementsKeyword);
      if (ext.length) decl.extends = ext;
      if (impl.length) decl.implements = impl;
    }
    const members: ClassMember[] = [];
    for (const member of node.members) {
      const memberName = member.name && propertyNameText(member.name);
      const kind = isMethodDeclaration(member) ? 'method' : isGetAccessorDeclaration(member) ? 'get' : isSetAccessorDeclaration(member) ? 'set' : isPropertyDeclaration(member) ? 'field' : undefined;
      if (!memberName || !kind) continue;
      const body = (member as TS.MethodDeclaration | TS.SetAccessorDeclaration).body;
      members.push({
        name: memberName,
        kind,
        isStatic: hasModifier(member, SK.StaticKeyword),
        isPublic: !hasModifier(member, SK.PrivateKeyword) && !hasModifier(member, SK.ProtectedKeyword) && !memberName.startsWith('#'),
        isMethod: kind === 'method' || (isPropertyDeclaration(member) && !!member.initializer && isFunctionExpression(member.initializer)),
        readonly: hasModifier(member, SK.ReadonlyKeyword),
        nameLoc: () => this.nodeLoc(member.name!),
        selfTyped: () => isPropertyDeclaration(member) && (typeMentions(member.type, name) || isNewOf(member.initializer, name)),
        ordersOnly: () => isPropertyDeclaration(member) && isVoidPromise(member.type),
        swap: () => (body ? collaboratorSwap(member as TS.MethodDeclaration | TS.SetAccessorDeclaration) : undefined),
      });
    }
    addClassMembers(decl, members);
    if (hasModifier(node, SK.AbstractKeyword)) decl.abstract = true;
    if (node.name) describeDeclText(decl, this.sf.text, node.name.getStart(this.sf), node.end, (a, b) => this.loc(a, b));
    this.facts.decls.push(decl);
  }

  private variableStatement(node: TS.VariableStatement): void {
    const exported = hasModifier(node, SK.ExportKeyword);
    const mutable = (node.declarationList.flags & (NodeFlags.Let | NodeFlags.Const | NodeFlags.Using)) === 0 || (node.declarationList.flags & NodeFlags.Let) !== 0;
    for (const d of node.declarationList.declarations) {
      if (!isIdentifier(d.name)) {
        const names = new Set<string>();
        this.addBindingNames(d.name, names);
        for (const name of names) {
          this.facts.decls.push({ name, kind: 'variable', exported, loc: this.nodeLoc(d.name), mutable, init: { kind: 'other' } });
          if (exported) this.facts.exports.push({ name, local: name, typeOnly: false, loc: this.nodeLoc(d.name) });
        }
        continue;
      }
      const name = d.name.text;
      if (exported) this.facts.exports.push({ name, local: name, typeOnly: false, loc: this.nodeLoc(d.name) });
      const init = d.initializer ? unwrap(d.initializer) : undefined;
      const decl: DeclFact = { name, kind: 'variable', exported, mutable, loc: this.nodeLoc(d.name), init: describeInit(init) };
      // `ReadonlyMap`, `ReadonlySet`, `readonly T[]`, `as const`: declared immutable.
      if (isReadonlyType(d.type) || (d.initializer && isAsConst(d.initializer))) decl.init = { kind: 'literal' };
      if (init && isFunctionExpression(init)) {
        decl.kind = 'function';
        const returns = returnsOf(init as TS.ArrowFunction);
        if (returns) decl.returns = returns;
      } else if (init && isObjectLiteralExpression(init)) {
        const methods = objectMethods(init);
        if (methods.length > 0 && methods.length * 2 >= init.properties.length) {
          decl.kind = 'object-factory';
          decl.methods = methods;
        }
      } else if (init && isClassExpression(init)) {
        this.classLike(init, name, exported);
        continue;
      }
      // Exported constants too: copies of a codec, a table or a wrapped hook are copies (issue 18).
      if (decl.kind !== 'variable' || (init && (exported || this.exportedNames.has(name)))) describeDeclText(decl, this.sf.text, d.name.getStart(this.sf), d.end, (a, b) => this.loc(a, b));
      this.facts.decls.push(decl);
    }
  }

  // --- deep walk -------------------------------------------------------------------------------

  /** Nodes still to visit, and after a node's children the parent, scope and type depth to restore (see `walk`). */
  private readonly stack: (TS.Node | number)[] = [];
  /** One node's children, in order, before they go onto the stack in reverse. */
  private readonly kids: TS.Node[] = [];
  private readonly collect = (node: TS.Node): void => {
    this.kids.push(node);
  };

  /**
   * The hot loop: one step per AST node, with an explicit stack instead of recursion, so that no
   * nesting the parser accepted (a 50,000-term `a + b + …` is one left-deep chain) can overflow the
   * thread's stack. It keeps no closure per node, decides by kind tables, and skips type subtrees
   * entirely unless the file can contain `import()` types.
   */
  private walk(): void {
    const stack = this.stack;
    this.parent = this.sf;
    this.pushChildren(this.sf);
    while (stack.length) {
      const top = stack.pop()!;
      if (typeof top === 'number') {
        // A node's children are done: restore what entering it changed.
        if (top & SCOPE) this.depth--;
        if (top & TYPE_CONTEXT) this.typeDepth--;
        if (top & UNIT) this.unitStack.pop();
        this.parent = stack.pop() as TS.Node;
      } else this.visit(top);
    }
  }

  private pushChildren(node: TS.Node): void {
    const kids = this.kids;
    forEachChild(node, this.collect);
    for (let k = kids.length - 1; k >= 0; k--) this.stack.push(kids[k]!);
    kids.length = 0;
  }

  private visit(node: TS.Node): void {
    const kind = node.kind;
    if (kind === SK.Identifier) {
      if (this.typeDepth === 0 && this.importedValues.size) {
        // escapedText is a plain field; `.text` is a getter that unescapes (names starting with `__`).
        const text = (node as TS.Identifier).escapedText as string;
        const parent = this.parent;
        if (this.importedValues.has(text) && !(parent.kind === SK.PropertyAccessExpression && (parent as TS.PropertyAccessExpression).name === node)) this.valueUsed.add(text);
      }
      return;
    }
    if (kind === SK.ImportDeclaration) return; // its bindings are declarations, not uses
    const flags = KIND_FLAGS[kind]!;
    const typeContext = (flags & TYPE_CONTEXT) !== 0 || (kind === SK.HeritageClause && (node as TS.HeritageClause).token === SK.ImplementsKeyword);
    // Identifiers in types never count as value uses, so a type subtree matters only for import() types.
    if (typeContext && !this.mayHaveImportTypes) return;
    if (this.mayHaveImportTypes) {
      const jsDoc = (node as { jsDoc?: TS.JSDoc[] }).jsDoc;
      if (jsDoc) for (const doc of jsDoc) this.visitJsDoc(doc);
    }
    switch (kind) {
      case SK.CallExpression:
        this.callExpression(node as TS.CallExpression, this.parent);
        break;
      case SK.NewExpression:
        this.newExpression(node as TS.NewExpression);
        break;
      case SK.ImportType:
        this.importType(node as TS.ImportTypeNode, 'typeof-import');
        break;
      case SK.BinaryExpression:
        this.binaryExpression(node as TS.BinaryExpression);
        break;
      case SK.IfStatement:
        this.lazyInit(node as TS.IfStatement);
        break;
      case SK.Block:
        this.guardedWrites((node as TS.Block).statements);
        break;
      case SK.PrefixUnaryExpression: {
        // `++x` and `--x` write; `!x`, `-x`, `+x` and `~x` only read.
        const op = (node as TS.PrefixUnaryExpression).operator;
        if (op === SK.PlusPlusToken || op === SK.MinusMinusToken) this.markWrite((node as TS.PrefixUnaryExpression).operand);
        break;
      }
      case SK.PostfixUnaryExpression:
        this.markWrite((node as TS.PostfixUnaryExpression).operand);
        break;
      case SK.DeleteExpression:
        this.markWrite((node as TS.DeleteExpression).expression);
        break;
    }
    let restore = (flags & SCOPE) | (typeContext ? TYPE_CONTEXT : 0);
    if (restore & SCOPE) {
      this.depth++;
      const unit = this.unitOf.get(node);
      if (unit) {
        this.unitStack.push(unit);
        restore |= UNIT;
      }
    }
    if (typeContext) this.typeDepth++;
    this.stack.push(this.parent, restore);
    this.parent = node;
    this.pushChildren(node);
  }

  /** import() types in a JSDoc comment, depth first, with a stack of its own. */
  private visitJsDoc(doc: TS.Node): void {
    const pending: TS.Node[] = [doc];
    const kids: TS.Node[] = [];
    const collect = (child: TS.Node): void => {
      kids.push(child);
    };
    while (pending.length) {
      const node = pending.pop()!;
      if (node.kind === SK.ImportType) this.importType(node as TS.ImportTypeNode, 'jsdoc-import');
      forEachChild(node, collect);
      for (let k = kids.length - 1; k >= 0; k--) pending.push(kids[k]!);
      kids.length = 0;
    }
  }

  private importType(node: TS.ImportTypeNode, kind: RefKind): void {
    const arg = node.argument;
    if (isLiteralTypeNode(arg) && isStringLiteral(arg.literal)) {
      const qualifier = node.qualifier ? entityRoot(node.qualifier) : '*';
      this.addRef(arg.literal, kind, true, [{ imported: qualifier, local: qualifier, typeOnly: true }]);
    }
  }

  private callExpression(node: TS.CallExpression, parent: TS.Node): void {
    const callee = node.expression;
    const arg = node.arguments[0];
    const literalArg = arg && (isStringLiteral(arg) || isNoSubstitutionTemplateLiteral(arg)) ? arg : undefined;
    if (callee.kind === SK.ImportKeyword) {
      if (literalArg) this.addRef(literalArg, 'dynamic-import', false, [{ imported: '*', local: '*', typeOnly: false }]);
      return;
    }
    // Decide on the root identifier first: most calls are neither module references nor top-level bindings.
    const isAccess = callee.kind === SK.PropertyAccessExpression;
    const rootNode = isAccess ? (callee as TS.PropertyAccessExpression).expression : callee;
    if (isAccess && MUTATING_METHODS.has(((callee as TS.PropertyAccessExpression).name.escapedText as string))) this.markWrite(rootNode, true);
    const unit = this.unitStack[this.unitStack.length - 1];
    if (unit) {
      const text = unitCallee(callee);
      if (text && (text.startsWith('this.') || this.topLevel.has(text.split('.')[0]!) || this.unitNames.has(text.split('.')[0]!)) && !unit.calls.includes(text)) unit.calls.push(text);
    }
    if (isAccess && isRouteRegistration(callee as TS.PropertyAccessExpression, node.arguments)) this.routeUnits(node);
    if (rootNode.kind !== SK.Identifier) return;
    const root = unescapeName((rootNode as TS.Identifier).escapedText as string);
    const special = root === 'require' || root === 'vi' || root === 'jest';
    if (!special && !this.topLevel.has(root)) return;
    const name = isAccess ? `${root}.${unescapeName((callee as TS.PropertyAccessExpression).name.escapedText as string)}` : root;
    this.recordCall(root, name, literalArg && (() => [(literalArg as TS.StringLiteral).text, this.nodeLoc(literalArg)]), () => requireNames(parent), () => this.nodeLoc(node.expression));
  }

  private newExpression(node: TS.NewExpression): void {
    const name = calleeName(node.expression);
    // Only constructions of the file's own or imported bindings can be resolved: `new Date` is not recorded.
    if (!name || !this.topLevel.has(name.split('.')[0]!)) return;
    this.facts.uses.push({ kind: 'new', callee: name, moduleLevel: this.depth === 0, loc: this.nodeLoc(node) });
  }

  /**
   * `if (!x) x = …`, `if (x == null) { …; x = …; }`, `if (!this.f) this.f = …`, once-flags (`if (!done) { …;
   * done = true; }`): an assignment to the tested target among the block's statements initialises it once, the
   * same for every caller (see `lazyWrites`; issue 18: outline's `GitHub.appOctokit`, `initialized`).
   */
  private lazyInit(node: TS.IfStatement): void {
    if (node.elseStatement) return;
    let test: TS.Expression = node.expression;
    if (test.kind === SK.PrefixUnaryExpression && (test as TS.PrefixUnaryExpression).operator === SK.ExclamationToken) test = (test as TS.PrefixUnaryExpression).operand;
    else if (test.kind === SK.BinaryExpression && [SK.EqualsEqualsToken, SK.EqualsEqualsEqualsToken].includes((test as TS.BinaryExpression).operatorToken.kind)) {
      const right = (test as TS.BinaryExpression).right;
      if (right.kind === SK.NullKeyword || (isIdentifier(right) && right.text === 'undefined')) test = (test as TS.BinaryExpression).left;
      else return;
    } else return;
    const target = writeTarget(test);
    if (!target) return;
    const then = node.thenStatement;
    for (const statement of then.kind === SK.Block ? (then as TS.Block).statements : [then]) this.markLazy(statement, target);
  }

  /** `if (x) return x;` then `x = …` or `return (x = …)` later in the same block: a cache filled once (outline's `indexHtmlCache`). */
  private guardedWrites(statements: TS.NodeArray<TS.Statement>): void {
    let guarded: string | undefined;
    for (const statement of statements) {
      if (guarded) this.markLazy(statement, guarded);
      else guarded = guardOf(statement);
    }
  }

  /** Every assignment to `target` in the statement, outside nested functions: lazy writes (a loop that picks the value included). */
  private markLazy(statement: TS.Statement, target: string): void {
    const pending: TS.Node[] = [statement];
    while (pending.length) {
      const node = pending.pop()!;
      if (node.kind === SK.BinaryExpression && (node as TS.BinaryExpression).operatorToken.kind === SK.EqualsToken && writeTarget((node as TS.BinaryExpression).left) === target) this.lazyWrites.add(node);
      forEachChild(node, (child) => {
        if (!(KIND_FLAGS[child.kind]! & SCOPE)) pending.push(child);
      });
    }
  }

  private binaryExpression(node: TS.BinaryExpression): void {
    const op = node.operatorToken.kind;
    // `x ?? (x = …)` and `x || (x = …)`: the assignment initialises x once.
    if (op === SK.QuestionQuestionToken || op === SK.BarBarToken) {
      let right = node.right;
      while (right.kind === SK.ParenthesizedExpression) right = (right as TS.ParenthesizedExpression).expression;
      const target = writeTarget(node.left);
      if (target && right.kind === SK.BinaryExpression && (right as TS.BinaryExpression).operatorToken.kind === SK.EqualsToken && writeTarget((right as TS.BinaryExpression).left) === target) this.lazyWrites.add(right);
      return;
    }
    // `x ??= …`, `x ||= …` and a guarded `x = …` initialise x once: not a write after initialisation.
    if (op === SK.QuestionQuestionEqualsToken || op === SK.BarBarEqualsToken || this.lazyWrites.has(node)) return;
    // `x = null` / `x = undefined` only resets: nothing of one caller reaches another through it.
    if (op === SK.EqualsToken && (node.right.kind === SK.NullKeyword || (isIdentifier(node.right) && node.right.text === 'undefined'))) return;
    if (op >= SK.FirstAssignment && op <= SK.LastAssignment) this.markWrite(node.left);
  }

  // --- units: functions that may run per request (issue 18) ---------------------------------------

  /** Function-like nodes that start a unit, the units the walk is in, and the names of the file's units. */
  private readonly unitOf = new Map<TS.Node, UnitFact>();
  private readonly unitStack: UnitFact[] = [];
  private readonly unitNames = new Set<string>();
  /** Route units so far: they are named by their order in the file (`@route3`), so that moving lines keeps the names. */
  private routeCount = 0;

  /** Declared field types by class, for `this.f.set()`: a collection's write, or a call of a typed collaborator. */
  private readonly fieldTypesOf = new Map<string, Map<string, string>>();

  /** `this.f` of the current unit's class is declared with a type that is no collection (`RedisService`, `PrismaClient`). */
  private collaborator(field: string): boolean {
    const unit = this.currentUnit();
    const type = unit && this.fieldTypesOf.get(unit.name.slice(0, unit.name.indexOf('.')))?.get(field);
    return !!type && !COLLECTION_TYPES.has(type);
  }

  protected override currentUnit(): UnitFact | undefined {
    return this.unitStack[this.unitStack.length - 1];
  }

  private newUnit(node: TS.Node, name: string, handler?: UnitFact['handler']): UnitFact {
    const unit: UnitFact = { name, calls: [], loc: this.nodeLoc(node), ...(handler ? { handler } : {}) };
    this.facts.units.push(unit);
    this.unitOf.set(node, unit);
    this.unitNames.add(name.split('.')[0]!);
    return unit;
  }

  /** The units a top-level statement declares: functions, class members, methods of object literals. */
  private statementUnits(statement: TS.Statement): void {
    const exported = hasModifier(statement, SK.ExportKeyword);
    if (isFunctionDeclaration(statement) && statement.body) {
      const name = statement.name?.text ?? 'default';
      this.newUnit(statement, name, exported && ROUTE_EXPORTS.has(name) ? 'route-export' : undefined);
    } else if (isClassDeclaration(statement) && statement.name) this.classUnits(statement, statement.name.text);
    else if (isExportAssignment(statement) && isFunctionExpression(statement.expression)) this.newUnit(unwrap(statement.expression), 'default');
    else if (isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (!isIdentifier(d.name) || !d.initializer) continue;
        const init = unwrap(d.initializer);
        const name = d.name.text;
        if (isFunctionExpression(init)) this.newUnit(init, name, exported && ROUTE_EXPORTS.has(name) ? 'route-export' : undefined);
        else if (isClassExpression(init)) this.classUnits(init, name);
        else if (isObjectLiteralExpression(init)) {
          for (const p of init.properties) {
            const key = p.name && propertyNameText(p.name);
            if (!key) continue;
            if (isMethodDeclaration(p) && p.body) this.newUnit(p, `${name}.${key}`);
            else if (p.kind === SK.PropertyAssignment && isFunctionExpression((p as TS.PropertyAssignment).initializer)) this.newUnit(unwrap((p as TS.PropertyAssignment).initializer), `${name}.${key}`);
          }
        }
      }
    }
  }

  /** A class's members as units; NestJS-style handler decorators mark request handlers; typed fields for `this.f.m()`. */
  private classUnits(node: TS.ClassLikeDeclaration, className: string): void {
    const handlerClass = decoratorNames(node).some((d) => HANDLER_CLASS_DECORATORS.has(d));
    const fieldTypes: [string, string][] = [];
    for (const member of node.members) {
      const key = member.kind === SK.Constructor ? 'constructor' : member.name && propertyNameText(member.name);
      if (!key) continue;
      const isMethod = isMethodDeclaration(member) || isGetAccessorDeclaration(member) || isSetAccessorDeclaration(member);
      const handler = (handlerClass && isMethodDeclaration(member) && !hasModifier(member, SK.StaticKeyword)) || decoratorNames(member).some((d) => HANDLER_METHOD_DECORATORS.has(d)) ? 'decorator' : undefined;
      if ((isMethod || member.kind === SK.Constructor) && (member as TS.FunctionLikeDeclaration).body) this.newUnit(member, `${className}.${key}`, handler);
      else if (isPropertyDeclaration(member) && member.initializer && isFunctionExpression(member.initializer)) this.newUnit(unwrap(member.initializer), `${className}.${key}`, handler);
      if (isPropertyDeclaration(member)) {
        const type = typeName(member.type);
        if (type) fieldTypes.push([key, type]);
      }
      if (member.kind === SK.Constructor) {
        for (const p of (member as TS.ConstructorDeclaration).parameters) {
          const type = typeName(p.type);
          if (type && isIdentifier(p.name) && p.modifiers?.some((m) => m.kind !== SK.Decorator)) fieldTypes.push([p.name.text, type]);
        }
      }
    }
    const decl = this.facts.decls.find((d) => d.kind === 'class' && d.name === className);
    if (decl && fieldTypes.length) decl.fieldTypes = fieldTypes;
    this.fieldTypesOf.set(className, new Map(fieldTypes));
    if (decl && isDiSingleton(node, this.sf.text)) decl.diSingleton = true;
  }

  /** `router.post('/x', auth(), async (ctx) => …)`: each callback is a handler unit; what the others name, one more. */
  private routeUnits(node: TS.CallExpression): void {
    const calls: string[] = [];
    for (const arg of node.arguments) {
      const a = unwrap(arg);
      if (isFunctionExpression(a)) {
        if (!this.unitOf.has(a)) this.newUnit(a, `@route${++this.routeCount}`, 'route');
        continue;
      }
      const named = a.kind === SK.CallExpression ? unitCallee((a as TS.CallExpression).expression) : unitCallee(a);
      if (named && !calls.includes(named)) calls.push(named);
    }
    if (calls.length) {
      const unit: UnitFact = { name: `@route${++this.routeCount}`, calls, handler: 'route', loc: this.nodeLoc(node) };
      this.facts.units.push(unit);
    }
  }

  /** Record a write inside a function: `x = …` (assigned), or `x.a = …`, `x[k] = …`, `x.push()`, `this.f.push()` (mutated). */
  private markWrite(target: TS.Expression, viaMethod = false): void {
    if (this.depth === 0) return;
    if (isIdentifier(target) && !viaMethod) {
      this.noteWrite(target.text, undefined, true, () => this.nodeLoc(target));
      return;
    }
    let expr: TS.Expression = target;
    let member: string | undefined;
    let levels = 0;
    while (isPropertyAccessExpression(expr) || isElementAccessExpression(expr) || isParenthesizedExpression(expr)) {
      if (!isParenthesizedExpression(expr)) {
        member = isPropertyAccessExpression(expr) && isIdentifier(expr.name) ? expr.name.text : undefined;
        levels++;
      }
      expr = expr.expression;
    }
    if (isIdentifier(expr)) this.noteWrite(expr.text, member, false, () => this.nodeLoc(target));
    // `this.items.push()` writes the instance's own collection; `this.prisma.user.delete()` calls a collaborator
    // (issue 18: every NestJS service that deletes through its ORM client looked stateful).
    else if (expr.kind === SK.ThisKeyword && member !== undefined && !(viaMethod && (levels > 1 || this.collaborator(member)))) this.noteWrite('this', member, false, () => this.nodeLoc(target));
  }

}
