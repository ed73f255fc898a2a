import { defineRule, type FindingDraft } from './define-rule.js';

export type Options = Record<string, never>;
type MessageId = 'competing' | 'discovered';

export default defineRule<Options, MessageId>({
  id: 'competing-implementation',
  meta: {
    description: 'A class, factory function, object-literal factory or singleton plays a group\'s role but is not its SSOT.',
    severity: 'error',
    messages: {
      competing: '{{kind}} {{name}} competes with the SSOT {{ssot}} of group "{{group}}" ({{evidence}}); {{consumers}} consumer file(s).',
      discovered: '{{kind}} {{name}} looks like a competing implementation of {{ssot}} ({{evidence}}); {{consumers}} consumer file(s). Run `ssot init` to make this a group.',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    requiresTypeInfo: false,
  },
  defaultOptions: {},
  run({ analysis }) {
    const findings: FindingDraft<MessageId>[] = [];
    for (const group of analysis.groups) {
      const ssot = group.implementations.find((i) => i.ssot);
      const ssotLabel = ssot ? `${ssot.name} (${ssot.file})` : group.ssot.file;
      for (const impl of group.implementations) {
        if (impl.ssot) continue;
        findings.push({
          messageId: group.discovered ? 'discovered' : 'competing',
          data: {
            kind: impl.kind === 'object-factory' ? 'object-literal factory' : impl.kind,
            name: impl.name,
            ssot: ssotLabel,
            group: group.name,
            evidence: impl.evidence.map((e) => e.detail).join('; '),
            consumers: impl.consumers.length,
          },
          file: impl.file,
          loc: { line: impl.line, column: impl.column, endLine: impl.line, endColumn: impl.column + impl.name.length },
          // Discovered group names are derived and may change; the implementation's name is what stays.
          key: group.discovered ? `discovered|${impl.name}` : `${group.name}|${impl.name}`,
          ...(group.discovered ? { severity: 'warning' as const } : {}),
          group: group.name,
        });
      }
    }
    return findings;
  },
});
