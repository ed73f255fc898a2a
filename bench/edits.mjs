// The one-file edits the benchmarks time that touch the project graph: an import of another module of
// the project, and an import of one of its functions with a call of it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The other TypeScript files next to `file`, sorted. */
function siblings(file) {
  return readdirSync(path.dirname(file)).filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts") && f !== path.basename(file)).sort();
}

/** Another TypeScript file in the same folder, extension dropped: what an import of a project module names. */
export function siblingOf(file) {
  const name = siblings(file)[0];
  if (!name) throw new Error(`no other TypeScript file next to ${file}`);
  return name.replace(/\.tsx?$/, "");
}

/**
 * Lines that import an exported function (declared, or an arrow function const; or else a class) of a
 * file next to `file` and call (or construct) it from a new function, as a developer wiring in a helper writes them; undefined when no
 * file next to it exports either.
 */
export function projectCallPrefix(file) {
  const patterns = [
    [/^export (?:async )?function (\w+)/m, "benchHelper()"],
    [/^export const (\w+) = (?:async )?(?:\(|function\b)/m, "benchHelper()"],
    [/^export class (\w+)/m, "new benchHelper()"],
  ];
  for (const [pattern, call] of patterns) {
    for (const name of siblings(file)) {
      const m = pattern.exec(readFileSync(path.join(path.dirname(file), name), "utf8"));
      if (m) return `import { ${m[1]} as benchHelper } from './${name.replace(/\.tsx?$/, "")}';\nexport function benchCall(): unknown {\n  return ${call};\n}\n`;
    }
  }
  return undefined;
}
