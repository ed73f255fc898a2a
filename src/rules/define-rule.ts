import type { Analysis } from '../analyze/analyze.js';
import type { Loc, Severity } from '../types.js';

export interface RuleMeta<M extends string = string> {
  /** One sentence: what the rule finds. */
  description: string;
  /** Default severity; `ssot.config.json` `rules` can change it or turn the rule off. */
  severity: Severity;
  /** camelCase message ids to templates with `{{placeholders}}`. */
  messages: Record<M, string>;
  /** JSON Schema of the options object. */
  schema: Record<string, unknown>;
  /** Whether the rule needs the type checker (none does yet: facts decide). */
  requiresTypeInfo: boolean;
}

/** What a rule reports: the runner adds rule id, message, severity and fingerprint. */
export interface FindingDraft<M extends string = string> {
  messageId: M;
  data: Record<string, string | number>;
  file: string;
  loc: Loc;
  /**
   * What identifies this occurrence independently of its position (resolved target, symbol…), so
   * that fingerprints survive inserted lines, reformatting and moves within the file.
   */
  key: string;
  /** Lower than the rule's severity for secondary findings (e.g. indirect consumers). */
  severity?: Severity;
  group?: string;
  related?: { file: string; line: number; column: number; message: string }[];
}

export interface RuleContext<O> {
  analysis: Analysis;
  options: O;
}

export interface Rule<O = Record<string, unknown>, M extends string = string> {
  id: string;
  meta: RuleMeta<M>;
  defaultOptions: O;
  run(ctx: RuleContext<O>): FindingDraft<M>[];
}

export function defineRule<O, M extends string>(rule: Rule<O, M>): Rule<O, M> {
  return rule;
}
