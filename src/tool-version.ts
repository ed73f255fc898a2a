import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** ssot-kit's version, from its package.json. */
export function toolVersion(): string {
  return version;
}
