/**
 * The served OpenAPI document is the contract a host codes against (issue
 * #29): what it must say of every operation, and one pass over every
 * operation with a request a host would send, each answer checked against
 * the document by call() (contract.ts). A new operation that this pass does
 * not visit fails the last test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, newTenant, useTestApp } from './helpers.ts';
import { contractOf, invalidExamples, type Contract } from './contract.ts';

const ctx = useTestApp();

const ERRORS_OF_EVERY_CALL = ['401', '403', '422', '429'];
const ERRORS_OF_A_BODY = ['400', '413', '415'];

async function contract(): Promise<Contract> {
  return contractOf(ctx.app);
}

describe('the OpenAPI document', () => {
  it('gives every operation an operationId, and bearer security to every operation under /api/v1 and to no other', async () => {
    const { routes } = await contract();
    const ids = routes.map((r) => r.operation.operationId);
    assert.deepEqual(routes.filter((r) => !r.operation.operationId).map((r) => r.key), []);
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const route of routes) {
      const expected = route.template.startsWith('/api/v1/') ? [{ bearer: [] }] : undefined;
      assert.deepEqual(route.operation.security, expected, route.key);
    }
  });

  it('references the shared error answers: the common ones everywhere, 400, 413 and 415 wherever there is a body', async () => {
    const { routes, document } = await contract();
    for (const route of routes.filter((r) => r.template.startsWith('/api/v1/'))) {
      const statuses = Object.keys(route.operation.responses);
      const wanted = [...ERRORS_OF_EVERY_CALL, ...(route.operation.requestBody ? ERRORS_OF_A_BODY : [])];
      assert.deepEqual(wanted.filter((s) => !statuses.includes(s)), [], `${route.key} lacks error answers`);
      for (const [status, response] of Object.entries(route.operation.responses)) {
        if (Number(status) < 400) continue;
        assert.ok('$ref' in response, `${route.key} ${status} is written out instead of referencing components.responses`);
        assert.ok(document.components.responses?.[response.$ref.split('/').pop()!], `${route.key} ${status}: ${response.$ref} does not resolve`);
      }
    }
    assert.deepEqual(document.components.responses?.TooManyRequests.headers && Object.keys(document.components.responses.TooManyRequests.headers), ['Retry-After']);
  });

  it('documents the headers a client sends: If-Match where honoured, Idempotency-Key on the POSTs that replay', async () => {
    const { routes } = await contract();
    const headerNames = (key: string) =>
      (routes.find((r) => r.key === key)!.operation.parameters ?? []).map((p) => (p.$ref ? p.$ref.split('/').pop() : `${p.name}${p.required ? '!' : ''}`));
    assert.deepEqual(headerNames('PATCH /api/v1/customers/{id}').filter((n) => n !== 'id!'), ['if-match!']);
    assert.ok(headerNames('POST /api/v1/customers/{id}/status').includes('if-match'));
    assert.ok(headerNames('PUT /api/v1/customers/{id}/assignee').includes('if-match'));
    for (const key of [
      'POST /api/v1/customers',
      'POST /api/v1/customers/{id}/points',
      'POST /api/v1/customers/{id}/notes',
      'POST /api/v1/customers/{id}/merge',
      'POST /api/v1/customers/{id}/erase',
      'POST /api/v1/levels',
      'POST /api/v1/custom-fields',
      'POST /api/v1/orders',
    ]) {
      assert.ok(headerNames(key).includes('IdempotencyKey'), `${key} documents Idempotency-Key`);
    }
  });

  it('gives every request body examples, each valid by the body’s own schema', async () => {
    const c = await contract();
    const bodies = c.routes.filter((r) => r.operation.requestBody);
    assert.deepEqual(bodies.filter((r) => !Object.keys(r.operation.requestBody!.content['application/json'].examples ?? {}).length).map((r) => r.key), []);
    assert.deepEqual(invalidExamples(c), []);
  });

  it('says what the server refuses: a name, an email or a phone; formats; enums; no empty note; no zero delta', async () => {
    const c = await contract();
    const valid = (key: string, body: unknown) => {
      const route = c.routes.find((r) => r.key === key)!;
      const at = `/paths/${route.template.replaceAll('~', '~0').replaceAll('/', '~1')}/${route.method.toLowerCase()}/requestBody/content/application~1json/schema`;
      return c.validatorAt(at)(body);
    };
    assert.equal(valid('POST /api/v1/customers', {}), false);
    assert.equal(valid('POST /api/v1/customers', { city: 'Madrid' }), false);
    assert.equal(valid('POST /api/v1/customers', { email: 'ana-at-example' }), false);
    assert.equal(valid('POST /api/v1/customers', { firstName: 'Ana', birthday: '1985-02-30' }), false, 'format date: no 30 February');
    assert.equal(valid('POST /api/v1/customers', { firstName: 'Ana', birthday: '1985-02-28' }), true);
    assert.equal(valid('POST /api/v1/customers', { phones: [{ number: '+34 612 345 678' }] }), true);
    assert.equal(valid('PATCH /api/v1/settings', { currency: 'EURO' }), false);
    assert.equal(valid('PATCH /api/v1/settings', { defaultRegion: 'ZZ' }), false);
    assert.equal(valid('PATCH /api/v1/settings', { currency: 'MXN', defaultRegion: 'MX' }), true);
    assert.equal(valid('POST /api/v1/customers/{id}/notes', { body: '' }), false);
    assert.equal(valid('POST /api/v1/customers/{id}/points', { delta: 0, reason: 'x' }), false);
    assert.equal(valid('PUT /api/v1/customers/{id}/level', { locked: true }), false);
    assert.equal(valid('PUT /api/v1/customers/{id}/level', { locked: false }), true);
    // Nullable references are anyOf [ref, null], never allOf with null (which no value satisfies).
    const nullInAllOf: string[] = [];
    JSON.stringify(c.document, (key, value) => {
      if (key === 'allOf' && JSON.stringify(value).includes('"null"')) nullInAllOf.push(JSON.stringify(value));
      return value;
    });
    assert.deepEqual(nullInAllOf, []);
  });
});

describe('every operation, as a host would call it', () => {
  it('answers each one as the document says (call() checks every answer)', async () => {
    const { api, token } = await newTenant(ctx, { sub: 'contract-admin', name: 'Contract Admin' });
    const ok = async (method: string, path: string, options: Parameters<typeof api>[2] = {}, status = 200) => {
      const res = await api(method, path, options);
      assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body).slice(0, 400)}`);
      return res;
    };

    assert.equal((await call(ctx.app, 'POST', '/api/demo/session', { body: { user: 'agent' } })).status, 200);
    await ok('GET', '/users');
    await ok('GET', '/settings');
    await ok('PATCH', '/settings', { body: { pointsValidityDays: 365 } });
    await ok('POST', '/custom-fields', { body: { key: 'socio', label: 'Nº de socio', type: 'text' }, headers: { 'Idempotency-Key': 'cf-1' } }, 201);
    await ok('GET', '/custom-fields');
    await ok('PATCH', '/custom-fields/socio', { body: { label: 'Número de socio', required: false } });
    const level = await ok('POST', '/levels', { body: { name: 'Plata', minPoints: 100 }, headers: { 'Idempotency-Key': 'level-1' } }, 201);
    await ok('PATCH', `/levels/${level.body.id}`, { body: { color: '#c0c0c0' } });
    await ok('GET', '/levels');

    const ana = await ok('POST', '/customers', { body: { firstName: 'Ana', phones: [{ number: '612 345 678' }] }, headers: { 'Idempotency-Key': 'ana' } }, 201);
    const twin = await ok('POST', '/customers', { body: { firstName: 'Ana', lastName: 'Bis', phones: [{ number: '+34 612 345 678' }] } }, 201);
    const id = ana.body.id;
    await ok('GET', `/customers/${id}`);
    await ok('GET', '/customers?q=ana&status=active,inactive&vip=false');
    await ok('GET', '/customers?sort=level&count=true');
    await ok('GET', '/customers?sort=-status&count=true&registeredFrom=2020-01-01');
    const edited = await ok('PATCH', `/customers/${id}`, { body: { lastName: 'García' }, headers: { 'If-Match': ana.headers.get('etag')! } });
    await ok('POST', `/customers/${id}/status`, { body: { status: 'inactive', reason: 'Sin actividad' }, headers: { 'If-Match': edited.headers.get('etag')! } });
    await ok('PUT', `/customers/${id}/assignee`, { body: { userId: 'contract-admin' } });
    await ok('POST', `/customers/${id}/points`, { body: { delta: 150, reason: 'Bienvenida' }, headers: { 'Idempotency-Key': 'points-1' } }, 201);
    await ok('GET', `/customers/${id}/points?kind=adjust`);
    await ok('PUT', `/customers/${id}/level`, { body: { locked: true, levelId: level.body.id } });
    await ok('POST', '/orders', {
      body: { customerId: id, externalId: 'PED-1', total: 2500, currency: 'EUR', status: 'completed', placedAt: '2025-01-02T10:00:00Z' },
      headers: { 'Idempotency-Key': 'order-1' },
    }, 201);
    await ok('GET', `/customers/${id}/orders`);
    await ok('GET', `/customers/${id}/orders?status=completed&from=2025-01-01&to=2025-01-31`);
    await ok('GET', `/customers/${id}/insights?from=2025-01-01&to=2025-12-31`);
    const note = await ok('POST', `/customers/${id}/notes`, { body: { body: '<p>Hola</p>' }, headers: { 'Idempotency-Key': 'note-1' } }, 201);
    await ok('GET', `/customers/${id}/notes`);
    await ok('DELETE', `/customers/${id}/notes/${note.body.id}`, {}, 204);
    await ok('GET', `/customers/${id}/history?types=customer.updated,points.changed&from=2020-01-01`);
    await ok('GET', `/customers/${id}/duplicates`);
    await ok('GET', '/duplicates');
    const third = await ok('POST', '/customers', { body: { email: 'tercera@example.com' } }, 201);
    await ok('POST', '/duplicates/dismiss', { body: { customerIds: [id, third.body.id] } });
    await ok('POST', `/customers/${id}/merge/preview`, { body: { sourceIds: [twin.body.id] } });
    await ok('POST', `/customers/${twin.body.id}/points`, { body: { delta: 20, reason: 'Bienvenida' } }, 201);
    const merged = await ok('POST', `/customers/${id}/merge`, { body: { sourceIds: [twin.body.id], confirm: true }, headers: { 'Idempotency-Key': 'merge-1' } });
    const record = await ok('GET', `/merges/${merged.body.mergeId}`);
    assert.equal(record.body.snapshots[0].customer.id, twin.body.id);
    const brought = await ok('GET', `/customers/${id}/points?kind=merge`);
    assert.equal(brought.body.items[0].sourceCustomerNumber, twin.body.number);
    const redirected = await ok('GET', `/customers/${twin.body.id}`, {}, 301);
    assert.equal(redirected.headers.get('location'), `/api/v1/customers/${id}`);
    await ok('DELETE', `/customers/${id}`, { body: { reason: 'Pidió la baja' } });
    await ok('POST', `/customers/${third.body.id}/erase`, { headers: { 'Idempotency-Key': 'erase-1' } });
    const emptyLevel = await ok('POST', '/levels', { body: { name: 'Vacío', minPoints: 999_999 } }, 201);
    await ok('DELETE', `/levels/${emptyLevel.body.id}`, {}, 204);
    await ok('DELETE', '/custom-fields/socio', {}, 204);

    // The event stream never ends: read its status and headers, then hang up.
    const controller = new AbortController();
    const stream = await ctx.app.request('/api/v1/events', { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    (await contract()).check('GET', '/api/v1/events', { status: stream.status, headers: stream.headers, body: null });
    assert.equal(stream.status, 200);
    await stream.body?.cancel();
    controller.abort();

    const c = await contract();
    const succeeded = (key: string) => [...(c.visited.get(key) ?? [])].some((s) => s < 400);
    assert.deepEqual(c.routes.map((r) => r.key).filter((key) => !succeeded(key)), [], 'operations this pass did not call successfully');
  });

  it('answers errors as documented too: 401, 403, 404, 409, 412, 413, 415, 422, 428, 400', async () => {
    const { api, token } = await newTenant(ctx);
    const agent = await newTenant(ctx, { role: 'agent', perms: ['customers:read'] });
    const created = await api('POST', '/customers', { body: { firstName: 'Eva' } });
    const id = created.body.id;
    const expect = async (status: number, promise: Promise<{ status: number }>) => assert.equal((await promise).status, status);
    await expect(401, call(ctx.app, 'GET', '/api/v1/customers'));
    await expect(401, call(ctx.app, 'GET', '/api/v1/customers', { token: `${token}x` }));
    await expect(403, agent.api('POST', '/customers', { body: { firstName: 'Eva' } }));
    await expect(404, api('GET', '/customers/00000000-0000-4000-8000-000000000000'));
    await expect(422, api('GET', '/customers/not-a-uuid'));
    await expect(422, api('POST', '/customers', { body: {} }));
    await expect(428, api('PATCH', `/customers/${id}`, { body: { city: 'Lugo' } }));
    await expect(412, api('PATCH', `/customers/${id}`, { body: { city: 'Lugo' }, headers: { 'If-Match': '"7"' } }));
    await expect(409, api('POST', `/customers/${id}/points`, { body: { delta: -5, reason: 'Sin saldo' } }));
    await expect(400, api('POST', '/customers', { rawBody: '{"firstName":', headers: { 'content-type': 'application/json' } }));
    await expect(415, api('POST', '/customers', { rawBody: 'firstName=Eva', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    await expect(413, api('POST', '/customers', { body: { firstName: 'x'.repeat(1_100_000) } }));
    await expect(422, call(ctx.app, 'POST', '/api/demo/session', { body: { user: 'root' } }));
  });
});
