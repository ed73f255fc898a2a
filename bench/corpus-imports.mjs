// Import planning and rendering for bench/generate-corpus.mjs.
// Every planned import is one module-to-module edge (deduplicated per source file),
// so stats.imports is the "real" dependency count that analyzers should report.
import path from "node:path";
import { snake } from "./corpus-templates.mjs";

const CORE_SRC = "packages/core/src/";
const lower = (name) => name[0].toLowerCase() + name.slice(1);
const valueName = (t) => (t.isClass ? t.P : lower(t.P));

// Legacy import forms: [form, weight, module (0 = unified, 1 = singleton), constructs a role class]
const LEGACY_FORMS = [["named-new", 20, 0, true], ["named-typed", 10, 0, false], ["factory", 15, 0, false],
  ["singleton", 15, 1, false], ["type-only", 10, 0, false], ["namespace-new", 8, 0, true], ["dynamic", 7, 1, false],
  ["default-new", 7, 0, true], ["require", 4, 0, false], ["alias-new", 4, 0, true]];
// The `fix` variant (bench/fix-bench.mjs): one legacy module (unified), always imported by a relative
// specifier (rewrite-imports resolves relative specifiers only), in every form rewrite-imports rewrites.
const FIX_FORMS = [["named-new", 18, 0, true], ["named-typed", 10, 0, false], ["factory", 14, 0, false],
  ["named-both", 8, 0, false], ["inline-type", 5, 0, false], ["type-only", 10, 0, false], ["namespace-new", 8, 0, true],
  ["default-new", 7, 0, true], ["alias-new", 6, 0, true], ["require", 4, 0, false], ["dynamic-factory", 7, 0, false],
  ["reexport", 3, 0, false]];
const totalOf = (forms) => forms.reduce((a, f) => a + f[1], 0);
const LEGACY_TOTAL = totalOf(LEGACY_FORMS);

export function planImports(r, all, packages, { files, rewriteRatio, variant }) {
  const fixVariant = variant === "fix";
  const forms = fixVariant ? FIX_FORMS : LEGACY_FORMS;
  const formsTotal = fixVariant ? totalOf(FIX_FORMS) : LEGACY_TOTAL;
  const core = packages[0];
  const [ssot, unified, singleton] = core.tools;
  const stats = { imports: 0, byKind: {}, byVia: {}, legacyImporters: 0, legacyForms: {}, constructs: 0, ssotImporters: 0, cycles: [] };
  const withJs = (s) => (r.chance(0.3) ? `${s}.js` : s);
  const relSpec = (from, to) => {
    let s = path.posix.relative(path.posix.dirname(from.rel), to.rel).replace(/\.ts$/, "");
    if (!s.startsWith(".")) s = `./${s}`;
    return withJs(s);
  };
  const aliasSpec = (to) => withJs(`@core/${to.rel.slice(CORE_SRC.length).replace(/\.ts$/, "")}`);
  const add = (f, imp) => {
    if (f.targets?.has(imp.target)) return false;
    for (const n of imp.locals ?? []) if (f.locals.has(n)) return false;
    for (const n of imp.locals ?? []) f.locals.add(n);
    f.targets?.add(imp.target);
    f.imports.push(imp);
    stats.imports++;
    stats.byKind[imp.kind] = (stats.byKind[imp.kind] ?? 0) + 1;
    stats.byVia[imp.via] = (stats.byVia[imp.via] ?? 0) + 1;
    return true;
  };
  const named = (f, t, via, spec, extra = []) => {
    const names = [valueName(t), ...(r.chance(0.3) ? [`${snake(t.P)}_DEFAULTS`] : []), ...extra];
    const types = r.chance(0.4) ? [`${t.P}Record`] : [];
    return add(f, { kind: "named", via, target: t.id, spec, names, types, locals: [...names, ...types] });
  };
  // tools modules and barrels
  unified.locals = new Set(); singleton.locals = new Set();
  add(unified, { kind: "named", via: "relative", target: ssot.id, spec: "./request-scoped-tool-dispatcher", raw: true });
  add(singleton, { kind: "named", via: "relative", target: unified.id, spec: "./unified-tool-dispatcher", raw: true });
  add(singleton, { kind: "type", via: "relative", target: ssot.id, spec: "./request-scoped-tool-dispatcher", raw: true });
  for (const pkg of packages) {
    pkg.barrel.locals = new Set();
    const exported = pkg === core ? [ssot, ...pkg.public] : pkg.public;
    for (const t of exported) add(pkg.barrel, { kind: "exportStar", via: "relative", target: t.id, spec: relSpec(pkg.barrel, t) });
  }
  // legacy importers
  const regular = all.filter((f) => f.kind === "regular");
  const legacy = new Set(r.shuffle(regular.map((f) => f.id)).slice(0, Math.round(regular.length * rewriteRatio)));
  const coreFiles = core.files;
  for (const pkg of packages) {
    pkg.files.forEach((f, pos) => {
      f.targets = new Set([f.id]);
      f.locals = new Set();
      const earlier = (n) => (pos === 0 ? undefined : pkg.files[n < 0.5 ? Math.max(0, pos - 1 - Math.floor(r.next() * 40)) : Math.floor(r.next() * pos)]);
      const want = r.int(3, 8);
      if (legacy.has(f.id)) {
        let roll = r.next() * formsTotal;
        const form = forms.find((x) => (roll -= x[1]) < 0) ?? forms[0];
        const t = form[2] === 0 ? unified : singleton;
        const spec = fixVariant || pkg === core || r.chance(0.15) ? relSpec(f, t) : aliasSpec(t);
        const kind = { dynamic: "dynamic", "dynamic-factory": "dynamic", require: "require", "type-only": "type", reexport: "exportFrom" }[form[0]] ?? "named";
        add(f, { kind,
          via: spec.startsWith(".") ? "relative" : "alias", target: t.id, spec, legacy: form[0] });
        stats.legacyImporters++;
        stats.legacyForms[form[0]] = (stats.legacyForms[form[0]] ?? 0) + 1;
        if (form[3]) stats.constructs++;
      }
      for (let tries = 0; f.imports.length < want && tries < want * 4; tries++) {
        const x = r.next();
        if (x < 0.7) {
          const t = earlier(r.next());
          if (t) named(f, t, "relative", relSpec(f, t));
        } else if (x < 0.8) {
          if (r.chance(0.15)) {
            if (add(f, { kind: "named", via: "alias", target: ssot.id, spec: aliasSpec(ssot), ssot: true, locals: ["createToolDispatcher"] })) stats.ssotImporters++;
            continue;
          }
          const limit = pkg === core ? pos : coreFiles.length;
          if (limit > 0) { const t = coreFiles[Math.floor(r.next() * limit)]; named(f, t, "alias", aliasSpec(t)); }
        } else if (x < 0.88) {
          if (pkg.index === 0) continue;
          const dep = packages[Math.floor(r.next() * pkg.index)];
          const t = r.pick(dep.public);
          const names = [valueName(t), `${t.P}Record`];
          add(f, { kind: "named", via: "workspace", target: dep.barrel.id, spec: `@corpus/${dep.name}`, names: [names[0]], types: [names[1]], locals: names });
        } else {
          const t = earlier(r.next());
          if (!t) continue;
          const y = (x - 0.88) / 0.12;
          const spec = relSpec(f, t);
          const base = { via: "relative", target: t.id, spec };
          if (y < 0.25) add(f, { ...base, kind: "type", types: [`${t.P}Record`, `${t.P}Options`].slice(0, r.int(1, 2)), locals: [`${t.P}Record`, `${t.P}Options`] });
          else if (y < 0.42) add(f, { ...base, kind: "namespace", local: `${lower(t.P)}Module`, locals: [`${lower(t.P)}Module`] });
          else if (y < 0.59) {
            if (t.hasDefault) add(f, { ...base, kind: "default", local: `${t.P}Default`, locals: [`${t.P}Default`] });
            else named(f, t, "relative", spec);
          } else if (y < 0.71) add(f, { ...base, kind: "exportStar" });
          else if (y < 0.88) add(f, { ...base, kind: "dynamic" });
          else add(f, { ...base, kind: "require", local: `${lower(t.P)}Legacy`, locals: [`${lower(t.P)}Legacy`] });
        }
      }
    });
  }
  // A few deliberate small cycles (2 or 3 files), about one per 500 files. Their
  // files are taken among files that nothing imports yet, so each cycle is a strongly
  // connected component of exactly its own files (a back edge between two files of
  // the DAG would also pull in every file on a path between them).
  const importers = new Map();
  for (const f of all) for (const i of f.imports) importers.set(i.target, (importers.get(i.target) ?? 0) + 1);
  const free = packages.map((pkg) => r.shuffle(pkg.files.filter((f) => !importers.has(f.id))));
  const wanted = Math.max(1, Math.round(files / 500));
  for (let tries = 0; stats.cycles.length < wanted && tries < wanted * 20; tries++) {
    const len = stats.cycles.length % 3 === 2 ? 3 : 2;
    const pool = r.pick(free);
    if (pool.length < len) continue;
    const ring = pool.splice(0, len);
    ring.forEach((f, k) => { const to = ring[(k + 1) % len]; named(f, to, "relative", relSpec(f, to)); });
    stats.cycles.push(ring.map((f) => f.rel));
  }
  for (const f of all) { delete f.targets; delete f.locals; }
  return stats;
}

/** Import lines plus the fields/methods that use the imported names. */
export function renderImports(f, all) {
  const head = [], requires = [], fields = [], body = [], values = [];
  for (const imp of f.imports) {
    const s = JSON.stringify(imp.spec);
    if (imp.legacy) { renderLegacy(imp, s, f, head, requires, fields, body); continue; }
    if (imp.ssot) {
      head.push(`import { createToolDispatcher } from ${s};`);
      fields.push({ name: "toolDispatcher", init: `createToolDispatcher({ requestId: "${f.P}" })` });
      continue;
    }
    const t = all[imp.target];
    switch (imp.kind) {
      case "named":
        head.push(`import { ${[...imp.names, ...imp.types].join(", ")} } from ${s};`);
        values.push(...imp.names);
        for (const ty of imp.types) fields.push({ name: `${lower(ty)}Ref`, type: ty });
        break;
      case "type":
        head.push(`import type { ${imp.types.join(", ")} } from ${s};`);
        for (const ty of imp.types) fields.push({ name: `${lower(ty)}Ref`, type: ty });
        break;
      case "namespace": head.push(`import * as ${imp.local} from ${s};`); values.push(`${imp.local}.${valueName(t)}`); break;
      case "default": head.push(`import ${imp.local} from ${s};`); values.push(imp.local); break;
      case "exportStar": head.push(`export * from ${s};`); break;
      case "require":
        requires.push(`// eslint-disable-next-line @typescript-eslint/no-require-imports`, `const ${imp.local} = require(${s});`);
        values.push(imp.local);
        break;
      case "dynamic":
        body.push(`  /** Loaded lazily to keep start-up fast. */`, `  async load${t.P}(): Promise<unknown> {`,
          `    const mod = await import(${s});`, `    return mod.${valueName(t)};`, `  }`, "");
        break;
    }
  }
  if (values.length) body.push(`  /** Collaborators wired in by the composition root. */`, `  collaborators(): unknown[] {`,
    `    return [`, ...values.map((v) => `      ${v},`), `    ];`, `  }`, "");
  // The corpus has no @types/node: declare require locally so the project type-checks.
  if (requires.length) requires.unshift("declare const require: (id: string) => any;");
  return { head: [...head, ...requires], fields, body };
}

function renderLegacy(imp, s, f, head, requires, fields, body) {
  const ctor = `({ requestId: "${f.P}" })`;
  switch (imp.legacy) {
    case "named-new": head.push(`import { UnifiedToolDispatcher } from ${s};`); fields.push({ name: "dispatcher", init: `new UnifiedToolDispatcher${ctor}` }); break;
    case "named-typed": head.push(`import { UnifiedToolDispatcher } from ${s};`); fields.push({ name: "dispatcher", type: "UnifiedToolDispatcher" }); break;
    case "factory": head.push(`import { createUnifiedToolDispatcher } from ${s};`); fields.push({ name: "dispatcher", init: `createUnifiedToolDispatcher${ctor}` }); break;
    case "singleton": head.push(`import { ToolDispatcher } from ${s};`); fields.push({ name: "dispatcher", init: "ToolDispatcher.getInstance()" }); break;
    case "type-only": head.push(`import type { UnifiedToolDispatcher } from ${s};`); fields.push({ name: "dispatcher", type: "UnifiedToolDispatcher" }); break;
    case "namespace-new": head.push(`import * as legacyTools from ${s};`); fields.push({ name: "dispatcher", init: `new legacyTools.UnifiedToolDispatcher${ctor}` }); break;
    case "default-new": head.push(`import UnifiedDispatcher from ${s};`); fields.push({ name: "dispatcher", init: `new UnifiedDispatcher${ctor}` }); break;
    case "alias-new": head.push(`import { UnifiedToolDispatcher as Dispatcher } from ${s};`); fields.push({ name: "dispatcher", init: `new Dispatcher${ctor}` }); break;
    case "named-both":
      head.push(`import { UnifiedToolDispatcher, createUnifiedToolDispatcher } from ${s};`);
      fields.push({ name: "dispatcher", type: "UnifiedToolDispatcher" });
      fields.push({ name: "fallbackDispatcher", init: `createUnifiedToolDispatcher${ctor}` });
      break;
    case "inline-type":
      head.push(`import { createUnifiedToolDispatcher, type UnifiedToolDispatcher } from ${s};`);
      fields.push({ name: "dispatcher", type: "UnifiedToolDispatcher" });
      fields.push({ name: "makeDispatcher", init: "createUnifiedToolDispatcher" });
      break;
    case "reexport": head.push(`export { UnifiedToolDispatcher, createUnifiedToolDispatcher } from ${s};`); break;
    case "dynamic-factory":
      body.push(`  /** The legacy dispatcher, loaded on first use. */`, `  async resolveDispatcher(): Promise<unknown> {`,
        `    const { createUnifiedToolDispatcher } = await import(${s});`, `    return createUnifiedToolDispatcher${ctor};`, `  }`, "");
      break;
    case "require":
      requires.push(`// eslint-disable-next-line @typescript-eslint/no-require-imports`, `const { createUnifiedToolDispatcher: makeDispatcher } = require(${s});`);
      fields.push({ name: "dispatcher", init: `makeDispatcher${ctor}` });
      break;
    case "dynamic":
      body.push(`  /** The legacy singleton, loaded on first use. */`, `  async resolveDispatcher(): Promise<unknown> {`,
        `    const { ToolDispatcher } = await import(${s});`, `    return ToolDispatcher.getInstance();`, `  }`, "");
      break;
  }
}
