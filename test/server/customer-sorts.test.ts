import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

/** Every page of a list, with a small page size so the cursor is crossed often. */
async function all(api: Awaited<ReturnType<typeof newTenant>>['api'], query: string) {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await api('GET', `/customers?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

async function arrange() {
  const t = await newTenant(ctx);
  const { api } = t;
  for (const [name, minPoints] of [['Bronce', 0], ['Plata', 500], ['Oro', 1000]] as const) {
    assert.equal((await api('POST', '/levels', { body: { name, minPoints } })).status, 201);
  }
  const people: Array<[string, number, string]> = [
    ['Ana', 1200, 'removed'],
    ['Bea', 0, 'active'],
    ['Carla', 600, 'disabled'],
    ['Dani', 1500, 'inactive'],
    ['Eva', 700, 'active'],
    ['Fede', 100, 'inactive'],
    ['Gema', 1000, 'active'],
  ];
  for (const [firstName, points, status] of people) {
    const { body } = await api('POST', '/customers', { body: { firstName } });
    if (points) assert.equal((await api('POST', `/customers/${body.id}/points`, { body: { delta: points, reason: 'Alta' } })).status, 201);
    if (status === 'removed') assert.equal((await api('DELETE', `/customers/${body.id}`)).status, 200);
    else if (status !== 'active') assert.equal((await api('POST', `/customers/${body.id}/status`, { body: { status } })).status, 200);
  }
  return t;
}

const RANK: Record<string, number> = { active: 0, inactive: 1, disabled: 2, removed: 3 };

describe('GET /customers sorted by level and status, with a count', () => {
  it('sorts by the level’s threshold and by status, page after page, both ways', async () => {
    const { api } = await arrange();
    const byLevel = await all(api, 'sort=level');
    assert.equal(byLevel.length, 7);
    assert.equal(new Set(byLevel.map((c) => c.id)).size, 7, 'no customer twice across pages');
    const thresholds = byLevel.map((c) => c.level?.minPoints ?? -1);
    assert.deepEqual(thresholds, [...thresholds].sort((a, b) => a - b));
    assert.deepEqual(new Set(thresholds), new Set([0, 500, 1000]));
    const down = await all(api, 'sort=-level');
    assert.deepEqual(down.map((c) => c.id), [...byLevel.map((c) => c.id)].reverse());

    const byStatus = await all(api, 'sort=status');
    assert.deepEqual(byStatus.map((c) => c.status), ['active', 'active', 'active', 'inactive', 'inactive', 'disabled', 'removed']);
    const statusDown = await all(api, 'sort=-status');
    assert.deepEqual(statusDown.map((c) => RANK[c.status]), [3, 2, 1, 1, 0, 0, 0]);
    assert.deepEqual(statusDown.map((c) => c.id), [...byStatus.map((c) => c.id)].reverse());
    // A cursor of one sort is refused by another.
    const first = await api('GET', '/customers?sort=status&limit=2');
    const crossed = await api('GET', `/customers?sort=level&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    assert.equal(crossed.status, 422);
    assert.equal(crossed.body.error.details[0].path, 'cursor');
  });

  it('answers the total with ?count=true, for the filters and search given', async () => {
    const { api } = await arrange();
    const counted = await api('GET', '/customers?count=true&limit=2');
    assert.equal(counted.status, 200, JSON.stringify(counted.body));
    assert.equal(counted.body.total, 7);
    assert.equal(counted.body.totalIsEstimate, false);
    assert.equal(counted.body.items.length, 2);
    assert.equal((await api('GET', '/customers?count=true&status=active,inactive')).body.total, 5);
    assert.equal((await api('GET', '/customers?count=true&q=Gema')).body.total, 1);
    assert.equal((await api('GET', '/customers?count=true&q=Zzyzx')).body.total, 0);
    const plain = await api('GET', '/customers?limit=2');
    assert.equal('total' in plain.body, false, 'no count unless asked');
    assert.equal((await api('GET', '/customers?count=maybe')).status, 422);
  });

  it('counts exactly up to 10,000, then says the total is an estimate', async () => {
    const { api, tenantId } = await newTenant(ctx);
    await ctx.database.db.execute(
      sql`insert into customers (tenant_id, number, share_code, first_name) select ${tenantId}, g, 'C' || g, 'Socio' from generate_series(1, 10001) g`,
    );
    await ctx.database.db.execute(sql`analyze customers`);
    const counted = await api('GET', '/customers?count=true&limit=1');
    assert.equal(counted.status, 200, JSON.stringify(counted.body));
    assert.equal(counted.body.totalIsEstimate, true);
    assert.ok(counted.body.total > 10_000, String(counted.body.total));
    const fewer = await api('GET', '/customers?count=true&limit=1&status=inactive');
    assert.deepEqual([fewer.body.total, fewer.body.totalIsEstimate], [0, false]);
  });
});
