import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

const paths = (body: any) => (body.error.details as Array<{ path: string }>).map((d) => d.path).sort();

describe('GET, PATCH /settings', () => {
  it('starts with defaults and changes what is sent', async () => {
    const { api } = await newTenant(ctx);
    const initial = await api('GET', '/settings');
    assert.equal(initial.status, 200);
    assert.deepEqual(
      { ...initial.body, updatedAt: undefined },
      { defaultRegion: 'ES', currency: 'EUR', pointsPerUnit: 1, pointsValidityDays: null, updatedAt: undefined },
    );
    const changed = await api('PATCH', '/settings', { body: { defaultRegion: 'MX', currency: 'MXN', pointsPerUnit: 0.5, pointsValidityDays: 365 } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.defaultRegion, 'MX');
    assert.equal((await api('PATCH', '/settings', { body: { pointsValidityDays: null } })).body.pointsValidityDays, null);
    assert.equal((await api('GET', '/settings')).body.currency, 'MXN');
  });

  it('reads phones with the tenant’s region once it changes', async () => {
    const { api } = await newTenant(ctx);
    await api('PATCH', '/settings', { body: { defaultRegion: 'MX' } });
    const res = await api('POST', '/customers', { body: { phones: [{ number: '55 1234 5678' }] } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.phones[0].number, '+525512345678');
    assert.equal((await api('GET', '/customers?q=55%201234%205678')).body.items.length, 1);
  });

  it('answers 422 with one detail per bad setting, and keeps the old values', async () => {
    const { api } = await newTenant(ctx);
    const res = await api('PATCH', '/settings', { body: { defaultRegion: 'XX', currency: 'EURO', pointsPerUnit: -1, pointsValidityDays: 0, theme: 'dark' } });
    assert.equal(res.status, 422);
    assert.deepEqual(paths(res.body), ['currency', 'defaultRegion', 'pointsPerUnit', 'pointsValidityDays', 'theme']);
    for (const body of [{ currency: 'eur' }, { pointsValidityDays: 1.5 }, { pointsPerUnit: '1' }, { defaultRegion: 'es' }]) {
      assert.equal((await api('PATCH', '/settings', { body })).status, 422, JSON.stringify(body));
    }
    assert.equal((await api('GET', '/settings')).body.defaultRegion, 'ES');
  });

  it('needs settings:admin; tenants do not see each other’s settings', async () => {
    const agent = await newTenant(ctx, { role: 'agent', perms: ['customers:read', 'customers:write'] });
    assert.equal((await agent.api('GET', '/settings')).status, 403);
    assert.equal((await agent.api('PATCH', '/settings', { body: { currency: 'USD' } })).status, 403);
    assert.equal((await agent.api('GET', '/settings', { token: null })).status, 401);
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    await a.api('PATCH', '/settings', { body: { currency: 'COP' } });
    assert.equal((await b.api('GET', '/settings')).body.currency, 'EUR');
  });
});

describe('GET, POST /custom-fields', () => {
  it('defines fields in order and lists them', async () => {
    const { api } = await newTenant(ctx);
    const size = await api('POST', '/custom-fields', { body: { key: 'shirtSize', label: 'Talla', type: 'enum', options: ['S', 'M'], required: false } });
    assert.equal(size.status, 201, JSON.stringify(size.body));
    assert.deepEqual({ ...size.body, createdAt: undefined }, { key: 'shirtSize', label: 'Talla', type: 'enum', options: ['S', 'M'], required: false, position: 1, createdAt: undefined });
    await api('POST', '/custom-fields', { body: { key: 'first', label: 'Primero', type: 'text', position: 0 } });
    await api('POST', '/custom-fields', { body: { key: 'kids', label: 'Hijos', type: 'integer', required: true } });
    const list = await api('GET', '/custom-fields');
    assert.deepEqual(list.body.items.map((f: any) => [f.key, f.position]), [['first', 0], ['shirtSize', 1], ['kids', 2]]);
    assert.equal(list.body.nextCursor, null);
  });

  it('answers 422 per bad attribute, 409 for a taken key', async () => {
    const { api } = await newTenant(ctx);
    const bad = await api('POST', '/custom-fields', { body: { key: '1st key', label: '', type: 'color', required: 'yes', colour: 'red' } });
    assert.equal(bad.status, 422);
    assert.deepEqual(paths(bad.body), ['colour', 'key', 'label', 'required', 'type']);
    const enumWithout = await api('POST', '/custom-fields', { body: { key: 'size', label: 'Talla', type: 'enum' } });
    assert.deepEqual(paths(enumWithout.body), ['options']);
    const textWith = await api('POST', '/custom-fields', { body: { key: 'size', label: 'Talla', type: 'text', options: ['a'] } });
    assert.deepEqual(paths(textWith.body), ['options']);
    const repeated = await api('POST', '/custom-fields', { body: { key: 'size', label: 'Talla', type: 'enum', options: ['S', 'S'] } });
    assert.deepEqual(paths(repeated.body), ['options']);
    assert.equal((await api('POST', '/custom-fields', { body: { key: 'size', label: 'Talla', type: 'text' } })).status, 201);
    const taken = await api('POST', '/custom-fields', { body: { key: 'size', label: 'Otra', type: 'date' } });
    assert.equal(taken.status, 409);
    assert.equal((await api('GET', '/custom-fields')).body.items.length, 1);
  });

  it('lets readers list and only settings admins define; tenants apart', async () => {
    const admin = await newTenant(ctx);
    await admin.api('POST', '/custom-fields', { body: { key: 'vipSince', label: 'VIP desde', type: 'date' } });
    const agent = await newTenant(ctx, { tenantId: admin.tenantId, role: 'agent', perms: ['customers:read', 'customers:write'] });
    assert.equal((await agent.api('GET', '/custom-fields')).body.items.length, 1);
    assert.equal((await agent.api('POST', '/custom-fields', { body: { key: 'x', label: 'X', type: 'text' } })).status, 403);
    const other = await newTenant(ctx);
    assert.equal((await other.api('GET', '/custom-fields')).body.items.length, 0);
  });
});

describe('GET /users', () => {
  it('lists the tenant’s users seen in tokens, by name, page by page', async () => {
    const boss = await newTenant(ctx, { sub: 'u-boss', name: 'Zoe Jefa' });
    for (const [sub, name] of [['u-1', 'Ana'], ['u-2', 'Bruno'], ['u-3', 'Ana']]) {
      const t = await newTenant(ctx, { tenantId: boss.tenantId, sub, name, role: 'agent', perms: ['customers:read'] });
      assert.equal((await t.api('GET', '/users')).status, 200);
    }
    const first = await boss.api('GET', '/users?limit=2');
    const second = await boss.api('GET', `/users?limit=2&cursor=${first.body.nextCursor}`);
    const all = [...first.body.items, ...second.body.items];
    assert.deepEqual(all.map((u: any) => [u.name, u.id]), [['Ana', 'u-1'], ['Ana', 'u-3'], ['Bruno', 'u-2'], ['Zoe Jefa', 'u-boss']]);
    assert.equal(second.body.nextCursor, null);
    assert.equal(all[3].role, 'admin');
    const outsider = await newTenant(ctx, { sub: 'u-x' });
    assert.deepEqual((await outsider.api('GET', '/users')).body.items.map((u: any) => u.id), ['u-x']);
    const noRead = await newTenant(ctx, { role: 'agent', perms: ['points:write'] });
    assert.equal((await noRead.api('GET', '/users')).status, 403);
  });
});
