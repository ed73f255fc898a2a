// Baselines for the benchmark: list the corpus's TypeScript files, read them and
// parse each with the compiler ssot-kit uses (ts-morph's bundled `ts`), nothing else.
//   node bench/bare-parse.mjs <root> [--read-only]
// Prints {"files":N,"bytes":N,"statements":N} on stdout.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const [root, mode] = process.argv.slice(2);
if (!root) {
  console.error("usage: node bench/bare-parse.mjs <root> [--read-only]");
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
for (const file of files) {
  const text = readFileSync(file, "utf8");
  bytes += text.length;
  if (!readOnly) statements += ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false).statements.length;
}
console.log(JSON.stringify({ files: files.length, bytes, statements }));
