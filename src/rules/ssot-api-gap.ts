import { apiGaps } from '../analyze/api-gaps.js';
import { defineRule, type FindingDraft } from './define-rule.js';

export type Options = Record<string, never>;
type MessageId = 'missingExport' | 'missingRenamedExport';

/**
 * The seed's Phase 1 "API compatibility assessment" as a rule (issue 17, item 1): before anything is
 * rewritten, every name consumers take from a legacy module must exist on the SSOT, or `ssot fix` would
 * write an import of a name the SSOT lacks. `ssot fix` keeps such names on the legacy module.
 */
export default defineRule<Options, MessageId>({
  id: 'ssot-api-gap',
  meta: {
    description: 'A name consumers import from a legacy module that the SSOT module does not export, so `ssot fix` cannot move it.',
    severity: 'warning',
    messages: {
      missingExport: 'SSOT {{ssot}} lacks `{{name}}`, imported from {{module}} by {{count}} file(s) (first: {{first}}); export it from the SSOT or add a `renames` entry.',
      missingRenamedExport: 'SSOT {{ssot}} lacks `{{ssotName}}` (the rename of `{{name}}`), imported from {{module}} by {{count}} file(s) (first: {{first}}); export it from the SSOT or fix the `renames` entry.',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    requiresTypeInfo: false,
    reads: {
      // References to legacy modules; the SSOT's exports by name.
      facts: { refs: ['legacy', 'by-name'], exports: ['by-name'], starExports: ['by-name'], decls: ['by-name'] },
      declFields: { name: 'always', kind: 'always', init: 'always' },
    },
  },
  defaultOptions: {},
  run({ analysis }) {
    const findings: FindingDraft<MessageId>[] = [];
    for (const gap of apiGaps(analysis)) {
      const files = new Set(gap.consumers.map((c) => c.file));
      const first = gap.consumers[0]!;
      const at = gap.exportedAt ?? first;
      findings.push({
        messageId: gap.ssotName === gap.name ? 'missingExport' : 'missingRenamedExport',
        data: { ssot: gap.ssotFile, name: gap.name, ssotName: gap.ssotName, module: gap.module, count: files.size, first: `${first.file}:${first.loc.line}:${first.loc.column}` },
        file: at.file,
        loc: at.loc,
        key: `${gap.group}|${gap.module}|${gap.name}`,
        group: gap.group,
      });
    }
    return findings;
  },
});
