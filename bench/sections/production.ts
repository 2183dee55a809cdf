/**
 * The production start and the cost of watching it.
 *
 * Start to ready: `node --enable-source-maps dist/server/main.js`, as `npm
 * run serve` and the image run it (built by `npm run build:server` first),
 * with NODE_ENV=production against PostgreSQL, timed from spawn until
 * /readyz answers 200 (polled every 5 ms): on the migrated bench database
 * (a restart, the usual case, held to 1 s) and on empty databases (a first
 * start, migrations included). Node doing nothing is timed too: the part no code
 * of ours can shorten. Each also reports the CPU time the process used until
 * then (from /proc), which a busy machine inflates far less than wall time.
 *
 * Telemetry overhead: GET /customers/:id under autocannon (its own process)
 * against two apps on one database in this process, one with the request
 * log (JSON lines to a file, asynchronously, as production writes stdout)
 * and the metrics, one without (createApp's telemetry: false). Rounds
 * alternate the two, so drift on a shared machine hits both alike.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import postgres from 'postgres';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { Metrics } from '../../server/metrics.ts';
import { signToken } from '../../server/auth.ts';
import type { BenchDatabase } from '../database.ts';
import { listen } from '../fixture.ts';
import { latency, type Latency } from '../stats.ts';
import { autocannon } from './load.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TelemetryArm {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
}

/** From start to /readyz 200 on PostgreSQL in at most this (issue 26). */
export const START_LIMIT_MS = 1000;

export interface ProductionResult {
  startToReadyMs: { restart: Latency; emptyDatabase: Latency; nodeAlone: Latency };
  /** Restart p50 ÷ START_LIMIT_MS: at most 1 meets it. */
  startLimitRatio: number;
  /** CPU time (user + system) the server process used until ready: less swayed than wall time by a busy machine. */
  startCpuMs: { restart: Latency; nodeAlone: Latency };
  telemetry: {
    connections: number;
    secondsPerRound: number;
    rounds: number;
    withTelemetry: TelemetryArm;
    without: TelemetryArm;
    /** (without − with) / without, on the mean req/s of the rounds. */
    overheadPercent: number;
    logBytes: number;
  };
  loadAverage: { before: number; after: number };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Node alone, up to its first output: the wall and CPU time no code of ours can shorten. */
async function nodeFloor(): Promise<{ ms: number; cpu: number }> {
  const started = performance.now();
  // Waits on stdin so its CPU can be read before it exits; closing stdin ends it.
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("up"); process.stdin.resume(); process.stdin.on("end", () => process.exit(0))'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  const result = { ms: performance.now() - started, cpu: cpuMs(child.pid!) };
  child.stdin!.end();
  await new Promise((resolve) => child.once('exit', resolve));
  return result;
}

/** CPU ms (user + system) a live process has used, from /proc (Linux); its children are not counted. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** Milliseconds from spawn to the first 200 from /readyz, and the CPU the server used until then; the server is stopped after. */
async function startToReady(databaseUrl: string): Promise<{ ms: number; cpu: number }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: String(port), JWT_SECRET: randomBytes(32).toString('hex'), SWEEP_INTERVAL_MS: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        await res.arrayBuffer();
        if (res.status === 200) return { ms: performance.now() - started, cpu: cpuMs(child.pid!) };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function emptyDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `clientela_bench_start_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

export async function benchProduction(bench: BenchDatabase, options: { starts?: number; rounds?: number; seconds?: number; connections?: number } = {}): Promise<ProductionResult> {
  if (!bench.url) throw new Error('the production section runs on PostgreSQL');
  const starts = options.starts ?? 7;
  const rounds = options.rounds ?? 4;
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? 16;
  const loadBefore = loadavg()[0];

  process.stderr.write('  compiling the server (npm run build:server)\n');
  await run(process.execPath, ['scripts/build-server.mjs']);
  const nodeAlone: Array<{ ms: number; cpu: number }> = [];
  const restart: Array<{ ms: number; cpu: number }> = [];
  const empty: number[] = [];
  for (let i = 0; i < starts; i++) {
    nodeAlone.push(await nodeFloor());
    restart.push(await startToReady(bench.url));
  }
  const serverUrl = new URL(bench.url);
  serverUrl.pathname = '/postgres';
  for (let i = 0; i < Math.min(starts, 3); i++) {
    const fresh = await emptyDatabase(serverUrl.toString());
    try {
      empty.push((await startToReady(fresh.url)).ms);
    } finally {
      await fresh.drop();
    }
  }
  const wall = (runs: Array<{ ms: number }>) => latency(runs.map((r) => r.ms));
  const cpu = (runs: Array<{ cpu: number }>) => latency(runs.map((r) => r.cpu));
  const startLimitRatio = Math.round((wall(restart).p50 / START_LIMIT_MS) * 100) / 100;
  process.stderr.write(
    `  start to ready: restart p50 ${wall(restart).p50} ms (${cpu(restart).p50} ms CPU; ${startLimitRatio} × the ${START_LIMIT_MS} ms limit), ` +
      `empty database p50 ${latency(empty).p50} ms, node alone p50 ${wall(nodeAlone).p50} ms (${cpu(nodeAlone).p50} ms CPU), load average ${loadavg()[0].toFixed(1)}\n`,
  );

  // Telemetry on and off, one database, one customer.
  const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('base64url'), SEED: '0', RATE_LIMIT_PER_MINUTE: '0' });
  const logDir = mkdtempSync(join(tmpdir(), 'clientela-bench-log-'));
  const logFile = join(logDir, 'requests.log');
  const logger = createLogger({ level: 'info', json: true, destination: pino.destination({ dest: logFile, sync: false }) });
  const watched = createApp({ database: bench.database, config, logger, metrics: new Metrics() });
  const bare = createApp({ database: bench.database, config, telemetry: false });
  const token = await signToken(config.jwtSecret, { sub: 'bench', name: 'Bench', tid: 'bench_production', role: 'admin' }, 3600);
  const created = await bare.request('/api/v1/customers', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ firstName: 'Lucía', lastName: 'Fernández', email: 'lucia@example.com', phones: [{ number: '+34 612 345 678' }] }),
  });
  const { id } = (await created.json()) as { id: string };
  const servers = { with: await listen(watched), without: await listen(bare) };
  const samples: Record<'with' | 'without', TelemetryArm[]> = { with: [], without: [] };
  try {
    for (const arm of ['with', 'without'] as const) await autocannon(`${servers[arm].url}/api/v1/customers/${id}`, token, connections, 2);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (['without', 'with'] as const) : (['with', 'without'] as const);
      for (const arm of order) {
        const r = await autocannon(`${servers[arm].url}/api/v1/customers/${id}`, token, connections, seconds);
        samples[arm].push({ requestsPerSecond: Math.round(r.requests.average), latencyP50: r.latency.p50, latencyP99: r.latency.p99, non2xx: r.non2xx });
      }
    }
  } finally {
    await servers.with.close();
    await servers.without.close();
    logger.flush();
  }
  const logBytes = statSync(logFile).size;
  rmSync(logDir, { recursive: true, force: true });
  const mean = (arms: TelemetryArm[]): TelemetryArm => ({
    requestsPerSecond: Math.round(arms.reduce((s, a) => s + a.requestsPerSecond, 0) / arms.length),
    latencyP50: Math.round((arms.reduce((s, a) => s + a.latencyP50, 0) / arms.length) * 100) / 100,
    latencyP99: Math.round((arms.reduce((s, a) => s + a.latencyP99, 0) / arms.length) * 100) / 100,
    non2xx: arms.reduce((s, a) => s + a.non2xx, 0),
  });
  const withTelemetry = mean(samples.with);
  const without = mean(samples.without);
  return {
    startToReadyMs: { restart: wall(restart), emptyDatabase: latency(empty), nodeAlone: wall(nodeAlone) },
    startLimitRatio,
    startCpuMs: { restart: cpu(restart), nodeAlone: cpu(nodeAlone) },
    telemetry: {
      connections,
      secondsPerRound: seconds,
      rounds,
      withTelemetry,
      without,
      overheadPercent: Math.round(((without.requestsPerSecond - withTelemetry.requestsPerSecond) / without.requestsPerSecond) * 1000) / 10,
      logBytes,
    },
    loadAverage: { before: loadBefore, after: loadavg()[0] },
  };
}
