import competingImplementation from './competing-implementation.js';
import type { Rule } from './define-rule.js';
import factoryBypass from './factory-bypass.js';
import importCycle from './import-cycle.js';
import legacyImport from './legacy-import.js';
import nameCollision from './name-collision.js';
import parseError from './parse-error.js';
import sharedState from './shared-state.js';
import skippedFile from './skipped-file.js';
import ssotApiGap from './ssot-api-gap.js';
import unresolvedImport from './unresolved-import.js';

/** The rule registry: id -> rule. Adding a rule is one file and one line here. */
export const rules: readonly Rule<any>[] = [
  legacyImport,
  competingImplementation,
  factoryBypass,
  importCycle,
  sharedState,
  nameCollision,
  parseError,
  skippedFile,
  unresolvedImport,
  ssotApiGap,
];

export const ruleIds: readonly string[] = rules.map((r) => r.id);

export function getRule(id: string): Rule<any> | undefined {
  return rules.find((r) => r.id === id);
}
