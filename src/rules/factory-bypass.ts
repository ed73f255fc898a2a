import type { Analysis, GroupContext } from '../analyze/analyze.js';
import { toRel } from '../analyze/group-analysis.js';
import { declKey } from '../analyze/project-model.js';
import { defineRule, type FindingDraft } from './define-rule.js';

export interface Options {
  /** Let test files construct role classes directly (they often must). */
  ignoreTests: boolean;
}
type MessageId = 'directConstruction' | 'legacyFactoryCall';

export default defineRule<Options, MessageId>({
  id: 'factory-bypass',
  meta: {
    description: '`new X(...)` of a role class, or a call to a competing factory, outside the group\'s SSOT factory module.',
    severity: 'error',
    messages: {
      directConstruction: 'Constructs {{name}} with `new`, bypassing {{factory}}.',
      legacyFactoryCall: 'Calls the competing factory {{name}} instead of {{factory}}.',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { ignoreTests: { type: 'boolean', description: 'Let test files construct role classes directly.' } },
    },
    requiresTypeInfo: false,
    reads: {
      // Every file's calls and `new`, resolved through the model; the configured groups' implementations.
      facts: { refs: ['by-name'], exports: ['roles', 'by-name'], starExports: ['by-name'], decls: ['roles', 'by-name'], uses: ['reach', 'by-name'] },
      declFields: { name: 'always', kind: 'always', exported: 'always', init: 'always', methods: 'always', implements: 'always', singletonAccessor: 'always', returns: 'always' },
    },
  },
  defaultOptions: { ignoreTests: true },
  run({ analysis, options }) {
    const findings: FindingDraft<MessageId>[] = [];
    const seen = new Set<string>();
    for (const ctx of analysis.contexts) {
      const factory = factoryLabel(ctx);
      const hasFactory = !!ctx.config.ssot.factory;
      const own = ownModules(analysis, ctx);
      const classes = new Map<string, boolean>(); // declKey -> is SSOT
      const factories = new Set<string>();
      for (const impl of ctx.analysis.implementations) {
        const key = declKey(impl.file, impl.name);
        if (impl.kind === 'class' || impl.kind === 'singleton') {
          classes.set(key, impl.ssot);
          if (!impl.ssot) factories.add(key); // static calls on competing classes: X.getInstance(), X.create()
        } else if (!impl.ssot && makesSomething(analysis, impl)) factories.add(key);
      }
      for (const file of analysis.project.files.values()) {
        if (own.has(file.rel) || ctx.isAllowed(file.rel) || (options.ignoreTests && analysis.isTest(file.rel))) continue;
        for (const use of file.facts.uses) {
          const resolved = analysis.model.resolveCallee(file.rel, use.callee);
          if (!resolved || resolved.target.namespace) continue;
          const key = declKey(resolved.target.file, resolved.target.decl.name);
          let messageId: MessageId | undefined;
          if (use.kind === 'new' && classes.has(key) && !resolved.member) {
            if (classes.get(key) && !hasFactory) continue; // no SSOT factory: constructing the SSOT is the way
            messageId = 'directConstruction';
          } else if (use.kind === 'call' && factories.has(key) && (resolved.member || !classes.has(key))) {
            messageId = 'legacyFactoryCall';
          }
          if (!messageId) continue;
          const where = `${file.rel}:${use.loc.line}:${use.loc.column}`;
          if (seen.has(where)) continue;
          seen.add(where);
          const name = resolved.member ? `${resolved.target.decl.name}.${resolved.member}` : resolved.target.decl.name;
          findings.push({ messageId, data: { name, factory }, file: file.rel, loc: use.loc, key: `${key}|${resolved.member ?? ''}|${use.kind}`, group: ctx.config.name });
        }
      }
    }
    return findings;
  },
});

/**
 * Whether a non-class implementation is a factory: an object-literal factory, or a function whose facts
 * say it returns an object, an instance or a function. A plain function among copies (`removeTs`,
 * `isRecordNotFoundError`) makes nothing: calling it bypasses no factory, and importing it is already a
 * legacy-import (issue 18: 47 such calls of one copied helper on amplication).
 */
function makesSomething(analysis: Analysis, impl: { kind: string; file: string; name: string }): boolean {
  if (impl.kind !== 'function') return true;
  const decl = analysis.model.decl(impl.file, impl.name);
  if (!decl || decl.returns) return true;
  return !(decl.kind === 'function' || (decl.kind === 'variable' && decl.init?.kind === 'function'));
}

/**
 * Where the group's own code may construct its classes: the SSOT module and the factory module as
 * configured, and the files that declare the SSOT export and the factory when those modules only
 * re-export them (a package entry over `client.ts`, whose `createClient()` says `new Client()`).
 * Issue 18, item 8.
 */
function ownModules(analysis: Analysis, ctx: GroupContext): Set<string> {
  const ssotModule = toRel(analysis.project.root, ctx.config.ssot.module);
  const own = new Set([ssotModule, ctx.factoryModule]);
  const declaredIn = (module: string, name: string | undefined): void => {
    const target = name ? analysis.model.resolveExport(module, name) : undefined;
    if (target) own.add(target.file);
  };
  declaredIn(ssotModule, ctx.config.ssot.export);
  declaredIn(ctx.factoryModule, ctx.config.ssot.factory);
  return own;
}

function factoryLabel(ctx: GroupContext): string {
  const name = ctx.config.ssot.factory ?? ctx.config.ssot.export;
  return name ? `the SSOT factory ${name} (${ctx.factoryModule})` : `the SSOT (${ctx.factoryModule})`;
}
