import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { customers, events } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

async function customerWithHistory() {
  const t = await newTenant(ctx, { sub: 'admin-7', name: 'Admin Siete' });
  const created = await t.api('POST', '/customers', { body: { firstName: 'Ana' } });
  const id = created.body.id as string;
  await t.api('PATCH', `/customers/${id}`, { body: { firstName: 'Ana María' }, headers: { 'if-match': '"1"' } });
  await t.api('POST', `/customers/${id}/notes`, { body: { body: 'hola' } });
  await t.api('POST', `/customers/${id}/status`, { body: { status: 'inactive' } });
  await t.api('PATCH', `/customers/${id}`, { body: { city: 'Lima' }, headers: { 'if-match': '"3"' } });
  return { ...t, id };
}

describe('GET /customers/:id/history', () => {
  it('answers every event newest first as {id, type, at, actor, customerId, data}', async () => {
    const { api, id } = await customerWithHistory();
    const res = await api('GET', `/customers/${id}/history`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.items.map((e: any) => e.type), ['customer.updated', 'customer.status_changed', 'note.added', 'customer.updated', 'customer.created']);
    const [latest] = res.body.items;
    assert.deepEqual(latest.actor, { id: 'admin-7', name: 'Admin Siete' });
    assert.equal(latest.customerId, id);
    assert.equal(latest.version, 4);
    assert.deepEqual(latest.data, { changes: [{ field: 'city', from: null, to: 'Lima' }] });
    assert.ok(!Number.isNaN(Date.parse(latest.at)));
  });

  it('filters by types and pages by cursor without gaps', async () => {
    const { api, id } = await customerWithHistory();
    const updates = await api('GET', `/customers/${id}/history?types=customer.updated,customer.created`);
    assert.deepEqual(updates.body.items.map((e: any) => e.type), ['customer.updated', 'customer.updated', 'customer.created']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api('GET', `/customers/${id}/history?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((e: any) => e.type));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.deepEqual(seen, (await api('GET', `/customers/${id}/history`)).body.items.map((e: any) => e.type));
  });

  it('filters by from and to, inclusive, as dates or timestamps', async () => {
    const { api, id } = await customerWithHistory();
    // Spread the events over days so the bounds can be told apart.
    const all = (await api('GET', `/customers/${id}/history`)).body.items as Array<{ id: string; type: string }>;
    const days = ['2024-03-05T23:59:59.999999Z', '2024-03-04T12:00:00Z', '2024-03-03T00:00:00Z', '2024-03-02T08:00:00Z', '2024-03-01T10:00:00Z'];
    for (const [i, e] of all.entries()) await ctx.database.db.update(events).set({ at: sql`${days[i]}::timestamptz` }).where(eq(events.id, e.id));
    const between = async (qs: string) => (await api('GET', `/customers/${id}/history?${qs}`)).body.items.map((e: any) => e.id);
    assert.deepEqual(await between('from=2024-03-03&to=2024-03-05'), all.slice(0, 3).map((e) => e.id), 'the last microsecond of the to day counts');
    assert.deepEqual(await between('to=2024-03-02'), all.slice(3).map((e) => e.id));
    assert.deepEqual(await between('from=2024-03-04T12:00:00Z&to=2024-03-04T12:00:00.000Z'), [all[1].id]);
    assert.deepEqual(await between('from=2024-03-06'), []);
  });

  it('answers 422 for bad types, bounds and cursors; 401, 403, 404 for another tenant, 409 when merged away', async () => {
    const { api, id, tenantId } = await customerWithHistory();
    for (const [qs, path] of [['types=customer.deleted', 'types'], ['from=yesterday', 'from'], ['from=2024-02-02&to=2024-02-01', 'to'], ['cursor=abc', 'cursor'], ['limit=500', 'limit']]) {
      const res = await api('GET', `/customers/${id}/history?${qs}`);
      assert.equal(res.status, 422, qs);
      assert.deepEqual(res.body.error.details.map((d: any) => d.path), [path], qs);
    }
    assert.equal((await api('GET', `/customers/${id}/history`, { token: null })).status, 401);
    const noRead = await newTenant(ctx, { tenantId, role: 'agent', perms: ['points:write'] });
    assert.equal((await noRead.api('GET', `/customers/${id}/history`)).status, 403);
    const other = await newTenant(ctx);
    assert.equal((await other.api('GET', `/customers/${id}/history`)).status, 404);
    const survivor = await api('POST', '/customers', { body: { firstName: 'Ana' } });
    await ctx.database.db.update(customers).set({ mergedInto: survivor.body.id }).where(eq(customers.id, id));
    const merged = await api('GET', `/customers/${id}/history`);
    assert.equal(merged.status, 409);
    assert.equal(merged.body.error.code, 'customer_merged');
  });
});
