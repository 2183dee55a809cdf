import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { query } from '../../server/db/client.ts';
import { customers, ledgerEntries, merges } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

/** Every row the tenant has anywhere, as text: what a privacy audit would grep. */
async function everythingOf(tenantId: string): Promise<string> {
  const tables = ['customers', 'notes', 'events', 'ledger_entries', 'merges', 'idempotency_keys', 'orders', 'order_items', 'name_dictionary'];
  const parts = [];
  for (const table of tables) {
    const rows = await query(ctx.database.db, sql`select row_to_json(t)::text as j from ${sql.identifier(table)} t where t.tenant_id = ${tenantId}`);
    parts.push(...rows.map((r) => String(r.j)));
  }
  return parts.join('\n').toLowerCase();
}

const PERSONAL = ['maría', 'maria', 'fernández', 'fernandez', 'maria.f@example.com', '612345678', '699000111', '12345678z', 'calle mayor', 'es9121000418450200051332', 'compensación', 'alergia', 'talla', 'vip-oro', 'mafe-77', 'la prima'];

describe('POST /customers/:id/erase', () => {
  it('wipes personal data everywhere, keeps the ledger amounts, and records one customer.erased event', async () => {
    const { api, tenantId } = await newTenant(ctx, { sub: 'dpo', name: 'Delegada' });
    await api('POST', '/custom-fields', { body: { key: 'shirtSize', label: 'Talla', type: 'text' } });
    const created = await api('POST', '/customers', {
      headers: { 'idempotency-key': 'create-maria' },
      body: {
        firstName: 'María',
        lastName: 'Fernández',
        email: 'maria.f@example.com',
        phones: [{ number: '612 34 56 78', label: 'La prima' }],
        idType: 'national_id',
        idNumber: '12345678Z',
        externalId: 'mafe-77',
        birthday: '1985-03-02',
        address: { line1: 'Calle Mayor 5', city: 'Madrid' },
        legal: { type: 'sole_trader', companyName: 'Fernández Talla SL', iban: 'ES91 2100 0418 4502 0005 1332' },
        tags: ['vip-oro'],
        custom: { shirtSize: 'Talla M' },
      },
    });
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    assert.equal((await api('PATCH', `/customers/${id}`, { body: { phones: [{ number: '612345678' }, { number: '699 000 111' }] }, headers: { 'if-match': '"1"' } })).status, 200);
    assert.equal((await api('POST', `/customers/${id}/status`, { body: { status: 'inactive', reason: 'María Fernández pidió una pausa' } })).status, 200);
    const note = await api('POST', `/customers/${id}/notes`, { body: { body: '<p>Alergia a los frutos secos, María</p>' } });
    await api('POST', `/customers/${id}/notes`, { body: { body: 'Talla M' } });
    await api('DELETE', `/customers/${id}/notes/${note.body.id}`);
    // The ledger is written directly: points belong to another module; erasure must keep their amounts.
    await ctx.database.db.insert(ledgerEntries).values([
      { tenantId, customerId: id, kind: 'adjust', delta: 120, balanceAfter: 120, reason: 'Compensación a María por retraso', actorId: 'dpo', actorName: 'Delegada' },
      { tenantId, customerId: id, kind: 'redeem', delta: -20, balanceAfter: 100, reason: null },
    ]);
    await ctx.database.db.update(customers).set({ points: 100, lifetimePoints: 120 }).where(eq(customers.id, id));
    // An old record of the same person, merged into this one, with its snapshot.
    const old = await api('POST', '/customers', { body: { firstName: 'Maria', lastName: 'Fernandez', email: 'maria.f@example.com' } });
    await ctx.database.db.update(customers).set({ mergedInto: id, mergedAt: new Date() }).where(eq(customers.id, old.body.id));
    await ctx.database.db.insert(merges).values({ tenantId, primaryId: id, sourceIds: [old.body.id], snapshots: [old.body], actorId: 'dpo', actorName: 'Delegada' });
    const before = await everythingOf(tenantId);
    for (const p of ['maría', 'fernandez', 'maria.f@example.com', '612345678', 'compensación', 'alergia']) assert.ok(before.includes(p), `fixture holds ${p}`);

    const erased = await api('POST', `/customers/${id}/erase`);
    assert.equal(erased.status, 200, JSON.stringify(erased.body));
    assert.equal(erased.body.id, id);
    assert.equal(erased.body.number, created.body.number);

    const after = await everythingOf(tenantId);
    for (const p of PERSONAL) assert.ok(!after.includes(p), `"${p}" survived erasure`);

    assert.equal((await api('GET', `/customers/${id}`)).status, 404);
    assert.equal((await api('GET', `/customers/${id}/history`)).status, 404);
    assert.equal((await api('GET', `/customers/${id}/notes`)).status, 404);
    for (const q of ['maria fernandez', 'maria.f@', '612345678', `#${created.body.number}`, `#${old.body.number}`, '12345678Z']) {
      assert.equal((await api('GET', `/customers?q=${encodeURIComponent(q)}`)).body.items.length, 0, q);
    }
    assert.equal((await api('GET', '/customers')).body.items.length, 0);

    const ledger = await ctx.database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.customerId, id)));
    assert.deepEqual(ledger.map((e) => [e.kind, e.delta, e.balanceAfter, e.reason]).sort(), [['adjust', 120, 120, null], ['redeem', -20, 100, null]].sort());
    const [row] = await ctx.database.db.select().from(customers).where(eq(customers.id, id));
    assert.equal(row.points, 100, 'the balance stays with the anonymous record');
    const events = await query<{ type: string; data: any; actor_id: string }>(
      ctx.database.db,
      sql`select type, data, actor_id from events where tenant_id = ${tenantId} and customer_id = ${id} order by seq`,
    );
    const last = events[events.length - 1];
    assert.equal(events.filter((e) => e.type === 'customer.erased').length, 1);
    assert.equal(last.type, 'customer.erased');
    assert.equal(last.actor_id, 'dpo');
    const updated = events.find((e) => e.type === 'customer.updated')!;
    assert.deepEqual(
      (typeof updated.data === 'string' ? JSON.parse(updated.data) : updated.data).changes,
      [{ field: 'phones' }],
      'which fields changed is kept, their values are not',
    );
  });

  it('forgets every stored answer about the customer: a replay after erasure finds the customer gone, not its data', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = (await api('POST', '/customers', { body: { firstName: 'Rosa', lastName: 'Quintana' }, headers: { 'idempotency-key': 'alta' } })).body.id;
    const note = { body: 'Rosa Quintana: alergia al látex' };
    const points = { delta: 30, reason: 'Regalo de cumpleaños para Rosa Quintana' };
    assert.equal((await api('POST', `/customers/${id}/notes`, { body: note, headers: { 'idempotency-key': 'nota' } })).status, 201);
    assert.equal((await api('POST', `/customers/${id}/points`, { body: points, headers: { 'idempotency-key': 'puntos' } })).status, 201);
    const bystander = (await api('POST', '/customers', { body: { firstName: 'Otra' } })).body.id;
    assert.equal((await api('POST', `/customers/${bystander}/notes`, { body: { body: 'Se queda' }, headers: { 'idempotency-key': 'ajena' } })).status, 201);

    assert.equal((await api('POST', `/customers/${id}/erase`)).status, 200);
    const after = await everythingOf(tenantId);
    for (const text of ['rosa', 'quintana', 'látex', 'cumpleaños']) assert.ok(!after.includes(text), `"${text}" survived erasure`);
    assert.ok(after.includes('se queda'), 'another customer’s stored answer stays');
    for (const [path, body, key] of [[`/customers/${id}/notes`, note, 'nota'], [`/customers/${id}/points`, points, 'puntos']] as const) {
      const replay = await api('POST', path, { body, headers: { 'idempotency-key': key } });
      assert.equal(replay.status, 404, `${path} replayed: ${JSON.stringify(replay.body)}`);
    }
  });

  it('replays with the same Idempotency-Key, then answers 404', async () => {
    const { api } = await newTenant(ctx);
    const { body } = await api('POST', '/customers', { body: { firstName: 'Ana' } });
    const headers = { 'idempotency-key': 'erase-1' };
    const first = await api('POST', `/customers/${body.id}/erase`, { headers });
    const again = await api('POST', `/customers/${body.id}/erase`, { headers });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await api('POST', `/customers/${body.id}/erase`)).status, 404);
    assert.equal((await api('PATCH', `/customers/${body.id}`, { body: { firstName: 'X' }, headers: { 'if-match': '"2"' } })).status, 404);
  });

  it('answers 401, 403 without customers:delete, 404 for another tenant and 409 for a merged-away id', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const { body } = await api('POST', '/customers', { body: { firstName: 'Ana' } });
    assert.equal((await api('POST', `/customers/${body.id}/erase`, { token: null })).status, 401);
    const agent = await newTenant(ctx, { tenantId, role: 'agent', perms: ['customers:read', 'customers:write'] });
    const denied = await agent.api('POST', `/customers/${body.id}/erase`);
    assert.equal(denied.status, 403);
    const other = await newTenant(ctx);
    assert.equal((await other.api('POST', `/customers/${body.id}/erase`)).status, 404);
    const survivor = await api('POST', '/customers', { body: { firstName: 'Ana' } });
    await ctx.database.db.update(customers).set({ mergedInto: survivor.body.id }).where(eq(customers.id, body.id));
    const merged = await api('POST', `/customers/${body.id}/erase`);
    assert.equal(merged.status, 409);
    assert.equal(merged.body.error.code, 'customer_merged');
    assert.equal((await api('GET', `/customers/${survivor.body.id}`)).body.firstName, 'Ana', 'nothing erased');
  });
});
