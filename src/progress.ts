/**
 * A progress bar on stderr for long scans: only on a terminal, never in CI, off with --quiet;
 * redrawn at most ten times a second and erased when done, so logs and pipes stay clean.
 */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  end(): void;
}

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return { update: () => {}, end: () => {} };
  let last = 0;
  let drawn = false;
  return {
    update(done, total, label = 'scanning') {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - 40));
      const filled = total ? Math.round((done / total) * width) : 0;
      stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} files`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
