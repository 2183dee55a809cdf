/**
 * Levels under concurrency, on real PostgreSQL: whatever commits first, a
 * points change, a new member or a merge racing a change of the level
 * rules, every unlocked member ends at the level their lifetime points
 * reach, and every move of a level has its `level.changed` event.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../../server/app.ts';
import { openDatabase, query, type Database } from '../../server/db/client.ts';
import { adjustPoints } from '../../server/domain/ledger.ts';
import { createLevel } from '../../server/domain/levels.ts';
import { call, newTenant, onPostgres, useTestApp } from './helpers.ts';
import { newMember } from './loyalty-helpers.ts';

const actor = { id: 'test', name: 'Test' };

describe('levels under concurrency (PostgreSQL)', { skip: onPostgres ? false : 'needs PostgreSQL: set TEST_DATABASE_URL' }, () => {
  const ctx = onPostgres ? useTestApp() : null!;
  let second: Database;
  let other: App;

  before(async () => {
    second = await openDatabase({ databaseUrl: ctx.databaseUrl, max: 20 });
    other = createApp({ database: second, config: ctx.config });
  });
  after(async () => {
    await second?.close();
  });

  /**
   * Members whose level is not what the rules give, or whose last recorded
   * level (the latest `level.changed`, else the level they were created
   * with) is not the one they hold.
   */
  async function wrongLevels(tenantId: string, createdAt: string | null) {
    const rows = await query<{ id: string; level_id: string | null; expected: string | null; recorded: string | null }>(
      ctx.database.db,
      sql`select * from (
            select c.id, c.level_id::text,
              (select lv.id::text from levels lv where lv.tenant_id = c.tenant_id and lv.min_points <= c.lifetime_points
                order by lv.min_points desc limit 1) as expected,
              coalesce((select e.data -> 'to' ->> 'id' from events e where e.tenant_id = c.tenant_id and e.customer_id = c.id
                and e.type = 'level.changed' order by e.seq desc limit 1), ${createdAt}::text) as recorded
            from customers c
            where c.tenant_id = ${tenantId} and c.merged_into is null and c.erased_at is null and not c.level_locked
          ) m
          where level_id is distinct from expected or level_id is distinct from recorded`,
    );
    return [...rows];
  }

  /** A transaction of `work` on the second pool, held open until `release()`. */
  function held(work: (tx: Database['db']) => Promise<unknown>) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const ready = new Promise<void>((r) => (started = r));
    const done = second.db.transaction(async (tx) => {
      await work(tx);
      started();
      await gate;
    });
    return { ready, release, done };
  }

  /** Lets `pending` run until it finishes or waits on a lock, whichever comes first. */
  async function untilDoneOrWaiting(pending: Promise<unknown>) {
    let finished = false;
    void pending.then(() => (finished = true), () => (finished = true));
    const deadline = Date.now() + 5_000;
    while (!finished && Date.now() < deadline) {
      const waiting = await query(ctx.database.db, sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      if (waiting.length) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('a points change in flight when a level is added ends at the new level, with its event', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const bronce = (await api('POST', '/levels', { body: { name: 'Bronce', minPoints: 0 } })).body.id;
    const id = await newMember(api);
    const change = held((tx) => adjustPoints(tx, tenantId, id, actor, { kind: 'adjust', delta: 150, reason: 'En vuelo' }));
    await change.ready;
    const adding = api('POST', '/levels', { body: { name: 'Plata', minPoints: 100 } });
    await untilDoneOrWaiting(adding);
    change.release();
    await change.done;
    assert.equal((await adding).status, 201);
    assert.deepEqual(await wrongLevels(tenantId, bronce), []);
  });

  it('a points change arriving while a level is being added sees the new level', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const bronce = (await api('POST', '/levels', { body: { name: 'Bronce', minPoints: 0 } })).body.id;
    const id = await newMember(api);
    const adding = held((tx) => createLevel(tx, tenantId, actor, { name: 'Plata', minPoints: 100 }));
    await adding.ready;
    const change = api('POST', `/customers/${id}/points`, { body: { delta: 150, reason: 'Carrera' } });
    await untilDoneOrWaiting(change);
    adding.release();
    await adding.done;
    assert.equal((await change).status, 201);
    assert.deepEqual(await wrongLevels(tenantId, bronce), []);
  });

  it('a member created while the level of 0 points is being added starts at it', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const adding = held((tx) => createLevel(tx, tenantId, actor, { name: 'Bienvenida', minPoints: 0 }));
    await adding.ready;
    const creating = api('POST', '/customers', { body: { firstName: 'Recién', lastName: 'Llegada' } });
    await untilDoneOrWaiting(creating);
    adding.release();
    await adding.done;
    const created = await creating;
    assert.equal(created.status, 201);
    const welcome = (await api('GET', '/levels')).body.items[0].id;
    assert.deepEqual(await wrongLevels(tenantId, welcome), [], 'the new member holds the level of 0 points');
  });

  it('a merge while a level is being added lands the primary at the level the joint points reach', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const bronce = (await api('POST', '/levels', { body: { name: 'Bronce', minPoints: 0 } })).body.id;
    const primary = await newMember(api);
    const source = await newMember(api);
    for (const id of [primary, source]) assert.equal((await api('POST', `/customers/${id}/points`, { body: { delta: 60, reason: 'Saldo' } })).status, 201);
    const adding = held((tx) => createLevel(tx, tenantId, actor, { name: 'Plata', minPoints: 100 }));
    await adding.ready;
    const merging = api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [source], confirm: true } });
    await untilDoneOrWaiting(merging);
    adding.release();
    await adding.done;
    assert.equal((await merging).status, 200);
    assert.deepEqual(await wrongLevels(tenantId, bronce), []);
  });

  it('25 members earning points through two instances while levels are added: every level right', async () => {
    const { tenantId, api, token } = await newTenant(ctx);
    const bronce = (await api('POST', '/levels', { body: { name: 'Bronce', minPoints: 0 } })).body.id;
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await newMember(api));
    for (let round = 0; round < 3; round++) {
      const writes = ids.map((id, i) =>
        call(i % 2 ? other : ctx.app, 'POST', `/api/v1/customers/${id}/points`, { token, body: { delta: 70, reason: `Ronda ${round}` } }),
      );
      const level = call(round % 2 ? ctx.app : other, 'POST', '/api/v1/levels', { token, body: { name: `Nivel ${round}`, minPoints: 100 + round * 70 } });
      for (const res of await Promise.all([...writes, level])) assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    assert.deepEqual(await wrongLevels(tenantId, bronce), []);
  });
});
