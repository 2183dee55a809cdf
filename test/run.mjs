#!/usr/bin/env node
/**
 * `npm test`: type check, server tests on PGlite and (when DATABASE_URL is
 * set) on that PostgreSQL in a fresh database, then the browser tests
 * (components and end-to-end) against a real server on an embedded database,
 * then the reliability suite (test/reliability/run.mjs).
 * Pass step names to run only some: `npm test -- server components`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server-process.mjs';

const only = process.argv.slice(2);
const wanted = (step) => only.length === 0 || only.includes(step);

function run(label, command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    console.log(`\n▶ ${label}`);
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        console.log(`✔ ${label} (${seconds} s)`);
        resolve();
      } else reject(new Error(`${label} failed with exit code ${code} after ${seconds} s`));
    });
  });
}

/** The test files under a folder: Node 20's --test takes no globs. */
const testFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(dir, file))
    .sort();

const serverTests = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=dot', ...testFiles('test/server')];

try {
  if (wanted('typecheck')) await run('type check', 'npx', ['tsc', '--noEmit']);
  if (wanted('server')) {
    await run('server tests on PGlite', process.execPath, serverTests, { TEST_DATABASE_URL: '' });
    // A client generated from the served document, type-checked and run against a real server (docs/api.md).
    await run('generated client against a real server', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', 'test/client/generated-client.test.ts']);
    if (process.env.DATABASE_URL) {
      await run('server tests on PostgreSQL', process.execPath, serverTests, { TEST_DATABASE_URL: process.env.DATABASE_URL });
    } else {
      console.log('\n(DATABASE_URL is not set: server tests ran on PGlite only)');
    }
  }
  if (wanted('components') || wanted('e2e')) {
    await run('build (demo, library, bundle, types, manifest)', process.execPath, ['scripts/build.mjs']);
    const dataDir = mkdtempSync(join(tmpdir(), 'clientela-test-'));
    // The end-to-end hosts sign their own tokens with it, as a host's backend does.
    const jwtSecret = randomBytes(32).toString('hex');
    const server = await startServer({ dataDir, seedCustomers: 300, env: { JWT_SECRET: jwtSecret } });
    try {
      const env = { CLIENTELA_URL: server.url, CLIENTELA_JWT_SECRET: jwtSecret };
      if (wanted('components')) await run('component tests in Chromium', 'npx', ['web-test-runner'], env);
      if (wanted('e2e')) {
        await run('end-to-end tests in Chromium', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...testFiles('test/e2e')], env);
      }
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  // Fuzzing, the authorization matrix, limits, crashes and XSS; on PostgreSQL too when DATABASE_URL is set.
  if (wanted('reliability')) await run('reliability suite', process.execPath, ['test/reliability/run.mjs']);
  console.log('\nAll tests passed.');
} catch (err) {
  console.error(`\n✘ ${err.message}`);
  process.exit(1);
}
