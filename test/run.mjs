#!/usr/bin/env node
/**
 * `npm test`: type check, server tests on PGlite and (when DATABASE_URL is
 * set) on that PostgreSQL in a fresh database per test file, then the browser
 * tests (components, the XSS corpus, end-to-end) against a real server on an
 * embedded database. Ends with the time of each stage.
 * The slow reliability runs (fuzzing at full count, the authorization matrix,
 * races, crash loops) are `npm run test:reliability`; CI runs both.
 * Pass step names to run only some: `npm test -- server components`
 * (steps: typecheck, server, frameworks, components, e2e, xss).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBrowserSoon } from '../scripts/browser.mjs';
import { makePgliteTemplate } from './pglite-template.mjs';
import { startServer } from './server-process.mjs';
import { runStage, together } from './stages.mjs';

const only = process.argv.slice(2);
const wanted = (step) => only.length === 0 || only.includes(step);

const stages = [];
const startedAll = Date.now();

/** One stage, its time kept for the table at the end. */
async function run(label, command, args, env = {}, { buffered = false } = {}) {
  try {
    stages.push({ label, seconds: await runStage(label, command, args, { env, buffered }), ok: true });
  } catch (err) {
    stages.push({ label, seconds: err.seconds ?? 0, ok: false });
    throw err;
  }
}

function printStageTimes() {
  console.log('\nStage times');
  for (const { label, seconds, ok } of stages) console.log(`  ${ok ? '✔' : '✘'} ${label.padEnd(52)} ${seconds.toFixed(1).padStart(7)} s`);
  console.log(`  ${'total'.padEnd(54)} ${((Date.now() - startedAll) / 1000).toFixed(1).padStart(7)} s`);
}

/** The test files under a folder: Node 20's --test takes no globs. */
const testFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(dir, file))
    .sort();

const serverTests = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=dot', ...testFiles('test/server')];

try {
  // The browser first, so a machine without one hears it in the first second, not after the server tests.
  // An install (a bare Debian machine) runs in the background meanwhile; its answer is awaited before the browser stages.
  const browserStages = wanted('components') || wanted('e2e') || wanted('xss');
  const browserStarted = Date.now();
  const browser = browserStages ? ensureBrowserSoon() : null;
  browser?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const needsBuild = browserStages || wanted('frameworks');
  // Two cores: the type check and the build are single-threaded, so they run side by side.
  await together(
    wanted('typecheck') && run('type check', 'npx', ['tsc', '--noEmit']),
    needsBuild && run('build (demo, library, bundle, types, manifest)', process.execPath, ['scripts/build.mjs'], {}, { buffered: wanted('typecheck') }),
  );
  let postgresPass = null;
  if (wanted('server')) {
    makePgliteTemplate();
    await run('server tests on PGlite', process.execPath, serverTests, { TEST_DATABASE_URL: '' });
    // A client generated from the served document, type-checked and run against a real server (docs/api.md).
    await run('generated client against a real server', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', 'test/client/generated-client.test.ts']);
    if (process.env.DATABASE_URL) {
      // Beside the browser stages, which spend much of their time waiting on the page: the pass's output follows when it ends.
      postgresPass = run('server tests on PostgreSQL', process.execPath, serverTests, { TEST_DATABASE_URL: process.env.DATABASE_URL }, { buffered: needsBuild });
      postgresPass.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    } else {
      console.log('\n(DATABASE_URL is not set: server tests ran on PGlite only)');
    }
  }
  const clientStages = async () => {
    if (wanted('frameworks')) {
      // docs/frameworks snippets through vue-tsc, svelte-check and tsc, and the manifest against the sources.
      await run('framework guides and typings', process.execPath, ['--import', 'tsx', '--test', ...testFiles('test/frameworks')]);
    }
    if (!browserStages) return;
    const path = await browser;
    console.log(`\nBrowser: ${path} (ready ${((Date.now() - browserStarted) / 1000).toFixed(1)} s after the start)`);
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
      // The reliability suite's XSS corpus, last (it fills the demo tenant with payloads), on the same server.
      if (wanted('components') || wanted('xss')) {
        await run('XSS corpus in Chromium', 'npx', ['web-test-runner', 'test/reliability/xss.browser.ts'], env);
      }
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  await together(postgresPass, clientStages());
  printStageTimes();
  console.log('\nAll tests passed.');
} catch (err) {
  printStageTimes();
  console.error(`\n✘ ${err.message}`);
  process.exit(1);
}
