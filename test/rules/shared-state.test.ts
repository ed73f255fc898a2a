import { groupConfig, ruleTester } from '../helpers/rule-tester.js';

const ssot = 'export class RequestScopedToolDispatcher { dispatch(): void {} }\nexport function createToolDispatcher() { return new RequestScopedToolDispatcher(); }\n';

ruleTester('shared-state', {
  valid: [
    {
      name: 'immutable module state, locals, readonly statics, frozen objects',
      files: {
        'src/lookup.ts': "const KINDS = new Set(['a', 'b']);\nexport const isKind = (k: string) => KINDS.has(k);\nexport const TABLE: ReadonlyMap<string, number> = new Map([['a', 1]]);\n",
        'src/constants.ts': "export const LIMITS = Object.freeze({ max: 3 });\nexport const NAMES = ['a', 'b'] as const;\nconst DEFAULTS = { retries: 2 };\nexport function read() { const cache = new Map<string, number>(); cache.set('x', DEFAULTS.retries); let n = 0; n++; return n + cache.size; }\nexport class Config { static readonly version = 1; static describe(): string { return 'c'; } }\n",
      },
    },
    {
      name: 'with groups, shared state outside role modules and their imports is out of scope (data.scope says so)',
      files: { 'src/ssot.ts': ssot, 'src/legacy.ts': 'export const x = 1;\n', 'src/plain-route.ts': 'let requests = 0;\nexport function hit() { requests++; }\n' },
      config: groupConfig(),
    },
    {
      // Issue 18: static fields never written, tables filled while the module loads, constants handed out and only read.
      name: 'state written only while the module loads, and exported collections no importer writes',
      files: {
        'src/providers.ts': "export class StripeProvider { static identifier = 'stripe'; static DISPLAY_NAME = 'Stripe'; static Types = { A: 'a' }; id() { return StripeProvider.identifier; } }\n",
        'src/table.ts': "const HANDLERS = new Map<string, number>();\nHANDLERS.set('a', 1);\nlet mode = 'dev';\nif (process.env.PROD) mode = 'prod';\nexport const KINDS = new Set(['a']);\nexport const DEFAULTS = { retries: 2 };\nexport const read = () => HANDLERS.get(mode);\n",
        'src/reader.ts': "import { KINDS, DEFAULTS } from './table';\nexport function check(k: string) { return KINDS.has(k) && DEFAULTS.retries > 0; }\n",
      },
    },
    {
      name: 'test doubles and test support outside the test globs',
      files: {
        'src/payments/payment-store.mock.ts': 'let calls = 0;\nexport function charge() { calls++; }\n',
        'src/payments/fake-store.ts': 'export class FakePaymentStore { static charges: string[] = []; static add(id: string) { FakePaymentStore.charges.push(id); } }\nexport const store = new FakePaymentStore();\n',
        'src/testing/registry.ts': 'const seen = new Set<string>();\nexport function see(id: string) { seen.add(id); }\n',
        'scripts/seed.ts': 'let count = 0;\nexport function next() { return ++count; }\n',
      },
    },
    {
      name: 'a command-line package in a repository with a server: no request reaches it',
      files: {
        'packages/api/package.json': { name: 'api', dependencies: { express: '4' } },
        'packages/api/src/app.ts': "import express from 'express';\nexport const app = express();\n",
        'packages/cli/package.json': { name: 'cli', dependencies: { commander: '12' } },
        'packages/cli/src/run.ts': 'let verbose = false;\nexport function setVerbose(v: boolean) { verbose = v; }\n',
      },
    },
    {
      // `!x`, `-x`, `+x` and `~x` read a binding; only `++`, `--`, `delete` and assignments write one.
      name: 'a module-level let that is only read, also through unary operators',
      files: { 'src/flags.ts': 'let enabled = true;\nlet level = 2;\nexport function off() { return !enabled; }\nexport function inverse() { return -level + ~level + +level; }\n' },
    },
    { name: 'a setter on a per-request instance is fine', files: { 'src/ctx.ts': 'export class RequestContext { private user?: string; setUser(user: string) { this.user = user; } }\nexport function make() { return new RequestContext(); }\n' } },
    {
      name: 'the top level of a Vue script setup block is per component instance',
      files: { 'src/Editor.vue': '<script setup lang="ts">\nlet count = 0;\nconst refs = new Map<string, number>();\nfunction inc() { count++; refs.set("a", count); }\n</script>\n<template><button @click="inc">{{ count }}</button></template>\n' },
    },
    {
      // Issue 18: a `Promise<void>` chain that serialises work carries no value from one caller to the next.
      name: 'a static promise chain declared Promise<void> that only orders work',
      files: { 'src/render.ts': 'export class Renderer {\n  private static queue: Promise<void> = Promise.resolve();\n  static run<T>(task: () => Promise<T>): Promise<T> {\n    const result = Renderer.queue.then(task, task);\n    Renderer.queue = result.then(() => undefined, () => undefined);\n    return result;\n  }\n}\n' },
    },
    {
      // Issue 18: "computed lazily to the same value for every caller" (hoppscotch's sharedPrismaInstance).
      name: 'a binding initialised lazily, once',
      files: { 'src/client.ts': "let client: object | undefined;\nlet config: string | null = null;\nlet pool: object | undefined;\nexport function get() { if (!client) client = {}; return client; }\nexport function conf() { if (config === null) { config = 'x'; } return config; }\nexport function p() { pool ??= {}; return pool; }\n" },
    },
  ],
  invalid: [
    {
      name: 'module-level mutable bindings and collections',
      files: { 'src/state.ts': "let counter = 0;\nconst runs = new Map<string, number>();\nconst seen: string[] = [];\nconst registry = {} as Record<string, string>;\nexport function hit(id: string) { counter++; runs.set(id, counter); seen.push(id); registry[id] = id; }\n" },
      errors: [
        { messageId: 'mutableBinding', file: 'src/state.ts', line: 1, column: 5, data: { name: 'counter' } },
        { messageId: 'moduleCollection', file: 'src/state.ts', line: 2, data: { name: 'runs', detail: 'Map' } },
        { messageId: 'mutatedLiteral', file: 'src/state.ts', line: 3, data: { name: 'seen', detail: 'array' } },
        { messageId: 'mutatedLiteral', file: 'src/state.ts', line: 4, data: { name: 'registry', detail: 'object' } },
      ],
    },
    {
      name: 'a getInstance() singleton, a mutable static field, and a setter that swaps a collaborator (the seed\'s leak)',
      files: {
        'src/agent-instance-factory.ts': `export class WebSocketManager { send(): void {} }
export class AgentInstanceFactory {
  private static instance: AgentInstanceFactory | undefined;
  static created = 0;
  private websocketManager?: WebSocketManager;
  static getInstance(): AgentInstanceFactory { return (this.instance ??= new AgentInstanceFactory()); }
  setWebSocketManager(manager: WebSocketManager): void { this.websocketManager = manager; }
  static track(): void { AgentInstanceFactory.created++; }
}
`,
      },
      errors: [
        { messageId: 'singleton', file: 'src/agent-instance-factory.ts', line: 2, data: { className: 'AgentInstanceFactory', how: 'static getInstance()' } },
        { messageId: 'staticField', file: 'src/agent-instance-factory.ts', line: 4, data: { name: 'created' } },
        { messageId: 'collaboratorSetter', file: 'src/agent-instance-factory.ts', line: 7, data: { method: 'setWebSocketManager', field: 'websocketManager' } },
      ],
    },
    {
      name: 'a module-level instance makes its class shared, so its setters leak',
      files: {
        'src/bridge.ts': 'export class Bridge { private sink?: unknown; set target(v: unknown) { this.sink = v; } }\n',
        'src/shared.ts': "import { Bridge } from './bridge';\nexport const bridge = new Bridge();\n",
      },
      errors: [
        { messageId: 'collaboratorSetter', file: 'src/bridge.ts', line: 1, data: { className: 'Bridge', method: 'target' } },
        { messageId: 'moduleInstance', file: 'src/shared.ts', line: 2, data: { name: 'bridge', className: 'Bridge' } },
      ],
    },
    {
      name: 'with groups: role modules and the modules they import',
      files: {
        'src/ssot.ts': ssot,
        'src/legacy.ts': "import { cache } from './cache';\nexport class UnifiedToolDispatcher { dispatch(): void { cache.clear(); } }\n",
        'src/cache.ts': 'export const cache = new Set<string>();\n',
        'src/plain.ts': 'export const other = new Set<string>();\n',
      },
      config: groupConfig(),
      errors: [{ messageId: 'moduleCollection', file: 'src/cache.ts', line: 1, data: { name: 'cache', detail: 'Set', scope: 'roles' } }],
    },
    {
      name: 'static fields written by a static method, through the class or this',
      files: { 'src/registry.ts': 'export class Registry {\n  static entries: string[] = [];\n  static active = 0;\n  static add(e: string) { Registry.entries.push(e); this.active++; }\n}\n' },
      errors: [
        { messageId: 'staticField', file: 'src/registry.ts', line: 2, data: { className: 'Registry', name: 'entries' } },
        { messageId: 'staticField', file: 'src/registry.ts', line: 3, data: { className: 'Registry', name: 'active' } },
      ],
    },
    {
      name: 'an exported collection handed out and written by an importer, also through a namespace import',
      files: {
        'src/cache.ts': 'export const sessions = new Map<string, string>();\nexport const pending: string[] = [];\n',
        'src/login.ts': "import { sessions } from './cache';\nexport function login(id: string) { sessions.set(id, id); }\n",
        'src/queue.ts': "import * as cache from './cache';\nexport function enqueue(id: string) { cache.pending.push(id); }\n",
      },
      errors: [
        { messageId: 'moduleCollection', file: 'src/cache.ts', line: 1, data: { name: 'sessions', detail: 'Map', runtime: 'any', scope: 'repository' } },
        { messageId: 'mutatedLiteral', file: 'src/cache.ts', line: 2, data: { name: 'pending', detail: 'array' } },
      ],
    },
    {
      name: 'server packages at the rule severity, browser-only packages at info (issue 18, item 7)',
      files: {
        'packages/api/package.json': { name: 'api', dependencies: { express: '4', shared: '1' } },
        'packages/api/src/app.ts': "import express from 'express';\nexport const app = express();\nlet requests = 0;\nexport function hit() { requests++; }\n",
        'packages/shared/package.json': { name: 'shared' },
        'packages/shared/src/cache.ts': 'const memo = new Map<string, number>();\nexport function remember(k: string) { memo.set(k, 1); }\n',
        'packages/web/package.json': { name: 'web', dependencies: { react: '18', shared: '1' } },
        'packages/web/tsconfig.json': { compilerOptions: { lib: ['ES2022', 'DOM'], jsx: 'react-jsx' } },
        'packages/web/src/session.ts': 'let token: string | undefined;\nexport function signIn(t: string) { token = t; }\nexport const current = () => token;\n',
        'package.json': { private: true, workspaces: ['packages/*'] },
      },
      errors: [
        { messageId: 'mutableBinding', file: 'packages/api/src/app.ts', line: 3, severity: 'warning', data: { name: 'requests', runtime: 'server', scope: 'auto' } },
        { messageId: 'moduleCollection', file: 'packages/shared/src/cache.ts', line: 1, severity: 'warning', data: { name: 'memo', runtime: 'server' } },
        { messageId: 'mutableBinding', file: 'packages/web/src/session.ts', line: 1, severity: 'info', data: { name: 'token', runtime: 'browser' } },
      ],
    },
    {
      name: 'an Nx project is a server by what its files import; the DOM in the shared tsconfig does not make it a browser app',
      files: {
        'package.json': { private: true, dependencies: { '@nestjs/common': '10', react: '18' } },
        'tsconfig.base.json': { compilerOptions: { lib: ['ES2022', 'dom'] } },
        'apps/server/project.json': { name: 'server' },
        'apps/server/tsconfig.json': { extends: '../../tsconfig.base.json' },
        'apps/server/src/users.service.ts': "import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class UsersService { static lastUser?: string; find(id: string) { UsersService.lastUser = id; } }\n",
        'apps/client/project.json': { name: 'client' },
        'apps/client/tsconfig.json': { extends: '../../tsconfig.base.json', compilerOptions: { jsx: 'react-jsx' } },
        'apps/client/src/auth.ts': 'let token = "";\nexport function setToken(t: string) { token = t; }\n',
      },
      errors: [
        { messageId: 'mutableBinding', file: 'apps/client/src/auth.ts', line: 1, severity: 'info', data: { runtime: 'browser' } },
        { messageId: 'staticField', file: 'apps/server/src/users.service.ts', line: 3, severity: 'warning', data: { name: 'lastUser', runtime: 'server' } },
      ],
    },
    {
      name: 'one full-stack package: its app/ folder imports no server framework (info), its server/ folder does (warning)',
      files: {
        'package.json': { name: 'wiki', dependencies: { koa: '2', react: '18' } },
        'tsconfig.json': { compilerOptions: { lib: ['ES2022', 'DOM'], jsx: 'react-jsx' } },
        'app/stores.ts': 'let current: string | undefined;\nexport function select(id: string) { current = id; }\nexport const selected = () => current;\n',
        'server/cache.ts': "import Koa from 'koa';\nexport const app = new Koa();\nconst inflight = new Map<string, number>();\nexport function track(k: string) { inflight.set(k, 1); }\n",
      },
      errors: [
        { messageId: 'mutableBinding', file: 'app/stores.ts', line: 1, severity: 'info', data: { runtime: 'browser' } },
        { messageId: 'moduleCollection', file: 'server/cache.ts', line: 3, severity: 'warning', data: { runtime: 'server' } },
      ],
    },
    {
      name: 'a repository with no server at all: code that targets the DOM is still browser-only',
      files: {
        'tsconfig.json': { compilerOptions: { lib: ['ES2022', 'DOM'] } },
        'src/cache.ts': 'let last = 0;\nexport function touch() { last = Date.now(); }\nexport const when = () => last;\n',
      },
      errors: [{ messageId: 'mutableBinding', file: 'src/cache.ts', line: 1, severity: 'info', data: { runtime: 'browser', scope: 'repository' } }],
    },
    {
      // Issue 18: a module-level instance whose methods write no field of it (a client, a storage backend) is no state.
      name: 'a module-level instance of a class whose methods write none of its fields is not reported',
      files: {
        'src/storage.ts': 'export class S3Storage { upload(key: string): string { return key; } }\n',
        'src/files.ts': "import { S3Storage } from './storage';\nexport const storage = new S3Storage();\n",
      },
      errors: [],
    },
    {
      // Issue 18, item 7: only state written by code that request handlers reach is a warning; a registry filled at
      // boot, a lazily created client, a once-flag, a cache filled once, a WeakMap are at most info.
      name: 'with route handlers: request-time writes warn, boot-time and lazy ones do not',
      files: {
        'src/server.ts': `import Router from 'koa-router';
import { CacheHelper } from './cache-helper';
import { register, track } from './registry';
import auth from './auth';
const router = new Router();
register('docs');
router.post('documents.list', auth(), async (ctx: { body: unknown }) => {
  ctx.body = await CacheHelper.getOrSet('k');
  track('list');
});
export default router;
`,
        'src/cache-helper.ts': `export class CacheHelper {
  private static inflight = new Map<string, Promise<unknown>>();
  private static client: object | undefined;
  private static loaded = false;
  static async getOrSet(key: string) {
    if (!this.client) this.client = {};
    if (!CacheHelper.loaded) { await Promise.resolve(); CacheHelper.loaded = true; }
    const p = Promise.resolve(key);
    this.inflight.set(key, p);
    return p;
  }
}
`,
        'src/registry.ts': `const routes = new Map<string, number>();
const hits = new Map<string, number>();
const seen = new WeakSet<object>();
let html: string | undefined;
export function register(name: string) { routes.set(name, 1); }
export function track(name: string) { hits.set(name, (hits.get(name) ?? 0) + 1); seen.add({}); readHtml(); }
function readHtml() { if (html) return html; return (html = 'x'); }
`,
        'src/auth.ts': `let lastUser: string | undefined;
export default function auth() { return async (ctx: { user: string }, next: () => Promise<void>) => { lastUser = ctx.user; await next(); }; }
`,
        'package.json': { name: 'app', dependencies: { 'koa-router': '12' } },
      },
      errors: [
        { messageId: 'mutableBinding', file: 'src/auth.ts', line: 1, data: { name: 'lastUser', requestReached: 'yes' } },
        { messageId: 'staticField', file: 'src/cache-helper.ts', line: 2, data: { className: 'CacheHelper', name: 'inflight', requestReached: 'yes' } },
        { messageId: 'moduleCollection', file: 'src/registry.ts', line: 1, severity: 'info', data: { name: 'routes', requestReached: 'no' } },
        { messageId: 'moduleCollection', file: 'src/registry.ts', line: 2, data: { name: 'hits', requestReached: 'yes' } },
        { messageId: 'moduleCollection', file: 'src/registry.ts', line: 3, severity: 'info', data: { name: 'seen', detail: 'WeakSet' } },
      ],
    },
    {
      // NestJS: a controller's methods handle requests; `this.users.save()` reaches the injected service through the
      // constructor parameter's declared type, or every class implementing a declared interface.
      name: 'a decorated controller reaches services through typed constructor parameters',
      files: {
        'src/users.controller.ts': `import { UsersService } from './users.service';
import type { AuditLog } from './audit';
function Controller(path: string) { return (c: unknown) => c; }
function Post() { return (..._a: unknown[]) => undefined; }
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService, private readonly audit: AuditLog) {}
  @Post()
  create(name: string) { this.audit.record(name); return this.users.save(name); }
}
`,
        'src/users.service.ts': `export class UsersService {
  static lastSaved: string | undefined;
  static bootedAt = 0;
  save(name: string) { UsersService.lastSaved = name; return name; }
  static boot() { UsersService.bootedAt = Date.now(); }
}
`,
        'src/audit.ts': `export interface AuditLog { record(entry: string): void; }
const entries: string[] = [];
export class MemoryAuditLog implements AuditLog { record(entry: string) { entries.push(entry); } }
`,
      },
      errors: [
        { messageId: 'mutatedLiteral', file: 'src/audit.ts', line: 2, data: { name: 'entries', requestReached: 'yes' } },
        { messageId: 'staticField', file: 'src/users.service.ts', line: 2, data: { name: 'lastSaved', requestReached: 'yes' } },
        { messageId: 'staticField', file: 'src/users.service.ts', line: 3, severity: 'info', data: { name: 'bootedAt', requestReached: 'no' } },
      ],
    },
    {
      // The seed's leak in NestJS form: a provider's one instance serves every request, so a field its methods write
      // while handling one user's request is there for the next user's. A request-scoped provider is not shared.
      name: 'a dependency-injection provider (one instance per application) whose fields request handlers write',
      files: {
        'src/chat.controller.ts': `import { SessionService } from './session.service';
import { RequestSession } from './request-session';
function Controller(path: string) { return (c: unknown) => c; }
@Controller('chat')
export class ChatController {
  constructor(private readonly sessions: SessionService, private readonly perRequest: RequestSession) {}
  send(user: string) { this.perRequest.use(user); return this.sessions.use(user); }
}
`,
        'src/session.service.ts': "function Injectable(o?: object) { return (c: unknown) => c; }\n@Injectable()\nexport class SessionService {\n  private currentUser?: string;\n  use(user: string) { this.currentUser = user; return this.currentUser; }\n}\n",
        'src/request-session.ts': "const Scope = { REQUEST: 2 };\nfunction Injectable(o?: object) { return (c: unknown) => c; }\n@Injectable({ scope: Scope.REQUEST })\nexport class RequestSession {\n  private user?: string;\n  use(user: string) { this.user = user; }\n}\n",
      },
      errors: [{ messageId: 'singleton', file: 'src/session.service.ts', line: 3, data: { className: 'SessionService', how: 'one provider instance per application', requestReached: 'yes' } }],
    },
    {
      // Issue 18: `this.redis.set()` and `this.prisma.user.delete()` call collaborators; only the provider's own
      // collections (`this.seen.add()`) and fields (`this.last = …`) are its state.
      name: 'a provider that only calls its typed collaborators, whatever the method names, has no state',
      files: {
        'src/jobs.controller.ts': `import { JobsService } from './jobs.service';
function Controller(path: string) { return (c: unknown) => c; }
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}
  done(id: string) { return this.jobs.finish(id); }
}
`,
        'src/jobs.service.ts': `function Injectable() { return (c: unknown) => c; }
export class RedisClient { set(k: string, v: string) { return k + v; } }
export interface Db { user: { delete(id: string): void } }
@Injectable()
export class JobsService {
  constructor(private readonly redis: RedisClient, private readonly prisma: Db) {}
  finish(id: string) { this.redis.set(id, 'done'); this.prisma.user.delete(id); }
}
`,
      },
      errors: [],
    },
    {
      name: 'route exports (GET, POST) of file-based routers are handlers',
      files: {
        'app/api/items/route.ts': "import { remember } from '../../../lib/store';\nexport async function POST(req: Request) { remember(await req.text()); return new Response('ok'); }\n",
        'lib/store.ts': 'const recent: string[] = [];\nconst plugins: string[] = [];\nexport function remember(v: string) { recent.push(v); }\nexport function plug(p: string) { plugins.push(p); }\n',
      },
      errors: [
        { messageId: 'mutatedLiteral', file: 'lib/store.ts', line: 1, data: { name: 'recent', requestReached: 'yes' } },
        { messageId: 'mutatedLiteral', file: 'lib/store.ts', line: 2, severity: 'info', data: { name: 'plugins', requestReached: 'no' } },
      ],
    },
  ],
});
