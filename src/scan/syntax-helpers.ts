import type * as TS from 'typescript-6';
import type { DeclFact, ImportedName } from '../types.js';
import { ts } from './compiler.js';

/** Small pure helpers over TypeScript syntax nodes, for the facts extractor. */

// TypeScript's bundle exports through getters: every `ts.x` is a call. The hot loop reads them once here.
const {
  SyntaxKind: SK,
  forEachChild,
  isArrayLiteralExpression,
  isArrowFunction,
  isAsExpression,
  isBinaryExpression,
  isCallExpression,
  isFunctionExpression: isFunctionExpressionNode,
  isFunctionLike,
  isIdentifier,
  isLiteralExpression,
  isMethodDeclaration,
  isNewExpression,
  isNonNullExpression,
  isNumericLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParenthesizedExpression,
  isPrivateIdentifier,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isQualifiedName,
  isSatisfiesExpression,
  isStringLiteral,
  isTypeAssertionExpression,
  isTypeOperatorNode,
  isTypeReferenceNode,
  isUnionTypeNode,
  isVariableDeclaration,
} = ts;

export function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  const mods = (node as { modifiers?: TS.NodeArray<TS.ModifierLike> }).modifiers;
  return !!mods && mods.some((m) => m.kind === kind);
}

export const SCOPE = 1;
export const TYPE_CONTEXT = 2;
/** Restore bit only: leaving the node leaves the unit (a function that may run per request) it started. */
export const UNIT = 4;
/** Per-SyntaxKind flags for the walk: SCOPE (code in it does not run at module load), TYPE_CONTEXT. */
export const KIND_FLAGS = (() => {
  const flags = new Uint8Array(SK.Count);
  const k = SK;
  for (const kind of [k.FunctionDeclaration, k.FunctionExpression, k.ArrowFunction, k.MethodDeclaration, k.Constructor, k.GetAccessor, k.SetAccessor, k.ClassStaticBlockDeclaration, k.PropertyDeclaration]) flags[kind] = SCOPE;
  for (let kind = k.FirstTypeNode; kind <= k.LastTypeNode; kind++) flags[kind]! |= TYPE_CONTEXT;
  flags[k.InterfaceDeclaration]! |= TYPE_CONTEXT;
  flags[k.TypeAliasDeclaration]! |= TYPE_CONTEXT;
  return flags;
})();

export function isFunctionExpression(node: TS.Expression): boolean {
  const n = unwrap(node);
  return isArrowFunction(n) || isFunctionExpressionNode(n);
}

export function unwrap(node: TS.Expression): TS.Expression {
  let n = node;
  while (isParenthesizedExpression(n) || isAsExpression(n) || isSatisfiesExpression(n) || isTypeAssertionExpression(n) || isNonNullExpression(n)) {
    n = n.expression;
  }
  return n;
}

export function describeInit(init: TS.Expression | undefined): DeclFact['init'] {
  if (!init) return { kind: 'other' };
  if (isNewExpression(init)) return { kind: 'new', target: calleeName(init.expression) };
  if (isCallExpression(init)) {
    // Object.freeze({...}) is a frozen literal, not mutable state.
    const name = calleeName(init.expression);
    if (name === 'Object.freeze') return { kind: 'literal' };
    return { kind: 'call', target: name };
  }
  if (isIdentifier(init)) return { kind: 'alias', target: init.text };
  if (isObjectLiteralExpression(init)) return { kind: 'object' };
  if (isArrayLiteralExpression(init)) return { kind: 'array' };
  if (isFunctionExpression(init)) return { kind: 'function' };
  if (isLiteralExpression(init) || init.kind === SK.TrueKeyword || init.kind === SK.FalseKeyword) return { kind: 'literal' };
  return { kind: 'other' };
}

/** TypeScript escapes identifiers that start with `__` by adding one more underscore. */
export function unescapeName(escaped: string): string {
  return escaped.charCodeAt(0) === 95 && escaped.charCodeAt(1) === 95 && escaped.charCodeAt(2) === 95 ? escaped.slice(1) : escaped;
}

export function isRequireCall(expr: TS.Expression): boolean {
  return isCallExpression(expr) && isIdentifier(expr.expression) && expr.expression.escapedText === 'require';
}

export function calleeName(expr: TS.Expression): string | undefined {
  if (isIdentifier(expr)) return expr.text;
  if (isPropertyAccessExpression(expr) && isIdentifier(expr.expression)) return `${expr.expression.text}.${expr.name.text}`;
  return undefined;
}

export function entityRoot(name: TS.EntityName): string {
  let n: TS.EntityName = name;
  while (isQualifiedName(n)) n = n.left;
  return n.text;
}

export function heritageNames(clauses: TS.NodeArray<TS.HeritageClause>, token: TS.SyntaxKind): string[] {
  const names: string[] = [];
  for (const clause of clauses) {
    if (clause.token !== token) continue;
    for (const t of clause.types) {
      const e = t.expression;
      if (isIdentifier(e)) names.push(e.text);
      else if (isPropertyAccessExpression(e)) names.push(isIdentifier(e.expression) ? `${e.expression.text}.${e.name.text}` : e.name.text);
    }
  }
  return names;
}

export function propertyNameText(name: TS.PropertyName): string | undefined {
  if (isIdentifier(name) || isStringLiteral(name) || isNumericLiteral(name)) return name.text;
  if (isPrivateIdentifier(name)) return name.text;
  return undefined;
}

export function objectMethods(obj: TS.ObjectLiteralExpression): string[] {
  const names: string[] = [];
  for (const p of obj.properties) {
    const isFn = isMethodDeclaration(p) || (isPropertyAssignment(p) && isFunctionExpression(p.initializer));
    const name = p.name && propertyNameText(p.name);
    if (isFn && name) names.push(name);
  }
  return names;
}

export function isReadonlyType(type: TS.TypeNode | undefined): boolean {
  if (!type) return false;
  if (isTypeReferenceNode(type)) return isIdentifier(type.typeName) && type.typeName.text.startsWith('Readonly');
  return isTypeOperatorNode(type) && type.operator === SK.ReadonlyKeyword;
}

export function isAsConst(init: TS.Expression): boolean {
  return isAsExpression(init) && isTypeReferenceNode(init.type) && isIdentifier(init.type.typeName) && init.type.typeName.text === 'const';
}

export function typeMentions(type: TS.TypeNode | undefined, name: string): boolean {
  if (!type) return false;
  if (isTypeReferenceNode(type)) return isIdentifier(type.typeName) && type.typeName.text === name;
  if (isUnionTypeNode(type)) return type.types.some((t) => typeMentions(t, name));
  return false;
}

export function isNewOf(init: TS.Expression | undefined, name: string): boolean {
  return !!init && isNewExpression(init) && isIdentifier(init.expression) && init.expression.text === name;
}

/** `this.field = param` inside a method (not in nested functions): the method swaps a collaborator of the instance. */
export function collaboratorSwap(member: TS.MethodDeclaration | TS.SetAccessorDeclaration): string | undefined {
  if (!member.body) return undefined;
  const params = new Set(member.parameters.map((p) => (isIdentifier(p.name) ? p.name.text : '')));
  // Depth first in source order, with a stack instead of recursion: a method body can nest as deep as the parser allowed.
  const pending: TS.Node[] = [];
  const kids: TS.Node[] = [];
  const collect = (child: TS.Node): void => {
    kids.push(child);
  };
  const pushChildren = (node: TS.Node): void => {
    forEachChild(node, collect);
    for (let k = kids.length - 1; k >= 0; k--) pending.push(kids[k]!);
    kids.length = 0;
  };
  pushChildren(member.body);
  while (pending.length) {
    const node = pending.pop()!;
    if (isBinaryExpression(node) && node.operatorToken.kind === SK.EqualsToken) {
      const left = node.left;
      const right = unwrap(node.right);
      if (isPropertyAccessExpression(left) && left.expression.kind === SK.ThisKeyword && isIdentifier(right) && params.has(right.text)) return left.name.text;
    }
    if (!isFunctionLike(node)) pushChildren(node);
  }
  return undefined;
}

/** `const { a, b: c } = require('m')` gives named bindings; `const m = require('m')` a namespace. */
export function requireNames(parent: TS.Node): ImportedName[] {
  if (isVariableDeclaration(parent)) {
    if (isIdentifier(parent.name)) return [{ imported: '*', local: parent.name.text, typeOnly: false }];
    if (isObjectBindingPattern(parent.name)) {
      return parent.name.elements.flatMap((el) => {
        const imported = el.propertyName && isIdentifier(el.propertyName) ? el.propertyName.text : isIdentifier(el.name) ? el.name.text : undefined;
        return imported && isIdentifier(el.name) ? [{ imported, local: el.name.text, typeOnly: false }] : [];
      });
    }
  }
  return [{ imported: '*', local: '*', typeOnly: false }];
}
