import type * as TS from 'typescript-6';
import type { DeclFact } from '../types.js';
import { ts } from './compiler.js';
import { calleeName, isFunctionExpression, objectMethods, unwrap } from './syntax-helpers.js';

const { isArrowFunction, isBlock, isNewExpression, isObjectLiteralExpression, isReturnStatement } = ts;

/**
 * What a function returns, for discovery (issue 18): an object literal with methods (a factory of an
 * object), `new X(…)`, or a function (a factory of factories). Read from an arrow's expression body or
 * the last statement of the body when it is a `return`.
 */
export function returnsOf(fn: TS.SignatureDeclaration): DeclFact['returns'] {
  const body = (fn as { body?: TS.Node }).body;
  if (!body) return undefined;
  let expr: TS.Expression | undefined;
  if (isArrowFunction(fn) && !isBlock(body)) expr = body as TS.Expression;
  else if (isBlock(body)) {
    const last = body.statements[body.statements.length - 1];
    if (last && isReturnStatement(last)) expr = last.expression;
  }
  if (!expr) return undefined;
  const e = unwrap(expr);
  if (isObjectLiteralExpression(e)) {
    const methods = objectMethods(e);
    return methods.length ? { kind: 'object', methods } : undefined;
  }
  if (isNewExpression(e)) {
    const target = calleeName(e.expression);
    return target ? { kind: 'new', target } : undefined;
  }
  if (isFunctionExpression(e)) return { kind: 'function' };
  return undefined;
}
