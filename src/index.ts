/**
 * ssot-kit's programmatic API. The CLI is a thin layer over these functions: they take options,
 * return data, print nothing, and throw ConfigError for problems the user can fix.
 */
import type { FixOptions } from './fix-api.js';
import type { FixResult } from './fix/fix-types.js';

export { scan, scanSession, analyzeProject, toolVersion, type Scanned } from './scan-api.js';
export { prepare, resolveConfig, type ScanOptions, type Session } from './prepare.js';
export type { ResolvedConfig } from './config/load-config.js';
export { check, updateBaseline, type CheckOptions, type CheckResult, type BaselineWriteResult } from './check-api.js';
export { readBaseline, writeBaseline, type BaselineEntry } from './baseline/baseline-file.js';
export { FIX_PHASES, type FixResult, type FixPhase, type FileChange, type Skip } from './fix/fix-types.js';
export type { FixOptions } from './fix-api.js';
export { init, type InitOptions, type InitResult, type ProposedGroup } from './init-api.js';
export { status, scanWithStatus, statusOf, formatStatus, type GroupStatus, type Phase, type StatusResult } from './status-api.js';
export { ConfigError } from './errors.js';
export { scanProject, type Project, type ProjectFile, type ResolvedRef } from './scan/scan-project.js';
export { formats } from './report/index.js';
export { rules, ruleIds } from './rules/index.js';
export { getReporter } from './report/index.js';
export type { ScanResult, Summary } from './scan-result.js';

export type { Finding, Severity, Coverage } from './types.js';
export type { GroupAnalysis, Implementation } from './analyze/group-analysis.js';

/**
 * `ssot fix`: see fix-api.ts. Loaded on the first call, so `import 'ssot-kit'` does not load what only the
 * rewrite needs (ast-types, the diff and JSONC editors; issue 19).
 */
export async function fix(options: FixOptions): Promise<FixResult> {
  return (await import('./fix-api.js')).fix(options);
}
