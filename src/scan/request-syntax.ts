import type * as TS from 'typescript-6';
import { ts } from './compiler.js';

/**
 * What marks code that handles requests, read from syntax (issue 18: shared-state reports state written by code
 * that requests reach). Used by the facts extractor; the reachability itself is `analyze/request-reach.ts`.
 */

const { SyntaxKind: SK, isIdentifier, isPropertyAccessExpression, isStringLiteral, isNoSubstitutionTemplateLiteral, isTypeReferenceNode, isCallExpression } = ts;

/** Exported functions that file-based routers call per request: Next.js, Medusa, SvelteKit, Nuxt/h3 route modules. */
export const ROUTE_EXPORTS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL']);
/** Class decorators whose methods handle requests or messages (NestJS controllers, GraphQL resolvers, gateways). */
export const HANDLER_CLASS_DECORATORS = new Set(['Controller', 'Resolver', 'WebSocketGateway']);
/** Method decorators that route a request, an operation or a message to the method. */
export const HANDLER_METHOD_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Head', 'Options', 'Query', 'Mutation', 'Subscription', 'ResolveField', 'SubscribeMessage', 'MessagePattern', 'EventPattern']);
/** Methods that register a route or a middleware on a router or an app (Express, Koa router, Fastify, Hono). */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'use', 'route']);
/** Receivers named like a router or an app, for registrations without a path literal (`app.use(auth)`). */
const ROUTER_NAME = /^(app|router|server|api|routes?|fastify|hono|[a-z]*Router)$/i;

/**
 * `router.post('/x', …)` / `app.use(mw)`: a route method with a path literal first and something more, or on a
 * receiver named like a router. `map.get(key)` and `params.delete('a')` stay out: one argument, a plain receiver.
 */
export function isRouteRegistration(callee: TS.PropertyAccessExpression, args: TS.NodeArray<TS.Expression>): boolean {
  if (!isIdentifier(callee.name) || !ROUTE_METHODS.has(callee.name.text) || !args.length) return false;
  const first = args[0]!;
  const pathFirst = (isStringLiteral(first) || isNoSubstitutionTemplateLiteral(first)) && args.length >= 2;
  const receiver = callee.expression;
  const name = isIdentifier(receiver) ? receiver.text : isPropertyAccessExpression(receiver) && isIdentifier(receiver.name) ? receiver.name.text : '';
  return pathFirst || (ROUTER_NAME.test(name) && args.length >= 1);
}

/** A callee as the units record it: `f`, `X.m`, `this.m`, `this.f.m`; anything else is undefined. */
export function unitCallee(expr: TS.Expression): string | undefined {
  if (isIdentifier(expr)) return expr.text;
  if (!isPropertyAccessExpression(expr) || !isIdentifier(expr.name)) return undefined;
  const inner = expr.expression;
  if (isIdentifier(inner)) return `${inner.text}.${expr.name.text}`;
  if (inner.kind === SK.ThisKeyword) return `this.${expr.name.text}`;
  if (isPropertyAccessExpression(inner) && inner.expression.kind === SK.ThisKeyword && isIdentifier(inner.name)) return `this.${inner.name.text}.${expr.name.text}`;
  return undefined;
}

/** What a write or a test names: `x`, `this.f` or `X.f`; else undefined. */
export function writeTarget(expr: TS.Expression): string | undefined {
  let e = expr;
  while (e.kind === SK.ParenthesizedExpression) e = (e as TS.ParenthesizedExpression).expression;
  if (isIdentifier(e)) return e.text;
  if (isPropertyAccessExpression(e) && isIdentifier(e.name)) {
    if (e.expression.kind === SK.ThisKeyword) return `this.${e.name.text}`;
    if (isIdentifier(e.expression)) return `${e.expression.text}.${e.name.text}`;
  }
  return undefined;
}

/** Class decorators of dependency-injection providers that the container creates once per application by default. */
const PROVIDER_DECORATORS = new Set(['Injectable', 'Controller', 'Resolver', 'WebSocketGateway', 'Service']);

/**
 * `@Injectable()`, `@Controller()`, `@Service()` (typedi) without a request or transient scope: one instance serves
 * every request, so the fields its methods write are shared by every user (NestJS's default scope).
 */
export function isDiSingleton(node: TS.Node, text: string): boolean {
  const mods = (node as { modifiers?: TS.NodeArray<TS.ModifierLike> }).modifiers;
  if (!mods) return false;
  let provider = false;
  for (const m of mods) {
    if (m.kind !== SK.Decorator) continue;
    const e = (m as TS.Decorator).expression;
    const callee = isCallExpression(e) ? e.expression : e;
    if (!isIdentifier(callee) || !PROVIDER_DECORATORS.has(callee.text)) continue;
    provider = true;
    // `@Injectable({ scope: Scope.REQUEST })`, `@Controller({ path, scope: Scope.TRANSIENT })`, `@Service({ transient: true })`.
    if (isCallExpression(e) && e.arguments.some((a) => /\b(REQUEST|TRANSIENT|transient\s*:\s*true)\b/.test(text.slice(a.pos, a.end)))) return false;
  }
  return provider;
}

/** The names of a node's decorators: `@Controller('x')` and `@Controller` both give `Controller`. */
export function decoratorNames(node: TS.Node): string[] {
  const mods = (node as { modifiers?: TS.NodeArray<TS.ModifierLike> }).modifiers;
  if (!mods) return [];
  const names: string[] = [];
  for (const m of mods) {
    if (m.kind !== SK.Decorator) continue;
    let e = (m as TS.Decorator).expression;
    if (isCallExpression(e)) e = e.expression;
    if (isIdentifier(e)) names.push(e.text);
    else if (isPropertyAccessExpression(e) && isIdentifier(e.name)) names.push(e.name.text);
  }
  return names;
}

/** The type name a field is declared with (`UsersService`, `Repo<User>` gives `Repo`), when it is one reference. */
export function typeName(type: TS.TypeNode | undefined): string | undefined {
  if (!type || !isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  return isIdentifier(name) ? name.text : name.right.text;
}
