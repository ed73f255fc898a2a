import type { Analysis } from '../analyze/analyze.js';
import { declKey } from '../analyze/project-model.js';
import { defineRule, type FindingDraft } from './define-rule.js';

export interface Options {
  /**
   * `roles`: modules declaring a group's implementations and the modules they import;
   * `all`: every non-test file; `auto`: `roles` when groups are configured, else `all`.
   */
  scope: 'auto' | 'roles' | 'all';
}
type MessageId = 'mutableBinding' | 'moduleCollection' | 'mutatedLiteral' | 'staticField' | 'singleton' | 'moduleInstance' | 'collaboratorSetter';

export default defineRule<Options, MessageId>({
  id: 'shared-state',
  meta: {
    description: 'Mutable state that outlives a request: module-level bindings and collections, static fields, singletons, module-level instances, collaborator setters on shared instances.',
    severity: 'warning',
    messages: {
      mutableBinding: 'Module-level `{{name}}` is reassigned: every request in the process shares it.',
      moduleCollection: 'Module-level {{detail}} `{{name}}` is shared by every request in the process.',
      mutatedLiteral: 'Module-level {{detail}} `{{name}}` is mutated: every request in the process shares it.',
      staticField: 'Static field {{className}}.{{name}} is mutable state shared by every request.',
      singleton: '{{className}} is a process-wide singleton ({{how}}): its state is shared by every request and user.',
      moduleInstance: 'Module-level instance `{{name}}` of {{className}} is shared by every request and user.',
      collaboratorSetter: '{{className}}.{{method}}() swaps `{{field}}` on a shared instance: one request\'s collaborator leaks into another\'s.',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { scope: { enum: ['auto', 'roles', 'all'], description: 'Which modules to inspect.' } },
    },
    requiresTypeInfo: false,
  },
  defaultOptions: { scope: 'auto' },
  run({ analysis, options }) {
    const inScope = scopeOf(analysis, options.scope);
    const findings: FindingDraft<MessageId>[] = [];
    // Classes whose one instance is shared: singletons, and classes instantiated at module level.
    const shared = new Map<string, string>();
    for (const file of analysis.project.files.values()) {
      for (const d of file.facts.decls) {
        if (d.kind !== 'class') continue;
        if (d.singletonAccessor) shared.set(declKey(file.rel, d.name), `static ${d.singletonAccessor}()`);
        else if (d.staticFields?.some((f) => f.selfTyped)) shared.set(declKey(file.rel, d.name), 'static instance field');
      }
    }
    const moduleInstances: FindingDraft<MessageId>[] = [];
    for (const file of analysis.project.files.values()) {
      for (const use of file.facts.uses) {
        if (use.kind !== 'new' || !use.moduleLevel) continue;
        const t = analysis.model.resolveCallee(file.rel, use.callee);
        if (!t || t.target.namespace || t.target.decl.kind !== 'class' || t.member) continue;
        const key = declKey(t.target.file, t.target.decl.name);
        if (!shared.has(key)) shared.set(key, `instantiated at module level in ${file.rel}`);
        if (!inScope(file.rel)) continue;
        const binding = file.facts.decls.find((d) => d.kind === 'variable' && d.init?.kind === 'new' && d.init.target === use.callee && d.loc.line === use.loc.line);
        const name = binding?.name ?? use.callee;
        moduleInstances.push({ messageId: 'moduleInstance', data: { name, className: t.target.decl.name }, file: file.rel, loc: binding?.loc ?? use.loc, key: `instance|${name}|${key}` });
      }
    }
    for (const file of analysis.project.files.values()) {
      if (!inScope(file.rel)) continue;
      for (const s of file.facts.state) {
        const messageId: MessageId = s.kind === 'mutable-binding' ? 'mutableBinding' : s.kind === 'collection' ? 'moduleCollection' : 'mutatedLiteral';
        findings.push({ messageId, data: { name: s.name, detail: s.detail ?? '' }, file: file.rel, loc: s.loc, key: `${s.kind}|${s.name}` });
      }
      for (const d of file.facts.decls) {
        if (d.kind !== 'class') continue;
        const how = shared.get(declKey(file.rel, d.name));
        const isSingleton = !!d.singletonAccessor || !!d.staticFields?.some((f) => f.selfTyped);
        if (isSingleton) findings.push({ messageId: 'singleton', data: { className: d.name, how: how ?? 'static instance' }, file: file.rel, loc: d.loc, key: `singleton|${d.name}` });
        for (const f of d.staticFields ?? []) {
          if (isSingleton && f.selfTyped) continue;
          findings.push({ messageId: 'staticField', data: { className: d.name, name: f.name }, file: file.rel, loc: f.loc, key: `static|${d.name}.${f.name}` });
        }
        if (how) {
          for (const s of d.setters ?? []) {
            findings.push({ messageId: 'collaboratorSetter', data: { className: d.name, method: s.method, field: s.field }, file: file.rel, loc: s.loc, key: `setter|${d.name}.${s.method}` });
          }
        }
      }
    }
    return [...findings, ...moduleInstances];
  },
});

function scopeOf(analysis: Analysis, scope: Options['scope']): (rel: string) => boolean {
  const effective = scope === 'auto' ? (analysis.contexts.length ? 'roles' : 'all') : scope;
  if (effective === 'all') return (rel) => !analysis.isTest(rel);
  const files = new Set<string>();
  for (const ctx of analysis.contexts) {
    for (const impl of ctx.analysis.implementations) {
      files.add(impl.file);
      for (const r of analysis.project.refs.get(impl.file) ?? []) if (r.target && !r.ref.typeOnly) files.add(r.target);
    }
  }
  return (rel) => files.has(rel) && !analysis.isTest(rel);
}
