import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./heap-runs.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../dist/dispatcher/index.js', import.meta.url));

/** heapUsed after each batch, from a child `node --expose-gc` (the suite runs after `npm run build`). */
async function heapProfile(...args: string[]): Promise<{ runs: number; heap: number[] }> {
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { runs: number; heap: number[] };
}

/** Least-squares slope (bytes per batch) of the second half of the samples, relative to their mean. */
function relativeSlope(samples: readonly number[]): number {
  const ys = samples.slice(Math.floor(samples.length / 2));
  const n = ys.length;
  const meanX = (n - 1) / 2;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => { num += (x - meanX) * (y - meanY); den += (x - meanX) ** 2; });
  return num / den / meanY;
}

describe('heap', () => {
  it('10,000 runs leave no growing heap', async () => {
    const { runs, heap } = await heapProfile('20', '500');
    expect(runs).toBe(10_000);
    expect(heap).toHaveLength(20);
    expect(heap.at(-1)!).toBeLessThan(heap[0]! * 1.5);
    // Less than 1% of the heap per batch of 500 runs over the last ten batches.
    expect(relativeSlope(heap)).toBeLessThan(0.01);
  });

  it('the same check flags a dispatcher retained per run', async () => {
    const { heap } = await heapProfile('8', '500', 'leak');
    expect(relativeSlope(heap)).toBeGreaterThan(0.01);
  });
});
