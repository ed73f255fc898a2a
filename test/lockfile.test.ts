import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without types
import { lockPlatformBindings, platformOf } from '../scripts/lock-platform-bindings.mjs';

const ROOT = path.resolve(__dirname, '..');

describe('package-lock.json', () => {
  it('locks every platform binding of a native package (rolldown, under vitest), so npm ci accepts it on every platform (run scripts/lock-platform-bindings.mjs)', () => {
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { optionalDependencies?: Record<string, string> }> };
    const bindings = Object.keys(lock.packages['node_modules/rolldown']?.optionalDependencies ?? {});
    expect(bindings.length).toBeGreaterThan(10);
    expect((lockPlatformBindings as (l: unknown) => string[])(lock)).toEqual([]);
  });

  it('reads npm platform fields off a binding name', () => {
    const of = platformOf as (name: string) => unknown;
    expect(of('@rolldown/binding-linux-x64-musl')).toEqual({ cpu: ['x64'], libc: ['musl'], os: ['linux'] });
    expect(of('@rolldown/binding-linux-arm-gnueabihf')).toEqual({ cpu: ['arm'], libc: ['glibc'], os: ['linux'] });
    expect(of('@rolldown/binding-darwin-arm64')).toEqual({ cpu: ['arm64'], os: ['darwin'] });
    expect(of('@rolldown/binding-win32-ia32-msvc')).toEqual({ cpu: ['ia32'], os: ['win32'] });
    expect(of('@oxc-project/types')).toBeUndefined();
  });
});
