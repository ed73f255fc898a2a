import github from './github.js';
import json from './json.js';
import markdown from './markdown.js';
import type { Reporter } from './report-types.js';
import sarif from './sarif.js';
import text from './text.js';

/** Reporter registry: format name -> reporter. Adding one is a file and a line here. */
export const reporters: Readonly<Record<string, Reporter>> = { text, json, sarif, markdown, github };

export const formats = Object.keys(reporters);

export type { Reporter, ReportOptions } from './report-types.js';
