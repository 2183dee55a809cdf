/**
 * SPEC §7: GET /customers/:id/orders (status, days, cursor, items, points
 * earned and reversed) and GET /customers/:id/insights (metrics, top
 * categories, monthly figures from orders and the ledger), on a real database.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, tokenFor, call, useTestApp } from './helpers.ts';
import { orderBody as order, pushOrder as push } from './order-helpers.ts';
import { mustChangePoints, newMember, setSettings } from './loyalty-helpers.ts';

const ctx = useTestApp();

type Api = Awaited<ReturnType<typeof newTenant>>['api'];


async function allPages(api: Api, path: string, limit: number) {
  const seen: any[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const sep = path.includes('?') ? '&' : '?';
    const res: { status: number; body: any } = await api('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.items.length <= limit);
    seen.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error('the cursor never ended');
}

describe('GET /customers/:id/orders', () => {
  it('lists orders newest first with items, points earned and points reversed by a refund', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    const first = await push(api, order(id, '2026-01-10T09:00:00Z', [{ name: 'Café', category: 'Alimentación', quantity: 2, price: 900 }]));
    const big = order(id, '2026-02-10T09:00:00Z', [{ name: 'Zapatillas', category: 'Calzado', price: 8_000 }]);
    await push(api, big);
    await mustChangePoints(api, id, -50); // spends part of what the big order earned
    const refunded = await push(api, { ...big, status: 'refunded' });
    assert.equal(refunded.pointsEarned, 80);

    const res = await api('GET', `/customers/${id}/orders`);
    assert.equal(res.status, 200);
    assert.equal(res.body.nextCursor, null);
    assert.deepEqual(res.body.items.map((o: any) => o.externalId), [big.externalId, first.externalId]);
    const [latest, older] = res.body.items;
    assert.equal(latest.status, 'refunded');
    assert.equal(latest.pointsEarned, 80, 'what the order earned');
    // The balance was 18 + 80 − 50 = 48: the refund could take back 48 of 80.
    assert.equal(latest.pointsReversed, 48);
    assert.equal(latest.pointsUnrecovered, 32);
    assert.equal(older.pointsEarned, 18);
    assert.equal(older.pointsReversed, 0);
    assert.deepEqual(older.items, [{ sku: 'SKU-0', name: 'Café', category: 'Alimentación', quantity: 2, price: 900 }]);
    assert.equal(older.currency, 'EUR');
    assert.equal(older.total, 1_800);
  });

  it('filters by status and by days of placedAt, both ends inclusive, in UTC', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    const at = ['2026-03-01T00:00:00Z', '2026-03-15T12:00:00Z', '2026-03-31T23:59:59.999Z', '2026-04-01T00:00:00Z', '2026-02-28T23:59:59Z'];
    for (const placedAt of at) await push(api, order(id, placedAt, [{ price: 1_000 }]));
    await push(api, order(id, '2026-03-20T10:00:00Z', [{ price: 500 }], { status: 'pending' }));
    await push(api, order(id, '2026-03-21T10:00:00Z', [{ price: 500 }], { status: 'cancelled' }));

    const march = await api('GET', `/customers/${id}/orders?from=2026-03-01&to=2026-03-31`);
    assert.deepEqual(
      march.body.items.map((o: any) => o.placedAt),
      ['2026-03-31T23:59:59.999Z', '2026-03-21T10:00:00.000Z', '2026-03-20T10:00:00.000Z', '2026-03-15T12:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    );
    const completedInMarch = await api('GET', `/customers/${id}/orders?status=completed&from=2026-03-01&to=2026-03-31`);
    assert.equal(completedInMarch.body.items.length, 3);
    assert.ok(completedInMarch.body.items.every((o: any) => o.status === 'completed'));
    assert.equal((await api('GET', `/customers/${id}/orders?status=pending`)).body.items.length, 1);
    assert.equal((await api('GET', `/customers/${id}/orders?from=2026-04-01`)).body.items.length, 1);
    assert.equal((await api('GET', `/customers/${id}/orders?to=2026-02-28`)).body.items.length, 1);
    assert.equal((await api('GET', `/customers/${id}/orders?from=2026-03-15&to=2026-03-15`)).body.items.length, 1, 'a single day');
  });

  it('pages with the cursor through a filtered list: every order once, in order', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    // Eleven orders, three of them at the same instant (the cursor breaks the tie on id).
    for (let d = 1; d <= 8; d++) await push(api, order(id, `2026-05-${String(d).padStart(2, '0')}T10:00:00Z`, [{ price: 100 * d }]));
    for (let k = 0; k < 3; k++) await push(api, order(id, '2026-05-04T10:00:00Z', [{ price: 50 }], { status: k === 0 ? 'refunded' : 'completed' }));

    const all = await allPages(api, `/customers/${id}/orders`, 3);
    assert.equal(all.length, 11);
    assert.equal(new Set(all.map((o) => o.id)).size, 11);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].placedAt >= all[i].placedAt, 'newest first');

    const filtered = await allPages(api, `/customers/${id}/orders?status=completed&from=2026-05-03&to=2026-05-06`, 2);
    assert.deepEqual(
      filtered.map((o) => o.placedAt.slice(0, 10)),
      ['2026-05-06', '2026-05-05', '2026-05-04', '2026-05-04', '2026-05-04', '2026-05-03'],
    );
  });

  it('answers an empty page for a customer without orders', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    assert.deepEqual((await api('GET', `/customers/${id}/orders`)).body, { items: [], nextCursor: null });
  });

  it('shows each order in the currency it was recorded in', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await push(api, order(id, '2026-01-01T10:00:00Z', [{ price: 2_500 }]));
    await setSettings(ctx, tenantId, { currency: 'JPY' });
    await push(api, order(id, '2026-02-01T10:00:00Z', [{ price: 3_000 }], { currency: 'JPY' }));
    const res = await api('GET', `/customers/${id}/orders`);
    assert.deepEqual(res.body.items.map((o: any) => [o.currency, o.total]), [['JPY', 3_000], ['EUR', 2_500]]);
  });

  it('refuses bad filters with 422 naming the field', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    const cases: Array<[string, string]> = [
      ['status=lost', 'status'],
      ['from=2026-13-01', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-03-01T10:00:00Z&to=2026-03-01T09:59:59Z', 'to'],
      ['from=2026-03-02&to=2026-03-01', 'to'],
      ['cursor=%25%25%25', 'cursor'],
      ['limit=0', 'limit'],
    ];
    for (const [q, field] of cases) {
      const res = await api('GET', `/customers/${id}/orders?${q}`);
      assert.equal(res.status, 422, q);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(res.body.error.details.some((d: any) => d.path === field), `${q}: ${JSON.stringify(res.body.error.details)}`);
    }
  });

  it("answers 404 for another tenant's customer, and 403 without customers:read", async () => {
    const mine = await newTenant(ctx);
    const theirs = await newTenant(ctx);
    const id = await newMember(mine.api);
    await push(mine.api, order(id, '2026-01-01T10:00:00Z', [{ price: 100 }]));
    const res = await theirs.api('GET', `/customers/${id}/orders`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
    const token = await tokenFor({ tenantId: mine.tenantId, perms: ['orders:write'] });
    assert.equal((await call(ctx.app, 'GET', `/api/v1/customers/${id}/orders`, { token })).status, 403);
  });
});

describe('GET /customers/:id/insights', () => {
  it('counts completed orders only: metrics, categories by spend, months with gaps and points', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    await push(api, order(id, '2026-01-05T10:00:00Z', [{ category: 'Libros', quantity: 2, price: 1_500 }, { category: 'Café', price: 1_000 }]));
    await push(api, order(id, '2026-01-20T10:00:00Z', [{ category: 'Café', quantity: 3, price: 1_000 }]));
    await push(api, order(id, '2026-03-02T10:00:00Z', [{ category: 'Electrónica', price: 20_000 }, { category: null, price: 500 }]));
    const refunded = order(id, '2026-03-10T10:00:00Z', [{ category: 'Electrónica', price: 90_000 }]);
    await push(api, refunded);
    await push(api, { ...refunded, status: 'refunded' });
    await push(api, order(id, '2026-03-11T10:00:00Z', [{ category: 'Libros', price: 70_000 }], { status: 'cancelled' }));
    await push(api, order(id, '2026-03-12T10:00:00Z', [{ category: 'Libros', price: 70_000 }], { status: 'pending' }));
    await mustChangePoints(api, id, -40); // a deduction by hand: spent
    await mustChangePoints(api, id, 15); // goodwill: earned

    const res = await api('GET', `/customers/${id}/insights`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body;
    assert.equal(body.currency, 'EUR');
    assert.deepEqual(body.metrics, {
      ordersCount: 3,
      totalSpent: 4_000 + 3_000 + 20_500,
      averageOrder: Math.round(27_500 / 3),
      firstOrderAt: '2026-01-05T10:00:00.000Z',
      lastOrderAt: '2026-03-02T10:00:00.000Z',
      lastInteractionAt: null,
    });
    assert.deepEqual(body.categories, [
      { category: 'Electrónica', orders: 1, quantity: 1, spent: 20_000 },
      { category: 'Café', orders: 2, quantity: 4, spent: 4_000 },
      { category: 'Libros', orders: 1, quantity: 2, spent: 3_000 },
      { category: null, orders: 1, quantity: 1, spent: 500 },
    ]);
    const orderMonths = body.monthly.filter((m: any) => m.month <= '2026-03');
    assert.deepEqual(
      orderMonths.map((m: any) => [m.month, m.orders, m.spent]),
      [['2026-01', 2, 7_000], ['2026-02', 0, 0], ['2026-03', 1, 20_500]],
      'February is there, empty',
    );
    // The ledger moved today: points by when they were credited or spent (40 + 30 + 205 + 900 earned, the refund's reversal is neither).
    const now = new Date().toISOString().slice(0, 7);
    const today = body.monthly.find((m: any) => m.month === now);
    assert.deepEqual({ earned: today.pointsEarned, spent: today.pointsSpent }, { earned: 40 + 30 + 205 + 900 + 15, spent: 40 });
    assert.deepEqual(body.otherCurrencies, []);
  });

  it('keeps the seven categories with most spend', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    const lines = Array.from({ length: 10 }, (_, k) => ({ category: `Cat ${String(k).padStart(2, '0')}`, price: 1_000 + k * 100 }));
    await push(api, order(id, '2026-06-01T10:00:00Z', lines));
    const body = (await api('GET', `/customers/${id}/insights`)).body;
    assert.deepEqual(
      body.categories.map((c: any) => c.category),
      ['Cat 09', 'Cat 08', 'Cat 07', 'Cat 06', 'Cat 05', 'Cat 04', 'Cat 03'],
    );
  });

  it('narrows every figure to the days asked for, both inclusive', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    await push(api, order(id, '2025-12-31T23:59:59Z', [{ category: 'A', price: 100 }]));
    await push(api, order(id, '2026-01-01T00:00:00Z', [{ category: 'B', price: 200 }]));
    await push(api, order(id, '2026-02-28T23:59:59Z', [{ category: 'C', price: 400 }]));
    await push(api, order(id, '2026-03-01T00:00:00Z', [{ category: 'D', price: 800 }]));
    const body = (await api('GET', `/customers/${id}/insights?from=2026-01-01&to=2026-02-28`)).body;
    assert.equal(body.metrics.ordersCount, 2);
    assert.equal(body.metrics.totalSpent, 600);
    assert.deepEqual(body.categories.map((c: any) => c.category), ['C', 'B']);
    assert.deepEqual(body.monthly.map((m: any) => [m.month, m.orders]), [['2026-01', 1], ['2026-02', 1]], 'no ledger month: the points moved today, outside the range');
  });

  it('adds no amounts across currencies: orders in an old currency are counted apart', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await push(api, order(id, '2026-01-10T10:00:00Z', [{ category: 'Café', price: 2_000 }]));
    await push(api, order(id, '2026-01-11T10:00:00Z', [{ category: 'Café', price: 3_000 }]));
    await setSettings(ctx, tenantId, { currency: 'USD' });
    await push(api, order(id, '2026-02-10T10:00:00Z', [{ category: 'Té', price: 700 }], { currency: 'USD' }));
    const body = (await api('GET', `/customers/${id}/insights`)).body;
    assert.equal(body.currency, 'USD');
    assert.equal(body.metrics.ordersCount, 1);
    assert.equal(body.metrics.totalSpent, 700);
    assert.deepEqual(body.categories.map((c: any) => [c.category, c.spent]), [['Té', 700]]);
    assert.deepEqual(body.otherCurrencies, [{ currency: 'EUR', orders: 2, spent: 5_000 }]);
    assert.deepEqual(body.monthly.filter((m: any) => m.orders).map((m: any) => [m.month, m.spent]), [['2026-02', 700]]);
  });

  it('answers zeros and empty lists for a customer without orders', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    const body = (await api('GET', `/customers/${id}/insights`)).body;
    assert.deepEqual(body, {
      currency: 'EUR',
      metrics: { ordersCount: 0, totalSpent: 0, averageOrder: 0, firstOrderAt: null, lastOrderAt: null, lastInteractionAt: null },
      categories: [],
      monthly: [],
      otherCurrencies: [],
    });
  });

  it("refuses bad ranges with 422, another tenant's customer with 404 and a token without customers:read with 403", async () => {
    const mine = await newTenant(ctx);
    const theirs = await newTenant(ctx);
    const id = await newMember(mine.api);
    const bad = await mine.api('GET', `/customers/${id}/insights?from=2026-05-01&to=2026-04-30`);
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.details.map((d: any) => d.path), ['to']);
    assert.equal((await mine.api('GET', `/customers/${id}/insights?from=2026-02-30`)).status, 422);
    assert.equal((await theirs.api('GET', `/customers/${id}/insights`)).status, 404);
    assert.equal((await mine.api('GET', '/customers/00000000-0000-4000-8000-000000000000/insights')).status, 404);
    const token = await tokenFor({ tenantId: mine.tenantId, perms: ['orders:write'] });
    assert.equal((await call(ctx.app, 'GET', `/api/v1/customers/${id}/insights`, { token })).status, 403);
  });
});
