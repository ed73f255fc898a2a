// `npm test`'s pretest step (and .ci/run's): the programs the suite needs besides Node, from Debian's
// packages (issue 19, item 1). redis-server: the dispatcher's Redis event-bus tests start private ones.
// chromium: the html report's headless browser test. graphviz: `dot` parses the dot report (graph.test.ts). Present: nothing to do. Missing: installed with
// apt-get when this runs as root where apt-get exists; otherwise it stops with the command to run.
// SSOT_SKIP_TEST_DEPS=1 skips the check (those tests then fail, each with its own message).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDED = [
  { pkg: 'redis-server', found: () => onPath('redis-server') },
  { pkg: 'chromium', found: () => existsSync('/usr/bin/chromium') },
  { pkg: 'graphviz', found: () => onPath('dot') },
];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

if (process.env.SSOT_SKIP_TEST_DEPS === '1') process.exit(0);
let missing = NEEDED.filter((n) => !n.found()).map((n) => n.pkg);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !onPath('apt-get')) {
  process.stderr.write(
    `The tests need ${missing.join(' and ')} (Debian packages), which ${missing.length === 1 ? 'is' : 'are'} not installed.\n` +
      (onPath('apt-get')
        ? `Install ${missing.length === 1 ? 'it' : 'them'}, then run npm test again:\n  sudo sh -c '${command}'\n`
        : `This system has no apt-get: install ${missing.join(' and ')} with its package manager (chromium at /usr/bin/chromium), then run npm test again.\n`) +
      'Or run the suite without them: SSOT_SKIP_TEST_DEPS=1 npm test (the Redis event-bus and browser tests then fail; the Graphviz one is skipped).\n',
  );
  process.exit(1);
}

process.stderr.write(`pretest: installing ${missing.join(' ')} from Debian's packages (${command})\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (r.status !== 0) {
    process.stderr.write(`pretest: apt-get ${args[0]} failed (exit ${r.status}); run it yourself: ${command}\n`);
    process.exit(1);
  }
}
missing = NEEDED.filter((n) => !n.found()).map((n) => n.pkg);
if (missing.length) {
  process.stderr.write(`pretest: still missing after apt-get: ${missing.join(' ')}\n`);
  process.exit(1);
}
process.stderr.write(`pretest: ${NEEDED.map((n) => n.pkg).join(', ')} are installed\n`);
