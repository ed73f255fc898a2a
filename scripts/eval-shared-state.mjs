#!/usr/bin/env node
// shared-state evaluation (issue 18): runs ssot-kit's zero-config `shared-state` rule on real repositories and
// judges its findings against labels written by reading code (eval/shared-state/labels*.json).
//
//   npm run eval:shared-state -- <repos dir> [--json] [--only <repo>] [--dist <dir>] [--list-unlabelled]
//
// <repos dir> holds one checkout per labelled repository, in a folder named `<repo>` or `<owner>__<repo>`.
// A finding is labelled when a label has its repository, file and line. Precision is reported per severity:
// `warning+` (what fails a gate or reads as a problem) and `all`. Unlabelled findings are counted and, with
// --list-unlabelled, listed for review; they are never guessed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fail, findCheckout, parseEvalArgs } from './eval-common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run eval:shared-state -- <repos dir> [--json] [--only <repo>] [--dist <dir>] [--list-unlabelled]';

function parseArgs(argv) {
  const opts = { json: false, only: [], dist: path.join(here, '..', 'dist'), listUnlabelled: false, reposDir: undefined };
  opts.reposDir = parseEvalArgs(argv, USAGE, {
    flags: { '--json': () => (opts.json = true), '--list-unlabelled': () => (opts.listUnlabelled = true) },
    values: { '--only': (v) => opts.only.push(v), '--dist': (v) => (opts.dist = path.resolve(v)) },
  });
  return opts;
}

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

/** Every label, from both files, keyed by repository, file and line (the first label of a key wins). */
function loadLabels() {
  const dir = path.join(here, '..', 'eval', 'shared-state');
  const byKey = new Map();
  const repositories = new Set();
  for (const name of ['labels.json', 'labels-new-rule.json', 'labels-reach-rule.json']) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    for (const l of data.findings) {
      repositories.add(l.repository);
      const key = `${l.repository}|${l.file}|${l.line}`;
      if (!byKey.has(key)) byKey.set(key, { ...l, source: name });
    }
  }
  return { byKey, repositories: [...repositories].sort() };
}

const opts = parseArgs(process.argv.slice(2));
const { byKey, repositories } = loadLabels();
const chosen = opts.only.length ? repositories.filter((r) => opts.only.some((o) => r === o || r.endsWith(`/${o}`))) : repositories;
const distIndex = path.join(opts.dist, 'index.js');
if (!fs.existsSync(distIndex)) fail(`${distIndex} is missing: run npm run build (npm run eval:shared-state does)`);
const { scan } = await import(pathToFileURL(distIndex).href);

const reports = [];
for (const repository of chosen) {
  const dir = findCheckout(opts.reposDir, repository);
  if (!dir) {
    reports.push({ repository, skipped: `no checkout in ${opts.reposDir}` });
    continue;
  }
  if (!opts.json) process.stderr.write(`scanning ${repository}…\n`);
  const started = performance.now();
  const result = await scan({ root: dir, config: false, rules: ['shared-state'], cache: false });
  const wallMs = Math.round(performance.now() - started);
  const findings = result.findings.filter((f) => f.ruleId === 'shared-state');
  const tally = () => ({ findings: 0, labelled: 0, true: 0, false: 0, unlabelled: [] });
  const bands = { warning: tally(), all: tally() };
  const falseByReason = {};
  for (const f of findings) {
    const label = byKey.get(`${repository}|${f.file}|${f.line}`);
    for (const band of f.severity === 'info' ? ['all'] : ['warning', 'all']) {
      const t = bands[band];
      t.findings++;
      if (!label) t.unlabelled.push({ file: f.file, line: f.line, column: f.column, severity: f.severity, message: f.message });
      else {
        t.labelled++;
        t[label.label ? 'true' : 'false']++;
      }
    }
    if (label && !label.label && f.severity !== 'info') falseByReason[label.reason] = (falseByReason[label.reason] ?? 0) + 1;
  }
  reports.push({ repository, dir, wallMs, files: result.coverage.files, bands, falseWarningsByReason: falseByReason });
}

if (opts.json) {
  console.log(JSON.stringify({ repositories: reports }, null, 2));
} else {
  const sum = (band, key) => reports.reduce((n, r) => n + (r.bands ? (Array.isArray(r.bands[band][key]) ? r.bands[band][key].length : r.bands[band][key]) : 0), 0);
  const row = (name, get) => {
    const w = get('warning');
    const a = get('all');
    return `| ${name} | ${w.findings} / ${a.findings - w.findings} | ${w.labelled} labelled, ${w.true} true: ${pct(w.true, w.labelled)} | ${a.labelled} labelled, ${a.true} true: ${pct(a.true, a.labelled)} |`;
  };
  console.log('| repository | findings (warning+ / info) | warning+ precision | all precision |');
  console.log('| --- | --- | --- | --- |');
  for (const r of reports) {
    if (r.skipped) console.log(`| ${r.repository} | skipped: ${r.skipped} | | |`);
    else console.log(row(r.repository, (band) => ({ ...r.bands[band], unlabelled: undefined })));
  }
  console.log(row('**all**', (band) => ({ findings: sum(band, 'findings'), labelled: sum(band, 'labelled'), true: sum(band, 'true') })));
  console.log(`\nunlabelled: ${sum('warning', 'unlabelled')} at warning+, ${sum('all', 'unlabelled')} in all`);
  for (const r of reports) if (r.falseWarningsByReason && Object.keys(r.falseWarningsByReason).length) console.log(`false warnings in ${r.repository}: ${JSON.stringify(r.falseWarningsByReason)}`);
  for (const r of reports) if (r.wallMs !== undefined) console.log(`${r.repository}: ${r.files} files, ${(r.wallMs / 1000).toFixed(1)} s`);
  if (opts.listUnlabelled) {
    for (const r of reports) {
      for (const u of r.bands?.warning.unlabelled ?? []) console.log(`unlabelled warning ${r.repository} ${u.file}:${u.line}:${u.column} ${u.message}`);
    }
  }
}
if (!reports.some((r) => !r.skipped)) process.exitCode = 2;
