import type { Analysis } from '../analyze/analyze.js';
import type { DeclFact, FileFacts, Loc, Severity } from '../types.js';

/**
 * Of which files, or of which of their items, a rule reads a fact: each scope is one check the early cutoff
 * (incremental.ts) makes before it lets an edit of that fact skip the analysis (issue #20). A rule declares
 * what it reads directly and through the analysis it reads (groups, the consumer map, the project model).
 */
export type ReadScope =
  /** The fact of every file, whole: any change of it is seen (the cutoff compares it exactly). */
  | 'every-file'
  /** Declarations, exports and import bindings looked up by name, or listed whole, through the project model (the lookups are recorded). */
  | 'by-name'
  /** References that resolve to no file, or to a package that is not installed. */
  | 'unresolved'
  /** References that reach a group's legacy module, and references to files that re-export (the barrels). */
  | 'legacy'
  /** References into, and calls resolving into, the consumer map's reach: implementations' modules and what forwards their exports. */
  | 'reach'
  /** The references of the modules that declare an implementation. */
  | 'implementation-modules'
  /** Import edges between scanned files that lie on a cycle, and type-only uses along them. */
  | 'module-graph'
  /** Module-level `new` of a project class (it makes the class's one instance shared). */
  | 'module-instances'
  /** Declarations and exports that can play a role: classes, factories, functions whose name a role matches, anything with methods, heritage or static members. */
  | 'roles'
  /** Classes and functions declared, and names exported, by more than one file. */
  | 'same-name';

/** When a rule reads a declaration field: always, or only while groups are discovered (none configured). */
export type FieldRead = 'always' | 'discovery';

/** What a rule reads of the facts (`meta.reads`): the cutoff is derived from the enabled rules' declarations. */
export interface RuleReads {
  /** Each fact the rule reads, with the scopes it reads it in; a fact left out is one it never reads. */
  facts: { readonly [K in keyof FileFacts]?: readonly ReadScope[] };
  /** The declaration fields it reads (when it reads `decls`), and when. */
  declFields?: { readonly [K in keyof DeclFact]?: FieldRead };
}

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
  /** What it reads of the facts: which facts, of which files (see `RuleReads`). */
  reads: RuleReads;
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
