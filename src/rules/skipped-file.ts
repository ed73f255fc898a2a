import type { SkippedFile } from '../types.js';
import { defineRule, type FindingDraft } from './define-rule.js';

export interface Options {
  /** Reasons whose skipped files are only listed in the coverage, not reported (the team accepts not analysing them). */
  allow: SkippedFile['reason'][];
}
type MessageId = 'skipped';

/**
 * A file the scan selected but could not analyse. Before issue 15 such files were only listed in the
 * coverage line, so a legacy import in a file over 2 MB, or one the reader could not open, passed
 * `ssot check`: a gate must never pass because something was skipped.
 */
export default defineRule<Options, MessageId>({
  id: 'skipped-file',
  meta: {
    description: 'A selected file was not analysed (binary content, over the size limit, or unreadable), so what it imports is unknown.',
    severity: 'error',
    messages: {
      skipped: 'Not analysed ({{reason}}: {{detail}}), so findings in it are unknown. Exclude it, or allow this reason in rules["skipped-file"].options.allow.',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allow: { type: 'array', items: { enum: ['binary', 'too-large', 'unreadable'] }, description: 'Reasons to accept without a finding.' },
      },
    },
    requiresTypeInfo: false,
    reads: {
      // Only the coverage's skipped files: no fact.
      facts: {},
    },
  },
  defaultOptions: { allow: [] },
  run({ analysis, options }) {
    const findings: FindingDraft<MessageId>[] = [];
    for (const skipped of analysis.project.coverage.skipped) {
      if (options.allow.includes(skipped.reason)) continue;
      const detail = skipped.detail ?? skipped.reason;
      // The detail is in the key: a too-large file that grows or shrinks is a new finding, not a known one.
      findings.push({ messageId: 'skipped', data: { reason: skipped.reason, detail }, file: skipped.file, loc: { line: 1, column: 1, endLine: 1, endColumn: 1 }, key: `${skipped.reason}\0${detail}` });
    }
    return findings;
  },
});
