#!/usr/bin/env node
/**
 * `npm run test:reliability`: the reliability suite, then its counts.
 * - pglite: every test/reliability/*.test.ts on the embedded database
 *   (fuzzing, authorization matrix, resource and rate limits, crash safety);
 * - postgres: the same on the PostgreSQL of DATABASE_URL (or
 *   TEST_DATABASE_URL), where the races run too; skipped without one;
 * - xss: the payload corpus rendered by every component in Chromium
 *   (web-test-runner starts its own server); only when named, since
 *   `npm test` already runs it against the server of its browser stage.
 * Pass step names to run only some: `npm run test:reliability -- pglite xss`.
 * Each test prints `reliability count: <what> = <n>`; the summary lists them.
 */
import { readdirSync } from 'node:fs';
import { makePgliteTemplate } from '../pglite-template.mjs';
import { runStage, together } from '../stages.mjs';

const only = process.argv.slice(2);
const wanted = (step) => only.length === 0 || only.includes(step);
const postgresUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
const counts = [];

/** One step; its `reliability count:` lines are kept for the summary. */
function run(label, command, args, env = {}, { buffered = false } = {}) {
  const onLine = (line) => {
    const match = /reliability count: (.+?) = (\d+)/.exec(line);
    // The browser log may be printed more than once: the last value of a name wins.
    if (match) counts.push({ step: label, name: match[1], value: Number(match[2]) });
  };
  return runStage(label, command, args, { env, buffered, onLine });
}

// Node 20's --test takes no globs: the files are listed.
const files = readdirSync('test/reliability').filter((file) => file.endsWith('.test.ts')).sort().map((file) => `test/reliability/${file}`);
const nodeTests = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files];
const started = Date.now();
try {
  if (wanted('pglite')) makePgliteTemplate();
  // Side by side: the PostgreSQL pass spends much of its time in the database server's processes.
  const passes = [];
  if (wanted('pglite')) passes.push(run('reliability on PGlite', process.execPath, nodeTests, { TEST_DATABASE_URL: '' }));
  if (wanted('postgres')) {
    // Another seed here: together the two runs explore more. 2,500 like PGlite: with 42 operations, 1,500
    // requests left GET /customers/{id}/orders without a single success at this seed.
    const fuzz = { FUZZ_REQUESTS: process.env.FUZZ_REQUESTS || '2500', FUZZ_SEED: process.env.FUZZ_SEED || '20240612' };
    if (postgresUrl) {
      passes.push(run('reliability on PostgreSQL', process.execPath, nodeTests, { TEST_DATABASE_URL: postgresUrl, ...fuzz }, { buffered: passes.length > 0 }));
    } else console.log('\n(DATABASE_URL is not set: the races and the PostgreSQL runs were skipped)');
  }
  await together(...passes);
  // npm test runs the XSS corpus against its own server; `-- xss` runs it here alone.
  if (only.includes('xss')) {
    // Without CLIENTELA_URL, web-test-runner starts a server of its own on a fresh embedded database.
    await run('XSS in Chromium', 'npx', ['web-test-runner', 'test/reliability/xss.browser.ts'], { CLIENTELA_URL: '' });
  }
  const latest = new Map(counts.map((c) => [`${c.step}\u0000${c.name}`, c]));
  console.log('\nReliability counts');
  for (const { step, name, value } of latest.values()) console.log(`  ${step.padEnd(28)} ${name.padEnd(62)} ${value}`);
  console.log(`\nAll reliability tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
} catch (err) {
  console.error(`\n✘ ${err.message}`);
  process.exit(1);
}
