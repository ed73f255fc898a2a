import { declKey } from '../analyze/project-model.js';
import { defineRule, type FindingDraft } from './define-rule.js';

export type Options = Record<string, never>;
type MessageId = 'aliasedName' | 'duplicateName';

export default defineRule<Options, MessageId>({
  id: 'name-collision',
  meta: {
    description: 'One role name bound to different implementations, so which one a consumer gets depends on the import path.',
    severity: 'error',
    messages: {
      aliasedName: 'Exports {{actual}} ({{actualFile}}) under the name {{name}}, which is the name of {{other}} ({{otherFile}}): importers of {{name}} get a different implementation depending on the path.',
      duplicateName: '{{name}} is also declared in {{otherFile}}: two different implementations share one role name.',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    requiresTypeInfo: false,
    reads: {
      // Classes and functions declared, and names exported, in several files; the groups' implementations.
      facts: { decls: ['same-name', 'roles', 'by-name'], exports: ['same-name', 'roles', 'by-name'], starExports: ['by-name'], refs: ['reach', 'by-name'], uses: ['reach', 'by-name'] },
      declFields: { name: 'always', kind: 'always', exported: 'always', init: 'always', methods: 'always', staticMethods: 'always', extends: 'always', implements: 'always', singletonAccessor: 'always', extent: 'discovery', sketch: 'discovery', delegates: 'discovery', returns: 'discovery', deprecated: 'discovery', abstract: 'discovery' },
    },
  },
  defaultOptions: {},
  run({ analysis }) {
    const { model, project } = analysis;
    // Names of the implementations (configured or discovered) and of every class and function declared.
    const roleNames = new Set<string>();
    for (const g of analysis.groups) for (const i of g.implementations) roleNames.add(i.name);
    const declaredBy = new Map<string, { file: string; name: string }[]>();
    for (const file of project.files.values()) {
      if (analysis.isTest(file.rel)) continue;
      for (const d of file.facts.decls) {
        if (d.kind !== 'class' && d.kind !== 'function') continue;
        const list = declaredBy.get(d.name) ?? [];
        list.push({ file: file.rel, name: d.name });
        declaredBy.set(d.name, list);
      }
    }
    const findings: FindingDraft<MessageId>[] = [];
    for (const file of project.files.values()) {
      if (analysis.isTest(file.rel)) continue;
      for (const e of file.facts.exports) {
        if (e.name === 'default' || e.name === '=' || !declaredBy.has(e.name)) continue;
        // A declaration exported under its own name is no alias: skip it without resolving.
        const own = e.local === e.name && e.ref === undefined ? model.decl(file.rel, e.name) : undefined;
        if (own && !(own.kind === 'variable' && own.init?.kind === 'alias')) continue;
        const target = model.resolveExport(file.rel, e.name);
        if (!target || target.namespace || (target.decl.kind !== 'class' && target.decl.kind !== 'function')) continue;
        if (target.decl.name === e.name) continue;
        const others = (declaredBy.get(e.name) ?? []).filter((o) => declKey(o.file, o.name) !== declKey(target.file, target.decl.name));
        if (others.length === 0 || (!roleNames.has(e.name) && !roleNames.has(target.decl.name))) continue;
        const other = others[0]!;
        findings.push({
          messageId: 'aliasedName',
          data: { name: e.name, actual: target.decl.name, actualFile: target.file, other: other.name, otherFile: other.file },
          file: file.rel,
          loc: e.loc,
          key: `alias|${e.name}|${declKey(target.file, target.decl.name)}`,
        });
      }
    }
    // Two declarations of one name collide when they implement the same role (are in one group);
    // an SDK client `ApiKey` and a model `ApiKey` are different roles that merely share a name.
    const groupsOf = new Map<string, Set<string>>();
    for (const g of analysis.groups) for (const i of g.implementations) {
      const key = declKey(i.file, i.name);
      (groupsOf.get(key) ?? groupsOf.set(key, new Set()).get(key)!).add(g.name);
    }
    const sameGroup = (a: { file: string; name: string }, b: { file: string; name: string }): boolean => {
      const ga = groupsOf.get(declKey(a.file, a.name));
      const gb = groupsOf.get(declKey(b.file, b.name));
      return !!ga && !!gb && [...ga].some((g) => gb.has(g));
    };
    for (const [name, decls] of declaredBy) {
      if (decls.length < 2 || !roleNames.has(name)) continue;
      for (const d of decls) {
        const other = decls.find((o) => o.file !== d.file && sameGroup(d, o));
        if (!other) continue;
        const decl = model.decl(d.file, name)!;
        if (!decl.exported && !model.importers(d.file).length) continue;
        findings.push({ messageId: 'duplicateName', data: { name, otherFile: other.file }, file: d.file, loc: decl.loc, key: `duplicate|${name}` });
      }
    }
    return findings;
  },
});
