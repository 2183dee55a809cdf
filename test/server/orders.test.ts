import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { customers, orderItems, orders } from '../../server/db/schema.ts';
import { pointsFor } from '../../server/domain/orders.ts';
import { newTenant, useTestApp } from './helpers.ts';
import { assertLedgerConsistent, customerRow, eventsOf, ledgerOf, mustChangePoints, newMember, setSettings } from './loyalty-helpers.ts';

const ctx = useTestApp();

type Api = Awaited<ReturnType<typeof newTenant>>['api'];

let sequence = 0;
function order(customerId: string, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    customerId,
    externalId: `PED-${sequence}`,
    total: 12_345,
    currency: 'EUR',
    status: 'completed',
    placedAt: '2026-03-01T10:00:00Z',
    items: [
      { sku: 'CAF-001', name: 'Café de Colombia 500 g', category: 'Alimentación', quantity: 2, price: 899 },
      { name: 'Zapatillas de running', quantity: 1, price: 10_547 },
    ],
    ...overrides,
  };
}

const push = (api: Api, body: unknown, headers: Record<string, string> = {}) => api('POST', '/orders', { body, headers });

describe('orders: earning', () => {
  it('a completed order earns floor(units × pointsPerUnit) once, and counts in the metrics', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const body = order(id);
    const res = await push(api, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.pointsEarned, 123);
    assert.equal(res.body.status, 'completed');
    assert.equal(res.body.items.length, 2);
    assert.deepEqual(res.body.items[1], { sku: null, name: 'Zapatillas de running', category: null, quantity: 1, price: 10_547 });

    for (let i = 0; i < 3; i++) {
      const again = await push(api, body);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, res.body.id);
    }
    const customer = await api('GET', `/customers/${id}`);
    assert.equal(customer.body.points, 123);
    assert.equal(customer.body.lifetimePoints, 123);
    assert.deepEqual(customer.body.metrics, { ordersCount: 1, totalSpent: 12_345, averageOrder: 12_345, lastOrderAt: '2026-03-01T10:00:00.000Z' });

    const ledger = await api('GET', `/customers/${id}/points`);
    assert.equal(ledger.body.items.length, 1);
    assert.equal(ledger.body.items[0].kind, 'earn');
    assert.equal(ledger.body.items[0].orderId, res.body.id);
    assert.equal(ledger.body.items[0].orderExternalId, body.externalId);
    assert.equal((await eventsOf(ctx, tenantId, id, 'order.recorded')).length, 1);
    await assertLedgerConsistent(ctx, tenantId, id);
  });

  it('earns exactly once when the same order is pushed concurrently', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const body = order(id, { total: 5_000 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => push(api, body)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    assert.equal((await customerRow(ctx, tenantId, id)).points, 50);
    assert.equal((await ledgerOf(ctx, tenantId, id)).length, 1);
    assert.equal((await customerRow(ctx, tenantId, id)).ordersCount, 1);
  });

  it('earns when a pending order completes, not before', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const body = order(id, { status: 'pending', total: 2_999 });
    const pending = await push(api, body);
    assert.equal(pending.status, 201);
    assert.equal(pending.body.pointsEarned, 0);
    assert.equal((await customerRow(ctx, tenantId, id)).ordersCount, 0, 'only completed orders count');
    assert.equal((await push(api, { ...body, status: 'processing' })).body.status, 'processing');
    const done = await push(api, { ...body, status: 'completed' });
    assert.equal(done.status, 200);
    assert.equal(done.body.pointsEarned, 29);
    const row = await customerRow(ctx, tenantId, id);
    assert.equal(row.points, 29);
    assert.equal(row.ordersCount, 1);
    const updates = await eventsOf(ctx, tenantId, id, 'order.updated');
    assert.deepEqual(updates.map((e) => e.data.changes), [[{ field: 'status', from: 'pending', to: 'processing' }], [{ field: 'status', from: 'processing', to: 'completed' }]]);
    assert.equal(updates[1].data.pointsEarned, 29);
  });

  it("follows the tenant's rule and currency", async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await setSettings(ctx, tenantId, { pointsPerUnit: 2.5 });
    assert.equal((await push(api, order(id, { total: 1_999 }))).body.pointsEarned, 49, 'floor(19.99 € × 2.5)');
    await setSettings(ctx, tenantId, { currency: 'JPY', pointsPerUnit: 0.01 });
    assert.equal((await push(api, order(id, { total: 5_000, currency: 'JPY' }))).body.pointsEarned, 50, 'yen have no minor unit');
    assert.equal((await push(api, order(id))).status, 422, 'EUR is no longer the programme currency');
    assert.equal((await customerRow(ctx, tenantId, id)).points, 99);
  });
});

describe('orders: reversal', () => {
  it('a refund takes the points back, leaves the metrics and can drop the level', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const plata = await api('POST', '/levels', { body: { name: 'Plata', minPoints: 100 } });
    const id = await newMember(api);
    const body = order(id, { total: 15_000, placedAt: '2026-04-01T00:00:00Z' });
    await push(api, order(id, { total: 1_000, placedAt: '2026-02-01T00:00:00Z' }));
    await push(api, body);
    assert.equal((await customerRow(ctx, tenantId, id)).levelId, plata.body.id);

    const refunded = await push(api, { ...body, status: 'refunded' });
    assert.equal(refunded.status, 200);
    assert.equal(refunded.body.status, 'refunded');
    assert.equal(refunded.body.pointsEarned, 150, 'what it earned is kept');
    assert.equal(refunded.body.pointsReversed, 150);
    assert.equal(refunded.body.pointsUnrecovered, 0);
    const row = await customerRow(ctx, tenantId, id);
    assert.equal(row.points, 10);
    assert.equal(row.lifetimePoints, 10);
    assert.equal(row.levelId, null, 'back below Plata');
    assert.equal(row.ordersCount, 1);
    assert.equal(row.totalSpent, 1_000);
    assert.equal(row.lastOrderAt?.toISOString(), '2026-02-01T00:00:00.000Z');
    const entries = await ledgerOf(ctx, tenantId, id);
    assert.deepEqual(entries.map((e) => [e.kind, e.delta]), [['earn', 10], ['earn', 150], ['reversal', -150]]);
    const level = await eventsOf(ctx, tenantId, id, 'level.changed');
    assert.deepEqual(level.map((e) => e.data.cause), ['points', 'points']);
    const update = (await eventsOf(ctx, tenantId, id, 'order.updated'))[0];
    assert.equal(update.data.pointsTakenBack, 150);
    await assertLedgerConsistent(ctx, tenantId, id);
  });

  it('never goes below zero: what was already spent is recorded as unrecovered', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const body = order(id, { total: 10_000 });
    await push(api, body);
    await mustChangePoints(api, id, -70);
    const cancelled = await push(api, { ...body, status: 'cancelled' });
    assert.equal(cancelled.body.pointsUnrecovered, 70);
    assert.equal(cancelled.body.pointsReversed, 30);
    assert.equal(cancelled.body.pointsEarned, 100);
    const row = await customerRow(ctx, tenantId, id);
    assert.equal(row.points, 0);
    assert.equal(row.lifetimePoints, 0);
    const reversal = (await api('GET', `/customers/${id}/points`)).body.items[0];
    assert.equal(reversal.kind, 'reversal');
    assert.equal(reversal.delta, -30);
    assert.equal(reversal.balanceAfter, 0);
    const changed = (await eventsOf(ctx, tenantId, id, 'points.changed')).at(-1)!;
    assert.equal(changed.data.requested, -100);
    assert.equal(changed.data.delta, -30);
    await assertLedgerConsistent(ctx, tenantId, id);

    const nothingLeft = order(id, { total: 5_000 });
    await push(api, nothingLeft);
    await mustChangePoints(api, id, -50);
    const refunded = await push(api, { ...nothingLeft, status: 'refunded' });
    assert.equal(refunded.body.pointsUnrecovered, 50);
    assert.equal((await api('GET', `/customers/${id}/points`)).body.items[0].delta, 0, 'the reversal is recorded even when nothing could be taken');
  });

  it('refuses moves out of a final status, and changes of amount or customer', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const other = await newMember(api);
    const body = order(id, { total: 4_000 });
    await push(api, body);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ total: 4_001 }, /amount cannot change/],
      [{ customerId: other }, /another customer/],
      [{ status: 'pending' }, /completed and cannot become pending/],
    ];
    for (const [change, message] of cases) {
      const res = await push(api, { ...body, ...change });
      assert.equal(res.status, 409, JSON.stringify(change));
      assert.match(res.body.error.message, message);
    }
    await push(api, { ...body, status: 'refunded' });
    const revived = await push(api, { ...body, status: 'completed' });
    assert.equal(revived.status, 409);
    assert.equal((await customerRow(ctx, tenantId, id)).points, 0, 'a refunded order never earns again');
    assert.equal((await ledgerOf(ctx, tenantId, id)).length, 2);
  });
});

describe('orders: input and listing', () => {
  it('answers 422 naming the field and stores nothing', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ customerId: 'x' }, 'customerId'],
      [{ externalId: '' }, 'externalId'],
      [{ total: 10.5 }, 'total'],
      [{ total: -1 }, 'total'],
      [{ currency: 'eur' }, 'currency'],
      [{ currency: 'ZZZ' }, 'currency'],
      [{ currency: 'USD' }, 'currency'],
      [{ status: 'shipped' }, 'status'],
      [{ placedAt: 'ayer' }, 'placedAt'],
      [{ items: [{ name: 'Café', quantity: 0, price: 100 }] }, 'items.0.quantity'],
      [{ items: [{ quantity: 1, price: 100 }] }, 'items.0.name'],
      [{ coupon: 'X' }, 'coupon'],
    ];
    for (const [change, field] of cases) {
      const res = await push(api, order(id, change));
      assert.equal(res.status, 422, `${JSON.stringify(change)} → ${res.status}`);
      assert.ok(res.body.error.details.some((d: { path: string }) => d.path === field), `${field}: ${JSON.stringify(res.body.error.details)}`);
    }
    const missing = await push(api, { customerId: id });
    assert.deepEqual(
      missing.body.error.details.map((d: { path: string }) => d.path).sort(),
      ['currency', 'externalId', 'placedAt', 'status', 'total'],
    );
    assert.equal((await ctx.database.db.select().from(orders).where(eq(orders.tenantId, tenantId))).length, 0);
  });

  it('404 for an unknown or foreign customer, 403 without orders:write, 409 for a merged-away one', async () => {
    const mine = await newTenant(ctx);
    const id = await newMember(mine.api);
    const theirs = await newTenant(ctx);
    assert.equal((await push(theirs.api, order(id))).status, 404);
    assert.equal((await push(mine.api, order('00000000-0000-4000-8000-000000000000'))).status, 404);
    const reader = await newTenant(ctx, { tenantId: mine.tenantId, role: 'agent', perms: ['customers:read'] });
    assert.equal((await push(reader.api, order(id))).status, 403);
    assert.equal((await theirs.api('GET', `/customers/${id}/orders`)).status, 404);
    const survivor = await newMember(mine.api);
    await ctx.database.db
      .update(customers)
      .set({ mergedInto: survivor, mergedAt: new Date() })
      .where(and(eq(customers.tenantId, mine.tenantId), eq(customers.id, id)));
    const merged = await push(mine.api, order(id));
    assert.equal(merged.status, 409);
    assert.equal(merged.body.error.code, 'customer_merged');
  });

  it('accepts a known order pushed again under a customer merged into its owner since', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const source = await newMember(api);
    const primary = await newMember(api);
    const body = order(source, { status: 'pending' });
    await push(api, body);
    // What a merge does to the source's orders and row.
    await ctx.database.db.update(orders).set({ customerId: primary }).where(eq(orders.tenantId, tenantId));
    await ctx.database.db
      .update(customers)
      .set({ mergedInto: primary, mergedAt: new Date() })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, source)));
    const completed = await push(api, { ...body, status: 'completed' });
    assert.equal(completed.status, 200);
    assert.equal(completed.body.customerId, primary);
    assert.equal((await customerRow(ctx, tenantId, primary)).points, 123);
  });

  it('records orders of a removed member without earning', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await api('DELETE', `/customers/${id}`);
    const res = await push(api, order(id));
    assert.equal(res.status, 201);
    assert.equal(res.body.pointsEarned, 0);
    assert.equal((await customerRow(ctx, tenantId, id)).points, 0);
    assert.equal((await customerRow(ctx, tenantId, id)).ordersCount, 1);
  });

  it('replays a POST with the same Idempotency-Key and refuses another body under it', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const body = order(id);
    const first = await push(api, body, { 'Idempotency-Key': 'pedido-1' });
    const replay = await push(api, body, { 'Idempotency-Key': 'pedido-1' });
    assert.equal(first.status, 201);
    assert.equal(replay.status, 201);
    assert.deepEqual(replay.body, first.body);
    assert.equal((await push(api, { ...body, status: 'refunded' }, { 'Idempotency-Key': 'pedido-1' })).status, 422);
    assert.equal((await customerRow(ctx, tenantId, id)).points, 123);
  });

  it("lists a customer's orders with items, latest placed first, page by page", async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const other = await newMember(api);
    const days = ['2026-01-05', '2026-03-09', '2026-02-14', '2026-03-09', '2026-01-20'];
    for (const day of days) await push(api, order(id, { placedAt: `${day}T12:00:00Z`, status: 'pending' }));
    await push(api, order(other));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await api('GET', `/customers/${id}/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200);
      for (const o of res.body.items) {
        assert.equal(o.customerId, id);
        assert.equal(o.items.length, 2);
        seen.push(o.placedAt.slice(0, 10));
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['2026-03-09', '2026-03-09', '2026-02-14', '2026-01-20', '2026-01-05']);
    assert.equal((await api('GET', `/customers/${id}/orders?status=completed`)).body.items.length, 0);
    assert.equal((await api('GET', `/customers/${id}/orders?cursor=%%%`)).status, 422);
    const items = await ctx.database.db.select().from(orderItems).where(and(eq(orderItems.tenantId, tenantId)));
    assert.equal(items.length, 12);
  });
});

describe('orders: the earning rule', () => {
  it('uses whole currency units and absorbs binary rounding', () => {
    assert.equal(pointsFor(12_345, 'EUR', 1), 123);
    assert.equal(pointsFor(99, 'EUR', 1), 0);
    assert.equal(pointsFor(5_000, 'JPY', 0.01), 50);
    assert.equal(pointsFor(1_500, 'KWD', 1), 1);
    assert.equal(pointsFor(5_700, 'EUR', 0.57), 32);
    assert.equal(pointsFor(10_000, 'EUR', 0.57), 57, '100 × 0.57 is 56.99999… in binary');
    assert.equal(pointsFor(1_999, 'EUR', 2.5), 49);
  });
});
