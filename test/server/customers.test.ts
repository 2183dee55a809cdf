import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { customers } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

type Api = Awaited<ReturnType<typeof newTenant>>['api'];

const detailPaths = (body: any) => (body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
const messageFor = (body: any, path: string) => (body.error.details as Array<{ path: string; message: string }>).find((d) => d.path === path)?.message;

async function create(api: Api, body: Record<string, unknown>) {
  const res = await api('POST', '/customers', { body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res;
}

async function history(api: Api, id: string, types?: string) {
  const res = await api('GET', `/customers/${id}/history${types ? `?types=${types}` : ''}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.items as Array<{ type: string; data: any; actor: { id: string; name: string } | null; version: number | null }>;
}

describe('POST /customers', () => {
  it('creates an active member with the next number, a share code, its store and a customer.created event', async () => {
    const { api } = await newTenant(ctx, { sub: 'admin-1', name: 'Lucía Admin' });
    const first = await create(api, {
      firstName: ' José ',
      lastName: 'Pérez',
      email: 'Jose.Perez@Example.COM',
      phones: [{ number: '612 34 56 78', label: 'móvil' }],
      birthday: '1990-05-17',
      store: 'Madrid Centro',
      legal: { type: 'sole_trader', companyName: 'JP Servicios', iban: 'ES91 2100 0418 4502 0005 1332' },
      address: { line1: 'Calle Mayor 1', city: 'Madrid', country: 'ES' },
    });
    const second = await create(api, { email: 'otra@example.com' });
    const c = first.body;
    assert.equal(first.headers.get('etag'), '"1"');
    assert.equal(first.headers.get('location'), `/api/v1/customers/${c.id}`);
    assert.equal(c.status, 'active');
    assert.equal(c.firstName, 'José');
    assert.equal(c.email, 'jose.perez@example.com');
    assert.deepEqual(c.phones, [{ number: '+34612345678', label: 'móvil' }]);
    assert.equal(c.store, 'Madrid Centro');
    assert.equal(c.legal.iban, 'ES9121000418450200051332');
    assert.match(c.shareCode, /^[0-9A-Z]{10}$/);
    assert.notEqual(second.body.shareCode, c.shareCode);
    assert.equal(second.body.number, c.number + 1);
    assert.deepEqual(c.metrics, { ordersCount: 0, totalSpent: 0, averageOrder: 0, lastOrderAt: null });
    const events = await history(api, c.id);
    assert.deepEqual(events.map((e) => e.type), ['customer.created']);
    assert.deepEqual(events[0].actor, { id: 'admin-1', name: 'Lucía Admin' });
  });

  it('answers 422 with one detail per bad field and stores nothing', async () => {
    const { api } = await newTenant(ctx);
    const res = await api('POST', '/customers', {
      body: {
        firstName: 'x'.repeat(101),
        email: 'ana@',
        phones: [{ number: '+34 612 34 56 78' }, { number: '612345678' }, { number: '123' }],
        birthday: '2999-01-01',
        gender: 'unknown',
        idType: 'dni',
        personalDiscount: 120,
        tags: ['ok', ''],
        address: { country: 'Spain' },
        legal: { type: 'company', iban: 'ES91 2100 0418 4502 0005 1333', bic: 'nope' },
        registeredAt: 'yesterday',
      },
    });
    assert.equal(res.status, 422);
    assert.deepEqual(detailPaths(res.body), [
      'address.country',
      'birthday',
      'email',
      'firstName',
      'gender',
      'idType',
      'legal.bic',
      'legal.iban',
      'personalDiscount',
      'phones.1.number',
      'phones.2.number',
      'registeredAt',
      'tags.1',
    ]);
    assert.match(messageFor(res.body, 'phones.1.number')!, /twice/);
    assert.match(messageFor(res.body, 'legal.iban')!, /IBAN/);
    const list = await api('GET', '/customers');
    assert.equal(list.body.items.length, 0);
  });

  it('rejects read-only and unknown fields by name instead of dropping them', async () => {
    const { api } = await newTenant(ctx);
    const res = await api('POST', '/customers', { body: { firstName: 'Ana', id: 'x', number: 5, points: 10, status: 'active', favouriteColour: 'red' } });
    assert.equal(res.status, 422);
    assert.deepEqual(detailPaths(res.body), ['favouriteColour', 'id', 'number', 'points', 'status']);
    assert.match(messageFor(res.body, 'points')!, /Read-only/);
    assert.match(messageFor(res.body, 'status')!, /\/status/);
    assert.match(messageFor(res.body, 'favouriteColour')!, /Unknown/);
  });

  it('needs a name, an email or a phone; blank texts count as nothing', async () => {
    const { api } = await newTenant(ctx);
    const res = await api('POST', '/customers', { body: { firstName: '  ', email: '', city: 'Madrid' } });
    assert.equal(res.status, 422);
    assert.deepEqual(detailPaths(res.body), ['firstName']);
    const ok = await create(api, { lastName: 'Ruiz', city: ' ', email: '' });
    assert.equal(ok.body.city, null);
    assert.equal(ok.body.email, null);
  });

  it('validates custom fields against their definitions', async () => {
    const { api } = await newTenant(ctx);
    for (const def of [
      { key: 'shirtSize', label: 'Talla', type: 'enum', options: ['S', 'M', 'L'] },
      { key: 'children', label: 'Hijos', type: 'integer', required: true },
      { key: 'anniversary', label: 'Aniversario', type: 'date' },
      { key: 'newsletterOk', label: 'Boletín', type: 'boolean' },
    ]) {
      assert.equal((await api('POST', '/custom-fields', { body: def })).status, 201);
    }
    const bad = await api('POST', '/customers', { body: { firstName: 'Ana', custom: { shirtSize: 'XXL', anniversary: '2020-02-30', newsletterOk: 'yes', shoeSize: 40 } } });
    assert.equal(bad.status, 422);
    assert.deepEqual(detailPaths(bad.body), ['custom.anniversary', 'custom.children', 'custom.newsletterOk', 'custom.shirtSize', 'custom.shoeSize']);
    const good = await create(api, { firstName: 'Ana', custom: { shirtSize: 'M', children: 2, anniversary: '2020-02-29', newsletterOk: true } });
    assert.deepEqual(good.body.custom, { shirtSize: 'M', children: 2, anniversary: '2020-02-29', newsletterOk: true });
  });

  it('replays the first answer for the same Idempotency-Key', async () => {
    const { api } = await newTenant(ctx);
    const headers = { 'idempotency-key': 'create-ana-1' };
    const first = await api('POST', '/customers', { body: { firstName: 'Ana' }, headers });
    const again = await api('POST', '/customers', { body: { firstName: 'Ana' }, headers });
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    assert.equal((await api('GET', '/customers')).body.items.length, 1);
    const other = await api('POST', '/customers', { body: { firstName: 'Bea' }, headers });
    assert.equal(other.status, 422);
  });
});

describe('GET /customers/:id', () => {
  it('names the field and value of each hint when the customer has phones but no email', async () => {
    const { api } = await newTenant(ctx);
    const first = await create(api, { firstName: 'Luis', phones: [{ number: '+34 699 000 111' }], idNumber: 'X1234567L' });
    const second = await create(api, { firstName: 'Luisa', phones: [{ number: '699000111' }], idNumber: 'x-1234567-l' });
    assert.deepEqual(second.body.duplicateHints, [
      { field: 'idNumber', value: 'X1234567L', customers: [{ id: first.body.id, number: first.body.number }] },
      { field: 'phone', value: '+34699000111', customers: [{ id: first.body.id, number: first.body.number }] },
    ]);
    const phoneOnly = await create(api, { lastName: 'Pardo', phones: [{ number: '+34 699 000 111' }] });
    assert.deepEqual((await api('GET', `/customers/${phoneOnly.body.id}`)).body.duplicateHints, [
      { field: 'phone', value: '+34699000111', customers: [first.body, second.body].map((c) => ({ id: c.id, number: c.number })) },
    ]);
  });

  it('answers the customer with a strong ETag, duplicate hints, and 404 for another tenant or a bad id', async () => {
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    const ana = await create(a.api, { firstName: 'Ana', email: 'shared@example.com', phones: [{ number: '+34 612 00 00 01' }], idNumber: '12345678-Z' });
    const twin = await create(a.api, { firstName: 'Ana María', email: 'SHARED@example.com', idNumber: '12345678z' });
    await create(a.api, { firstName: 'Otra', phones: [{ number: '0034612000001' }] });
    const res = await a.api('GET', `/customers/${ana.body.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), '"1"');
    const hints = Object.fromEntries(res.body.duplicateHints.map((h: any) => [h.field, h]));
    assert.deepEqual(Object.keys(hints).sort(), ['email', 'idNumber', 'phone']);
    assert.deepEqual(hints.email.customers.map((c: any) => c.id), [twin.body.id]);
    assert.equal(hints.phone.value, '+34612000001');
    await ctx.database.db
      .update(customers)
      .set({ ordersCount: 3, totalSpent: 10_000, lastOrderAt: new Date('2026-01-02T03:04:05Z') })
      .where(and(eq(customers.tenantId, a.tenantId), eq(customers.id, ana.body.id)));
    const withOrders = await a.api('GET', `/customers/${ana.body.id}`);
    assert.deepEqual(withOrders.body.metrics, { ordersCount: 3, totalSpent: 10_000, averageOrder: 3333, lastOrderAt: '2026-01-02T03:04:05.000Z' });
    assert.equal((await b.api('GET', `/customers/${ana.body.id}`)).status, 404);
    assert.equal((await a.api('GET', '/customers/00000000-0000-4000-8000-000000000000')).status, 404);
    const malformed = await a.api('GET', '/customers/not-a-uuid');
    assert.equal(malformed.status, 422);
    assert.deepEqual(detailPaths(malformed.body), ['id']);
  });
});

describe('PATCH /customers/:id', () => {
  async function setup() {
    const t = await newTenant(ctx, { sub: 'editor', name: 'Editora' });
    const created = await create(t.api, { firstName: 'Ana', lastName: 'García', address: { line1: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013' } });
    return { ...t, id: created.body.id as string };
  }

  it('edits with If-Match, bumps the version and records field-level changes', async () => {
    const { api, id } = await setup();
    const res = await api('PATCH', `/customers/${id}`, { body: { lastName: 'García López', vip: true, city: 'Sevilla' }, headers: { 'if-match': '"1"' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.get('etag'), '"2"');
    assert.equal(res.body.version, 2);
    const [updated] = await history(api, id, 'customer.updated');
    assert.equal(updated.version, 2);
    assert.deepEqual(updated.data.changes, [
      { field: 'lastName', from: 'García', to: 'García López' },
      { field: 'city', from: null, to: 'Sevilla' },
      { field: 'vip', from: false, to: true },
    ]);
    assert.deepEqual((await api('GET', `/customers?q=garcia lopez`)).body.items.map((c: any) => c.id), [id], 'search follows the edit');
  });

  it('records nothing when nothing changes, even with object keys in another order', async () => {
    const { api, id } = await setup();
    const res = await api('PATCH', `/customers/${id}`, {
      body: { firstName: 'Ana', address: { postalCode: '28013', city: 'Madrid', line1: 'Calle Mayor 1' } },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.version, 1);
    assert.equal((await history(api, id, 'customer.updated')).length, 0);
  });

  it('answers 428 without If-Match and 412 with the current record on a stale one, changing nothing', async () => {
    const { api, id } = await setup();
    const missing = await api('PATCH', `/customers/${id}`, { body: { firstName: 'Eva' } });
    assert.equal(missing.status, 428);
    assert.equal(missing.body.error.code, 'precondition_required');
    assert.equal((await api('PATCH', `/customers/${id}`, { body: { firstName: 'Eva' }, headers: { 'if-match': '"1"' } })).status, 200);
    const stale = await api('PATCH', `/customers/${id}`, { body: { firstName: 'Zoe' }, headers: { 'if-match': '"1"' } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'precondition_failed');
    assert.equal(stale.body.error.current.firstName, 'Eva');
    assert.equal(stale.body.error.current.version, 2);
    const garbage = await api('PATCH', `/customers/${id}`, { body: { firstName: 'Zoe' }, headers: { 'if-match': 'whatever' } });
    assert.equal(garbage.status, 412);
    assert.equal((await api('GET', `/customers/${id}`)).body.firstName, 'Eva');
  });

  it('rejects store, number, points, id, status and unknown fields, naming each, and changes nothing', async () => {
    const { api, id } = await setup();
    const res = await api('PATCH', `/customers/${id}`, {
      body: { store: 'Otra', number: 1, points: 5, id, status: 'disabled', assignedUserId: 'u', nickname: 'Anita', firstName: 'Eva' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(res.status, 422);
    assert.deepEqual(detailPaths(res.body), ['assignedUserId', 'id', 'nickname', 'number', 'points', 'status', 'store']);
    assert.equal((await api('GET', `/customers/${id}`)).body.firstName, 'Ana');
  });

  it('answers 422 for bad values and for an edit that would leave no name, email or phone', async () => {
    const { api, id } = await setup();
    const bad = await api('PATCH', `/customers/${id}`, { body: { email: 'nope', birthday: '1899-12-31', phones: [{ number: '999' }] }, headers: { 'if-match': '"1"' } });
    assert.equal(bad.status, 422);
    assert.deepEqual(detailPaths(bad.body), ['birthday', 'email', 'phones.0.number']);
    const nameless = await api('PATCH', `/customers/${id}`, { body: { firstName: null, lastName: '' }, headers: { 'if-match': '"1"' } });
    assert.equal(nameless.status, 422);
    assert.deepEqual(detailPaths(nameless.body), ['firstName']);
    assert.equal((await api('GET', `/customers/${id}`)).body.version, 1);
  });

  it('answers 401, 403 and 404 for another tenant', async () => {
    const { api, id } = await setup();
    assert.equal((await api('PATCH', `/customers/${id}`, { body: { firstName: 'Eva' }, headers: { 'if-match': '"1"' }, token: null })).status, 401);
    const reader = await newTenant(ctx, { role: 'agent', perms: ['customers:read'] });
    assert.equal((await reader.api('PATCH', `/customers/${id}`, { body: { firstName: 'Eva' }, headers: { 'if-match': '"1"' } })).status, 403);
    const other = await newTenant(ctx);
    assert.equal((await other.api('PATCH', `/customers/${id}`, { body: { firstName: 'Eva' }, headers: { 'if-match': '"1"' } })).status, 404);
  });

  it('answers 409 customer_merged for a merged-away id, and GET redirects to the survivor', async () => {
    const { api, id, tenantId } = await setup();
    const survivor = await create(api, { firstName: 'Ana', lastName: 'García' });
    await ctx.database.db.update(customers).set({ mergedInto: survivor.body.id }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
    const patch = await api('PATCH', `/customers/${id}`, { body: { firstName: 'Eva' }, headers: { 'if-match': '"1"' } });
    assert.equal(patch.status, 409);
    assert.equal(patch.body.error.code, 'customer_merged');
    assert.equal(patch.body.error.mergedInto, survivor.body.id);
    const get = await api('GET', `/customers/${id}`);
    assert.equal(get.status, 301);
    assert.equal(get.headers.get('location'), `/api/v1/customers/${survivor.body.id}`);
  });
});
