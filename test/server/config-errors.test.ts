/**
 * Bad configuration stops the start: exit code 1 and one line on stderr that
 * names the variable, before anything is opened or listened on. Each case
 * is a real `server/main.ts` process with only that variable wrong.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../server/config.ts';
import { onPostgres } from './helpers.ts';
import { baseEnv, productionEnv, ROOT } from './process-helpers.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'clientela-config-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...baseEnv(), DATA_DIR: dataDir, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const production = productionEnv();
const CASES: Array<{ variable: string; env: Record<string, string> }> = [
  { variable: 'DATABASE_URL', env: { DATABASE_URL: 'postgres//no-colon@localhost/x' } },
  { variable: 'DATABASE_URL', env: { DATABASE_URL: 'mysql://root@localhost/x' } },
  { variable: 'JWT_SECRET', env: { ...production, JWT_SECRET: 'short-secret' } },
  { variable: 'JWT_SECRET', env: { ...production, JWT_SECRET: '' } },
  { variable: 'PORT', env: { PORT: '80a' } },
  { variable: 'LOG_LEVEL', env: { LOG_LEVEL: 'verbose' } },
  { variable: 'SHUTDOWN_GRACE_MS', env: { SHUTDOWN_GRACE_MS: '10s' } },
  { variable: 'METRICS_TOKEN', env: { ...production, METRICS_TOKEN: 'short' } },
];

/** The same check in the same function, without a process each. */
const IN_PROCESS: Array<{ variable: string; env: Record<string, string> }> = [
  { variable: 'PORT', env: { PORT: '70000' } },
  { variable: 'PORT', env: { PORT: '0x50' } },
  { variable: 'SWEEP_INTERVAL_MS', env: { SWEEP_INTERVAL_MS: '-1' } },
  { variable: 'RATE_LIMIT_PER_MINUTE', env: { RATE_LIMIT_PER_MINUTE: '1e3' } },
  { variable: 'SEED_CUSTOMERS', env: { SEED_CUSTOMERS: 'many' } },
  { variable: 'SEED', env: { SEED: 'maybe' } },
  { variable: 'MIGRATE', env: { MIGRATE: 'maybe' } },
  { variable: 'JWKS_URL', env: { JWKS_URL: 'ftp://keys.example.com/jwks.json' } },
  { variable: 'DATABASE_URL', env: { DATABASE_URL: 'postgres://db:port/x' } },
];

// The same on both passes: it runs once, on the embedded-database pass.
describe('bad configuration stops the start', { skip: onPostgres && 'runs on the PGlite pass only' }, () => {
  it('exits 1 with one line naming the variable, for each bad variable', async () => {
    // Three at a time: each is a Node process loading tsx.
    const results: Array<Awaited<ReturnType<typeof start>>> = [];
    for (let i = 0; i < CASES.length; i += 3) results.push(...(await Promise.all(CASES.slice(i, i + 3).map((c) => start(c.env)))));
    CASES.forEach(({ variable, env }, i) => {
      const { code, stdout, stderr } = results[i];
      const what = `${variable} with ${JSON.stringify(env)}`;
      assert.equal(code, 1, `${what}: exit code; stderr:\n${stderr}`);
      const lines = stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${stderr}`);
      assert.match(lines[0], new RegExp(`^Configuration error: ${variable} `), what);
      assert.equal(stdout, '', `${what}: nothing on stdout`);
    });
    // Nothing was written before the check failed (the demo secret comes last).
    assert.deepEqual(readdirSync(dataDir), []);
  });

  it('names the variable for every other bad value too', () => {
    for (const { variable, env } of IN_PROCESS) {
      assert.throws(() => loadConfig({ DATA_DIR: dataDir, ...env }), (err: Error) => err.message.startsWith(`${variable} `) && !err.message.includes('\n'), variable);
    }
  });

  it('never echoes a database password', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://app:hunter2-secret@db/x' }), (err: Error) => !err.message.includes('hunter2'));
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://app:hunter2 secret@db:port/x' }), (err: Error) => !err.message.includes('hunter2'));
  });

  it('accepts a good production configuration and reads the new settings', () => {
    const config = loadConfig({ ...productionEnv(), DATABASE_URL: 'postgresql://app:pw@db:5432/clientela', LOG_LEVEL: 'WARN', SHUTDOWN_GRACE_MS: '2500', MIGRATE: '0', METRICS_TOKEN: 'a-metrics-token-long-enough' });
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.shutdownGraceMs, 2500);
    assert.equal(config.migrate, false);
    assert.equal(config.metricsToken, 'a-metrics-token-long-enough');
    assert.equal(config.demo, false);
  });
});
