/**
 * What docs/embedding.md promises a host whose pages live on another origin
 * than the API: the server answers cross-origin requests from the origins in
 * CORS_ORIGINS (preflight and the request itself, with the headers the
 * components send and read), and from no other origin.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, newTenant, useTestApp } from './helpers.ts';

const ALLOWED = 'https://admin.example.com';
const ctx = useTestApp({ corsOrigins: [ALLOWED] });

test('a listed origin gets its preflight and its answers, with the headers the components need', async () => {
  const preflight = await call(ctx.app, 'OPTIONS', '/api/v1/customers', {
    headers: { Origin: ALLOWED, 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization, content-type, if-match' },
  });
  assert.ok(preflight.status === 204 || preflight.status === 200, `preflight answered ${preflight.status}`);
  assert.equal(preflight.headers.get('access-control-allow-origin'), ALLOWED);
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PATCH/);
  assert.match((preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase(), /if-match/);

  const { api } = await newTenant(ctx);
  const created = await api('POST', '/customers', { body: { firstName: 'Ana', lastName: 'Cruz' }, headers: { Origin: ALLOWED } });
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('access-control-allow-origin'), ALLOWED);
  assert.match((created.headers.get('access-control-expose-headers') ?? '').toLowerCase(), /etag/);
});

test('another origin gets no CORS header, so its page cannot read the answer', async () => {
  const { api } = await newTenant(ctx);
  const answer = await api('GET', '/customers', { headers: { Origin: 'https://elsewhere.example.net' } });
  assert.equal(answer.headers.get('access-control-allow-origin'), null);
  const preflight = await call(ctx.app, 'OPTIONS', '/api/v1/customers', {
    headers: { Origin: 'https://elsewhere.example.net', 'Access-Control-Request-Method': 'POST' },
  });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
});
