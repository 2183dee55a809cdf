import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { customFields, customers, events } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

/** The names every plain JavaScript object answers to without having them. */
const PROTOTYPE_KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__', '__defineGetter__', 'toLocaleString'];

describe('custom field keys', () => {
  it('refuses keys outside [a-z][a-zA-Z0-9_]{0,39} and names of Object.prototype, naming key', async () => {
    const { api } = await newTenant(ctx);
    for (const key of [...PROTOTYPE_KEYS, 'Talla', '_x', '1st', 'a'.repeat(41), 'ta-lla']) {
      const res = await api('POST', '/custom-fields', { body: { key, label: 'Campo', type: 'text' } });
      assert.equal(res.status, 422, `${key}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path), ['key'], key);
    }
    assert.equal((await api('POST', '/custom-fields', { body: { key: 'a'.repeat(40), label: 'Campo', type: 'text' } })).status, 201);
    assert.equal((await api('POST', '/custom-fields', { body: { key: 'tallaCamiseta_2', label: 'Campo', type: 'text' } })).status, 201);
  });

  it('treats a definition named like a prototype property as any other (one stored before keys were checked)', async () => {
    const { api, tenantId } = await newTenant(ctx);
    await ctx.database.db.insert(customFields).values([
      { tenantId, key: 'constructor', label: 'Constructor', type: 'text', required: true, position: 1 },
      { tenantId, key: 'toString', label: 'Texto', type: 'text', position: 2 },
    ]);
    const missing = await api('POST', '/customers', { body: { firstName: 'Sin', lastName: 'Valor' } });
    assert.equal(missing.status, 422, 'a required field is required, whatever its key');
    assert.deepEqual(missing.body.error.details.map((d: { path: string }) => d.path), ['custom.constructor']);

    const primary = (await api('POST', '/customers', { body: { firstName: 'Ana', custom: { constructor: 'de la primaria' } } })).body;
    assert.deepEqual(primary.custom, { constructor: 'de la primaria' });
    const source = (await api('POST', '/customers', { body: { firstName: 'Ana', custom: { constructor: 'de la otra', toString: 'solo aquí' } } })).body;

    const edited = await api('PATCH', `/customers/${primary.id}`, { body: { custom: { toString: null } }, headers: { 'if-match': `"${primary.version}"` } });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.version, primary.version, 'clearing a value that is not there changes nothing');
    const updates = await ctx.database.db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.customerId, primary.id), eq(events.type, 'customer.updated')));
    assert.equal(updates.length, 0, 'no phantom change recorded');

    const preview = await api('POST', `/customers/${primary.id}/merge/preview`, { body: { sourceIds: [source.id] } });
    assert.deepEqual(preview.body.conflicts.map((c: { field: string }) => c.field).filter((f: string) => f.startsWith('custom.')), ['custom.constructor']);
    const merged = await api('POST', `/customers/${primary.id}/merge`, { body: { sourceIds: [source.id], confirm: true, fieldChoices: { 'custom.constructor': source.id } } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    assert.deepEqual(merged.body.customer.custom, { constructor: 'de la otra', toString: 'solo aquí' }, 'the source’s values come over');
    const [row] = await ctx.database.db.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, primary.id)));
    assert.deepEqual(row.custom, { constructor: 'de la otra', toString: 'solo aquí' });
  });
});
