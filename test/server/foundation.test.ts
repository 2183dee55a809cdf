import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, newTenant, tokenFor, useTestApp, TEST_SECRET } from './helpers.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig, ConfigError } from '../../server/config.ts';

const ctx = useTestApp();

function assertErrorBody(body: any, code: string) {
  assert.equal(typeof body?.error?.message, 'string', `error body: ${JSON.stringify(body)}`);
  assert.equal(body.error.code, code);
}

describe('foundation', () => {
  it('answers /healthz with the database reachable', async () => {
    const res = await call(ctx.app, 'GET', '/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  it('serves an OpenAPI 3.1 document and browsable docs', async () => {
    const doc = await call(ctx.app, 'GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(doc.body.paths['/api/v1/customers']);
    assert.ok(doc.body.components.schemas.CustomerCreate);
    const docs = await call(ctx.app, 'GET', '/api/docs');
    assert.equal(docs.status, 200);
    assert.match(String(docs.body), /swagger/i);
  });

  it('401 without a token, with a bad signature, and when expired', async () => {
    const none = await call(ctx.app, 'GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000');
    assert.equal(none.status, 401);
    assertErrorBody(none.body, 'unauthorized');
    const forged = await tokenFor({ secret: 'another-secret-another-secret-another-secret' });
    const bad = await call(ctx.app, 'GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000', { token: forged });
    assert.equal(bad.status, 401);
    const expired = await tokenFor({ ttlSeconds: -10 });
    const old = await call(ctx.app, 'GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000', { token: expired });
    assert.equal(old.status, 401);
    assert.match(old.body.error.message, /expired/);
    const garbage = await call(ctx.app, 'GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000', { token: 'not.a.jwt' });
    assert.equal(garbage.status, 401);
  });

  it('401 for a token whose tenant id is not allowed', async () => {
    const token = await tokenFor({ tenantId: 'bad tenant!' });
    const res = await call(ctx.app, 'GET', '/api/v1/customers/00000000-0000-0000-0000-000000000000', { token });
    assert.equal(res.status, 401);
  });

  it('403 with a valid token lacking the permission', async () => {
    const { api } = await newTenant(ctx, { role: 'agent', perms: ['customers:read'] });
    const res = await api('POST', '/customers', { body: { firstName: 'Ana' } });
    assert.equal(res.status, 403);
    assertErrorBody(res.body, 'forbidden');
  });

  it('404 JSON for unknown routes and 405 for wrong methods', async () => {
    const { api } = await newTenant(ctx);
    const missing = await api('GET', '/no-such-thing');
    assert.equal(missing.status, 404);
    assertErrorBody(missing.body, 'not_found');
    const wrong = await api('PUT', '/customers');
    assert.equal(wrong.status, 405);
    assertErrorBody(wrong.body, 'method_not_allowed');
  });

  it('400 for malformed JSON, 415 for another media type, 413 for an oversized body', async () => {
    const { api } = await newTenant(ctx);
    const malformed = await api('POST', '/customers', { rawBody: '{"firstName": ', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.status, 400);
    assertErrorBody(malformed.body, 'bad_request');
    const text = await api('POST', '/customers', { rawBody: 'firstName=Ana', headers: { 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    const huge = await api('POST', '/customers', { body: { firstName: 'x'.repeat(2 * 1024 * 1024) } });
    assert.equal(huge.status, 413);
    assertErrorBody(huge.body, 'payload_too_large');
  });

  it('422 with one detail per bad field, and nothing stored', async () => {
    const { api } = await newTenant(ctx);
    const res = await api('POST', '/customers', {
      body: { firstName: 'Ana', email: 'not-an-email', birthday: '1850-01-01', phones: [{ number: '12' }], legal: { type: 'person', iban: 'ES00 0000' }, shoeSize: 42, points: 10 },
    });
    assert.equal(res.status, 422);
    assertErrorBody(res.body, 'validation_failed');
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    assert.deepEqual(paths, ['birthday', 'email', 'legal.iban', 'phones.0.number', 'points', 'shoeSize']);
    assert.match(res.body.error.details.find((d: any) => d.path === 'points').message, /Read-only/);
  });

  it('creates a tenant on first sight of its token, isolated from others', async () => {
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    const created = await a.api('POST', '/customers', { body: { firstName: 'Ana', email: 'ANA@Example.com' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.email, 'ana@example.com');
    assert.equal(created.headers.get('location'), `/api/v1/customers/${created.body.id}`);
    const fromB = await b.api('GET', `/customers/${created.body.id}`);
    assert.equal(fromB.status, 404);
  });

  it('offers demo sessions in demo mode only', async () => {
    const res = await call(ctx.app, 'POST', '/api/demo/session', { body: { user: 'agent' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.role, 'agent');
    assert.ok(!res.body.user.perms.includes('customers:merge'));
    const prod = createApp({ database: ctx.database, config: { ...ctx.config, production: true, demo: false } });
    const absent = await call(prod, 'POST', '/api/demo/session', { body: { user: 'admin' } });
    assert.equal(absent.status, 404);
  });

  it('refuses to start in production without JWT_SECRET', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), ConfigError);
    assert.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_SECRET }).jwtSecret, TEST_SECRET);
  });
});
