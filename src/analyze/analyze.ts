import picomatch from 'picomatch';
import type { DeclFact } from '../types.js';
import type { GroupConfig, ResolvedConfig } from '../config/load-config.js';
import type { Project } from '../scan/scan-project.js';
import { idfWeights } from './api-similarity.js';
import { buildConsumerIndex, reachingFiles, type ConsumerIndex } from './consumer-index.js';
import { chooseSsot, DEFAULT_MIN_CONFIDENCE, discoverGroups } from './discovery.js';
import { isDismissed } from './dismissed.js';
import { analyzeGroup, consumersOf, toRel, type GroupAnalysis } from './group-analysis.js';
import { legacyMatcher, type LegacyMatcher } from './legacy-matcher.js';
import { declKey, ProjectModel } from './project-model.js';

/** A configured group with what the rules need to judge files against it. */
export interface GroupContext {
  config: GroupConfig;
  analysis: GroupAnalysis;
  isAllowed: (rel: string) => boolean;
  legacy: LegacyMatcher;
  /** Root-relative module where role classes may be constructed. */
  factoryModule: string;
}

/** Everything the rules read: the project's facts, the symbol model, the consumer map and the groups. */
export interface Analysis {
  project: Project;
  config: ResolvedConfig;
  model: ProjectModel;
  consumers: ConsumerIndex;
  /** Files whose references the consumer map followed: the implementations' files and what forwards their exports. */
  reach: ReadonlySet<string>;
  /** Configured groups, or the discovered ones when there are none. */
  groups: GroupAnalysis[];
  contexts: GroupContext[];
  isTest: (rel: string) => boolean;
}

export function analyze(project: Project, config: ResolvedConfig): Analysis {
  const base = analysisBase(project, config);
  return { ...base, ...groupsAndConsumers(base) };
}

/**
 * The analysis with the groups and the consumer map built when a rule first reads them: rules that read
 * only the project and the symbol model (import-cycle, run again after an edit that can change only
 * what they report: scan/reuse.ts) skip discovery and the consumer map.
 */
export function analyzeLazily(project: Project, config: ResolvedConfig): Analysis {
  const base = analysisBase(project, config);
  let rest: ReturnType<typeof groupsAndConsumers> | undefined;
  const built = (): ReturnType<typeof groupsAndConsumers> => (rest ??= groupsAndConsumers(base));
  return {
    ...base,
    get consumers() {
      return built().consumers;
    },
    get reach() {
      return built().reach;
    },
    get groups() {
      return built().groups;
    },
    get contexts() {
      return built().contexts;
    },
  };
}

type AnalysisBase = Pick<Analysis, 'project' | 'config' | 'model' | 'isTest'>;

function analysisBase(project: Project, config: ResolvedConfig): AnalysisBase {
  const model = new ProjectModel(project);
  // Asked for every file by several rules: each path is matched against the globs once.
  const testGlobs = picomatch(config.tests, { dot: true });
  const testMemo = new Map<string, boolean>();
  const isTest = (rel: string): boolean => {
    let hit = testMemo.get(rel);
    if (hit === undefined) testMemo.set(rel, (hit = testGlobs(rel)));
    return hit;
  };
  return { project, config, model, isTest };
}

function groupsAndConsumers({ project, config, model, isTest }: AnalysisBase): Pick<Analysis, 'consumers' | 'reach' | 'groups' | 'contexts'> {
  const apis: string[][] = [];
  for (const f of project.files.values()) for (const d of f.facts.decls) if (d.methods?.length) apis.push(d.methods);
  const weight = idfWeights(apis);
  const matchers = config.groups.map((group) => legacyMatcher(group, project.root, (name) => project.packageDirs.get(name)));
  const ownFiles = config.groups.map((group) => new Set([group.ssot.module, group.ssot.factoryModule ?? group.ssot.module].map((m) => toRel(project.root, m))));
  const owns = (i: number, rel: string): boolean => ownFiles[i]!.has(rel) || !!matchers[i]!.moduleOf(rel);
  const roleOf = config.groups.map((g) => {
    const names = g.role.names.length ? picomatch(g.role.names) : () => false;
    const own = new Set([g.ssot.export, g.ssot.factory].filter(Boolean));
    return (d: DeclFact): boolean => names(d.name) || own.has(d.name) || (d.implements ?? []).some((i) => g.role.implements.includes(i));
  });
  const contexts: GroupContext[] = config.groups.map((group, gi) => {
    const allow = group.allow.length ? picomatch(group.allow, { dot: true }) : () => false;
    const ssotFile = toRel(project.root, group.ssot.module);
    const isAllowed = (rel: string): boolean => rel === ssotFile || allow(rel);
    const legacy = matchers[gi]!;
    const claimedElsewhere = config.groups.length < 2 ? undefined : (rel: string, d: DeclFact): boolean =>
      // Groups sharing one SSOT module (one role split in two, as a dispatcher and its factory) claim nothing from each other.
      !owns(gi, rel) && config.groups.some((g, i) => i !== gi && g.ssot.module !== group.ssot.module && owns(i, rel) && roleOf[i]!(d));
    const analysis = analyzeGroup(group, { model, isTest, isAllowed, legacy, weight, ...(claimedElsewhere ? { claimedElsewhere } : {}) });
    return { config: group, analysis, isAllowed, legacy, factoryModule: toRel(project.root, group.ssot.factoryModule ?? group.ssot.module) };
  });
  const minConfidence = config.discovery?.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  // Sets a person judged not competing (config `dismissed`) stay out of discovery for good (issue 18, item 6).
  const groups = contexts.length ? contexts.map((c) => c.analysis) : discoverGroups(model, isTest, weight, { minConfidence }).filter((g) => !isDismissed(g, config));
  const impls = groups.flatMap((g) => g.implementations);
  // Everything the implementations' modules export is of interest too: a module whose factory and
  // types everyone imports is the one in use, even if its class is rarely named.
  const moduleDecls = new Map<string, string[]>();
  for (const file of new Set(impls.map((i) => i.file))) {
    const names = [...model.exportsOf(file).values()].flatMap((t) => (!t.namespace && t.file === file ? [t.decl.name] : []));
    moduleDecls.set(file, [...new Set(names)]);
  }
  const interesting = new Set(impls.map((i) => declKey(i.file, i.name)));
  for (const [file, names] of moduleDecls) for (const n of names) interesting.add(declKey(file, n));
  const reach = reachingFiles(model, interesting);
  const consumers = buildConsumerIndex(model, interesting, reach);
  for (const impl of impls) {
    impl.consumers = consumersOf(consumers, impl.file, impl.name);
    const files = new Set<string>();
    for (const n of moduleDecls.get(impl.file) ?? []) for (const c of consumersOf(consumers, impl.file, n)) files.add(c.file);
    impl.moduleConsumers = files.size;
  }
  for (const g of groups) if (g.discovered) chooseSsot(g, model, isTest);
  return { consumers, reach, groups, contexts };
}
