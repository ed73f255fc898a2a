import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import type * as TS from 'typescript-6';
import { writeAtomic } from '../write-atomic.js';

/**
 * The TypeScript compiler's JavaScript API (one AST for the whole analyzer), loaded from its file with a
 * V8 code cache: compiling its 9 MB of JavaScript is a third of a small warm run otherwise (measured: 400
 * ms through `import('ts-morph')`, 184 ms loaded directly, 74 ms with the code cache).
 *
 * It is the `typescript` package's 6.x, a direct dependency under the alias `typescript-6` (issue 19): the
 * 7.x `typescript` is the native compiler without that API, and the project's own `typescript` may be
 * either. Before, it was the copy inside ts-morph, reached by a deep path that pnpm (`hoist=false`) does
 * not lay out.
 *
 * A code cache is bytecode that V8 runs as it is: V8 checks it only against the source's length, so
 * whoever can write the cache file can run code in this process (issue 15). It is therefore kept in a
 * private folder of this user (created 0700, refused unless it is a real folder owned by this user
 * that nobody else can write), in files owned by this user that nobody else can write, named by a
 * hash of the compiler's path and content (another checkout's cache is another file).
 * `SSOT_CODE_CACHE=0` turns it off, `SSOT_CODE_CACHE=<dir>` moves it (the same checks apply).
 */
const require = createRequire(import.meta.url);
const file = compilerFile();
// The bundle is ASCII: decoded as Latin-1 once that is checked, it reads in 2 ms instead of 25 as UTF-8.
const bytes = readFileSync(file);
const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
const cacheFile = codeCacheFile(process.env.SSOT_CODE_CACHE, bytes);

const cachedData = readCache(cacheFile);
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: file,
  ...(cachedData ? { cachedData } : {}),
});
const compiled = script.runInThisContext() as (e: object, r: NodeRequire, m: { exports: object }, f: string, d: string) => void;
const module = { exports: {} };
compiled(module.exports, createRequire(file), module, file, path.dirname(file));

export const ts = module.exports as typeof TS;

/** Whether the code cache should be (re)written once the parser's functions have been compiled. */
const stale = !!cacheFile && (!cachedData || script.cachedDataRejected === true);

/** Write the code cache after parsing, so lazily compiled parser functions are in it. Never throws. */
export function saveCompilerCache(): void {
  if (!stale || !cacheFile) return;
  try {
    // 0600: nobody else can change it (readCache refuses it otherwise).
    writeAtomic(cacheFile, script.createCachedData(), { mode: 0o600 });
  } catch {
    /* a read-only temp folder only costs speed */
  }
}

/**
 * The cache file for this compiler, in a private folder of this user, or undefined when there is
 * none to be had safely. Keyed by V8's version and a hash of the compiler's path and bytes: SHA-1 is
 * enough here (6 ms against 25 for SHA-256 on 9 MB), since only this user can write the folder and the
 * key only has to tell checkouts and versions apart.
 */
function codeCacheFile(setting: string | undefined, content: Buffer): string | undefined {
  if (setting === '0' || typeof process.getuid !== 'function') return undefined;
  const uid = process.getuid();
  const dir = setting ? path.resolve(setting) : path.join(tmpdir(), `ssot-kit-code-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    /* there already, or cannot be made: checked below */
  }
  if (!isPrivateFolder(dir, uid)) return undefined;
  const key = createHash('sha1').update(file).update('\0').update(content).digest('hex').slice(0, 32);
  return path.join(dir, `typescript-${process.versions.v8}-${key}.bin`);
}

/** A real folder (not a link) owned by `uid` that neither group nor others can read or write. */
function isPrivateFolder(dir: string, uid: number): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** The cache's bytes when the file is a regular file of this user that nobody else can write; never through a link. */
function readCache(cache: string | undefined): Buffer | undefined {
  if (!cache) return undefined;
  let fd: number;
  try {
    fd = openSync(cache, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined; // first run
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== process.getuid!() || (st.mode & 0o022) !== 0) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Where the compiler is; an install without it stops with what to do instead of a stack trace. */
function compilerFile(): string {
  try {
    return require.resolve('typescript-6/lib/typescript.js');
  } catch {
    throw new Error(
      'ssot-kit: its TypeScript compiler (the dependency `typescript-6`, an alias of typescript@6) is not installed next to it; ' +
        'reinstall ssot-kit with your package manager (npm i -D ssot-kit, pnpm add -D ssot-kit)',
    );
  }
}
