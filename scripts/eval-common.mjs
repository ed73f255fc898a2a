// What the evaluation scripts (eval-discovery.mjs, eval-shared-state.mjs) share: their command line, their
// exit on a usage error, and where a labelled repository's checkout is.
import fs from 'node:fs';
import path from 'node:path';

/** Prints `message` and exits 2 (a usage or setup error). */
export function fail(message) {
  console.error(message);
  process.exit(2);
}

/**
 * `<repos dir>` and options: `flags` names the options without a value (set to true), `values` those with one,
 * each with a function that takes the value (`(v) => { opts.x = v }`). Unknown options and a second folder fail.
 */
export function parseEvalArgs(argv, usage, { flags = {}, values = {} }) {
  let reposDir;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      console.log(usage);
      process.exit(0);
    } else if (a in flags) flags[a]();
    else if (a in values) {
      const v = argv[++i];
      if (v === undefined) fail(`${a} takes a value\n${usage}`);
      values[a](v);
    } else if (a.startsWith('-')) fail(`unknown option ${a}\n${usage}`);
    else if (reposDir === undefined) reposDir = path.resolve(a);
    else fail(`one <repos dir> only\n${usage}`);
  }
  if (!reposDir) fail(usage);
  return reposDir;
}

/** The checkout of `owner/repo` in `reposDir`: a folder named `repo` or `owner__repo`. */
export function findCheckout(reposDir, repository) {
  const [owner, repo] = repository.split('/');
  for (const name of [repo, `${owner}__${repo}`]) {
    const dir = path.join(reposDir, name);
    if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) return dir;
  }
  return undefined;
}
