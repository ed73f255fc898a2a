// Compiles schema/ssot.config.schema.json into a standalone validator module at build time, so the
// CLI neither loads Ajv nor compiles the schema on every run (about 70 ms of a warm scan).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const schema = JSON.parse(readFileSync(new URL('../schema/ssot.config.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false, code: { source: true } });
const code = standaloneCode.default(ajv, ajv.compile(schema));
mkdirSync(new URL('../dist/config/', import.meta.url), { recursive: true });
// CommonJS, because the generated code require()s Ajv's small runtime helpers.
writeFileSync(new URL('../dist/config/config-validator.cjs', import.meta.url), code);
