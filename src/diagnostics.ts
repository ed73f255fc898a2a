import { channel } from 'node:diagnostics_channel';

/**
 * What a run does, published on Node's diagnostics channels for whoever counts it: a test holds a run to
 * one config load and at most one parse per file (issue #20), a tool can trace it. Subscribe with
 * `diagnostics_channel.subscribe(name, fn)`; while no one listens, publishing costs one property read.
 * https://nodejs.org/api/diagnostics_channel.html
 */
export const DIAGNOSTICS = {
  /** `{ file }`: a config file was read and validated. */
  configLoaded: 'ssot-kit:config-loaded',
  /** `{ file }`: a source file was handed to an extractor (main thread or worker) to be parsed for its facts. */
  fileParsed: 'ssot-kit:file-parsed',
} as const;

const configLoaded = channel(DIAGNOSTICS.configLoaded);
const fileParsed = channel(DIAGNOSTICS.fileParsed);

/** Publishes that the config file `file` was loaded. */
export function publishConfigLoaded(file: string): void {
  if (configLoaded.hasSubscribers) configLoaded.publish({ file });
}

/** Publishes that each of these files (absolute paths) is parsed. */
export function publishParsed(files: readonly { abs: string }[]): void {
  if (fileParsed.hasSubscribers) for (const f of files) fileParsed.publish({ file: f.abs });
}
