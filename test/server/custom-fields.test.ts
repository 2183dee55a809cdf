import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
