// Baselines for the benchmark: list the corpus's TypeScript files, read them and
// parse each with the compiler ssot-kit uses (ts-morph's bundled `ts`), nothing else.
//   node bench/bare-parse.mjs <root> [--read-only | --passes N]
// Prints {"files":N,"bytes":N,"statements":N} on stdout; with --passes N it parses every file N times
// in the one process and adds "passesMs" (each pass's time): the first pass runs while V8 is still
// compiling the parser, later ones at the parser's steady speed, so their difference is the JIT warm-up
// any fresh process pays.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const [root, mode, count] = process.argv.slice(2);
const passes = mode === "--passes" ? Number(count) : 1;
if (!root || !Number.isInteger(passes) || passes < 1) {
  console.error("usage: node bench/bare-parse.mjs <root> [--read-only | --passes N]");
  process.exit(2);
}
const readOnly = mode === "--read-only";
// Only the parse variant loads the compiler: loading it is part of the cost of parsing.
const ts = readOnly ? undefined : (await import("ts-morph")).ts;

/** The files ssot-kit analyses by default: .ts/.tsx/.mts/.cts, no .d.ts, no node_modules or dot folders. */
function listSources(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) listSources(path.join(dir, entry.name), out);
    } else if (entry.isFile() && /\.(ts|tsx|mts|cts)$/.test(entry.name) && !/\.d\.(ts|mts|cts)$/.test(entry.name)) {
      out.push(path.join(dir, entry.name));
    }
  }
  return out;
}

let bytes = 0;
let statements = 0;
const files = listSources(path.resolve(root));
if (passes === 1) {
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    bytes += text.length;
    if (!readOnly) statements += ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false).statements.length;
  }
  console.log(JSON.stringify({ files: files.length, bytes, statements }));
} else {
  const texts = files.map((file) => readFileSync(file, "utf8"));
  for (const text of texts) bytes += text.length;
  const passesMs = [];
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    statements = 0;
    texts.forEach((text, i) => (statements += ts.createSourceFile(files[i], text, ts.ScriptTarget.Latest, false).statements.length));
    passesMs.push(Math.round(performance.now() - started));
  }
  console.log(JSON.stringify({ files: files.length, bytes, statements, passesMs }));
}
