import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

const MISSING =
  'redis-server is not installed (or not on PATH). The event-bus tests need a real Redis: ' +
  'install it (Debian/Ubuntu: apt-get install -y redis-server; .ci/run does this in CI) ' +
  'or point SSOT_REDIS_SERVER_BIN at the binary.';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** One PING over a raw socket: resolves true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startOnce(bin: string, port: number, dir: string): Promise<RedisServer | 'retry'> {
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (err: NodeJS.ErrnoException) => (spawnError = err));

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (spawnError !== undefined) {
      if (spawnError.code === 'ENOENT') throw new Error(MISSING);
      throw new Error(`could not start redis-server: ${spawnError.message}`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      // Most likely the port was taken between picking and binding it.
      if (/address already in use/i.test(output)) return 'retry';
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before answering PING:\n${output}`);
    }
    if (await ping(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await waitForExit(child);
      throw new Error(`redis-server on port ${port} did not answer PING within 15s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop() {
      stopped ??= (async () => {
        const exited = waitForExit(child);
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}

/**
 * Starts a private redis-server on a free loopback port (no persistence) and waits until it answers
 * PING. Throws, with instructions, when the binary is missing: these tests fail rather than skip.
 * `port` restarts a server on the port of one that was stopped (outage tests).
 */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const bin = process.env.SSOT_REDIS_SERVER_BIN ?? 'redis-server';
  const dir = mkdtempSync(path.join(tmpdir(), 'ssot-redis-'));
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = await startOnce(bin, port ?? (await freePort()), dir);
      if (server === 'retry') continue;
      return {
        port: server.port,
        url: server.url,
        async stop() {
          await server.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    throw new Error('could not find a free port for redis-server after 5 attempts');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
