/**
 * Cursors come back from clients, so anything may be inside one once it is
 * decoded: timestamps JavaScript accepts and PostgreSQL does not, dates
 * that do not exist, NUL characters. Every list answers such a cursor with
 * 422 naming `cursor`, never a 500 or another field. Token claims are
 * checked as strictly: a validly signed token carrying a NUL is 401.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { newTenant, newTenantId, tokenFor, useTestApp } from './helpers.ts';

const ctx = useTestApp();
const encode = (values: unknown[]) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

/** Timestamps that parse in JavaScript and that PostgreSQL refuses or reads otherwise. */
const BAD_INSTANTS = ['2024-05-01T10:00:00+23:59', '+275760-09-13T00:00:00.000Z', '2024-02-30T10:00:00.000000Z', '2024-05-01 10:00', '2024-05-01T24:00:00Z'];

describe('forged cursors', () => {
  it('answers 422 naming cursor on every list, whatever the decoded cursor holds', async () => {
    const { api } = await newTenant(ctx);
    const id = (await api('POST', '/customers', { body: { firstName: 'Cursor', lastName: 'Prueba' } })).body.id;
    const uuid = randomUUID();
    const cases: Array<[string, unknown[]]> = [];
    for (const instant of BAD_INSTANTS) {
      cases.push([`/customers?sort=registeredAt`, ['registeredAt', instant, uuid]]);
      cases.push([`/customers?sort=-lastOrderAt`, ['-lastOrderAt', instant, uuid]]);
      cases.push([`/customers/${id}/notes`, [instant, uuid]]);
      cases.push([`/customers/${id}/orders`, [instant, uuid]]);
    }
    cases.push([`/customers/${id}/orders`, ['2024-05-01T10:00:00.000Z', 'not-a-uuid']]);
    cases.push(['/users', ['Ana\u0000', 'x']]);
    cases.push(['/users', ['Ana', 'x\u0000']]);
    cases.push(['/customers?sort=name', ['name', 'garcia\u0000', uuid]]);
    cases.push(['/customers?q=garcia', ['relevance', 1, 'garcia\u0000', uuid]]);
    cases.push(['/customers?sort=name', ['name', '\ud800', uuid]]);
    cases.push(['/customers?sort=level', ['level', 1.5, uuid]]);
    cases.push(['/customers?sort=-status', ['-status', '1', uuid]]);
    cases.push([`/customers/${id}/history`, [-1]]);
    cases.push([`/customers/${id}/points`, [1.5]]);
    cases.push(['/duplicates', [0.5, 'x']]);
    for (const [path, values] of cases) {
      const res = await api('GET', `${path}${path.includes('?') ? '&' : '?'}cursor=${encode(values)}`);
      assert.equal(res.status, 422, `${path} with ${JSON.stringify(values)}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path), ['cursor'], `${path} with ${JSON.stringify(values)}`);
    }
  });

  it('names the field of a history bound that PostgreSQL could not read', async () => {
    const { api } = await newTenant(ctx);
    const id = (await api('POST', '/customers', { body: { firstName: 'Fecha' } })).body.id;
    for (const [field, value] of [['to', '9999-12-31T23:59:59-23:59'], ['from', '0001-01-01T00:00:00+23:59']]) {
      const res = await api('GET', `/customers/${id}/history?${field}=${encodeURIComponent(value)}`);
      assert.equal(res.status, 422, `${field}=${value}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path), [field]);
    }
    assert.equal((await api('GET', `/customers/${id}/history?from=${encodeURIComponent('2024-01-01T00:00:00+23:59')}`)).status, 200);
    // The last instant PostgreSQL reads, as an inclusive end: a millisecond on would be year 10000.
    for (const path of ['history', 'orders', 'insights']) {
      const res = await api('GET', `/customers/${id}/${path}?to=${encodeURIComponent('9999-12-31T23:59:59.999Z')}`);
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    }
  });

  it('still follows the cursors it hands out', async () => {
    const { api } = await newTenant(ctx);
    for (const name of ['Ana', 'Bea', 'Eva']) await api('POST', '/customers', { body: { firstName: name, registeredAt: '2024-01-01T10:00:00.123456Z' } });
    for (const sort of ['registeredAt', '-registeredAt', 'lastOrderAt', 'name']) {
      const first = await api('GET', `/customers?sort=${sort}&limit=2`);
      const second = await api('GET', `/customers?sort=${sort}&limit=2&cursor=${first.body.nextCursor}`);
      assert.equal(second.status, 200, `${sort}: ${JSON.stringify(second.body)}`);
      assert.equal(first.body.items.length + second.body.items.length, 3, sort);
    }
  });
});

describe('token claims', () => {
  it('answers 401 to a validly signed token with a NUL in its name, subject or role', async () => {
    const tenantId = newTenantId();
    for (const claims of [{ name: 'Ana\u0000' }, { sub: 'ana\u0000' }, { role: 'admin\u0000' }, { perms: ['customers:read\u0000'] }]) {
      const token = await tokenFor({ tenantId, role: 'admin', ...claims });
      const res = await ctx.app.request('/api/v1/levels', { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      assert.equal(res.status, 401, `${JSON.stringify(claims)}: ${res.status} ${text}`);
      assert.equal(JSON.parse(text).error.code, 'unauthorized');
    }
  });
});
