// Keeps package-lock.json installable everywhere: `node scripts/lock-platform-bindings.mjs` after any
// `npm install` that touched the lockfile (test/lockfile.test.ts fails until it has been run).
//
// Native packages (rolldown, under vitest) ship their binary as one optional package per platform,
// `@scope/binding-<os>-<cpu>`. The npm registry this project is developed against serves only the
// Linux ones, so `npm install` here can drop the other platforms' packages from the lockfile, and
// `npm ci` then rejects that lockfile as out of sync ("Missing: @rolldown/binding-darwin-arm64@ from
// lock file"). This puts back an entry
// for each missing one, with the version and the platform npm needs to skip it without a download
// (os, cpu and, on Linux, libc, read off the package's name). On their own platform npm fetches them
// from the registry as usual.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** `binding-<os>-<cpu>[-<abi>]` to npm's platform fields. */
export function platformOf(name) {
  const m = /binding-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|ppc64|riscv64|s390x)(?:-(\w+))?$/.exec(name);
  if (!m) return undefined;
  const [, os, cpu, abi] = m;
  return { cpu: [cpu], ...(os === "linux" ? { libc: [abi?.startsWith("musl") ? "musl" : "glibc"] } : {}), os: [os] };
}

/** The lockfile with an entry for every optional platform binding of a locked package; returns what was added. */
export function lockPlatformBindings(lock) {
  const added = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const platform = platformOf(dep);
      if (!platform) continue;
      const at = `node_modules/${dep}`;
      if (lock.packages[at] || (key && lock.packages[`${key}/node_modules/${dep}`])) continue;
      // Fields in npm's own order, so that its next rewrite of the lockfile leaves them as they are.
      const { os, ...rest } = platform;
      lock.packages[at] = { version, ...rest, license: entry.license, optional: true, os, ...(entry.engines ? { engines: entry.engines } : {}) };
      added.push(`${dep}@${version}`);
    }
  }
  // npm writes entries sorted by path; so do we, so that its next rewrite leaves them in place.
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
  return added;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = path.join(ROOT, "package-lock.json");
  const lock = JSON.parse(readFileSync(file, "utf8"));
  const added = lockPlatformBindings(lock);
  if (added.length) {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(lock, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
  console.log(added.length ? `package-lock.json: added ${added.length} platform bindings (${added.join(", ")})` : "package-lock.json: every platform binding is locked");
}
