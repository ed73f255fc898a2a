// Compiles the JSON schemas into standalone validator modules at build time, so the CLI neither loads
// Ajv nor compiles a schema on every run (about 70 ms of a warm scan): the config's, and the report's
// (a cached result is checked against it before it is reused).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

for (const [schemaFile, out] of [
  ['ssot.config.schema.json', 'config/config-validator.cjs'],
  ['report.schema.json', 'scan/report-validator.cjs'],
]) {
  const schema = JSON.parse(readFileSync(new URL(`../schema/${schemaFile}`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false, code: { source: true } });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  const target = new URL(`../dist/${out}`, import.meta.url);
  mkdirSync(new URL('.', target), { recursive: true });
  // CommonJS, because the generated code require()s Ajv's small runtime helpers.
  writeFileSync(target, code);
}
