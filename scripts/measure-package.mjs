// Measures what a user gets from the packed tarball: `node scripts/measure-package.mjs [--tarball t.tgz]
// [--pm npm|pnpm] [--runs 5]`. Packs this checkout (unless given a tarball), installs it into an empty
// project, and prints one JSON line: install seconds, node_modules bytes, package count, and the median
// time of `import('ssot-kit')` and `import('ssot-kit/dispatcher')` with the packages each one loaded.
// Install time depends on the npm cache and the network: run it twice and keep the second (warm) figure.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, lstatSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const pm = arg('pm', 'npm');
const runs = Number(arg('runs', '5'));
const work = mkdtempSync(path.join(tmpdir(), 'ssot-measure-'));
let tarball = arg('tarball');
if (!tarball) {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  tarball = path.join(work, out.trim().split('\n').pop());
}
tarball = path.resolve(tarball);

const project = path.join(work, 'consumer');
execFileSync('mkdir', ['-p', project]);
writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
const pnpm = arg('pnpm', 'pnpm');
if (pm === 'pnpm') writeFileSync(path.join(project, '.npmrc'), 'hoist=false\n');
const start = process.hrtime.bigint();
const install = pm === 'pnpm'
  ? spawnSync(pnpm, ['add', tarball], { cwd: project, encoding: 'utf8' })
  : spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8' });
const installSeconds = Number(process.hrtime.bigint() - start) / 1e9;
if (install.status !== 0) {
  process.stderr.write(install.stdout + install.stderr);
  process.exit(1);
}

/** Bytes under a folder, links not followed (pnpm links each package into its store folder once). */
function bytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += bytes(p);
    else if (e.isFile()) total += statSync(p).size;
    else total += lstatSync(p).size;
  }
  return total;
}

/** Installed packages: npm's hidden lockfile entries, or pnpm's store folders. */
function packageCount() {
  if (pm === 'pnpm') return readdirSync(path.join(project, 'node_modules', '.pnpm')).filter((n) => n.includes('@') && n !== 'lock.yaml').length;
  const lock = path.join(project, 'node_modules', '.package-lock.json');
  return Object.keys(JSON.parse(execFileSync('cat', [lock], { encoding: 'utf8' })).packages).filter((k) => k.includes('node_modules/')).length;
}

// A resolve hook that writes every package a specifier resolves into, so laziness is checked, not assumed.
const hook = path.join(work, 'hook.mjs');
writeFileSync(hook, `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { writeSync } from 'node:fs';
export async function resolve(s, c, next) {
  const r = await next(s, c);
  const m = /node_modules\\\\/(?:\\\\.pnpm\\\\/[^/]+\\\\/node_modules\\\\/)?((?:@[^/]+\\\\/)?[^/]+)\\\\//.exec(decodeURIComponent(r.url));
  if (m) writeSync(2, 'PKG ' + m[1] + '\\\\n');
  return r;
}\`));
`);

function importTime(specifier) {
  const times = [];
  let packages = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`], { cwd: project, encoding: 'utf8' });
    // A failed import is a figure too (before issue 19, pnpm hoist=false: Cannot find module '@ts-morph/common/…').
    if (r.status !== 0) return { error: (/^Error: .*$/m.exec(r.stderr) ?? [r.stderr.trim().split('\n')[0]])[0] };
    times.push(Number(r.stdout.trim()));
  }
  const traced = spawnSync(process.execPath, ['--import', hook, '--input-type=module', '-e', `await import(${JSON.stringify(specifier)});`], { cwd: project, encoding: 'utf8' });
  packages = [...new Set(traced.stderr.split('\n').filter((l) => l.startsWith('PKG ')).map((l) => l.slice(4)))].sort();
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(times.length / 2)]), packages };
}

const result = {
  pm,
  tarball: path.basename(tarball),
  tarballBytes: statSync(tarball).size,
  installSeconds: Math.round(installSeconds * 10) / 10,
  nodeModulesMB: Math.round(bytes(path.join(project, 'node_modules')) / 1e5) / 10,
  packages: packageCount(),
  import: importTime('ssot-kit'),
  importDispatcher: importTime('ssot-kit/dispatcher'),
  project,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
if (!existsSync(project)) process.exit(1);
