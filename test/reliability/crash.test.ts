/**
 * Crash safety: a real server process is killed with SIGKILL in the middle
 * of a burst of point writes, then in the middle of a burst of merges, on
 * the embedded database (a data directory on disk) or, when
 * TEST_DATABASE_URL is set, on PostgreSQL. After each kill: the database
 * opens again, every write the server acknowledged is there, the
 * invariants hold (balance == ledger, no half merge), and a restarted
 * server serves and writes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase, query, type Database } from '../../server/db/client.ts';
import { startServer, type StartedServer } from '../server-process.mjs';
import { freshPostgresDatabase, newTenantId, TEST_SECRET, tokenFor } from '../server/helpers.ts';
import { recordCount } from './helpers.ts';
import { violations } from './invariants.ts';

/** Requests kept in flight during a burst, and acknowledgements to wait for before the kill. */
const IN_FLIGHT = 12;
const ACKS_BEFORE_KILL = { points: 60, merges: 6 };

interface Storage {
  name: string;
  env: Record<string, string>;
  dataDir: string;
  /** Opens the database directly (for PGlite only while no server holds it). */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

async function pgliteStorage(): Promise<Storage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clientela-crash-'));
  return {
    name: 'the embedded database (PGlite on disk)',
    env: { DATABASE_URL: '' },
    dataDir,
    open: () => openDatabase({ databaseUrl: null, dataDir }),
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresStorage(baseUrl: string): Promise<Storage> {
  const fresh = await freshPostgresDatabase(baseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'clientela-crash-pg-'));
  return {
    name: 'PostgreSQL',
    env: { DATABASE_URL: fresh.url },
    dataDir,
    open: () => openDatabase({ databaseUrl: fresh.url, max: 2 }),
    cleanup: async () => {
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const start = (storage: Storage) =>
  startServer({ dataDir: storage.dataDir, seedCustomers: 0, env: { ...storage.env, JWT_SECRET: TEST_SECRET, SEED: '0', RATE_LIMIT_PER_MINUTE: '0', SWEEP_INTERVAL_MS: '0' } });

/** SIGKILL, and wait until the process is gone. */
async function kill(server: StartedServer) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const gone = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await gone;
}

/**
 * Sends `total` requests, IN_FLIGHT at a time, and kills the server once
 * `killAfter` have been acknowledged; answers the acknowledged ones.
 */
async function burstUntilKilled<T>(server: StartedServer, total: number, killAfter: number, send: (i: number) => Promise<T | null>): Promise<T[]> {
  const acked: T[] = [];
  let next = 0;
  let killing: Promise<void> | null = null;
  const worker = async () => {
    while (next < total && !killing) {
      const i = next++;
      const result = await send(i).catch(() => null);
      if (result !== null && !killing) {
        acked.push(result);
        if (acked.length >= killAfter) killing = kill(server);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  await (killing ?? kill(server));
  assert.ok(acked.length >= killAfter, `only ${acked.length} of ${total} requests were acknowledged before the kill`);
  return acked;
}

function client(server: StartedServer, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

// Like the other tests, on the database of the run: PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
const targets: Array<() => Promise<Storage>> = process.env.TEST_DATABASE_URL ? [() => postgresStorage(process.env.TEST_DATABASE_URL!)] : [pgliteStorage];

let crashes = 0;
after(() => recordCount('kill -9 crashes survived', crashes));

describe('crash safety', () => {
  for (const makeStorage of targets) {
    it(`loses nothing acknowledged and leaves no half merge when killed mid-burst, on ${makeStorage === pgliteStorage ? 'PGlite' : 'PostgreSQL'}`, async () => {
      const storage = await makeStorage();
      let server: StartedServer | null = null;
      try {
        const tenantId = newTenantId();
        const token = await tokenFor({ tenantId, role: 'admin', sub: 'crash', name: 'Crash' });
        server = await start(storage);
        let api = client(server, token);
        const members: string[] = [];
        for (let i = 0; i < 24; i++) {
          const res = await api('POST', '/customers', { firstName: 'Socia', lastName: `Caída ${i}` });
          assert.equal(res.status, 201, JSON.stringify(res.body));
          members.push(res.body.id);
          assert.equal((await api('POST', `/customers/${res.body.id}/points`, { delta: 500, reason: 'Saldo inicial' })).status, 201);
          assert.equal((await api('POST', `/customers/${res.body.id}/notes`, { body: 'Antes de la caída' })).status, 201);
        }

        // 1. Points: adds and deducts on a few customers, killed mid-burst.
        const ackedEntries = await burstUntilKilled(server, 2_000, ACKS_BEFORE_KILL.points, async (i) => {
          const res = await api('POST', `/customers/${members[i % 6]}/points`, { delta: i % 4 === 3 ? -7 : 5, reason: `Ráfaga ${i}` });
          return res.status === 201 ? (res.body.entry.id as string) : null;
        });
        await verify(storage, tenantId, { entries: ackedEntries, merges: [] });
        crashes += 1;

        // 2. Merges: pairs of the remaining members, killed mid-burst.
        server = await start(storage);
        api = client(server, token);
        const rest = members.slice(6);
        const pairs = Array.from({ length: rest.length / 2 }, (_, i) => [rest[2 * i], rest[2 * i + 1]]);
        const ackedMerges = await burstUntilKilled(server, pairs.length, ACKS_BEFORE_KILL.merges, async (i) => {
          const [primary, source] = pairs[i];
          const res = await api('POST', `/customers/${primary}/merge`, { sourceIds: [source], confirm: true });
          return res.status === 200 ? (res.body.mergeId as string) : null;
        });
        await verify(storage, tenantId, { entries: ackedEntries, merges: ackedMerges });
        crashes += 1;

        // 3. A server on the same storage serves and writes again.
        server = await start(storage);
        api = client(server, token);
        const after = await api('POST', `/customers/${members[0]}/points`, { delta: 1, reason: 'Después' });
        assert.equal(after.status, 201, JSON.stringify(after.body));
        const lookup = await api('GET', `/customers/${pairs[0][1]}`);
        assert.equal(lookup.status, 200, 'a source answers (merged: through the redirect to its survivor)');
        await server.stop();
        server = null;
      } finally {
        if (server) await kill(server);
        await storage.cleanup();
      }
    });
  }
});

/** Opens the database as it was left, checks what was acknowledged and the invariants, closes it. */
async function verify(storage: Storage, tenantId: string, acked: { entries: string[]; merges: string[] }) {
  let database: Database;
  try {
    database = await storage.open();
  } catch (err) {
    assert.fail(`${storage.name} does not open again after kill -9: ${(err as Error).message}`);
  }
  try {
    const entries = await query<{ id: string }>(database.db, sql`select id::text from ledger_entries where tenant_id = ${tenantId} and id = any(${`{${acked.entries.join(',')}}`}::uuid[])`);
    assert.equal(entries.length, acked.entries.length, 'an acknowledged point write was lost');
    if (acked.merges.length) {
      const merges = await query<{ id: string }>(database.db, sql`select id::text from merges where tenant_id = ${tenantId} and id = any(${`{${acked.merges.join(',')}}`}::uuid[])`);
      assert.equal(merges.length, acked.merges.length, 'an acknowledged merge was lost');
    }
    assert.deepEqual(await violations(database.db, tenantId), []);
  } finally {
    await database.close();
  }
}
