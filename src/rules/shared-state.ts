import type { Analysis } from '../analyze/analyze.js';
import { declKey } from '../analyze/project-model.js';
import { requestReach } from '../analyze/request-reach.js';
import { runtimeIndex } from '../scan/package-runtime.js';
import { defineRule, type FindingDraft } from './define-rule.js';

export interface Options {
  /**
   * `auto`: judged by where each package runs (scan/package-runtime.ts): state in packages that handle
   * requests (or that they depend on) at the rule's severity, in browser-only packages at `info`, none in
   * packages no request reaches (command-line tools, scripts); when no package depends on or imports a
   * server framework, every file at the rule's severity. Over the whole repository without groups; with
   * groups configured, over `roles` only (findings say which in `data.scope`). `all`: every non-test file
   * at the rule's severity. `roles`: only modules declaring a group's implementations and the modules they import.
   */
  scope: 'auto' | 'roles' | 'all';
}
type MessageId = 'mutableBinding' | 'moduleCollection' | 'mutatedLiteral' | 'staticField' | 'singleton' | 'moduleInstance' | 'collaboratorSetter';

/** Where a finding's file runs, as `data.runtime`: `server`, `browser`, or `any` when the scope does not tell. */
type Where = { runtime: 'server' | 'browser' | 'any'; scope: Options['scope'] | 'repository' };

export default defineRule<Options, MessageId>({
  id: 'shared-state',
  meta: {
    description: 'Mutable state that outlives a request: module-level bindings and collections written after the module loads (or handed out and written by importers), static fields written after the class loads, singletons, module-level instances, collaborator setters on shared instances.',
    severity: 'warning',
    messages: {
      mutableBinding: 'Module-level `{{name}}` is reassigned {{reach}}.',
      moduleCollection: 'Module-level {{detail}} `{{name}}` is written after the module loads {{reach}}.',
      mutatedLiteral: 'Module-level {{detail}} `{{name}}` is mutated {{reach}}.',
      staticField: 'Static field {{className}}.{{name}} is written after the class loads {{reach}}.',
      singleton: '{{className}} is a process-wide singleton ({{how}}) whose fields are written {{reach}}.',
      moduleInstance: 'Module-level instance `{{name}}` of {{className}}, whose fields are written {{reach}}.',
      collaboratorSetter: '{{className}}.{{method}}() swaps `{{field}}` on a shared instance {{reach}}.',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { scope: { enum: ['auto', 'roles', 'all'], description: 'Which modules to inspect: auto (by where each package runs), all, or roles.' } },
    },
    requiresTypeInfo: false,
    reads: {
      // Every file's module state and classes; module-level instances; the roles scope (implementations' modules and
      // their imports); the functions that may run per request and what they call (request reachability).
      facts: { state: ['every-file'], units: ['by-name'], decls: ['roles', 'by-name'], uses: ['module-instances', 'by-name'], refs: ['implementation-modules', 'by-name'], exports: ['by-name'], starExports: ['by-name'] },
      declFields: { name: 'always', kind: 'always', init: 'always', singletonAccessor: 'always', staticFields: 'always', setters: 'always', implements: 'always', methods: 'always', exported: 'always', fieldTypes: 'always', diSingleton: 'always' },
    },
  },
  defaultOptions: { scope: 'auto' },
  run({ analysis, options }) {
    const whereOf = scopeOf(analysis, options.scope);
    const reach = requestReach(analysis.project.files, analysis.model, (rel) => analysis.isTest(rel) || TEST_SUPPORT.test(rel));
    const findings: FindingDraft<MessageId>[] = [];
    /**
     * State a unit that requests reach writes is reported at the rule's severity (issue 18: "reachable from
     * request-handling code"); state only boot-time code writes (registries, hooks, once-set clients), or code the
     * calls do not lead to, at info; browser-only state at info whatever writes it.
     */
    const add = (draft: FindingDraft<MessageId>, where: Where, writers: readonly string[]): void => {
      const by = writers.find((w) => reach.reached.has(w));
      // Without any handler in the scanned code (a library, a framework the extractor does not know), every write
      // counts, as before reachability: a gate must not pass because nothing could be followed.
      const reachText = by
        ? `by ${by.slice(by.lastIndexOf('#') + 1)} (${by.slice(0, by.lastIndexOf('#'))}), which request handlers reach: every request in the process shares it`
        : reach.handlers
          ? `only by code none of the ${reach.handlers} request handlers reaches as far as calls resolve (boot time, a job, or a call not followed)`
          : '(no request handler found to follow): every request in the process may share it';
      const severity = where.runtime === 'browser' || (!by && reach.handlers) ? ('info' as const) : draft.severity;
      findings.push({ ...draft, data: { ...draft.data, ...where, reach: reachText, requestReached: by ? 'yes' : reach.handlers ? 'no' : 'unknown' }, ...(severity ? { severity } : {}) });
    };
    /** `file#unit` keys of the units that write a class instance's fields (outside constructors). */
    const instanceWriters = (file: string, className: string): string[] => (analysis.project.files.get(file)?.facts.units ?? []).filter((u) => u.writesThis && u.name.startsWith(`${className}.`)).map((u) => `${file}#${u.name}`);
    // Classes whose one instance is shared: singletons, and classes instantiated at module level.
    const shared = new Map<string, string>();
    // Exported state its own module never writes, written by an importer (issue 18: handed out for others to mutate), and by which units.
    const writtenByImporters = new Map<string, string[]>();
    for (const file of analysis.project.files.values()) {
      for (const d of file.facts.decls) {
        if (d.kind !== 'class') continue;
        if (d.diSingleton) shared.set(declKey(file.rel, d.name), 'one provider instance per application');
        else if (d.singletonAccessor) shared.set(declKey(file.rel, d.name), `static ${d.singletonAccessor}()`);
        else if (d.staticFields?.some((f) => f.selfTyped)) shared.set(declKey(file.rel, d.name), 'static instance field');
      }
      if (analysis.isTest(file.rel)) continue;
      for (const s of file.facts.state) {
        if (s.kind !== 'import-mutation') continue;
        const t = analysis.model.resolveCallee(file.rel, s.name);
        if (!t || t.target.namespace) continue;
        const key = declKey(t.target.file, t.target.decl.name);
        writtenByImporters.set(key, [...(writtenByImporters.get(key) ?? []), ...(s.writers ?? []).map((w) => `${file.rel}#${w}`)]);
      }
    }
    for (const file of analysis.project.files.values()) {
      for (const use of file.facts.uses) {
        if (use.kind !== 'new' || !use.moduleLevel) continue;
        const t = analysis.model.resolveCallee(file.rel, use.callee);
        if (!t || t.target.namespace || t.target.decl.kind !== 'class' || t.member) continue;
        const key = declKey(t.target.file, t.target.decl.name);
        if (!shared.has(key)) shared.set(key, `instantiated at module level in ${file.rel}`);
        const where = whereOf(file.rel);
        if (!where || isTestDouble(t.target.decl.name)) continue;
        const binding = file.facts.decls.find((d) => d.kind === 'variable' && d.init?.kind === 'new' && d.init.target === use.callee && d.loc.line === use.loc.line);
        const name = binding?.name ?? use.callee;
        // The instance is no leak by itself, the fields its methods write are: without any (a client, a storage
        // backend, a rule object) there is nothing to report (issue 18: outline's S3Storage, healthClient).
        const writers = instanceWriters(t.target.file, t.target.decl.name);
        if (!writers.length) continue;
        add({ messageId: 'moduleInstance', data: { name, className: t.target.decl.name }, file: file.rel, loc: binding?.loc ?? use.loc, key: `instance|${name}|${key}` }, where, writers);
      }
    }
    for (const file of analysis.project.files.values()) {
      const where = whereOf(file.rel);
      if (!where) continue;
      // The top level of a Vue `<script setup>` or a Svelte instance script runs once per component instance: no module state.
      const perInstance = /\.(vue|svelte)$/.test(file.rel);
      for (const s of file.facts.state) {
        if (perInstance || s.kind === 'import-mutation' || s.kind === 'server-import') continue;
        const byImporters = writtenByImporters.get(declKey(file.rel, s.name));
        if (s.handedOut && !byImporters) continue;
        const messageId: MessageId = s.kind === 'mutable-binding' ? 'mutableBinding' : s.kind === 'collection' ? 'moduleCollection' : 'mutatedLiteral';
        const writers = [...(s.writers ?? []).map((w) => `${file.rel}#${w}`), ...(byImporters ?? [])];
        // A WeakMap or WeakSet is looked up only by its key objects: one request cannot read what another's
        // objects keyed (issue 18: outline's pluginsWithSafeDecorations). Reported for information.
        if (s.kind === 'collection' && s.detail?.startsWith('Weak')) {
          findings.push({ messageId, data: { name: s.name, detail: s.detail, ...where, reach: 'but only through its key objects, which a request must already hold', requestReached: 'no' }, file: file.rel, loc: s.loc, key: `${s.kind}|${s.name}`, severity: 'info' });
          continue;
        }
        add({ messageId, data: { name: s.name, detail: s.detail ?? '' }, file: file.rel, loc: s.loc, key: `${s.kind}|${s.name}` }, where, writers);
      }
      for (const d of file.facts.decls) {
        if (d.kind !== 'class' || isTestDouble(d.name)) continue;
        const how = shared.get(declKey(file.rel, d.name));
        const isSingleton = !!d.diSingleton || !!d.singletonAccessor || !!d.staticFields?.some((f) => f.selfTyped);
        if (isSingleton) {
          const writers = instanceWriters(file.rel, d.name);
          if (writers.length) add({ messageId: 'singleton', data: { className: d.name, how: how ?? 'static instance' }, file: file.rel, loc: d.loc, key: `singleton|${d.name}` }, where, writers);
        }
        for (const f of d.staticFields ?? []) {
          // A static field no function writes is a constant, however it is declared (issue 18).
          if ((isSingleton && f.selfTyped) || !f.written) continue;
          add({ messageId: 'staticField', data: { className: d.name, name: f.name }, file: file.rel, loc: f.loc, key: `static|${d.name}.${f.name}` }, where, (f.writers ?? []).map((w) => `${file.rel}#${w}`));
        }
        if (how) {
          for (const s of d.setters ?? []) {
            add({ messageId: 'collaboratorSetter', data: { className: d.name, method: s.method, field: s.field }, file: file.rel, loc: s.loc, key: `setter|${d.name}.${s.method}` }, where, [`${file.rel}#${d.name}.${s.method}`]);
          }
        }
      }
    }
    return findings;
  },
});

/** In-memory stand-ins for tests, wherever they live (issue 18: `Fake*` classes in feature folders). */
const TEST_DOUBLE_NAME = /^(Fake|Mock|Stub|Dummy|Spy)[A-Z_]|(Fake|Mock|Stub|Dummy)$/;
/**
 * Test support outside the configured test globs: mocks, fakes, stubs, fixtures and test utilities by
 * file or folder name, test setup files; and tooling no request runs: scripts and migrations folders,
 * build tool configs (`tailwind.config.js`).
 */
const TEST_SUPPORT = /(^|\/)(__mocks__|mocks?|fakes?|stubs?|fixtures?|__fixtures__|testing|test-?helpers?|[^/]*test-?utils?[^/]*|scripts|migration-scripts|migrations)(\/|$)|\.(mocks?|fakes?|stubs?|fixtures?)\.[cm]?[jt]sx?$|(^|\/)(setup-?tests|jest\.setup|vitest\.setup)[^/]*$|\.config\.[cm]?[jt]s$/i;

function isTestDouble(name: string): boolean {
  return TEST_DOUBLE_NAME.test(name);
}

/**
 * Which files the rule inspects, and how each is reported (undefined: not inspected). With groups
 * configured, `auto` keeps to the role modules and what they import, as before, and says so in each
 * finding's `data.scope` ('roles'); without, it covers the repository by where each package runs.
 */
function scopeOf(analysis: Analysis, scope: Options['scope']): (rel: string) => Where | undefined {
  const skipped = (rel: string): boolean => analysis.isTest(rel) || TEST_SUPPORT.test(rel);
  if (scope === 'all') return (rel) => (skipped(rel) ? undefined : { runtime: 'any', scope: 'all' });
  const roles = scope === 'roles' || analysis.contexts.length > 0 ? roleFiles(analysis) : undefined;
  const importsServer = (rel: string): boolean => !skipped(rel) && !!analysis.project.files.get(rel)?.facts.state.some((s) => s.kind === 'server-import');
  const runtimes = scope === 'auto' ? runtimeIndex(analysis.project.root, analysis.project.packageDirs, analysis.project.files.keys(), importsServer) : undefined;
  const label: Where['scope'] = roles ? 'roles' : runtimes?.anyServer ? 'auto' : 'repository';
  return (rel) => {
    if (skipped(rel) || (roles && !roles.has(rel))) return undefined;
    const runtime = runtimes?.runtimeOf(rel);
    // Browser-only code is told apart even in a repository with no server: its state is info.
    if (runtime === 'browser') return { runtime, scope: label };
    if (!runtimes?.anyServer) return { runtime: 'any', scope: label };
    return runtime === 'server' ? { runtime, scope: label } : undefined;
  };
}

/** Modules declaring a group's implementations, and the modules they import. */
function roleFiles(analysis: Analysis): Set<string> {
  const files = new Set<string>();
  for (const ctx of analysis.contexts) {
    for (const impl of ctx.analysis.implementations) {
      files.add(impl.file);
      for (const r of analysis.project.refs.get(impl.file) ?? []) if (r.target && !r.ref.typeOnly) files.add(r.target);
    }
  }
  return files;
}
