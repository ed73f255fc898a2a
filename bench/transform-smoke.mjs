// Transform smoke test (issue 17, items 4-5): every transform over every TypeScript file of one or more
// folders, each with two configs: a no-op one (a legacy module that nothing imports) and an active one
// built from the file itself (its first relative import as the legacy module, every name it imports from
// there renamed, the first of two or more kept on the legacy module, a construction mapping for each, the
// file itself as the module a facade replaces).
// A run must not throw, its output must parse, and a second run on its output must change nothing.
//
//   node bench/transform-smoke.mjs [folder ...]     (default: src test transforms fixtures)
//   npm run smoke:transforms -- /tmp/medusa
//
// Prints counts per folder (files, runs, throws, unparseable outputs, non-idempotent) and the first
// failures with their file, transform and message; exits 1 when any run failed. The same core runs in
// test/transform-smoke.test.ts over this repository, with the transforms from source.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "build", ".ssot-cache", ".next", ".turbo", ".corpora", ".cache"]);
export const TRANSFORM_IDS = ["rewrite-imports", "rewrite-construction", "facade", "remove-legacy"];

/** Every TypeScript file under `dir` (not .d.ts), sorted, skipping dependency and build folders. */
export function listTypeScript(dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() && TS_FILE.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir);
  else out.push(dir);
  return out.sort();
}

/** The names a file imports from `spec` (named imports; `default` for a default import). */
function importedNames(source, spec) {
  const names = new Set();
  const esc = spec.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`import\\s+(type\\s+)?([\\w$]+\\s*,?\\s*)?(\\{([^}]*)\\})?\\s*from\\s*['"]${esc}['"]`, "g");
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m[2] && m[2].replace(/[\s,]/g, "") !== "type") names.add("default");
    for (const part of (m[4] ?? "").split(",")) {
      const name = /^\s*(?:type\s+)?([\w$]+)/.exec(part)?.[1];
      if (name) names.add(name);
    }
  }
  return [...names];
}

/**
 * Options per transform for one file: a no-op config, and an active one built from the file's first
 * relative import that resolves (`resolveRelative` from transforms/lib).
 */
export function configsFor(file, source, resolveRelative) {
  const ssot = path.join(path.dirname(file), "__smoke_ssot__.ts");
  const nowhere = path.join(path.dirname(file), "__smoke_nowhere__.ts");
  const configs = [
    { name: "no-op", options: {
      "rewrite-imports": { legacy: nowhere, ssot },
      "rewrite-construction": { legacy: nowhere, ssot, constructions: JSON.stringify({ SmokeNothing: { factory: "createSmoke" } }) },
      facade: null,
      "remove-legacy": { legacy: nowhere },
    } },
  ];
  const specs = [...source.matchAll(/from\s*['"](\.{1,2}\/[^'"\n]+)['"]/g)].map((m) => m[1]);
  const resolve = (s) => {
    try {
      return resolveRelative(file, s);
    } catch {
      return undefined; // the transforms' own resolution is under test, not the harness's
    }
  };
  const spec = specs.find(resolve);
  const legacy = spec ? resolve(spec) : undefined;
  const names = spec ? importedNames(source, spec) : [];
  const renames = Object.fromEntries(names.map((n) => [n, n === "default" ? "smokeDefault" : `${n}Smoke`]));
  const constructions = Object.fromEntries(names.filter((n) => n !== "default").map((n) => [n, { factory: "createSmoke", args: ["$0"] }]));
  configs.push({ name: "active", options: {
    // With two names or more, the first is kept on the legacy module (the split an SSOT API gap calls for).
    "rewrite-imports": legacy ? { legacy, ssot, renames: JSON.stringify(renames), ...(names.length > 1 ? { keep: JSON.stringify(names.slice(0, 1)) } : {}) } : null,
    "rewrite-construction": legacy && names.length ? { legacy, ssot, constructions: JSON.stringify(constructions) } : null,
    facade: { ssot, renames: JSON.stringify(renames), root: path.dirname(file) },
    "remove-legacy": legacy ? { legacy } : null,
  } });
  return configs;
}

/**
 * Runs every transform on every file. `transforms`: id -> transform function; `parses(file, text)`:
 * undefined when the text parses, else the error; `resolveRelative(from, spec)`; `api`: a jscodeshift API
 * per file (`apiFor(file)`). Returns counts and the failures.
 */
export function smoke(files, { transforms, parses, resolveRelative, apiFor }) {
  const counts = { files: files.length, inputsUnparseable: 0, runs: 0, changed: 0, throws: 0, unparseable: 0, nonIdempotent: 0 };
  const failures = [];
  for (const file of files) {
    let source;
    try {
      source = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    if (parses(file, source) !== undefined) {
      counts.inputsUnparseable++;
      continue;
    }
    const api = apiFor(file);
    for (const { name, options } of configsFor(file, source, resolveRelative)) {
      for (const id of TRANSFORM_IDS) {
        const opts = options[id];
        if (!opts) continue;
        counts.runs++;
        const run = (text) => transforms[id]({ path: file, source: text }, api, opts) ?? undefined;
        let out;
        try {
          out = run(source);
        } catch (error) {
          counts.throws++;
          failures.push({ file, transform: id, config: name, kind: "throws", message: String(error?.message ?? error).split("\n")[0] });
          continue;
        }
        if (out === undefined || out === source || out === "") continue;
        counts.changed++;
        const err = parses(file, out);
        if (err !== undefined) {
          counts.unparseable++;
          failures.push({ file, transform: id, config: name, kind: "unparseable", message: err });
          continue;
        }
        let again;
        try {
          again = run(out);
        } catch (error) {
          again = `throws: ${error?.message ?? error}`;
        }
        if (again !== undefined && again !== out) {
          counts.nonIdempotent++;
          failures.push({ file, transform: id, config: name, kind: "non-idempotent", message: typeof again === "string" && again.startsWith("throws") ? again : "second run changed the output" });
        }
      }
    }
  }
  return { counts, failures };
}

async function main() {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const dist = path.join(root, "dist");
  const args = process.argv.slice(2);
  const folders = args.length ? args : ["src", "test", "transforms", "fixtures"].map((d) => path.join(root, d));
  const { default: jscodeshift } = await import("jscodeshift");
  const kit = await import(pathToFileURL(path.join(dist, "transforms/lib/transform-kit.js")).href);
  const { extractFacts } = await import(pathToFileURL(path.join(dist, "scan/extract-facts.js")).href);
  const transforms = {};
  for (const id of TRANSFORM_IDS) transforms[id] = (await import(pathToFileURL(path.join(dist, "transforms", `${id}.js`)).href)).default;
  const parsers = { ts: jscodeshift.withParser("ts"), tsx: jscodeshift.withParser("tsx") };
  const apiFor = (file) => {
    const j = parsers[/\.[cm]?ts$/.test(file) ? "ts" : "tsx"];
    return { jscodeshift: j, j, stats: () => {}, report: () => {} };
  };
  // Output must parse for both the transforms' parser (Babel) and the scanner's (TypeScript), as `ssot fix` re-parses it.
  const parses = (file, text) => {
    try {
      kit.parseModule(text, file);
    } catch (error) {
      return `babel: ${error.message}`;
    }
    const pe = extractFacts(file, text).parseError;
    return pe ? `typescript: ${pe.message} (line ${pe.loc.line})` : undefined;
  };
  let failed = false;
  for (const folder of folders) {
    const started = performance.now();
    const files = listTypeScript(path.resolve(folder));
    const { counts, failures } = smoke(files, { transforms, parses, resolveRelative: kit.resolveRelative, apiFor });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${folder}: ${counts.files} files (${counts.inputsUnparseable} inputs not parseable, skipped), ${counts.runs} runs, ${counts.changed} changed; throws ${counts.throws}, unparseable outputs ${counts.unparseable}, non-idempotent ${counts.nonIdempotent} (${seconds} s)`);
    for (const f of failures.slice(0, 20)) console.log(`  ${f.kind}: ${path.relative(folder, f.file)} ${f.transform} (${f.config}): ${f.message}`);
    if (failures.length > 20) console.log(`  … and ${failures.length - 20} more`);
    failed ||= failures.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
