/**
 * For the tests of the production start: a server process started the way
 * an operator would (its own environment, no demo defaults), a database for
 * it (a fresh PostgreSQL database on the PostgreSQL pass, an embedded one in
 * a temporary DATA_DIR otherwise), and tokens signed with its secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server-process.mjs';
import { freshPostgresDatabase } from './helpers.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Polls `path` until it answers `status`; throws if the process exits first or after `timeoutMs`. */
  waitFor(path: string, status?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env: Record<string, string>;
  /** The command after `node`; default: the sources through tsx. */
  args?: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  port?: number;
}

/** A minimal environment, so nothing of the test runner's (DATABASE_URL, NODE_ENV…) leaks in. */
export function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
}

export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, options.args ?? ['--import', 'tsx', 'server/main.ts'], {
    cwd: options.cwd ?? ROOT,
    env: { ...baseEnv(), PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    child,
    output: () => output,
    exited,
    async waitFor(path, status = 200, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (done) throw new Error(`The server exited before ${path} answered ${status}:\n${output}`);
        try {
          const res = await fetch(url + path);
          await res.arrayBuffer();
          if (res.status === status) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms:\n${output}`);
    },
    async stop() {
      if (done) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface ProcessDatabase {
  /** DATABASE_URL or DATA_DIR for the server's environment. */
  env: Record<string, string>;
  url: string | null;
  dataDir: string | null;
  drop(): Promise<void>;
}

/** A fresh database for server processes: PostgreSQL when TEST_DATABASE_URL is set, else an embedded one on disk. */
export async function processDatabase(): Promise<ProcessDatabase> {
  if (process.env.TEST_DATABASE_URL) {
    const fresh = await freshPostgresDatabase(process.env.TEST_DATABASE_URL);
    return { env: { DATABASE_URL: fresh.url }, url: fresh.url, dataDir: null, drop: fresh.drop };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'clientela-process-'));
  return { env: { DATA_DIR: dataDir }, url: null, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Production settings with a secret of its own, no demo, no sweeps unless asked. */
export function productionEnv(extra: Record<string, string> = {}): Record<string, string> & { JWT_SECRET: string } {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_MINUTE: '0',
    SWEEP_INTERVAL_MS: '0',
    ...extra,
  } as Record<string, string> & { JWT_SECRET: string };
}
