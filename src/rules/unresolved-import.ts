import { defineRule, type FindingDraft } from './define-rule.js';

export type Options = Record<string, never>;
type MessageId = 'unresolvedImport';

/**
 * A relative or alias specifier (tsconfig `paths`, package.json `imports`, a workspace package's
 * subpath) that names no file. What it imports is unknown, so a legacy import behind it would pass:
 * issue 16 asks that nothing unresolved goes unsaid. Info by default (the coverage lists these too);
 * `--strict-resolution` or config `strictResolution` makes it an error, so the gate fails on them.
 * Imports of packages that are not installed are only counted in the coverage: an install resolves them.
 */
export default defineRule<Options, MessageId>({
  id: 'unresolved-import',
  meta: {
    description: 'A relative or alias import names no file, so what it reaches is unknown.',
    severity: 'info',
    messages: {
      unresolvedImport: 'Cannot resolve {{specifier}}: no file matches it, so what it imports is not analysed. Fix the path or the tsconfig/package.json that maps it.',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    requiresTypeInfo: false,
    reads: {
      facts: { refs: ['unresolved'] },
    },
  },
  defaultOptions: {},
  run({ analysis }) {
    const findings: FindingDraft<MessageId>[] = [];
    for (const refs of analysis.project.refs.values()) {
      for (const r of refs) {
        if (r.target || r.targetAbs || r.external) continue;
        findings.push({ messageId: 'unresolvedImport', data: { specifier: r.ref.specifier }, file: r.from, loc: r.ref.loc, key: `${r.ref.kind}\0${r.ref.specifier}` });
      }
    }
    return findings;
  },
});
