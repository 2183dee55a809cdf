/**
 * order_category_months and order_months (migrations 0009, 0010), the
 * rollups the insights read whole months from, against the rows they sum:
 * after every write to orders and
 * their items (a push, a status change, a refund or cancellation, a merge, an
 * erasure and a removal, a change of currency, the demo seed, the
 * migration's backfill, and plain SQL deletes and edits, which no route
 * makes but the triggers answer for) each equals the same sums recomputed
 * from orders and order_items; and GET /customers/:id/insights answers what
 * the queries over the rows alone answered, for ranges of whole months,
 * partial months and both.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { migrationsFolder, query } from '../../server/db/client.ts';
import { splitByMonth, TOP_CATEGORIES } from '../../server/domain/insights.ts';
import { DEMO_TENANT, seedDemo } from '../../server/seed.ts';
import { dayRange } from '../../server/routes/date-range.ts';
import { newTenant, useTestApp } from './helpers.ts';
import { orderBody as order, pushOrder as push } from './order-helpers.ts';
import { newMember, setSettings } from './loyalty-helpers.ts';

const ctx = useTestApp();

type Api = Awaited<ReturnType<typeof newTenant>>['api'];


const byKey = (columns: string) => sql.raw(`order by ${columns}`);

/** The tenant's rollups as stored, and as the rows say they should be: equal, or the failure shows both. */
async function assertRollupMatches(tenantId: string, after: string) {
  const db = ctx.database.db;
  const categoryColumns = sql`customer_id::text, currency, month::text, category, orders::int, quantity::text, spent::text`;
  const categoryOrder = byKey('customer_id, currency, month, category nulls first');
  const storedCategories = await query(db, sql`select ${categoryColumns} from order_category_months where tenant_id = ${tenantId} ${categoryOrder}`);
  const rawCategories = await query(
    db,
    sql`select ${categoryColumns} from (
          select c.customer_id, c.currency, c.month, c.category, count(*) as orders, sum(c.quantity) as quantity, sum(c.spent) as spent
          from (
            select o.customer_id, o.currency, date_trunc('month', o.placed_at at time zone 'UTC')::date as month, i.category,
              sum(i.quantity) as quantity, sum(i.quantity * i.price) as spent
            from orders o join order_items i on i.tenant_id = o.tenant_id and i.order_id = o.id
            where o.tenant_id = ${tenantId} and o.status = 'completed'
            group by o.customer_id, o.currency, 3, i.category, o.id
          ) c
          group by c.customer_id, c.currency, c.month, c.category
        ) r ${categoryOrder}`,
  );
  assert.deepEqual([...storedCategories], [...rawCategories], `order_category_months after ${after}`);
  const monthColumns = sql`customer_id::text, currency, month::text, orders::int, spent::text`;
  const monthOrder = byKey('customer_id, currency, month');
  const storedMonths = await query(db, sql`select ${monthColumns} from order_months where tenant_id = ${tenantId} ${monthOrder}`);
  const rawMonths = await query(
    db,
    sql`select ${monthColumns} from (
          select o.customer_id, o.currency, date_trunc('month', o.placed_at at time zone 'UTC')::date as month, count(*) as orders, sum(o.total) as spent
          from orders o where o.tenant_id = ${tenantId} and o.status = 'completed' group by 1, 2, 3
        ) r ${monthOrder}`,
  );
  assert.deepEqual([...storedMonths], [...rawMonths], `order_months after ${after}`);
}

/** The categories as the insights computed them from the rows alone, before the rollup. */
async function rawCategories(tenantId: string, customerId: string, range: { from?: Date; before?: Date }) {
  const bounds = [
    range.from ? sql`o.placed_at >= ${range.from.toISOString()}::timestamptz` : sql`true`,
    range.before ? sql`o.placed_at < ${range.before.toISOString()}::timestamptz` : sql`true`,
  ];
  const rows = await query(
    ctx.database.db,
    sql`select c.category, count(*)::int as orders, sum(c.quantity)::float8 as quantity, sum(c.spent)::float8 as spent
        from (
          select i.category, i.order_id, sum(i.quantity) as quantity, sum(i.quantity * i.price) as spent
          from orders o join order_items i on i.tenant_id = o.tenant_id and i.order_id = o.id
          where o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.status = 'completed' and ${sql.join(bounds, sql` and `)}
            and o.currency = (select t.currency from tenants t where t.id = ${tenantId})
          group by i.category, i.order_id
        ) c
        group by c.category order by spent desc, c.category nulls last limit ${TOP_CATEGORIES}`,
  );
  return [...rows]; // postgres.js answers an array subclass
}

const RANGES: Array<{ from?: string; to?: string }> = [
  {},
  { from: '2025-11-01', to: '2026-02-28' }, // whole months only
  { from: '2025-11-15', to: '2026-02-10' }, // partial months at both ends, whole ones between
  { from: '2025-12-03', to: '2025-12-20' }, // inside one month
  { from: '2025-12-20', to: '2026-01-10' }, // two partial months, none whole
  { from: '2026-01-01' },
  { to: '2025-12-31' },
  { from: '2025-12-05T12:00:00.000Z', to: '2026-03-01T00:00:00.000Z' }, // instants
];

/** The order figures as the insights computed them from the rows alone, per currency and month. */
async function rawOrderMonths(tenantId: string, customerId: string, range: { from?: Date; before?: Date }) {
  const bounds = [
    range.from ? sql`o.placed_at >= ${range.from.toISOString()}::timestamptz` : sql`true`,
    range.before ? sql`o.placed_at < ${range.before.toISOString()}::timestamptz` : sql`true`,
  ];
  const iso = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
  return query<{ currency: string; month: string; orders: number; spent: number; first: string; last: string }>(
    ctx.database.db,
    sql`select o.currency, to_char(date_trunc('month', o.placed_at at time zone 'UTC'), 'YYYY-MM') as month, count(*)::int as orders,
          sum(o.total)::float8 as spent, to_char(min(o.placed_at) at time zone 'UTC', ${iso}) as first, to_char(max(o.placed_at) at time zone 'UTC', ${iso}) as last
        from orders o where o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.status = 'completed' and ${sql.join(bounds, sql` and `)}
        group by 1, 2 order by 1, 2`,
  );
}

/** Every range: the categories, metrics, monthly orders and spend and other currencies the rows alone give. */
async function assertInsightsMatch(api: Api, tenantId: string, customerId: string) {
  for (const range of RANGES) {
    const qs = new URLSearchParams(range as Record<string, string>).toString();
    const label = qs || 'all time';
    const res = await api('GET', `/customers/${customerId}/insights${qs ? `?${qs}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const body = res.body;
    assert.deepEqual(body.categories, await rawCategories(tenantId, customerId, dayRange(range)), `categories for ${label}`);
    const months = await rawOrderMonths(tenantId, customerId, dayRange(range));
    const mine = months.filter((m) => m.currency === body.currency);
    const others = months.filter((m) => m.currency !== body.currency);
    const ordersCount = mine.reduce((n, m) => n + m.orders, 0);
    const totalSpent = mine.reduce((n, m) => n + m.spent, 0);
    assert.deepEqual(
      { ...body.metrics, averageOrder: undefined },
      {
        ordersCount,
        totalSpent,
        averageOrder: undefined,
        firstOrderAt: mine.map((m) => m.first).sort()[0] ?? null,
        lastOrderAt: mine.map((m) => m.last).sort().at(-1) ?? null,
        lastInteractionAt: null,
      },
      `metrics for ${label}`,
    );
    assert.deepEqual(
      body.monthly.filter((m: any) => m.orders).map((m: any) => [m.month, m.orders, m.spent]),
      mine.map((m) => [m.month, m.orders, m.spent]),
      `monthly spend for ${label}`,
    );
    const otherCurrencies = [...new Set(others.map((m) => m.currency))].map((currency) => {
      const of = others.filter((m) => m.currency === currency);
      return { currency, orders: of.reduce((n, m) => n + m.orders, 0), spent: of.reduce((n, m) => n + m.spent, 0) };
    });
    assert.deepEqual(body.otherCurrencies, otherCurrencies, `other currencies for ${label}`);
  }
}

describe('order_category_months and order_months', () => {
  it('follows pushes, completions, refunds and cancellations, and answers every range as the rows do', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const other = await newMember(api);
    await push(api, order(id, '2025-11-10T10:00:00Z', [{ category: 'Libros', quantity: 2, price: 1_500 }, { category: 'Libros', price: 900 }, { category: 'Café', price: 1_000 }]));
    await push(api, order(id, '2025-11-30T23:59:59.999Z', [{ category: null, price: 500 }, { category: '', price: 300 }]));
    await push(api, order(id, '2025-12-01T00:00:00Z', [{ category: 'Café', quantity: 3, price: 1_000 }]));
    await push(api, order(id, '2025-12-10T10:00:00Z', []));
    await push(api, order(other, '2025-12-10T10:00:00Z', [{ category: 'Café', price: 4_000 }]));
    await assertRollupMatches(tenantId, 'completed pushes');

    const pending = order(id, '2026-01-15T10:00:00Z', [{ category: 'Electrónica', price: 20_000 }, { category: 'Café', price: 700 }], { status: 'pending' });
    await push(api, pending);
    await assertRollupMatches(tenantId, 'a pending push');
    await push(api, { ...pending, status: 'completed' });
    await assertRollupMatches(tenantId, 'pending → completed');

    const refunded = order(id, '2026-02-20T10:00:00Z', [{ category: 'Electrónica', price: 90_000 }, { category: 'Libros', price: 1_000 }]);
    await push(api, refunded);
    await push(api, order(id, '2026-02-21T10:00:00Z', [{ category: 'Libros', price: 2_000 }]));
    await push(api, { ...refunded, status: 'refunded' });
    await assertRollupMatches(tenantId, 'completed → refunded');
    const cancelled = order(id, '2026-03-05T10:00:00Z', [{ category: 'Juguetes', price: 3_000 }]);
    await push(api, cancelled);
    await push(api, { ...cancelled, status: 'cancelled' });
    await assertRollupMatches(tenantId, 'completed → cancelled');
    const [{ empty }] = await query<{ empty: number }>(
      ctx.database.db,
      sql`select (select count(*) from order_category_months where tenant_id = ${tenantId} and orders = 0)
               + (select count(*) from order_months where tenant_id = ${tenantId} and orders = 0) as empty`,
    );
    assert.equal(Number(empty), 0, 'a cell whose last order left is gone, not kept at zero');
    await assertInsightsMatch(api, tenantId, id);
  });

  it('moves a source’s figures onto the primary in a merge, and keeps them through erasure and removal', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const primary = await newMember(api);
    const source = await newMember(api);
    await push(api, order(primary, '2025-12-05T10:00:00Z', [{ category: 'Café', price: 1_000 }, { category: null, price: 100 }]));
    await push(api, order(source, '2025-12-06T10:00:00Z', [{ category: 'Café', quantity: 2, price: 1_200 }, { category: null, price: 200 }]));
    await push(api, order(source, '2026-01-06T10:00:00Z', [{ category: 'Té', price: 800 }]));
    const merged = await api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [source], confirm: true } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    await assertRollupMatches(tenantId, 'a merge');
    const [{ left }] = await query<{ left: number }>(
      ctx.database.db,
      sql`select (select count(*) from order_category_months where tenant_id = ${tenantId} and customer_id = ${source})
               + (select count(*) from order_months where tenant_id = ${tenantId} and customer_id = ${source}) as left`,
    );
    assert.equal(Number(left), 0, 'nothing stays with the merged source');
    await assertInsightsMatch(api, tenantId, primary);

    assert.equal((await api('POST', `/customers/${primary}/erase`)).status, 200);
    await assertRollupMatches(tenantId, 'an erasure');
    const removed = await newMember(api);
    await push(api, order(removed, '2026-01-07T10:00:00Z', [{ category: 'Té', price: 900 }]));
    assert.equal((await api('DELETE', `/customers/${removed}`)).status, 200);
    await assertRollupMatches(tenantId, 'a removal');
  });

  it('keeps each currency apart when the programme changes it', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await push(api, order(id, '2025-12-10T10:00:00Z', [{ category: 'Café', price: 2_000 }]));
    await setSettings(ctx, tenantId, { currency: 'USD' });
    await push(api, order(id, '2025-12-11T10:00:00Z', [{ category: 'Café', price: 700 }], { currency: 'USD' }));
    await assertRollupMatches(tenantId, 'orders in two currencies');
    await assertInsightsMatch(api, tenantId, id);
  });

  it('answers for plain SQL too: items added, edited and deleted, orders moved in time and deleted', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const first = await push(api, order(id, '2025-12-10T10:00:00Z', [{ category: 'Café', price: 1_000 }, { category: 'Café', price: 500 }, { category: 'Té', price: 300 }]));
    const second = await push(api, order(id, '2026-01-10T10:00:00Z', [{ category: 'Café', price: 2_000 }, { category: null, price: 100 }]));
    const run = async (statement: ReturnType<typeof sql>, after: string) => {
      await ctx.database.db.execute(statement);
      await assertRollupMatches(tenantId, after);
    };
    await run(
      sql`insert into order_items (tenant_id, order_id, position, name, category, quantity, price)
          values (${tenantId}, ${first.id}, 10, 'Más', 'Café', 2, 250), (${tenantId}, ${first.id}, 11, 'Nuevo', 'Libros', 1, 4000)`,
      'items added to a completed order',
    );
    await run(sql`delete from order_items where tenant_id = ${tenantId} and order_id = ${first.id} and category = 'Café' and position = 0`, 'one of three items of a category deleted');
    await run(sql`delete from order_items where tenant_id = ${tenantId} and order_id = ${first.id} and category = 'Té'`, 'the only item of a category deleted');
    await run(sql`update order_items set category = 'Té', quantity = quantity + 1 where tenant_id = ${tenantId} and order_id = ${first.id} and category = 'Café'`, 'items moved to another category');
    await run(sql`update order_items set order_id = ${second.id} where tenant_id = ${tenantId} and order_id = ${first.id} and category = 'Libros'`, 'an item moved to another order');
    await run(sql`update orders set placed_at = '2026-02-01T00:00:00Z' where tenant_id = ${tenantId} and id = ${second.id}`, 'an order moved to another month');
    await run(sql`update orders set total = total + 100 where tenant_id = ${tenantId} and id = ${second.id}`, 'an order’s total changed');
    await run(sql`delete from orders where tenant_id = ${tenantId} and id = ${first.id}`, 'an order deleted with its items');
    await assertInsightsMatch(api, tenantId, id);
  });

  it('is what the demo seed and the migration’s backfill make of existing orders', async () => {
    assert.ok((await seedDemo(ctx.database.db, 30)) > 0);
    await assertRollupMatches(DEMO_TENANT, 'the demo seed');
    // Every tenant of this file's database, rebuilt from nothing as the migrations would.
    for (const [file, table] of [['0009_order_category_months', 'order_category_months'], ['0010_order_months', 'order_months']]) {
      const backfill = readFileSync(`${migrationsFolder}/${file}.sql`, 'utf8').split('--> statement-breakpoint').at(-1)!;
      assert.match(backfill, new RegExp(`^\\s*(--.*\\n)*INSERT INTO ${table} `));
      await ctx.database.db.execute(sql.raw(`delete from ${table}`));
      await ctx.database.db.execute(sql.raw(backfill));
    }
    const tenants = await query<{ tenant_id: string }>(ctx.database.db, sql`select distinct tenant_id from orders`);
    assert.ok(tenants.length > 1);
    for (const { tenant_id } of tenants) await assertRollupMatches(tenant_id, 'the backfill');
  });
});

describe('splitByMonth', () => {
  const split = (from?: string, before?: string) => splitByMonth({ from: from ? new Date(from) : undefined, before: before ? new Date(before) : undefined });
  const iso = (r: { from?: Date; before?: Date }) => [r.from?.toISOString(), r.before?.toISOString()];

  it('reads whole months from the rollup and the days at the ends from the rows', () => {
    const s = split('2025-11-15T00:00:00Z', '2026-02-11T00:00:00Z');
    assert.deepEqual(s.months, { from: '2025-12-01', before: '2026-02-01' });
    assert.deepEqual(s.edges.map(iso), [
      ['2025-11-15T00:00:00.000Z', '2025-12-01T00:00:00.000Z'],
      ['2026-02-01T00:00:00.000Z', '2026-02-11T00:00:00.000Z'],
    ]);
  });

  it('needs no rows for a range of whole months, nor for all time', () => {
    assert.deepEqual(split('2025-11-01T00:00:00Z', '2026-03-01T00:00:00Z'), { months: { from: '2025-11-01', before: '2026-03-01' }, edges: [] });
    assert.deepEqual(split(), { months: { from: undefined, before: undefined }, edges: [] });
    assert.deepEqual(split('2025-12-01T00:00:00Z').months, { from: '2025-12-01', before: undefined });
  });

  it('reads only rows when no month is whole, and in December 9999', () => {
    assert.equal(split('2025-12-20T00:00:00Z', '2026-01-10T00:00:00Z').months, null);
    assert.equal(split('2025-12-01T00:00:00.001Z', '2026-01-01T00:00:00Z').months, null);
    assert.deepEqual(split('9999-12-31T00:00:00Z'), { months: null, edges: [{ from: new Date('9999-12-31T00:00:00Z'), before: undefined }] });
  });

  it('takes years before 100 as they are', () => {
    assert.deepEqual(split('0050-03-10T00:00:00Z', '0050-06-01T00:00:00Z').months, { from: '0050-04-01', before: '0050-06-01' });
  });
});
