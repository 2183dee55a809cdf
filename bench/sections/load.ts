/**
 * Requests per second under load: autocannon (its own process, 32
 * connections) against a started server: GET /customers/:id over a spread
 * of ids, then GET /customers?q= with a surname. On PostgreSQL the server
 * is `node server/main.ts` in a process of its own, so its resident memory
 * (VmRSS, sampled during the run) is the server's alone; on PGlite the
 * database lives inside the server, so the app is served from this process
 * and the figure includes the embedded database and the bench itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { query } from '../../server/db/client.ts';
import { listen, type LargeTenant } from '../fixture.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AUTOCANNON = join(ROOT, 'node_modules/autocannon/autocannon.js');

export interface LoadCase {
  case: string;
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
}

export interface LoadResult {
  customers: number;
  connections: number;
  seconds: number;
  server: 'own process' | 'in the bench process';
  cases: LoadCase[];
  rssMbIdle: number;
  rssMbPeak: number;
}

interface AutocannonJson {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

export function autocannon(url: string, token: string, connections: number, seconds: number): Promise<AutocannonJson> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUTOCANNON, '-c', String(connections), '-d', String(seconds), '-j', '-H', `authorization=Bearer ${token}`, url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AutocannonJson) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

const rssMb = (pid: number) => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 1024);
};

/** `node --import tsx server/main.ts` on the bench database; resolves once it listens. */
async function startServer(databaseUrl: string, jwtSecret: string): Promise<{ url: string; child: ChildProcess }> {
  const port = 20000 + Math.floor(Math.random() * 10000);
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      JWT_SECRET: jwtSecret,
      SEED: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      SWEEP_INTERVAL_MS: '0',
      DATA_DIR: join(tmpdir(), `clientela-bench-${port}`),
    },
    // Its stderr is only shown if it fails to start: at the end, requests cut short by the shutdown log errors.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${errors}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Clientela on')) resolve();
    });
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function benchLoad(fixture: LargeTenant, databaseUrl: string | null, options: { connections?: number; seconds?: number } = {}): Promise<LoadResult> {
  const connections = options.connections ?? 32;
  const seconds = options.seconds ?? 10;
  const [{ id }] = await query<{ id: string }>(
    fixture.database.db,
    sql`select id from customers where tenant_id = ${fixture.tenantId} and number = ${1000 + Math.floor(fixture.customers / 2)}`,
  );
  let url: string;
  let pid: number;
  let stop: () => Promise<void>;
  if (databaseUrl) {
    const server = await startServer(databaseUrl, fixture.config.jwtSecret);
    url = server.url;
    pid = server.child.pid!;
    stop = async () => {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    };
  } else {
    const server = await listen(fixture.app);
    url = server.url;
    pid = process.pid;
    stop = server.close;
  }
  try {
    const rssMbIdle = rssMb(pid);
    let rssMbPeak = rssMbIdle;
    const sampler = setInterval(() => (rssMbPeak = Math.max(rssMbPeak, rssMb(pid))), 250);
    const cases: LoadCase[] = [];
    const paths = [
      ['GET /customers/:id', `/api/v1/customers/${id}`],
      ['GET /customers?q=garcia', '/api/v1/customers?q=garcia&limit=50'],
      ['GET /customers?q=#number', `/api/v1/customers?q=${encodeURIComponent(`#${1000 + Math.floor(fixture.customers / 3)}`)}`],
    ];
    try {
      for (const [name, path] of paths) {
        // A short warm-up, then the timed run.
        await autocannon(url + path, fixture.token, connections, 2);
        const r = await autocannon(url + path, fixture.token, connections, seconds);
        process.stderr.write(`  ${name}: ${Math.round(r.requests.average)} req/s\n`);
        cases.push({
          case: name,
          requestsPerSecond: Math.round(r.requests.average),
          latencyP50: r.latency.p50,
          latencyP99: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors,
        });
      }
    } finally {
      clearInterval(sampler);
    }
    return {
      customers: fixture.customers,
      connections,
      seconds,
      server: databaseUrl ? 'own process' : 'in the bench process',
      cases,
      rssMbIdle,
      rssMbPeak,
    };
  } finally {
    await stop();
  }
}
