/**
 * Migrations in production: `npm run migrate` (server/migrate.ts) applies
 * them and exits; a server started with MIGRATE=0 is not ready until they
 * are there; and three instances starting at once on one empty PostgreSQL
 * database take turns under the advisory lock: one applies them, all three
 * become ready, nothing is applied twice.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { migrationsFolder, openDatabase, query } from '../../server/db/client.ts';
import { onPostgres } from './helpers.ts';
import { baseEnv, processDatabase, productionEnv, ROOT, spawnServer, type ProcessDatabase } from './process-helpers.ts';

const shipped = (JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }).entries.length;

function runMigrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/migrate.ts'], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

async function appliedRows(database: ProcessDatabase) {
  const db = await openDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? undefined, max: 2 });
  try {
    return await query<{ hash: string }>(db.db, sql`select hash from drizzle.__drizzle_migrations`);
  } finally {
    await db.close();
  }
}

describe('npm run migrate', () => {
  let database: ProcessDatabase;
  before(async () => {
    database = await processDatabase();
  });
  after(() => database.drop());

  it('applies the migrations and exits; run again, finds nothing to do', async () => {
    const env = { NODE_ENV: 'production', ...database.env };
    const first = await runMigrate(env);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, new RegExp(`"applied":${shipped},`));
    const second = await runMigrate(env);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /"applied":0,.*up to date/);
    // Production logs are JSON lines.
    for (const line of second.output.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), line);
    // (Opening an embedded database once more costs seconds; the second run has looked already.)
    if (database.url) assert.equal((await appliedRows(database)).length, shipped);
  });

  it('needs only the database settings, and names a bad one', async () => {
    const bad = await runMigrate({ DATABASE_URL: 'postgres://db:notaport/x' });
    assert.equal(bad.code, 1);
    assert.match(bad.output, /^Configuration error: DATABASE_URL .*\n$/);
  });
});

describe('MIGRATE=0 and concurrent starts', { skip: !onPostgres && 'needs PostgreSQL (TEST_DATABASE_URL): PGlite is one process' }, () => {
  it('keeps a server started with MIGRATE=0 not ready until npm run migrate has run', async () => {
    const database = await processDatabase();
    const env = productionEnv({ ...database.env, MIGRATE: '0' });
    const server = await spawnServer({ env });
    try {
      await server.waitFor('/readyz', 503);
      const res = await fetch(`${server.url}/readyz`);
      assert.deepEqual(await res.json(), { status: 'not ready', reason: 'migrations pending' });
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'alive all the same');
      const migrated = await runMigrate(database.env);
      assert.equal(migrated.code, 0, migrated.output);
      await server.waitFor('/readyz', 200, 10_000);
    } finally {
      await server.stop();
      await database.drop();
    }
  });

  it('lets three instances start at once on one empty database', async () => {
    const database = await processDatabase();
    try {
      const env = productionEnv(database.env);
      const servers = await Promise.all([0, 1, 2].map(() => spawnServer({ env })));
      try {
        await Promise.all(servers.map((s) => s.waitFor('/readyz', 200)));
        const outputs = servers.map((s) => s.output());
        for (const output of outputs) assert.doesNotMatch(output, /"level":"(error|fatal)"/, output);
        assert.equal(outputs.filter((o) => o.includes(`"applied":${shipped}`)).length, 1, `one instance applied them:\n${outputs.join('\n')}`);
        const rows = await appliedRows(database);
        assert.equal(rows.length, shipped);
        assert.equal(new Set(rows.map((r) => r.hash)).size, shipped, 'no migration recorded twice');
        await Promise.all(servers.map((s) => s.stop()));
        assert.deepEqual((await Promise.all(servers.map((s) => s.exited))).map((e) => e.code), [0, 0, 0]);
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    } finally {
      await database.drop();
    }
  });
});
