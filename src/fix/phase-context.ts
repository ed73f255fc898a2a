import path from 'node:path';
import type { GroupConfig, ResolvedConfig } from '../config/load-config.js';
import { ProjectModel } from '../analyze/project-model.js';
import type { ScanResult } from '../scan-result.js';
import type { Project } from '../scan/scan-project.js';
import { TsconfigIndex } from '../scan/tsconfig-index.js';
import type { Finding } from '../types.js';
import type { FixPlan } from './fix-plan.js';
import type { FixPhase } from './fix-types.js';
import type { removable } from './reach.js';
import { crossPackageSpecifier, packageSpecifiers, specifiersFor, type CrossPackage, type Specifiers } from './specifiers-for.js';

/** What facades and cleanup share: the files that may go, and which of them nothing reaches any more. */
export interface Removal {
  /** Each candidate (a legacy module's file, or a barrel that only passes them on) and its group. */
  legacyOf: Map<string, GroupConfig>;
  candidates: Set<string>;
  /** References the scan could not see: from files that do not parse or were not analysed, by name. */
  pins: { from: string; target: string; line: number; column: number }[];
  /** Updated by facades: a facade no longer imports what the legacy module did. */
  reach: ReturnType<typeof removable>;
}

/** What a phase's `select` and `options` read: the scan, the config, and the plan as the earlier phases left it. */
export interface PhaseContext {
  root: string;
  config: ResolvedConfig;
  findings: readonly Finding[];
  project: Project;
  model: ProjectModel;
  /** The phases this run includes. */
  phases: readonly FixPhase[];
  plan: FixPlan;
  /** Files that do not parse (the scan's parse-error findings and facts): never rewritten. */
  unparseable: ReadonlySet<string>;
  /** Files the scan did not analyse (too large, unreadable): no facts. */
  notAnalysed: ReadonlySet<string>;
  /** Every group's SSOT module and factory module (root-relative). */
  ssotFiles: ReadonlySet<string>;
  abs(rel: string): string;
  /** Root-relative POSIX path of an absolute one. */
  rel(abs: string): string;
  /** The group's findings of one rule. */
  byGroup(g: GroupConfig, ruleId: string): Finding[];
  /** The group's legacy modules that are paths, not yet deleted. */
  legacyPaths(g: GroupConfig): string[];
  /** Project files at or below an absolute path. */
  filesUnder(p: string): string[];
  /** Project files of the group's legacy modules. */
  filesOf(g: GroupConfig): string[];
  /** The specifiers a file uses for the given files, and the SSOT's in the same style (specifiers-for.ts). */
  specifiersFor(file: string, targets: ReadonlySet<string>, ssotModule: string): Specifiers & CrossPackage;
  /** The SSOT's package specifier when the file is in another workspace package, or that no file reaches it by one (specifiers-for.ts). */
  crossPackage(file: string, ssotModule: string, legacySpecifiers: readonly string[]): Specifiers & CrossPackage;
  /** Work phases share, computed by the first that needs it (removal.ts). */
  memo: { removal?: Removal };
}

export function phaseContext(o: { root: string; config: ResolvedConfig; result: ScanResult; project: Project; phases: readonly FixPhase[]; plan: FixPlan }): PhaseContext {
  const { root, config, project } = o;
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/');
  const unparseable = new Set(o.result.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.file));
  for (const [file, pf] of project.files) if (pf.facts.parseError) unparseable.add(file);
  const under = new Map<string, string[]>();
  const filesUnder = (p: string): string[] => {
    let files = under.get(p);
    if (!files) {
      const r = rel(p);
      under.set(p, (files = [...project.files.keys()].filter((f) => f === r || f.startsWith(`${r}/`))));
    }
    return files;
  };
  const legacyPaths = (g: GroupConfig): string[] => g.legacy.flatMap((l) => (l.path && !l.deleted ? [l.path] : []));
  const tsconfigs = new TsconfigIndex(root, config.tsconfig);
  const specifierContext = { root, project, tsconfigs, named: packageSpecifiers(project) };
  return {
    root, config, project, findings: o.result.findings, model: new ProjectModel(project), phases: o.phases, plan: o.plan,
    unparseable,
    notAnalysed: new Set(o.result.coverage.skipped.map((s) => s.file)),
    ssotFiles: new Set(config.groups.flatMap((g) => [rel(g.ssot.module), ...(g.ssot.factoryModule ? [rel(g.ssot.factoryModule)] : [])])),
    abs: (r) => path.join(root, r),
    rel,
    byGroup: (g, ruleId) => o.result.findings.filter((f) => f.ruleId === ruleId && f.group === g.name),
    legacyPaths,
    filesUnder,
    filesOf: (g) => legacyPaths(g).flatMap(filesUnder),
    specifiersFor: (file, targets, ssotModule) => specifiersFor(specifierContext, file, targets, ssotModule),
    crossPackage: (file, ssotModule, legacySpecifiers) => crossPackageSpecifier(specifierContext, file, ssotModule, legacySpecifiers),
    memo: {},
  };
}
