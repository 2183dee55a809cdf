/**
 * The demo seed: its purchases must be what the API would have written
 * (ledger, metrics, points per order) and varied enough for the insights
 * charts to say something: 10–15 categories over two years.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { query } from '../../server/db/client.ts';
import { DEMO_TENANT, seedDemo } from '../../server/seed.ts';
import { useTestApp } from './helpers.ts';
import { assertLedgerConsistent } from './loyalty-helpers.ts';

const ctx = useTestApp();

describe('demo seed', () => {
  it('seeds two years of orders in 10–15 categories, with ledgers and metrics that add up', async () => {
    const db = ctx.database.db;
    assert.equal(await seedDemo(db, 60), 60);
    const [shape] = await query<{ categories: number; first: string; last: string; statuses: string[] }>(
      db,
      sql`select count(distinct i.category)::int as categories, min(o.placed_at)::text as first, max(o.placed_at)::text as last,
                 array_agg(distinct o.status) as statuses
          from orders o join order_items i on i.tenant_id = o.tenant_id and i.order_id = o.id where o.tenant_id = ${DEMO_TENANT}`,
    );
    assert.ok(shape.categories >= 10 && shape.categories <= 15, `${shape.categories} categories`);
    assert.ok(Date.parse(shape.last) - Date.parse(shape.first) > 700 * 86_400_000, `${shape.first} → ${shape.last}`);
    for (const status of ['completed', 'refunded', 'cancelled']) assert.ok(shape.statuses.includes(status), `${status} in ${shape.statuses.join()}`);

    const members = await query<{ id: string; orders_count: number; total_spent: string; completed: number; spent: string | null }>(
      db,
      sql`select c.id, c.orders_count, c.total_spent::text,
                 (select count(*)::int from orders o where o.tenant_id = c.tenant_id and o.customer_id = c.id and o.status = 'completed') as completed,
                 (select sum(total)::text from orders o where o.tenant_id = c.tenant_id and o.customer_id = c.id and o.status = 'completed') as spent
          from customers c where c.tenant_id = ${DEMO_TENANT}`,
    );
    for (const m of members) {
      assert.equal(m.orders_count, m.completed);
      assert.equal(Number(m.total_spent), Number(m.spent ?? 0));
      await assertLedgerConsistent(ctx, DEMO_TENANT, m.id);
    }
    const [points] = await query<{ mismatched: number }>(
      db,
      sql`select count(*)::int as mismatched from orders o
          where o.tenant_id = ${DEMO_TENANT} and o.points_earned <> coalesce((select sum(delta) from ledger_entries l where l.tenant_id = o.tenant_id and l.order_id = o.id and l.kind = 'earn'), 0)
             or o.tenant_id = ${DEMO_TENANT} and o.points_reversed <> coalesce((select -sum(delta) from ledger_entries l where l.tenant_id = o.tenant_id and l.order_id = o.id and l.kind = 'reversal'), 0)`,
    );
    assert.equal(points.mismatched, 0, 'each order earned and gave back what its ledger entries say');
    const [first] = await query<{ orders: number }>(db, sql`select count(*)::int as orders from orders o join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id where c.tenant_id = ${DEMO_TENANT} and c.number = 1001`);
    assert.ok(first.orders >= 50, `the demo's first member has ${first.orders} orders`);
  });
});
