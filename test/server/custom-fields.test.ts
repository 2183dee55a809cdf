import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { customFields, customers, events } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();
const paths = (body: any) => body.error.details.map((d: any) => d.path).sort();

describe('PATCH, DELETE /custom-fields/:key', () => {
  it('edits a definition’s label, options, required and position; the key and type stay', async () => {
    const { api } = await newTenant(ctx);
    await api('POST', '/custom-fields', { body: { key: 'size', label: 'Talla', type: 'enum', options: ['S', 'M'] } });
    const edited = await api('PATCH', '/custom-fields/size', { body: { label: 'Talla de camiseta', options: ['S', 'M', 'L'], required: true, position: 7 } });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.deepEqual(
      { ...edited.body, createdAt: undefined },
      { key: 'size', label: 'Talla de camiseta', type: 'enum', options: ['S', 'M', 'L'], required: true, position: 7, createdAt: undefined },
    );
    assert.deepEqual((await api('GET', '/custom-fields')).body.items[0].options, ['S', 'M', 'L']);
    const bad = await api('PATCH', '/custom-fields/size', { body: { label: '', options: ['S', 'S'], type: 'text', key: 'other' } });
    assert.equal(bad.status, 422);
    assert.deepEqual(paths(bad.body), ['key', 'label', 'options', 'type']);
    assert.deepEqual(paths((await api('PATCH', '/custom-fields/size', { body: { options: [] } })).body), ['options']);
    assert.equal((await api('GET', '/custom-fields')).body.items[0].label, 'Talla de camiseta', 'a refused edit changes nothing');
    await api('POST', '/custom-fields', { body: { key: 'note', label: 'Nota', type: 'text' } });
    assert.deepEqual(paths((await api('PATCH', '/custom-fields/note', { body: { options: ['a'] } })).body), ['options']);
    assert.equal((await api('PATCH', '/custom-fields/missing', { body: { label: 'X' } })).status, 404);
    const nothing = await api('PATCH', '/custom-fields/note', { body: {} });
    assert.equal(nothing.status, 200, 'an empty edit changes nothing');
    assert.equal(nothing.body.label, 'Nota');
  });

  it('deletes a definition; stored values stay readable in the history', async () => {
    const { api } = await newTenant(ctx);
    await api('POST', '/custom-fields', { body: { key: 'club', label: 'Club', type: 'text' } });
    const created = await api('POST', '/customers', { body: { firstName: 'Ana', custom: { club: 'Betis' } } });
    const id = created.body.id;
    await api('PATCH', `/customers/${id}`, { body: { custom: { club: 'Sevilla' } }, headers: { 'if-match': '"1"' } });
    const deleted = await api('DELETE', '/custom-fields/club');
    assert.equal(deleted.status, 204);
    assert.equal((await api('GET', '/custom-fields')).body.items.length, 0);
    assert.equal((await api('DELETE', '/custom-fields/club')).status, 404);
    const history = await api('GET', `/customers/${id}/history?types=customer.updated`);
    assert.deepEqual(history.body.items[0].data.changes, [{ field: 'custom.club', from: 'Betis', to: 'Sevilla' }]);
    // The customer can still be edited, and a new member needs no value for the gone field.
    const edit = await api('PATCH', `/customers/${id}`, { body: { firstName: 'Ana María' }, headers: { 'if-match': '"2"' } });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));
    assert.equal((await api('POST', '/customers', { body: { firstName: 'Eva' } })).status, 201);
  });

  it('lets only settings admins edit and delete; other tenants see 404', async () => {
    const admin = await newTenant(ctx);
    await admin.api('POST', '/custom-fields', { body: { key: 'club', label: 'Club', type: 'text' } });
    const agent = await newTenant(ctx, { tenantId: admin.tenantId, role: 'agent', perms: ['customers:read', 'customers:write'] });
    assert.equal((await agent.api('PATCH', '/custom-fields/club', { body: { label: 'X' } })).status, 403);
    assert.equal((await agent.api('DELETE', '/custom-fields/club')).status, 403);
    const other = await newTenant(ctx);
    assert.equal((await other.api('PATCH', '/custom-fields/club', { body: { label: 'X' } })).status, 404);
    assert.equal((await other.api('DELETE', '/custom-fields/club')).status, 404);
    assert.equal((await admin.api('GET', '/custom-fields')).body.items[0].label, 'Club');
  });
});

describe('a new required custom field', () => {
  it('is asked of new members and of edits of that field, never of unrelated edits', async () => {
    const { api } = await newTenant(ctx);
    await api('POST', '/custom-fields', { body: { key: 'club', label: 'Club', type: 'text' } });
    const id = (await api('POST', '/customers', { body: { firstName: 'Ana' } })).body.id;
    await api('POST', '/custom-fields', { body: { key: 'size', label: 'Talla', type: 'enum', options: ['S', 'M'], required: true } });
    await api('PATCH', '/custom-fields/club', { body: { required: true } });
    const unrelated = await api('PATCH', `/customers/${id}`, { body: { firstName: 'Ana María', tags: ['vip'] }, headers: { 'if-match': '"1"' } });
    assert.equal(unrelated.status, 200, JSON.stringify(unrelated.body));
    const otherCustom = await api('PATCH', `/customers/${id}`, { body: { custom: { club: 'Betis' } }, headers: { 'if-match': '"2"' } });
    assert.equal(otherCustom.status, 200, JSON.stringify(otherCustom.body));
    const cleared = await api('PATCH', `/customers/${id}`, { body: { custom: { size: null } }, headers: { 'if-match': '"3"' } });
    assert.equal(cleared.status, 422);
    assert.deepEqual(paths(cleared.body), ['custom.size']);
    const fresh = await api('POST', '/customers', { body: { firstName: 'Eva' } });
    assert.equal(fresh.status, 422);
    assert.deepEqual(paths(fresh.body), ['custom.club', 'custom.size']);
    assert.equal((await api('POST', '/customers', { body: { firstName: 'Eva', custom: { size: 'M', club: 'Betis' } } })).status, 201);
  });
});

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
    assert.equal((await api('DELETE', '/custom-fields/toString')).status, 204, 'such a definition can still be deleted');
  });

  it('refuses a __proto__ key in a body, which a copy of the body would silently drop', async () => {
    const { api, tenantId } = await newTenant(ctx);
    await ctx.database.db.insert(customFields).values({ tenantId, key: '__proto__', label: 'Proto', type: 'text', position: 1 });
    const id = (await api('POST', '/customers', { body: { firstName: 'Ana' } })).body.id;
    const json = { 'content-type': 'application/json' };
    const create = await api('POST', '/customers', { rawBody: '{"firstName":"Proto","custom":{"__proto__":"x"}}', headers: json });
    assert.equal(create.status, 422, JSON.stringify(create.body));
    assert.deepEqual(create.body.error.details.map((d: { path: string }) => d.path), ['custom.__proto__']);
    const edit = await api('PATCH', `/customers/${id}`, { rawBody: '{"custom":{"__proto__":"x"}}', headers: { ...json, 'if-match': '"1"' } });
    assert.equal(edit.status, 422, JSON.stringify(edit.body));
    assert.equal((await api('GET', `/customers/${id}`)).body.version, 1);
  });
});
