import type { Reporter } from './report-types.js';

/** The whole result as JSON (schema: schema/report.schema.json). */
const json: Reporter = (result) => `${JSON.stringify(result, null, 2)}\n`;

export default json;
