/**
 * Merges under concurrency, on real PostgreSQL (row locks and a second
 * server process need it; PGlite has one connection): point changes racing
 * a merge lose nothing, two merges over the same customers never deadlock
 * or both win, and a server killed in the middle of a merge leaves the
 * database exactly as it was.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { query } from '../../server/db/client.ts';
import { adjustPoints } from '../../server/domain/ledger.ts';
import { mergeCustomers } from '../../server/domain/merge.ts';
import { startServer } from '../server-process.mjs';
import { newTenant, onPostgres, TEST_SECRET, tokenFor, useTestApp, type CallOptions, type CallResult } from './helpers.ts';
import { assertLedgerConsistent, customerRow, newMember } from './loyalty-helpers.ts';

const ctx = useTestApp();
type Api = <T = any>(method: string, path: string, options?: CallOptions) => Promise<CallResult<T>>;
const actor = { id: 'test', name: 'Test' };

async function addPoints(api: Api, id: string, delta: number) {
  return api('POST', `/customers/${id}/points`, { body: { delta, reason: 'Prueba' } });
}

/** Waits until some backend of this database waits for a lock in a statement like `pattern`; answers its pid. */
async function lockWaiter(pattern: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await query<{ pid: number }>(
      ctx.database.db,
      sql`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike ${pattern} limit 1`,
    );
    if (row) return Number(row.pid);
    if (Date.now() > deadline) throw new Error(`No statement like ${pattern} ever waited for a lock`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A transaction held open until `release()`: runs `work` first. */
function heldTransaction(work: (tx: typeof ctx.database.db) => Promise<unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const done = ctx.database.db.transaction(async (tx) => {
    await work(tx);
    started();
    await gate;
  });
  return { ready, release, done };
}

describe('merge under concurrency', { skip: !onPostgres && 'needs PostgreSQL (TEST_DATABASE_URL)' }, () => {
  it('a point change holding the source waits out the merge’s lock and its points come over', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const primary = await newMember(api);
    const source = await newMember(api);
    assert.equal((await addPoints(api, source, 100)).status, 201);
    const change = heldTransaction((tx) => adjustPoints(tx, tenantId, source, actor, { kind: 'adjust', delta: 30, reason: 'En vuelo' }));
    await change.ready;
    const merging = api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [source], confirm: true } });
    await lockWaiter('select % for update%');
    change.release();
    await change.done;
    const merged = await merging;
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    assert.equal(merged.body.customer.points, 130);
    await assertLedgerConsistent(ctx, tenantId, primary);
    await assertLedgerConsistent(ctx, tenantId, source);
  });

  it('a point change arriving while the merge holds its locks fails cleanly with 409 and changes nothing', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const primary = await newMember(api);
    const source = await newMember(api);
    assert.equal((await addPoints(api, source, 100)).status, 201);
    const merge = heldTransaction((tx) => mergeCustomers(tx, tenantId, primary, actor, { sourceIds: [source], fieldChoices: {} }));
    await merge.ready;
    const late = addPoints(api, source, 30);
    const edit = api('PATCH', `/customers/${source}`, { body: { city: 'Cádiz' }, headers: { 'If-Match': '"2"' } });
    await lockWaiter('select % for update%');
    merge.release();
    await merge.done;
    for (const res of await Promise.all([late, edit])) {
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'customer_merged');
    }
    assert.equal((await customerRow(ctx, tenantId, primary)).points, 100);
    assert.equal((await customerRow(ctx, tenantId, source)).city, null);
    await assertLedgerConsistent(ctx, tenantId, primary);
  });

  it('under a burst of point changes on every side, the primary ends with exactly what was applied', async () => {
    for (let round = 0; round < 5; round++) {
      const { tenantId, api } = await newTenant(ctx);
      const primary = await newMember(api);
      const sources = [await newMember(api), await newMember(api)];
      for (const id of [primary, ...sources]) assert.equal((await addPoints(api, id, 50)).status, 201);
      const targets = Array.from({ length: 30 }, (_, i) => [primary, ...sources][i % 3]);
      const changes = targets.map((id, i) => addPoints(api, id, i % 5 === 4 ? -7 : 11).then((res) => ({ res, delta: i % 5 === 4 ? -7 : 11 })));
      const merged = await api('POST', `/customers/${primary}/merge`, { body: { sourceIds: sources, confirm: true } });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      let applied = 0;
      for (const { res, delta } of await Promise.all(changes)) {
        if (res.status === 201) applied += delta;
        else assert.equal(res.body.error.code, 'customer_merged', `${res.status} ${JSON.stringify(res.body)}`);
      }
      assert.equal((await customerRow(ctx, tenantId, primary)).points, 150 + applied, 'no point lost or counted twice');
      await assertLedgerConsistent(ctx, tenantId, primary);
      for (const id of sources) assert.equal((await customerRow(ctx, tenantId, id)).points, 0);
    }
  });

  it('two merges over the same customers, in opposite directions, never deadlock: one wins, the other is refused', async () => {
    for (let round = 0; round < 5; round++) {
      const { tenantId, api } = await newTenant(ctx);
      const a = await newMember(api);
      const b = await newMember(api);
      const c = await newMember(api);
      const results = await Promise.all([
        api('POST', `/customers/${a}/merge`, { body: { sourceIds: [b, c], confirm: true } }),
        api('POST', `/customers/${c}/merge`, { body: { sourceIds: [b, a], confirm: true } }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], JSON.stringify(results.map((r) => r.body)));
      const winner = results.find((r) => r.status === 200)!.body.customer.id;
      const rows = await Promise.all([a, b, c].map((id) => customerRow(ctx, tenantId, id)));
      assert.deepEqual(rows.filter((r) => !r.mergedInto).map((r) => r.id), [winner]);
    }
  });

  it('a server process killed in the middle of a merge leaves the database exactly as before', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const primary = await newMember(api, { email: 'primera@example.com' });
    const source = await newMember(api, { email: 'segunda@example.com', tags: ['online'] });
    assert.equal((await addPoints(api, source, 80)).status, 201);
    assert.equal((await api('POST', `/customers/${source}/notes`, { body: { body: '<p>Nota</p>' } })).status, 201);
    const order = await api('POST', '/orders', {
      body: { customerId: source, externalId: `k-${tenantId}`, total: 1500, currency: 'EUR', status: 'completed', placedAt: '2026-01-01T00:00:00Z' },
    });
    assert.ok(order.status === 201 || order.status === 200, JSON.stringify(order.body));

    const tables = ['customers', 'ledger_entries', 'orders', 'order_items', 'notes', 'events', 'merges', 'idempotency_keys', 'duplicate_dismissals'];
    const snapshot = async () => {
      const state: Record<string, unknown> = {};
      for (const table of tables) {
        state[table] = await query(ctx.database.db, sql`select to_jsonb(t) as row from ${sql.identifier(table)} t where tenant_id = ${tenantId} order by to_jsonb(t)::text`);
      }
      return JSON.stringify(state);
    };
    const before = await snapshot();

    // Another session holds the source's order: the merge will stop at moving it, half-way through its writes.
    const blocker = postgres(ctx.databaseUrl!, { max: 1, onnotice: () => {} });
    let release!: () => void;
    let locked!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    const held = blocker.begin(async (tx) => {
      await tx`select id from orders where tenant_id = ${tenantId} and customer_id = ${source} for update`;
      locked();
      await new Promise<void>((r) => (release = r));
    });
    await holding;

    const dataDir = mkdtempSync(join(tmpdir(), 'clientela-merge-kill-'));
    const server = await startServer({ dataDir, seedCustomers: 0, env: { DATABASE_URL: ctx.databaseUrl!, JWT_SECRET: TEST_SECRET, SEED: '0', SWEEP_INTERVAL_MS: '0' } });
    try {
      const token = await tokenFor({ tenantId, role: 'admin' });
      const request = fetch(`${server.url}/api/v1/customers/${primary}/merge`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sourceIds: [source], confirm: true }),
      }).catch((err: Error) => err);
      const pid = await lockWaiter('update "orders"%');
      const [progress] = await query<{ n: number }>(
        ctx.database.db,
        sql`select count(*)::int as n from pg_locks where pid = ${pid} and mode = 'RowExclusiveLock'`,
      );
      assert.ok(Number(progress.n) > 0, 'the merge had already written when it was killed');

      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGKILL');
      await exited;
      assert.ok((await request) instanceof Error, 'the client saw the connection die, not an answer');
      release();
      await held;
      // The orphaned backend rolls back once it finds its client gone.
      const deadline = Date.now() + 20_000;
      while ((await query(ctx.database.db, sql`select 1 from pg_stat_activity where pid = ${pid}`)).length) {
        if (Date.now() > deadline) assert.fail('the killed server’s session never ended');
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await server.stop();
      await blocker.end();
      rmSync(dataDir, { recursive: true, force: true });
    }

    assert.equal(await snapshot(), before, 'every row exactly as before the merge');
    const retried = await api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [source], confirm: true } });
    assert.equal(retried.status, 200, 'the merge can simply be done again');
    assert.equal(retried.body.customer.points, 80 + 15);
    await assertLedgerConsistent(ctx, tenantId, primary);
  });
});
