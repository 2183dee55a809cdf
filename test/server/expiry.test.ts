import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { ledgerEntries } from '../../server/db/schema.ts';
import { sweepExpiredPoints, type SweepFailure } from '../../server/domain/expiry.ts';
import { startPeriodicJob } from '../../server/jobs.ts';
import { createLogger } from '../../server/logger.ts';
import { Metrics } from '../../server/metrics.ts';
import { newTenant, useTestApp } from './helpers.ts';
import { assertLedgerConsistent, customerRow, eventsOf, ledgerOf, mustChangePoints, newMember, setSettings } from './loyalty-helpers.ts';

const ctx = useTestApp();
const DAY = 86_400_000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);

/** Sets when an entry (by its delta) expires, as if it had been earned earlier. */
async function expireEntryAt(tenantId: string, customerId: string, delta: number, at: Date) {
  await ctx.database.db
    .update(ledgerEntries)
    .set({ expiresAt: at })
    .where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.customerId, customerId), eq(ledgerEntries.delta, delta)));
}

describe('expiry', () => {
  it('is off by default: points carry no expiry and the sweep takes nothing', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await mustChangePoints(api, id, 100);
    const [entry] = await ledgerOf(ctx, tenantId, id);
    assert.equal(entry.expiresAt, null);
    await sweepExpiredPoints(ctx.database.db, daysFromNow(10_000));
    assert.equal((await customerRow(ctx, tenantId, id)).points, 100);
  });

  it('expires what is unspent after pointsValidityDays, once, keeping lifetime points and the level', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const level = await api('POST', '/levels', { body: { name: 'Plata', minPoints: 100 } });
    const id = await newMember(api);
    await setSettings(ctx, tenantId, { pointsValidityDays: 30 });
    const added = await api('POST', `/customers/${id}/points`, { body: { delta: 150, reason: 'Bienvenida' } });
    const expiresAt = new Date(added.body.entry.expiresAt).getTime();
    assert.ok(Math.abs(expiresAt - daysFromNow(30).getTime()) < 60_000, `expires in 30 days: ${added.body.entry.expiresAt}`);
    await mustChangePoints(api, id, -40);

    await sweepExpiredPoints(ctx.database.db, daysFromNow(29));
    assert.equal((await customerRow(ctx, tenantId, id)).points, 110, 'nothing due yet');

    await sweepExpiredPoints(ctx.database.db, daysFromNow(31));
    const row = await customerRow(ctx, tenantId, id);
    assert.equal(row.points, 0);
    assert.equal(row.lifetimePoints, 150);
    assert.equal(row.levelId, level.body.id);
    const entries = await ledgerOf(ctx, tenantId, id);
    const expire = entries.at(-1)!;
    assert.equal(expire.kind, 'expire');
    assert.equal(expire.delta, -110);
    assert.equal(expire.actorId, null);
    const changed = await eventsOf(ctx, tenantId, id, 'points.changed');
    assert.equal(changed.at(-1)!.data.kind, 'expire');
    assert.equal(changed.at(-1)!.actorId, null);

    await sweepExpiredPoints(ctx.database.db, daysFromNow(400));
    assert.equal((await ledgerOf(ctx, tenantId, id)).length, entries.length, 'a second sweep finds nothing');
    await assertLedgerConsistent(ctx, tenantId, id);
  });

  it('spends the oldest points first, so only what is left of each entry expires', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await setSettings(ctx, tenantId, { pointsValidityDays: 365 });
    await mustChangePoints(api, id, 100);
    await mustChangePoints(api, id, 50);
    await expireEntryAt(tenantId, id, 100, daysFromNow(10));
    await expireEntryAt(tenantId, id, 50, daysFromNow(20));
    await mustChangePoints(api, id, -60);

    await sweepExpiredPoints(ctx.database.db, daysFromNow(15));
    assert.equal((await customerRow(ctx, tenantId, id)).points, 50, 'the 40 left of the first entry expired');
    await sweepExpiredPoints(ctx.database.db, daysFromNow(25));
    assert.equal((await customerRow(ctx, tenantId, id)).points, 0);
    const deltas = (await ledgerOf(ctx, tenantId, id)).map((e) => [e.kind, e.delta]);
    assert.deepEqual(deltas, [['adjust', 100], ['adjust', 50], ['adjust', -60], ['expire', -40], ['expire', -50]]);
    await assertLedgerConsistent(ctx, tenantId, id);
  });

  it('expires an order’s points too, and concurrent sweeps expire them once', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await setSettings(ctx, tenantId, { pointsValidityDays: 7 });
    const order = await api('POST', '/orders', {
      body: { customerId: id, externalId: 'PED-EXP-1', total: 9_900, currency: 'EUR', status: 'completed', placedAt: '2026-05-01T10:00:00Z', items: [] },
    });
    assert.equal(order.body.pointsEarned, 99);
    const manual = await newMember(api);
    await mustChangePoints(api, manual, 30);
    const later = daysFromNow(8);
    await Promise.all([sweepExpiredPoints(ctx.database.db, later), sweepExpiredPoints(ctx.database.db, later), sweepExpiredPoints(ctx.database.db, later)]);
    for (const customer of [id, manual]) {
      const entries = await ledgerOf(ctx, tenantId, customer);
      assert.equal(entries.filter((e) => e.kind === 'expire').length, 1);
      assert.equal((await customerRow(ctx, tenantId, customer)).points, 0);
      await assertLedgerConsistent(ctx, tenantId, customer);
    }
  });

  it('the periodic sweep, as the server runs it, expires at start, logs what it did and stops cleanly', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await setSettings(ctx, tenantId, { pointsValidityDays: 30 });
    await mustChangePoints(api, id, 25);
    await expireEntryAt(tenantId, id, 25, new Date(Date.now() - DAY));
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'info', json: true, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    const job = startPeriodicJob({
      kind: 'expiry_sweep',
      intervalMs: 3_600_000,
      runAtStart: true,
      run: async (signal) => ({ ...(await sweepExpiredPoints(ctx.database.db, new Date(), signal)) }),
      logger,
      metrics: new Metrics(),
    });
    while (!lines.some((l) => l.msg === 'job done')) await new Promise((r) => setTimeout(r, 20));
    await job.stop();
    assert.equal((await customerRow(ctx, tenantId, id)).points, 0);
    const done = lines.find((l) => l.msg === 'job done')!;
    assert.equal(done.job, 'expiry_sweep');
    assert.ok(Number(done.points) >= 25 && Number(done.failed) === 0, JSON.stringify(done));
  });

  it('one customer whose sweep fails is reported and the others are still swept', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const [good, bad] = [await newMember(api), await newMember(api)];
    await setSettings(ctx, tenantId, { pointsValidityDays: 30 });
    for (const id of [good, bad]) {
      await mustChangePoints(api, id, 10);
      await expireEntryAt(tenantId, id, 10, new Date(Date.now() - DAY));
    }
    // The bad customer's sweep breaks inside its transaction: its rows stay as they were.
    const at = new Date();
    const failures: SweepFailure[] = [];
    await ctx.database.db.execute(sql.raw(`create function refuse_expire_for_test() returns trigger language plpgsql as $$ begin
      if new.customer_id = '${bad}' and new.kind = 'expire' then raise exception 'refused for the test'; end if; return new; end $$`));
    await ctx.database.db.execute(sql.raw(`create trigger refuse_expire before insert on ledger_entries for each row execute function refuse_expire_for_test()`));
    try {
      const result = await sweepExpiredPoints(ctx.database.db, at, undefined, (f) => failures.push(f));
      assert.equal(result.failed, 1);
      assert.deepEqual(failures.map((f) => [f.tenantId, f.customerId]), [[tenantId, bad]]);
    } finally {
      await ctx.database.db.execute(sql.raw('drop trigger refuse_expire on ledger_entries'));
      await ctx.database.db.execute(sql.raw('drop function refuse_expire_for_test()'));
    }
    assert.equal((await customerRow(ctx, tenantId, good)).points, 0);
    assert.equal((await customerRow(ctx, tenantId, bad)).points, 10);
  });
});
