import type { ts as TS } from 'ts-morph';
import { ts } from './compiler.js';
import type { DeclFact, ExportFact, FileFacts, ImportedName, Loc, ModuleRef, RefKind, StateFact, UseFact } from '../types.js';

/** Test-runner calls whose first argument is a module path that tests keep pointing at a module. */
const MOCK_CALLEES = new Set([
  'vi.mock', 'vi.doMock', 'vi.unmock', 'vi.importActual', 'vi.importMock',
  'jest.mock', 'jest.doMock', 'jest.unmock', 'jest.requireActual', 'jest.requireMock', 'jest.setMock', 'jest.createMockFromModule',
]);
const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);
const COLLECTIONS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);
const SINGLETON_ACCESSOR = /^(get)?(instance|shared|default|singleton)$/i;
/** Methods that install a collaborator: setX, useX, swapX, replaceX, attachX. */
const SETTER_NAME = /^(set|use|swap|replace|attach)[A-Z]/;

/** Parse one file with TypeScript's parser and extract its facts. The text must have no BOM. */
export function extractFacts(fileName: string, text: string): FileFacts {
  const kind = fileName.endsWith('.tsx') || fileName.endsWith('.jsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  return new FactsExtractor(sf).run();
}

class FactsExtractor {
  private readonly facts: FileFacts = { refs: [], exports: [], starExports: [], decls: [], uses: [], state: [], typeOnlyUses: [] };
  /** Imported value bindings, and those seen in a value position. */
  private readonly importedValues = new Set<string>();
  private readonly valueUsed = new Set<string>();
  private typeDepth = 0;
  /** Top-level bindings (imports and declarations): only calls and `new` on these are recorded. */
  private readonly topLevel = new Set<string>();
  private readonly assigned = new Set<string>();
  private readonly mutated = new Set<string>();
  private depth = 0;
  private parent: TS.Node;
  /** Only files whose text contains `import(` can have import() types (in code or JSDoc). */
  private readonly mayHaveImportTypes: boolean;

  constructor(private readonly sf: TS.SourceFile) {
    this.parent = sf;
    this.mayHaveImportTypes = sf.text.includes('import(');
  }

  run(): FileFacts {
    const diagnostics = (this.sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics;
    const first = diagnostics?.[0];
    if (first) {
      const loc = this.loc(first.start, first.start + Math.max(first.length, 1));
      return { ...this.facts, parseError: { message: ts.flattenDiagnosticMessageText(first.messageText, ' '), loc } };
    }
    for (const statement of this.sf.statements) this.collectTopLevelNames(statement);
    for (const statement of this.sf.statements) this.topLevelStatement(statement);
    this.parent = this.sf;
    ts.forEachChild(this.sf, this.visit);
    this.moduleState();
    for (const name of this.importedValues) if (!this.valueUsed.has(name)) this.facts.typeOnlyUses.push(name);
    return this.facts;
  }

  // --- positions -------------------------------------------------------------------------------

  private loc(start: number, end: number): Loc {
    const s = this.sf.getLineAndCharacterOfPosition(start);
    const e = this.sf.getLineAndCharacterOfPosition(end);
    return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
  }

  private nodeLoc(node: TS.Node): Loc {
    return this.loc(node.getStart(this.sf), node.end);
  }

  // --- top level -------------------------------------------------------------------------------

  private collectTopLevelNames(statement: TS.Statement): void {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) this.topLevel.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) this.topLevel.add(bindings.name.text);
      else if (bindings) for (const el of bindings.elements) this.topLevel.add(el.name.text);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      this.topLevel.add(statement.name.text);
    } else if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) {
      this.topLevel.add(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) this.addBindingNames(d.name, this.topLevel);
    }
  }

  private addBindingNames(name: TS.BindingName, into: Set<string>): void {
    if (ts.isIdentifier(name)) into.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) this.addBindingNames(el.name, into);
  }

  private topLevelStatement(statement: TS.Statement): void {
    if (ts.isImportDeclaration(statement)) this.importDeclaration(statement);
    else if (ts.isExportDeclaration(statement)) this.exportDeclaration(statement);
    else if (ts.isImportEqualsDeclaration(statement)) this.importEquals(statement);
    else if (ts.isExportAssignment(statement)) this.exportAssignment(statement);
    else if (ts.isClassDeclaration(statement)) this.classDeclaration(statement);
    else if (ts.isFunctionDeclaration(statement)) this.functionDeclaration(statement);
    else if (ts.isVariableStatement(statement)) this.variableStatement(statement);
    else if (ts.isInterfaceDeclaration(statement)) this.simpleDecl(statement, 'interface');
    else if (ts.isTypeAliasDeclaration(statement)) this.simpleDecl(statement, 'type');
    else if (ts.isEnumDeclaration(statement)) this.simpleDecl(statement, 'enum');
  }

  private addRef(specifier: TS.Expression, kind: RefKind, typeOnly: boolean, names: ImportedName[] = []): number {
    const text = (specifier as TS.StringLiteral).text;
    this.facts.refs.push({ specifier: text, kind, typeOnly, names, loc: this.nodeLoc(specifier) });
    return this.facts.refs.length - 1;
  }

  private importDeclaration(node: TS.ImportDeclaration): void {
    if (!ts.isStringLiteral(node.moduleSpecifier)) return;
    const clause = node.importClause;
    if (!clause) {
      this.addRef(node.moduleSpecifier, 'side-effect', false);
      return;
    }
    const clauseTypeOnly = clause.isTypeOnly;
    const names: ImportedName[] = [];
    if (clause.name) names.push({ imported: 'default', local: clause.name.text, typeOnly: clauseTypeOnly });
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      names.push({ imported: '*', local: bindings.name.text, typeOnly: clauseTypeOnly });
    } else if (bindings) {
      for (const el of bindings.elements) {
        names.push({ imported: (el.propertyName ?? el.name).text, local: el.name.text, typeOnly: clauseTypeOnly || el.isTypeOnly });
      }
    }
    const typeOnly = clauseTypeOnly || (names.length > 0 && names.every((n) => n.typeOnly));
    for (const n of names) if (!n.typeOnly) this.importedValues.add(n.local);
    this.addRef(node.moduleSpecifier, 'import', typeOnly, names);
  }

  private exportDeclaration(node: TS.ExportDeclaration): void {
    const clause = node.exportClause;
    if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!clause) {
        const ref = this.addRef(node.moduleSpecifier, 'export-star', node.isTypeOnly);
        this.facts.starExports.push(ref);
      } else if (ts.isNamespaceExport(clause)) {
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
    if (clause && ts.isNamedExports(clause)) {
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
    if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) {
      this.addRef(ref.expression, 'import-equals', node.isTypeOnly, [{ imported: '*', local: node.name.text, typeOnly: node.isTypeOnly }]);
    }
    if (hasModifier(node, ts.SyntaxKind.ExportKeyword)) {
      this.facts.exports.push({ name: node.name.text, local: node.name.text, typeOnly: node.isTypeOnly, loc: this.nodeLoc(node.name) });
    }
  }

  private exportAssignment(node: TS.ExportAssignment): void {
    const name = node.isExportEquals ? '=' : 'default';
    const local = ts.isIdentifier(node.expression) ? node.expression.text : undefined;
    this.facts.exports.push({ name, local, typeOnly: false, loc: this.nodeLoc(node.expression) });
    if (!local && ts.isClassExpression(node.expression)) {
      this.classLike(node.expression, node.expression.name?.text ?? 'default', false);
      this.facts.exports[this.facts.exports.length - 1]!.local = node.expression.name?.text ?? 'default';
    }
  }

  private exportsOf(node: TS.Node, name: string | undefined, nameNode: TS.Node | undefined): boolean {
    if (!hasModifier(node, ts.SyntaxKind.ExportKeyword)) return false;
    const isDefault = hasModifier(node, ts.SyntaxKind.DefaultKeyword);
    const exportName = isDefault ? 'default' : name;
    if (exportName) this.facts.exports.push({ name: exportName, local: name ?? 'default', typeOnly: false, loc: this.nodeLoc(nameNode ?? node) });
    return true;
  }

  private simpleDecl(node: TS.InterfaceDeclaration | TS.TypeAliasDeclaration | TS.EnumDeclaration, kind: DeclFact['kind']): void {
    const exported = this.exportsOf(node, node.name.text, node.name);
    const decl: DeclFact = { name: node.name.text, kind, exported, loc: this.nodeLoc(node.name) };
    if (ts.isInterfaceDeclaration(node) && node.heritageClauses) decl.extends = heritageNames(node.heritageClauses, ts.SyntaxKind.ExtendsKeyword);
    this.facts.decls.push(decl);
  }

  private functionDeclaration(node: TS.FunctionDeclaration): void {
    const name = node.name?.text ?? 'default';
    const exported = this.exportsOf(node, node.name?.text, node.name);
    this.facts.decls.push({ name, kind: 'function', exported, loc: this.nodeLoc(node.name ?? node) });
  }

  private classDeclaration(node: TS.ClassDeclaration): void {
    const exported = this.exportsOf(node, node.name?.text, node.name);
    this.classLike(node, node.name?.text ?? 'default', exported);
  }

  private classLike(node: TS.ClassLikeDeclaration, name: string, exported: boolean): void {
    const decl: DeclFact = { name, kind: 'class', exported, loc: this.nodeLoc(node.name ?? node) };
    if (node.heritageClauses) {
      const ext = heritageNames(node.heritageClauses, ts.SyntaxKind.ExtendsKeyword);
      const impl = heritageNames(node.heritageClauses, ts.SyntaxKind.ImplementsKeyword);
      if (ext.length) decl.extends = ext;
      if (impl.length) decl.implements = impl;
    }
    const methods: string[] = [];
    const staticMethods: string[] = [];
    const staticFields: NonNullable<DeclFact['staticFields']> = [];
    const setters: NonNullable<DeclFact['setters']> = [];
    for (const member of node.members) {
      const memberName = member.name && propertyNameText(member.name);
      if (!memberName) continue;
      const isStatic = hasModifier(member, ts.SyntaxKind.StaticKeyword);
      const isPublic = !hasModifier(member, ts.SyntaxKind.PrivateKeyword) && !hasModifier(member, ts.SyntaxKind.ProtectedKeyword) && !memberName.startsWith('#');
      const isMethod = ts.isMethodDeclaration(member) || (ts.isPropertyDeclaration(member) && !!member.initializer && isFunctionExpression(member.initializer));
      if (isMethod && isPublic) (isStatic ? staticMethods : methods).push(memberName);
      if (isStatic && ts.isPropertyDeclaration(member) && !isMethod && !hasModifier(member, ts.SyntaxKind.ReadonlyKeyword)) {
        staticFields.push({ name: memberName, loc: this.nodeLoc(member.name), selfTyped: typeMentions(member.type, name) || isNewOf(member.initializer, name) });
      }
      if (isStatic && ts.isMethodDeclaration(member) && SINGLETON_ACCESSOR.test(memberName)) decl.singletonAccessor = memberName;
      if (isStatic && ts.isGetAccessorDeclaration(member) && SINGLETON_ACCESSOR.test(memberName)) decl.singletonAccessor = memberName;
      const setterLike = ts.isSetAccessorDeclaration(member) || (ts.isMethodDeclaration(member) && SETTER_NAME.test(memberName));
      if (!isStatic && setterLike && (member as TS.MethodDeclaration | TS.SetAccessorDeclaration).body) {
        const field = collaboratorSwap(member as TS.MethodDeclaration | TS.SetAccessorDeclaration);
        if (field) setters.push({ method: memberName, field, loc: this.nodeLoc(member.name) });
      }
    }
    if (methods.length) decl.methods = methods;
    if (staticMethods.length) decl.staticMethods = staticMethods;
    if (staticFields.length) decl.staticFields = staticFields;
    if (setters.length) decl.setters = setters;
    this.facts.decls.push(decl);
  }

  private variableStatement(node: TS.VariableStatement): void {
    const exported = hasModifier(node, ts.SyntaxKind.ExportKeyword);
    const mutable = (node.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using)) === 0 || (node.declarationList.flags & ts.NodeFlags.Let) !== 0;
    for (const d of node.declarationList.declarations) {
      if (!ts.isIdentifier(d.name)) {
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
      if (init && isFunctionExpression(init)) decl.kind = 'function';
      else if (init && ts.isObjectLiteralExpression(init)) {
        const methods = objectMethods(init);
        if (methods.length > 0 && methods.length * 2 >= init.properties.length) {
          decl.kind = 'object-factory';
          decl.methods = methods;
        }
      } else if (init && ts.isClassExpression(init)) {
        this.classLike(init, name, exported);
        continue;
      }
      this.facts.decls.push(decl);
    }
  }

  // --- deep walk -------------------------------------------------------------------------------

  /**
   * The hot loop: one call per AST node, so it keeps no closure per node, decides by kind tables,
   * and skips type subtrees entirely unless the file can contain `import()` types.
   */
  private readonly visit = (node: TS.Node): void => {
    const kind = node.kind;
    if (kind === ts.SyntaxKind.Identifier) {
      if (this.typeDepth === 0 && this.importedValues.size) {
        const text = (node as TS.Identifier).text;
        const parent = this.parent;
        if (this.importedValues.has(text) && !(parent.kind === ts.SyntaxKind.PropertyAccessExpression && (parent as TS.PropertyAccessExpression).name === node)) this.valueUsed.add(text);
      }
      return;
    }
    if (kind === ts.SyntaxKind.ImportDeclaration) return; // its bindings are declarations, not uses
    const flags = KIND_FLAGS[kind]!;
    const typeContext = (flags & TYPE_CONTEXT) !== 0 || (kind === ts.SyntaxKind.HeritageClause && (node as TS.HeritageClause).token === ts.SyntaxKind.ImplementsKeyword);
    // Identifiers in types never count as value uses, so a type subtree matters only for import() types.
    if (typeContext && !this.mayHaveImportTypes) return;
    if (this.mayHaveImportTypes) {
      const jsDoc = (node as { jsDoc?: TS.JSDoc[] }).jsDoc;
      if (jsDoc) for (const doc of jsDoc) this.visitJsDoc(doc);
    }
    switch (kind) {
      case ts.SyntaxKind.CallExpression:
        this.callExpression(node as TS.CallExpression, this.parent);
        break;
      case ts.SyntaxKind.NewExpression:
        this.newExpression(node as TS.NewExpression);
        break;
      case ts.SyntaxKind.ImportType:
        this.importType(node as TS.ImportTypeNode, 'typeof-import');
        break;
      case ts.SyntaxKind.BinaryExpression:
        this.binaryExpression(node as TS.BinaryExpression);
        break;
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression:
        this.markWrite((node as TS.PrefixUnaryExpression | TS.PostfixUnaryExpression).operand);
        break;
      case ts.SyntaxKind.DeleteExpression:
        this.markWrite((node as TS.DeleteExpression).expression);
        break;
    }
    const scope = (flags & SCOPE) !== 0;
    const parent = this.parent;
    this.parent = node;
    if (scope) this.depth++;
    if (typeContext) this.typeDepth++;
    ts.forEachChild(node, this.visit);
    if (scope) this.depth--;
    if (typeContext) this.typeDepth--;
    this.parent = parent;
  };

  private visitJsDoc(node: TS.Node): void {
    if (node.kind === ts.SyntaxKind.ImportType) this.importType(node as TS.ImportTypeNode, 'jsdoc-import');
    ts.forEachChild(node, (child) => this.visitJsDoc(child));
  }

  private importType(node: TS.ImportTypeNode, kind: RefKind): void {
    const arg = node.argument;
    if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
      const qualifier = node.qualifier ? entityRoot(node.qualifier) : '*';
      this.addRef(arg.literal, kind, true, [{ imported: qualifier, local: qualifier, typeOnly: true }]);
    }
  }

  private callExpression(node: TS.CallExpression, parent: TS.Node): void {
    const callee = node.expression;
    const arg = node.arguments[0];
    const literalArg = arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg : undefined;
    if (callee.kind === ts.SyntaxKind.ImportKeyword) {
      if (literalArg) this.addRef(literalArg, 'dynamic-import', false, [{ imported: '*', local: '*', typeOnly: false }]);
      return;
    }
    const name = calleeName(callee);
    if (!name) return;
    if (name === 'require' && literalArg) {
      const names = requireNames(parent);
      this.addRef(literalArg, 'require', false, names);
      return;
    }
    if (name === 'require.resolve' && literalArg) {
      this.addRef(literalArg, 'require-resolve', false);
      return;
    }
    if (MOCK_CALLEES.has(name) && literalArg) {
      this.addRef(literalArg, 'mock', false);
      return;
    }
    const root = name.split('.')[0]!;
    if (this.topLevel.has(root)) this.facts.uses.push({ kind: 'call', callee: name, moduleLevel: this.depth === 0, loc: this.nodeLoc(node.expression) });
    if (ts.isPropertyAccessExpression(callee) && MUTATING_METHODS.has(callee.name.text)) this.markWrite(callee.expression, true);
  }

  private newExpression(node: TS.NewExpression): void {
    const name = calleeName(node.expression);
    // Only constructions of the file's own or imported bindings can be resolved: `new Date` is not recorded.
    if (!name || !this.topLevel.has(name.split('.')[0]!)) return;
    this.facts.uses.push({ kind: 'new', callee: name, moduleLevel: this.depth === 0, loc: this.nodeLoc(node) });
  }

  private binaryExpression(node: TS.BinaryExpression): void {
    const op = node.operatorToken.kind;
    if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) this.markWrite(node.left);
  }

  /** Record the root identifier written to: `x = …` (assigned) or `x.a = …`, `x[k] = …`, `x.push()` (mutated). */
  private markWrite(target: TS.Expression, viaMethod = false): void {
    if (ts.isIdentifier(target) && !viaMethod) {
      this.assigned.add(target.text);
      return;
    }
    let expr: TS.Expression = target;
    while (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr) || ts.isParenthesizedExpression(expr)) expr = expr.expression;
    if (ts.isIdentifier(expr)) this.mutated.add(expr.text);
  }

  /** Module-level mutable state, decided once every write in the file is known. */
  private moduleState(): void {
    for (const decl of this.facts.decls) {
      if (decl.kind !== 'variable' && decl.kind !== 'object-factory') continue;
      let state: StateFact | undefined;
      if (decl.mutable && this.assigned.has(decl.name)) {
        state = { kind: 'mutable-binding', name: decl.name, detail: 'reassigned', loc: decl.loc };
      } else if (decl.init?.kind === 'new' && decl.init.target && COLLECTIONS.has(decl.init.target) && (decl.exported || this.mutated.has(decl.name))) {
        // A collection nobody mutates (a lookup table) is not state; an exported one may be mutated elsewhere.
        state = { kind: 'collection', name: decl.name, detail: decl.init.target, loc: decl.loc };
      } else if ((decl.init?.kind === 'object' || decl.init?.kind === 'array' || decl.kind === 'object-factory') && this.mutated.has(decl.name)) {
        state = { kind: 'mutated-literal', name: decl.name, detail: decl.init?.kind === 'array' ? 'array' : 'object', loc: decl.loc };
      }
      if (state) this.facts.state.push(state);
    }
  }
}

// --- small pure helpers ----------------------------------------------------------------------------

function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  const mods = (node as { modifiers?: TS.NodeArray<TS.ModifierLike> }).modifiers;
  return !!mods && mods.some((m) => m.kind === kind);
}

const SCOPE = 1;
const TYPE_CONTEXT = 2;
/** Per-SyntaxKind flags for the walk: SCOPE (code in it does not run at module load), TYPE_CONTEXT. */
const KIND_FLAGS = (() => {
  const flags = new Uint8Array(ts.SyntaxKind.Count);
  const k = ts.SyntaxKind;
  for (const kind of [k.FunctionDeclaration, k.FunctionExpression, k.ArrowFunction, k.MethodDeclaration, k.Constructor, k.GetAccessor, k.SetAccessor, k.ClassStaticBlockDeclaration, k.PropertyDeclaration]) flags[kind] = SCOPE;
  for (let kind = k.FirstTypeNode; kind <= k.LastTypeNode; kind++) flags[kind]! |= TYPE_CONTEXT;
  flags[k.InterfaceDeclaration]! |= TYPE_CONTEXT;
  flags[k.TypeAliasDeclaration]! |= TYPE_CONTEXT;
  return flags;
})();

function isFunctionExpression(node: TS.Expression): boolean {
  const n = unwrap(node);
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n);
}

function unwrap(node: TS.Expression): TS.Expression {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n) || ts.isNonNullExpression(n)) {
    n = n.expression;
  }
  return n;
}

function describeInit(init: TS.Expression | undefined): DeclFact['init'] {
  if (!init) return { kind: 'other' };
  if (ts.isNewExpression(init)) return { kind: 'new', target: calleeName(init.expression) };
  if (ts.isCallExpression(init)) {
    // Object.freeze({...}) is a frozen literal, not mutable state.
    const name = calleeName(init.expression);
    if (name === 'Object.freeze') return { kind: 'literal' };
    return { kind: 'call', target: name };
  }
  if (ts.isIdentifier(init)) return { kind: 'alias', target: init.text };
  if (ts.isObjectLiteralExpression(init)) return { kind: 'object' };
  if (ts.isArrayLiteralExpression(init)) return { kind: 'array' };
  if (isFunctionExpression(init)) return { kind: 'function' };
  if (ts.isLiteralExpression(init) || init.kind === ts.SyntaxKind.TrueKeyword || init.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'literal' };
  return { kind: 'other' };
}

function calleeName(expr: TS.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) return `${expr.expression.text}.${expr.name.text}`;
  return undefined;
}

function entityRoot(name: TS.EntityName): string {
  let n: TS.EntityName = name;
  while (ts.isQualifiedName(n)) n = n.left;
  return n.text;
}

function heritageNames(clauses: TS.NodeArray<TS.HeritageClause>, token: TS.SyntaxKind): string[] {
  const names: string[] = [];
  for (const clause of clauses) {
    if (clause.token !== token) continue;
    for (const t of clause.types) {
      const e = t.expression;
      if (ts.isIdentifier(e)) names.push(e.text);
      else if (ts.isPropertyAccessExpression(e)) names.push(ts.isIdentifier(e.expression) ? `${e.expression.text}.${e.name.text}` : e.name.text);
    }
  }
  return names;
}

function propertyNameText(name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

function objectMethods(obj: TS.ObjectLiteralExpression): string[] {
  const names: string[] = [];
  for (const p of obj.properties) {
    const isFn = ts.isMethodDeclaration(p) || (ts.isPropertyAssignment(p) && isFunctionExpression(p.initializer));
    const name = p.name && propertyNameText(p.name);
    if (isFn && name) names.push(name);
  }
  return names;
}

function isReadonlyType(type: TS.TypeNode | undefined): boolean {
  if (!type) return false;
  if (ts.isTypeReferenceNode(type)) return ts.isIdentifier(type.typeName) && type.typeName.text.startsWith('Readonly');
  return ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword;
}

function isAsConst(init: TS.Expression): boolean {
  return ts.isAsExpression(init) && ts.isTypeReferenceNode(init.type) && ts.isIdentifier(init.type.typeName) && init.type.typeName.text === 'const';
}

function typeMentions(type: TS.TypeNode | undefined, name: string): boolean {
  if (!type) return false;
  if (ts.isTypeReferenceNode(type)) return ts.isIdentifier(type.typeName) && type.typeName.text === name;
  if (ts.isUnionTypeNode(type)) return type.types.some((t) => typeMentions(t, name));
  return false;
}

function isNewOf(init: TS.Expression | undefined, name: string): boolean {
  return !!init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === name;
}

/** `this.field = param` inside a method: the method swaps a collaborator of the instance. */
function collaboratorSwap(member: TS.MethodDeclaration | TS.SetAccessorDeclaration): string | undefined {
  const params = new Set(member.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')));
  let field: string | undefined;
  const visit = (node: TS.Node): void => {
    if (field) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left;
      const right = unwrap(node.right);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(right) && params.has(right.text)) {
        field = left.name.text;
        return;
      }
    }
    if (!ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  if (member.body) ts.forEachChild(member.body, visit);
  return field;
}

/** `const { a, b: c } = require('m')` gives named bindings; `const m = require('m')` a namespace. */
function requireNames(parent: TS.Node): ImportedName[] {
  if (ts.isVariableDeclaration(parent)) {
    if (ts.isIdentifier(parent.name)) return [{ imported: '*', local: parent.name.text, typeOnly: false }];
    if (ts.isObjectBindingPattern(parent.name)) {
      return parent.name.elements.flatMap((el) => {
        const imported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : undefined;
        return imported && ts.isIdentifier(el.name) ? [{ imported, local: el.name.text, typeOnly: false }] : [];
      });
    }
  }
  return [{ imported: '*', local: '*', typeOnly: false }];
}
