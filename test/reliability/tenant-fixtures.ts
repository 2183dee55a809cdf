/**
 * A tenant with one of everything, and for every operation of the API a
 * request that succeeds on it: the authorization matrix sends these with
 * tokens that should fail, and with tokens that hold exactly the
 * permissions the operation needs.
 */
import assert from 'node:assert/strict';
import type { Permission } from '../../server/auth.ts';
import { call, newTenant, newTenantId, tokenFor, type TestContext } from '../server/helpers.ts';

/** The user of the tokens that hold only some permissions. */
export const LIMITED_USER = 'limited-agent';

/**
 * What each operation needs (SPEC §3, and SPEC §5 where it names one: erase
 * needs customers:delete, merging customers:merge, settings settings:admin).
 * Where the spec is silent the table says what a shop would expect: reading
 * anything needs customers:read; a customer's level by hand is part of the
 * loyalty standing (points:write); custom field definitions are settings.
 */
export const REQUIRED: Record<string, Permission[]> = {
  'GET /api/v1/customers': ['customers:read'],
  'POST /api/v1/customers': ['customers:write'],
  'GET /api/v1/customers/{id}': ['customers:read'],
  'PATCH /api/v1/customers/{id}': ['customers:write'],
  'DELETE /api/v1/customers/{id}': ['customers:delete'],
  'POST /api/v1/customers/{id}/status': ['customers:write'],
  'PUT /api/v1/customers/{id}/assignee': ['customers:write'],
  'POST /api/v1/customers/{id}/erase': ['customers:delete'],
  'GET /api/v1/customers/{id}/notes': ['customers:read'],
  'POST /api/v1/customers/{id}/notes': ['customers:write'],
  'DELETE /api/v1/customers/{id}/notes/{noteId}': ['customers:write'],
  'GET /api/v1/customers/{id}/history': ['customers:read'],
  'GET /api/v1/custom-fields': ['customers:read'],
  'POST /api/v1/custom-fields': ['settings:admin'],
  'PATCH /api/v1/custom-fields/{key}': ['settings:admin'],
  'DELETE /api/v1/custom-fields/{key}': ['settings:admin'],
  'GET /api/v1/settings': ['settings:admin'],
  'PATCH /api/v1/settings': ['settings:admin'],
  'GET /api/v1/users': ['customers:read'],
  'GET /api/v1/events': ['customers:read'],
  'GET /api/v1/customers/{id}/points': ['customers:read'],
  'POST /api/v1/customers/{id}/points': ['points:write'],
  'PUT /api/v1/customers/{id}/level': ['points:write'],
  'GET /api/v1/levels': ['customers:read'],
  'POST /api/v1/levels': ['levels:admin'],
  'PATCH /api/v1/levels/{id}': ['levels:admin'],
  'DELETE /api/v1/levels/{id}': ['levels:admin'],
  'POST /api/v1/orders': ['orders:write'],
  'GET /api/v1/customers/{id}/orders': ['customers:read'],
  'GET /api/v1/customers/{id}/insights': ['customers:read'],
  'GET /api/v1/customers/{id}/duplicates': ['customers:read'],
  'GET /api/v1/duplicates': ['customers:read'],
  'POST /api/v1/duplicates/dismiss': ['customers:merge'],
  'POST /api/v1/customers/{id}/merge/preview': ['customers:merge'],
  'POST /api/v1/customers/{id}/merge': ['customers:merge'],
  'GET /api/v1/merges/{id}': ['customers:merge'],
};

export interface Fixtures {
  tenantId: string;
  adminToken: string;
  /** A customer with points, an order, a note by LIMITED_USER, assigned to LIMITED_USER. */
  customerId: string;
  /** A likely duplicate of customerId (same email and phone). */
  twinId: string;
  noteId: string;
  levelId: string;
  /** A level no one holds, so it can be deleted. */
  emptyLevelId: string;
  /** A custom field key only this tenant has. */
  customFieldKey: string;
  /** A merge of two other customers of this tenant. */
  mergeId: string;
  /** Ids and texts only this tenant has (not its customers' names): no other tenant's answer may carry them. */
  secrets: string[];
}

/** One of everything in a new tenant; `marker` goes into names and emails so leaks are easy to spot. */
export async function arrangeTenant(ctx: TestContext, marker: string): Promise<Fixtures> {
  const tenantId = newTenantId();
  const { api, token } = await newTenant(ctx, { tenantId, sub: `admin-${marker}`, name: `Admin ${marker}` });
  const must = async (method: string, path: string, body: unknown, expected = [200, 201]) => {
    const res = await api(method, path, { body });
    assert.ok(expected.includes(res.status), `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const level = await must('POST', '/levels', { name: 'Bronce', minPoints: 0 });
  const emptyLevel = await must('POST', '/levels', { name: 'Diamante', minPoints: 1_000_000 });
  const customFieldKey = `campo${marker.replace(/\W/g, '')}`;
  await must('POST', '/custom-fields', { key: customFieldKey, label: 'Campo', type: 'text' });
  const email = `${marker.toLowerCase()}@example.com`;
  const person = { firstName: 'Inés', lastName: `Aislada${marker}`, email, phones: [{ number: '+34 611 222 333' }], city: `Ciudad${marker}` };
  const customer = await must('POST', '/customers', person);
  const twin = await must('POST', '/customers', { ...person, firstName: 'Ines' });
  await must('POST', `/customers/${customer.id}/points`, { delta: 120, reason: `Motivo ${marker}` });
  await must('POST', '/orders', {
    customerId: customer.id,
    externalId: `pedido-${marker}`,
    total: 2599,
    currency: 'EUR',
    status: 'completed',
    placedAt: '2024-05-01T10:00:00Z',
    items: [{ name: `Artículo ${marker}`, quantity: 1, price: 2599 }],
  });
  const writer = await tokenFor({ tenantId, sub: LIMITED_USER, name: `Agente ${marker}`, role: 'agent', perms: ['customers:write'] });
  // Only a user the tenant has met can be assigned: the agent calls once first.
  assert.equal((await call(ctx.app, 'GET', '/api/v1/levels', { token: writer })).status, 403);
  await must('PUT', `/customers/${customer.id}/assignee`, { userId: LIMITED_USER });
  const note = await call(ctx.app, 'POST', `/api/v1/customers/${customer.id}/notes`, { token: writer, body: { body: `<b>Nota ${marker}</b>` } });
  assert.equal(note.status, 201, JSON.stringify(note.body));
  const kept = await must('POST', '/customers', { firstName: 'Pilar', lastName: `Fusionada${marker}` });
  const gone = await must('POST', '/customers', { firstName: 'Pili', lastName: `Fusionada${marker}` });
  const merge = await must('POST', `/customers/${kept.id}/merge`, { sourceIds: [gone.id], confirm: true });
  return {
    tenantId,
    adminToken: token,
    customerId: customer.id,
    twinId: twin.id,
    noteId: note.body.id,
    levelId: level.id,
    emptyLevelId: emptyLevel.id,
    customFieldKey,
    mergeId: merge.mergeId,
    secrets: [
      ...[tenantId, customer.id, twin.id, note.body.id, level.id, emptyLevel.id, merge.mergeId],
      ...[`admin-${marker}`, `Admin ${marker}`, `Agente ${marker}`, `Ciudad${marker}`, `Motivo ${marker}`, `Nota ${marker}`, `pedido-${marker}`],
    ],
  };
}

export interface ExampleRequest {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Ids of the tenant's own things that this request names in its body (not its path). */
  refersInBody?: boolean;
}

/**
 * For each operation, a request that succeeds on the fixtures for a user
 * holding REQUIRED. Ids in the body come from `b` (by default the same
 * tenant), so a test can aim them at another tenant's customers.
 */
export function exampleRequest(key: string, f: Fixtures, b: Pick<Fixtures, 'customerId' | 'twinId'> = f): ExampleRequest {
  const c = `/customers/${f.customerId}`;
  const examples: Record<string, ExampleRequest> = {
    'GET /api/v1/customers': { path: '/customers?q=Aislada' },
    'POST /api/v1/customers': { path: '/customers', body: { firstName: 'Nueva', lastName: 'Socia' } },
    'GET /api/v1/customers/{id}': { path: c },
    'PATCH /api/v1/customers/{id}': { path: `/customers/${f.twinId}`, body: { city: 'Sevilla' }, headers: { 'if-match': '"1"' } },
    'DELETE /api/v1/customers/{id}': { path: c },
    'POST /api/v1/customers/{id}/status': { path: `${c}/status`, body: { status: 'inactive', reason: 'De viaje' } },
    'PUT /api/v1/customers/{id}/assignee': { path: `${c}/assignee`, body: { userId: null } },
    'POST /api/v1/customers/{id}/erase': { path: `/customers/${f.twinId}/erase` },
    'GET /api/v1/customers/{id}/notes': { path: `${c}/notes` },
    'POST /api/v1/customers/{id}/notes': { path: `${c}/notes`, body: { body: 'Llamar el lunes' } },
    'DELETE /api/v1/customers/{id}/notes/{noteId}': { path: `${c}/notes/${f.noteId}` },
    'GET /api/v1/customers/{id}/history': { path: `${c}/history` },
    'GET /api/v1/custom-fields': { path: '/custom-fields' },
    'POST /api/v1/custom-fields': { path: '/custom-fields', body: { key: 'talla', label: 'Talla', type: 'text' } },
    'PATCH /api/v1/custom-fields/{key}': { path: `/custom-fields/${f.customFieldKey}`, body: { label: 'Campo nuevo', required: true } },
    'DELETE /api/v1/custom-fields/{key}': { path: `/custom-fields/${f.customFieldKey}` },
    'GET /api/v1/settings': { path: '/settings' },
    'PATCH /api/v1/settings': { path: '/settings', body: { pointsPerUnit: 2 } },
    'GET /api/v1/users': { path: '/users' },
    'GET /api/v1/events': { path: '/events' },
    'GET /api/v1/customers/{id}/points': { path: `${c}/points` },
    'POST /api/v1/customers/{id}/points': { path: `${c}/points`, body: { delta: 5, reason: 'Cortesía' } },
    'PUT /api/v1/customers/{id}/level': { path: `${c}/level`, body: { levelId: f.levelId, locked: true } },
    'GET /api/v1/levels': { path: '/levels' },
    'POST /api/v1/levels': { path: '/levels', body: { name: 'Plata', minPoints: 500 } },
    'PATCH /api/v1/levels/{id}': { path: `/levels/${f.levelId}`, body: { name: 'Bronce clásico' } },
    'DELETE /api/v1/levels/{id}': { path: `/levels/${f.emptyLevelId}` },
    'POST /api/v1/orders': {
      path: '/orders',
      body: { customerId: b.customerId, externalId: 'pedido-nuevo', total: 1000, currency: 'EUR', status: 'completed', placedAt: '2024-06-01T10:00:00Z' },
      refersInBody: true,
    },
    'GET /api/v1/customers/{id}/orders': { path: `${c}/orders` },
    'GET /api/v1/customers/{id}/insights': { path: `${c}/insights` },
    'GET /api/v1/customers/{id}/duplicates': { path: `${c}/duplicates` },
    'GET /api/v1/duplicates': { path: '/duplicates?minScore=0.3' },
    'POST /api/v1/duplicates/dismiss': { path: '/duplicates/dismiss', body: { customerIds: [b.customerId, b.twinId] }, refersInBody: true },
    'POST /api/v1/customers/{id}/merge/preview': { path: `${c}/merge/preview`, body: { sourceIds: [b.twinId] }, refersInBody: true },
    'POST /api/v1/customers/{id}/merge': { path: `${c}/merge`, body: { sourceIds: [b.twinId], confirm: true }, refersInBody: true },
    'GET /api/v1/merges/{id}': { path: `/merges/${f.mergeId}` },
  };
  const example = examples[key];
  assert.ok(example, `No example request for ${key}: add one (and its permission to REQUIRED)`);
  return example;
}
