#!/usr/bin/env node
// Discovery evaluation (issue 18): runs ssot-kit's zero-config discovery on real repositories and
// judges its proposals against labels written by reading code (eval/discovery/<owner>__<repo>.json).
//
//   npm run eval:discovery -- <repos dir> [--json] [--labels <dir>] [--only <repo>] [--cache] [--threads <n>]
//
// <repos dir> holds one checkout per label file, in a folder named `<repo>` or `<owner>__<repo>`
// (medusajs/medusa: `<repos dir>/medusa` or `<repos dir>/medusajs__medusa`). See eval/discovery/README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, findCheckout, parseEvalArgs } from './eval-common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run eval:discovery -- <repos dir> [--json] [--labels <dir>] [--only <repo>] [--cache] [--threads <n>]';
/** A labelled member matches a discovered implementation by file and name; the line only breaks ties. */
const LINE_DRIFT = 5;

function parseArgs(argv) {
  const opts = { json: false, labels: path.join(here, '..', 'eval', 'discovery'), only: [], cache: false, threads: undefined, reposDir: undefined };
  opts.reposDir = parseEvalArgs(argv, USAGE, {
    flags: { '--json': () => (opts.json = true), '--cache': () => (opts.cache = true) },
    values: { '--labels': (v) => (opts.labels = path.resolve(v)), '--only': (v) => opts.only.push(v), '--threads': (v) => (opts.threads = Number(v)) },
  });
  return opts;
}

const posix = (p) => p.split(path.sep).join('/').replace(/^\.\//, '');
const ratio = (n, d) => (d === 0 ? null : n / d);
const pct = (x) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
const where = (m) => `${m.file}:${m.line} ${m.name}`;

function loadLabels(dir) {
  if (!fs.existsSync(dir)) fail(`no labels folder ${dir}`);
  const files = fs.readdirSync(dir).filter((f) => /^[^_].*__.*\.json$/.test(f)).sort();
  if (!files.length) fail(`no <owner>__<repo>.json label files in ${dir}`);
  return files.map((f) => {
    const labels = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const key of ['repository', 'commit', 'groups', 'mustNot'])
      if (!(key in labels)) fail(`${f}: missing "${key}"`);
    return { labelFile: f, ...labels };
  });
}

function headOf(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined; // not a git checkout (an extracted snapshot): the label's commit is taken on trust
  }
}

/** Labelled members whose file is gone or whose name is not within LINE_DRIFT lines of the label: the labels are stale for this checkout. */
function staleMembers(dir, members) {
  const stale = [];
  const texts = new Map();
  for (const m of members) {
    const abs = path.join(dir, m.file);
    if (!texts.has(abs)) texts.set(abs, fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8').split('\n') : null);
    const lines = texts.get(abs);
    const near = lines?.slice(Math.max(0, m.line - 1 - LINE_DRIFT), m.line + LINE_DRIFT).some((l) => new RegExp(`\\b${m.name.replace(/\$/g, '\\$')}\\b`).test(l));
    if (!near) stale.push({ ...m, problem: lines ? 'name not near its line' : 'file missing' });
  }
  return stale;
}

/**
 * Index of labelled members by `file\0name`; each entry lists where the member is labelled
 * (`group:<id>` and `mustNot:<index>:a|b`) with its line, so ties on file+name go to the nearest line.
 */
function memberIndex(labels) {
  const index = new Map();
  const add = (m, ref) => {
    const key = `${posix(m.file)}\0${m.name}`;
    if (!index.has(key)) index.set(key, []);
    index.get(key).push({ line: m.line, ref });
  };
  labels.groups.forEach((g) => g.members.forEach((m) => add(m, `group:${g.id}`)));
  labels.mustNot.forEach((p, i) => {
    add(p.a, `mustNot:${i}:a`);
    add(p.b, `mustNot:${i}:b`);
  });
  return index;
}

/** The label refs an implementation stands for: all entries with its file and name; if their lines disagree, those nearest its line. */
function refsOf(index, impl) {
  const entries = index.get(`${posix(impl.file)}\0${impl.name}`);
  if (!entries) return [];
  const lines = new Set(entries.map((e) => e.line));
  if (lines.size === 1) return entries.map((e) => e.ref);
  const best = Math.min(...entries.map((e) => Math.abs(e.line - impl.line)));
  return entries.filter((e) => Math.abs(e.line - impl.line) === best).map((e) => e.ref);
}

function judge(labels, groups) {
  const index = memberIndex(labels);
  const discovered = groups.filter((g) => g.discovered);
  const families = discovered.filter((g) => g.discovery?.kind === 'family');
  const proposals = discovered.filter((g) => g.discovery?.kind !== 'family');

  const refsIn = (g) => {
    const refs = new Set();
    for (const impl of g.implementations) for (const r of refsOf(index, impl)) refs.add(r);
    return refs;
  };
  // How many members of each labelled group a discovered group holds.
  const membersOfLabelled = (g) => {
    const count = new Map();
    for (const impl of g.implementations)
      for (const r of new Set(refsOf(index, impl))) if (r.startsWith('group:')) count.set(r.slice(6), (count.get(r.slice(6)) ?? 0) + 1);
    return count;
  };
  const violatedPairs = (g) => {
    const refs = refsIn(g);
    return labels.mustNot.map((p, i) => ({ p, i })).filter(({ i }) => refs.has(`mustNot:${i}:a`) && refs.has(`mustNot:${i}:b`));
  };
  const describe = (g) => ({
    name: g.name,
    kind: g.discovery?.kind ?? null,
    confidence: g.discovery?.confidence ?? null,
    members: g.implementations.map((i) => ({ name: i.name, file: i.file, line: i.line, kind: i.kind })),
  });

  const judged = proposals.map((g) => {
    const hits = [...membersOfLabelled(g)].filter(([, n]) => n >= 2).map(([id]) => id);
    const violations = violatedPairs(g);
    const verdict = violations.length ? 'false' : hits.length ? 'match' : 'unlabelled';
    return { ...describe(g), verdict, labelledGroups: hits, mustNotPairs: violations.map(({ i }) => i) };
  });

  const found = new Map(); // labelled group id -> names of proposals holding 2+ of its members
  for (const j of judged) for (const id of j.labelledGroups) found.set(id, [...(found.get(id) ?? []), j.name]);
  const onlyAsFamily = labels.groups
    .filter((g) => !found.has(g.id) && families.some((f) => (membersOfLabelled(f).get(g.id) ?? 0) >= 2))
    .map((g) => g.id);

  const violated = new Set(judged.flatMap((j) => j.mustNotPairs));
  const familyPairsReportedAsFamily = labels.mustNot.filter((p, i) => p.reason === 'family' && families.some((f) => violatedPairs(f).some((v) => v.i === i))).length;

  const count = (v) => judged.filter((j) => j.verdict === v).length;
  const matching = count('match');
  const falses = count('false');
  const unlabelled = count('unlabelled');
  const byClass = {};
  for (const g of labels.groups) {
    byClass[g.class] ??= { labelled: 0, found: 0 };
    byClass[g.class].labelled++;
    if (found.has(g.id)) byClass[g.class].found++;
  }
  const violatedByReason = {};
  for (const i of violated) violatedByReason[labels.mustNot[i].reason] = (violatedByReason[labels.mustNot[i].reason] ?? 0) + 1;

  return {
    counts: {
      proposed: proposals.length,
      familiesInfo: families.length,
      matching,
      false: falses,
      mixed: judged.filter((j) => j.verdict === 'false' && j.labelledGroups.length).length,
      unlabelled,
      labelledGroups: labels.groups.length,
      labelledGroupsFound: found.size,
      mustNotPairs: labels.mustNot.length,
      mustNotViolated: violated.size,
      familyPairsReportedAsFamily,
    },
    precision: ratio(matching, matching + falses),
    precisionUnlabelledAsFalse: ratio(matching, matching + falses + unlabelled),
    recall: ratio(found.size, labels.groups.length),
    recallByClass: Object.fromEntries(Object.entries(byClass).map(([k, v]) => [k, { ...v, recall: ratio(v.found, v.labelled) }])),
    mustNotViolatedByReason: violatedByReason,
    groupsFound: Object.fromEntries(found),
    groupsMissed: labels.groups.filter((g) => !found.has(g.id)).map((g) => g.id),
    groupsOnlyAsFamily: onlyAsFamily,
    violations: [...violated].sort((a, b) => a - b).map((i) => {
      const p = labels.mustNot[i];
      return { index: i, reason: p.reason, a: where(p.a), b: where(p.b), proposals: judged.filter((j) => j.mustNotPairs.includes(i)).map((j) => j.name) };
    }),
    proposals: judged,
  };
}

async function evaluate(labels, opts, scan) {
  const dir = findCheckout(opts.reposDir, labels.repository);
  const [owner, repo] = labels.repository.split('/');
  const base = { repository: labels.repository, labelFile: labels.labelFile, commit: labels.commit };
  if (!dir) return { ...base, skipped: `no folder ${path.join(opts.reposDir, repo)} or ${path.join(opts.reposDir, `${owner}__${repo}`)}` };
  const head = headOf(dir);
  const allMembers = [...labels.groups.flatMap((g) => g.members), ...labels.mustNot.flatMap((p) => [p.a, p.b])];
  const stale = staleMembers(dir, allMembers);

  const started = performance.now();
  const result = await scan({
    root: dir,
    config: false,
    rules: ['competing-implementation'],
    cache: opts.cache ? undefined : false,
    ...(opts.threads ? { threads: opts.threads } : {}),
  });
  const wallMs = performance.now() - started;
  return {
    ...base,
    dir,
    head: head ?? null,
    commitMismatch: !!head && head !== labels.commit,
    staleLabels: stale,
    scan: { wallMs: Math.round(wallMs), durationMs: result.durationMs, files: result.coverage.files, parsed: result.coverage.parsed, cached: result.coverage.cached, cold: !opts.cache },
    ...judge(labels, result.groups),
  };
}

function total(reports) {
  const done = reports.filter((r) => !r.skipped);
  const sum = (f) => done.reduce((n, r) => n + f(r), 0);
  const c = (k) => sum((r) => r.counts[k]);
  const matching = c('matching');
  const falses = c('false');
  const unlabelled = c('unlabelled');
  const byClass = {};
  for (const r of done)
    for (const [k, v] of Object.entries(r.recallByClass)) {
      byClass[k] ??= { labelled: 0, found: 0 };
      byClass[k].labelled += v.labelled;
      byClass[k].found += v.found;
    }
  const byReason = {};
  for (const r of done) for (const [k, v] of Object.entries(r.mustNotViolatedByReason)) byReason[k] = (byReason[k] ?? 0) + v;
  return {
    repositories: done.length,
    skipped: reports.length - done.length,
    counts: Object.fromEntries(Object.keys(done[0]?.counts ?? {}).map((k) => [k, c(k)])),
    precision: ratio(matching, matching + falses),
    precisionUnlabelledAsFalse: ratio(matching, matching + falses + unlabelled),
    recall: ratio(c('labelledGroupsFound'), c('labelledGroups')),
    recallByClass: Object.fromEntries(Object.entries(byClass).map(([k, v]) => [k, { ...v, recall: ratio(v.found, v.labelled) }])),
    mustNotViolatedByReason: byReason,
    scan: { wallMs: sum((r) => r.scan.wallMs), files: sum((r) => r.scan.files) },
  };
}

function printText(reports, tot) {
  const line = (s = '') => console.log(s);
  for (const r of reports) {
    line(`== ${r.repository} (${r.labelFile})`);
    if (r.skipped) {
      line(`   skipped: ${r.skipped}`);
      line();
      continue;
    }
    line(`   checkout ${r.dir}${r.head ? ` at ${r.head.slice(0, 12)}` : ' (not a git checkout)'}; labels at ${r.commit.slice(0, 12)}${r.commitMismatch ? '  ** COMMIT MISMATCH: labels may be stale **' : ''}`);
    if (r.staleLabels.length) line(`   ${r.staleLabels.length} labelled member(s) not found where labelled: ${r.staleLabels.slice(0, 5).map((m) => `${where(m)} (${m.problem})`).join('; ')}${r.staleLabels.length > 5 ? '; …' : ''}`);
    line(`   discovery scan: ${(r.scan.wallMs / 1000).toFixed(1)} s wall (${(r.scan.durationMs / 1000).toFixed(1)} s reported), ${r.scan.files} files, ${r.scan.cold ? 'cold (no cache)' : `cache: ${r.scan.cached} of ${r.scan.parsed} reused`}`);
    const k = r.counts;
    line(`   proposed groups ${k.proposed} (+${k.familiesInfo} families, info)`);
    line(`   matching ${k.matching}, false ${k.false}${k.mixed ? ` (${k.mixed} of them also match a labelled group)` : ''}, unlabelled ${k.unlabelled}`);
    line(`   precision ${pct(r.precision)} (unlabelled as false: ${pct(r.precisionUnlabelledAsFalse)})`);
    line(`   recall ${pct(r.recall)} (${k.labelledGroupsFound}/${k.labelledGroups})  ${Object.entries(r.recallByClass).map(([c, v]) => `${c} ${v.found}/${v.labelled}`).join(', ')}`);
    line(`   must-not pairs violated ${k.mustNotViolated}/${k.mustNotPairs}${Object.keys(r.mustNotViolatedByReason).length ? ` (${Object.entries(r.mustNotViolatedByReason).map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}; family pairs reported as family: ${k.familyPairsReportedAsFamily}`);
    if (r.groupsMissed.length) line(`   missed: ${r.groupsMissed.join(', ')}`);
    if (r.groupsOnlyAsFamily.length) line(`   found only as a family (info): ${r.groupsOnlyAsFamily.join(', ')}`);
    for (const v of r.violations) line(`   violated [${v.reason}] ${v.a}  ~  ${v.b}  in ${v.proposals.join(', ')}`);
    const unl = r.proposals.filter((p) => p.verdict === 'unlabelled');
    if (unl.length) {
      line(`   unlabelled proposals (for review):`);
      for (const p of unl) {
        line(`     - ${p.name}${p.kind ? ` [${p.kind}${p.confidence !== null ? ` ${p.confidence.toFixed(2)}` : ''}]` : ''}`);
        for (const m of p.members) line(`         ${m.file}:${m.line} ${m.name} (${m.kind})`);
      }
    }
    line();
  }
  line(`== total: ${tot.repositories} repositories${tot.skipped ? `, ${tot.skipped} skipped` : ''}, ${tot.scan.files} files, discovery scans ${(tot.scan.wallMs / 1000).toFixed(1)} s`);
  const k = tot.counts;
  if (!tot.repositories) return;
  line(`   proposed ${k.proposed} (+${k.familiesInfo} families), matching ${k.matching}, false ${k.false}, unlabelled ${k.unlabelled}`);
  line(`   precision ${pct(tot.precision)} (unlabelled as false: ${pct(tot.precisionUnlabelledAsFalse)})`);
  line(`   recall ${pct(tot.recall)} (${k.labelledGroupsFound}/${k.labelledGroups})  ${Object.entries(tot.recallByClass).map(([c, v]) => `${c} ${v.found}/${v.labelled}`).join(', ')}`);
  line(`   must-not pairs violated ${k.mustNotViolated}/${k.mustNotPairs}${Object.keys(tot.mustNotViolatedByReason).length ? ` (${Object.entries(tot.mustNotViolatedByReason).map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`);
}

const opts = parseArgs(process.argv.slice(2));
const all = loadLabels(opts.labels);
const chosen = opts.only.length ? all.filter((l) => opts.only.some((o) => l.repository === o || l.repository.endsWith(`/${o}`) || l.labelFile === o)) : all;
if (!chosen.length) fail(`no label file matches --only ${opts.only.join(', ')}`);
const distIndex = path.join(here, '..', 'dist', 'index.js');
if (!fs.existsSync(distIndex)) fail(`${distIndex} is missing: run npm run build (npm run eval:discovery does)`);
const { scan } = await import(pathToFileURL(distIndex).href);

const reports = [];
for (const labels of chosen) {
  if (!opts.json) process.stderr.write(`scanning ${labels.repository}…\n`);
  reports.push(await evaluate(labels, opts, scan));
}
const tot = total(reports);
if (opts.json) console.log(JSON.stringify({ labels: opts.labels, reposDir: opts.reposDir, repositories: reports, total: tot }, null, 2));
else printText(reports, tot);
if (!tot.repositories) process.exitCode = 2;
