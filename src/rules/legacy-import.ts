import type { GroupContext } from '../analyze/analyze.js';
import type { ProjectModel } from '../analyze/project-model.js';
import type { ResolvedRef } from '../scan/scan-project.js';
import { defineRule, type FindingDraft } from './define-rule.js';
import { refForm, refNames } from './ref-form.js';

export type Options = Record<string, never>;
type MessageId = 'legacyImport' | 'barrelReexport' | 'indirectImport';

const REEXPORTS = new Set(['export-from', 'export-star', 'export-star-as']);

export default defineRule<Options, MessageId>({
  id: 'legacy-import',
  meta: {
    description: 'A file outside `allow` reaches a legacy module, in any syntactic form, directly or through a barrel.',
    severity: 'error',
    messages: {
      legacyImport: 'Imports legacy module {{module}} ({{form}}); use the SSOT {{ssot}} instead.',
      barrelReexport: 'Re-exports legacy module {{module}} ({{form}}), so its importers reach it indirectly; re-export the SSOT {{ssot}} instead.',
      indirectImport: 'Reaches legacy module {{module}} indirectly through {{barrel}} ({{names}}).',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    requiresTypeInfo: false,
    reads: {
      // Barrels through the legacy matcher and the project model; what a barrel forwards by name.
      facts: { refs: ['legacy', 'by-name'], exports: ['by-name'], starExports: ['by-name'], decls: ['by-name'] },
      declFields: { name: 'always', kind: 'always', init: 'always' },
    },
  },
  defaultOptions: {},
  run({ analysis }) {
    const findings: FindingDraft<MessageId>[] = [];
    const { project, model } = analysis;
    for (const ctx of analysis.contexts) {
      const ssot = ssotLabel(ctx);
      const legacyFiles = new Set<string>();
      for (const rel of project.files.keys()) if (ctx.legacy.moduleOf(rel)) legacyFiles.add(rel);
      // Direct references, and barrels (any file that is not legacy itself) re-exporting legacy code.
      const barrels = new Map<string, string>(); // barrel -> legacy module it leads to
      for (const [rel, refs] of project.refs) {
        if (legacyFiles.has(rel)) continue;
        for (const r of refs) {
          const hit = ctx.legacy.match(r);
          if (!hit) continue;
          const isReexport = REEXPORTS.has(r.ref.kind);
          if (isReexport) barrels.set(rel, hit.spec);
          if (ctx.isAllowed(rel)) continue;
          findings.push({
            messageId: isReexport ? 'barrelReexport' : 'legacyImport',
            data: { module: hit.spec, form: refForm(r.ref), ssot },
            file: rel,
            loc: r.ref.loc,
            key: `${ctx.config.name}|${r.target ?? r.external ?? hit.spec}|${r.ref.kind}|${refNames(r.ref)}`,
            group: ctx.config.name,
          });
        }
      }
      // Barrels of barrels: follow re-export chains until nothing new is reached.
      const queue = [...barrels.keys()];
      while (queue.length) {
        const barrel = queue.pop()!;
        for (const { from, ref } of model.importers(barrel)) {
          if (!REEXPORTS.has(ref.ref.kind) || barrels.has(from) || legacyFiles.has(from)) continue;
          if (!reachesLegacy(ref, barrel, legacyFiles, model)) continue;
          const module = barrels.get(barrel)!;
          barrels.set(from, module);
          queue.push(from);
          if (ctx.isAllowed(from)) continue;
          findings.push({
            messageId: 'barrelReexport',
            data: { module, form: `${refForm(ref.ref)} ${barrel}`, ssot },
            file: from,
            loc: ref.ref.loc,
            key: `${ctx.config.name}|via|${barrel}|${ref.ref.kind}|${refNames(ref.ref)}`,
            group: ctx.config.name,
          });
        }
      }
      for (const [barrel, module] of barrels) {
        for (const { from, ref } of model.importers(barrel)) {
          if (ctx.isAllowed(from) || legacyFiles.has(from) || REEXPORTS.has(ref.ref.kind) || ref.ref.kind === 'require-resolve') continue;
          if (!reachesLegacy(ref, barrel, legacyFiles, model)) continue;
          findings.push({
            messageId: 'indirectImport',
            data: { module, barrel, names: refNames(ref.ref) },
            file: from,
            loc: ref.ref.loc,
            key: `${ctx.config.name}|indirect|${barrel}|${refNames(ref.ref)}`,
            severity: 'info',
            group: ctx.config.name,
          });
        }
      }
    }
    return findings;
  },
});

/** Whether a reference to a barrel takes something that comes from a legacy module. */
function reachesLegacy(r: ResolvedRef, barrel: string, legacyFiles: Set<string>, model: ProjectModel): boolean {
  const named = r.ref.names.filter((n) => n.imported !== '*');
  if (named.length === 0 || named.length < r.ref.names.length) return true; // whole-module forms take everything
  return named.some((n) => {
    const t = model.resolveExport(barrel, n.imported);
    return !!t && legacyFiles.has(t.file);
  });
}

function ssotLabel(ctx: GroupContext): string {
  const file = ctx.analysis.ssot.file;
  const name = ctx.config.ssot.export ?? ctx.config.ssot.factory;
  return name ? `${name} (${file})` : file;
}
