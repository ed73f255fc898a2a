import path from 'node:path';
import { ConfigError } from '../errors.js';
import { fileOptions, resolveConfig, type ScanOptions } from '../prepare.js';
import { parseShard, writeShardFacts } from './facts-file.js';

/**
 * One job of a sharded scan (`ssot scan --shard i/n --facts-out f`): the files the config selects
 * (include, exclude, tsconfig), every n-th parsed, their facts written to `factsOut` for the job that
 * merges them (`facts`). The config and the cache default (`<root>/.ssot-cache`) are decided here, as
 * `scan` decides them, so the CLI only passes its flags. Returns how many files it parsed.
 */
export async function scanShard(options: ScanOptions & { shard?: string; factsOut?: string }): Promise<number> {
  if (!options.shard || !options.factsOut) throw new ConfigError('--shard and --facts-out go together', undefined, options.shard ? '--facts-out' : '--shard');
  const shard = parseShard(options.shard);
  const root = path.resolve(options.root);
  const config = await resolveConfig(options);
  return writeShardFacts({ ...options, root, shard, cache: options.cache ?? path.join(root, '.ssot-cache'), ...fileOptions(config) }, options.factsOut);
}
