import { defineRule, type FindingDraft } from './define-rule.js';

export type Options = Record<string, never>;
type MessageId = 'competing' | 'discovered' | 'duplicateCopy' | 'family';

export default defineRule<Options, MessageId>({
  id: 'competing-implementation',
  meta: {
    description: 'A class, factory function, object-literal factory or singleton plays a group\'s role but is not its SSOT.',
    severity: 'error',
    messages: {
      competing: '{{kind}} {{name}} competes with the SSOT {{ssot}} of group "{{group}}" ({{evidence}}); {{consumers}} consumer file(s).',
      discovered: '{{kind}} {{name}} looks like a competing implementation of {{ssot}} (confidence {{confidence}}: {{evidence}}); {{consumers}} consumer file(s). Run `ssot init` to make this a group.',
      duplicateCopy: '{{kind}} {{name}} looks like a copy of {{ssot}} (confidence {{confidence}}: {{evidence}}); {{consumers}} consumer file(s). Run `ssot init` to make this a group.',
      family: '{{kind}} {{name}} is a sibling of {{ssot}} under one contract ({{evidence}}): a family by design, listed for information.',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    requiresTypeInfo: false,
    reads: {
      // The groups (configured: role declarations; discovered: every candidate) and their consumer counts.
      facts: { refs: ['reach', 'by-name'], exports: ['roles', 'by-name'], starExports: ['by-name'], decls: ['roles', 'by-name'], uses: ['reach', 'by-name'] },
      declFields: { name: 'always', kind: 'always', exported: 'always', init: 'always', methods: 'always', staticMethods: 'always', extends: 'always', implements: 'always', singletonAccessor: 'always', extent: 'discovery', sketch: 'discovery', delegates: 'discovery', returns: 'discovery', deprecated: 'discovery', abstract: 'discovery' },
    },
  },
  defaultOptions: {},
  run({ analysis }) {
    const findings: FindingDraft<MessageId>[] = [];
    for (const group of analysis.groups) {
      const ssot = group.implementations.find((i) => i.ssot);
      const ssotLabel = ssot ? `${ssot.name} (${ssot.file})` : group.ssot.file;
      const kind = group.discovery?.kind;
      for (const impl of group.implementations) {
        if (impl.ssot) continue;
        const messageId: MessageId = !group.discovered ? 'competing' : kind === 'family' ? 'family' : kind === 'duplicate-copy' ? 'duplicateCopy' : 'discovered';
        findings.push({
          messageId,
          data: {
            kind: impl.kind === 'object-factory' ? 'object-literal factory' : impl.kind,
            name: impl.name,
            ssot: ssotLabel,
            group: group.name,
            evidence: impl.evidence.map((e) => e.detail).join('; '),
            consumers: impl.consumers.length,
            ...(group.discovery ? { confidence: group.discovery.confidence.toFixed(2) } : {}),
          },
          file: impl.file,
          loc: { line: impl.line, column: impl.column, endLine: impl.line, endColumn: impl.column + impl.name.length },
          // Discovered group names are derived and may change; the implementation's name is what stays.
          key: group.discovered ? `discovered|${impl.name}` : `${group.name}|${impl.name}`,
          ...(group.discovered ? { severity: kind === 'family' ? ('info' as const) : ('warning' as const) } : {}),
          group: group.name,
        });
      }
    }
    return findings;
  },
});
