import { defineRule, type FindingDraft } from './define-rule.js';

export type Options = Record<string, never>;
type MessageId = 'syntax' | 'tsconfig';

export default defineRule<Options, MessageId>({
  id: 'parse-error',
  meta: {
    description: 'A file could not be analysed: a syntax error in a source file (error), or an unreadable tsconfig.json (warning). The scan goes on without it.',
    severity: 'error',
    messages: {
      syntax: 'Cannot parse: {{message}}. The file was skipped, so findings in it are unknown.',
      tsconfig: 'Cannot use this tsconfig: {{message}}. Path aliases it defines are not resolved.',
    },
    schema: { type: 'object', additionalProperties: false, properties: {} },
    requiresTypeInfo: false,
    reads: {
      facts: { parseError: ['every-file'] },
    },
  },
  defaultOptions: {},
  run({ analysis }) {
    const findings: FindingDraft<MessageId>[] = [];
    for (const file of analysis.project.files.values()) {
      const error = file.facts.parseError;
      if (error) findings.push({ messageId: 'syntax', data: { message: error.message }, file: file.rel, loc: error.loc, key: error.message });
    }
    const root = analysis.project.root;
    for (const problem of analysis.project.tsconfigProblems) {
      const rel = problem.file.startsWith(root) ? problem.file.slice(root.length + 1).split('\\').join('/') : problem.file;
      // A warning: often an `extends` of a package that is not installed yet; the scan goes on without that tsconfig's aliases.
      findings.push({ messageId: 'tsconfig', data: { message: problem.message }, file: rel, loc: { line: 1, column: 1, endLine: 1, endColumn: 1 }, key: problem.message, severity: 'warning' });
    }
    return findings;
  },
});
