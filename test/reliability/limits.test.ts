/**
 * Resource limits: whatever the size or shape of a request, the answer is
 * bounded, a 4xx, and nothing is stored. Oversized bodies (declared or
 * streamed) 413; huge page sizes, 10,000-level JSON, megabyte strings in
 * every text field, thousands of tags, phones, custom values or query
 * parameters 422. Then the per-user rate limit (429 with Retry-After).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createApp, MAX_BODY_BYTES } from '../../server/app.ts';
import { MAX_JSON_DEPTH } from '../../server/input-guard.ts';
import { createRateLimiter } from '../../server/rate-limit.ts';
import { startServer } from '../server-process.mjs';
import { newTenantId, onPostgres, TEST_SECRET, tokenFor, useTestApp } from '../server/helpers.ts';
import { assertErrorBody, fingerprint, openApiDoc, operationKey, operations, recordCount, resolve, send, type Sent } from './helpers.ts';
import { arrangeTenant, exampleRequest, type Fixtures } from './tenant-fixtures.ts';

const ctx = useTestApp();
const MEGABYTE_STRING = 'ñ'.repeat(480_000);

let cases = 0;
/** Sends as the tenant's admin; answers must be a bounded 4xx in the spec's shape. */
async function refused(f: Fixtures, method: string, path: string, init: { body?: string; headers?: Record<string, string> }, expected: number, context: string): Promise<Sent> {
  const answer = await send(ctx.app, method, `/api/v1${path}`, {
    headers: { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json', ...init.headers },
    body: init.body,
  });
  assert.equal(answer.status, expected, `${context}: ${answer.text.slice(0, 300)}`);
  assertErrorBody(answer, context);
  assert.ok(answer.text.length < 64 * 1024, `${context}: a ${answer.text.length}-character answer`);
  cases += 1;
  return answer;
}

describe('resource limits', () => {
  it('refuses oversized, deep, long and numerous input on every operation, storing nothing', async () => {
    const f = await arrangeTenant(ctx, 'LIMITES');
    const db = ctx.database.db;
    const before = await fingerprint(db, f.tenantId);
    const doc = await openApiDoc(ctx.app);
    const ops = operations(doc);

    for (const op of ops.filter((o) => o.body)) {
      const key = operationKey(op);
      const { path } = exampleRequest(key, f);
      const oversized = JSON.stringify({ filler: 'x'.repeat(MAX_BODY_BYTES) });
      await refused(f, op.method, path, { body: oversized, headers: { 'content-length': String(Buffer.byteLength(oversized)) } }, 413, `${key} with a declared 1 MB+ body`);
      await refused(f, op.method, path, { body: oversized }, 413, `${key} with an undeclared 1 MB+ body`);
      const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
      const answer = await refused(f, op.method, path, { body: deep }, 422, `${key} with 10,000 levels of JSON`);
      assert.match(answer.body.error.details[0].message, new RegExp(`deeper than ${MAX_JSON_DEPTH}`));
    }

    for (const op of ops.filter((o) => o.parameters.some((p) => p.name === 'limit'))) {
      const key = operationKey(op);
      const { path } = exampleRequest(key, f);
      const answer = await refused(f, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=100000`, {}, 422, `${key}?limit=100000`);
      assert.equal(answer.body.error.details[0].path, 'limit');
    }

    // A megabyte-sized value in every text property of every body: 422 naming it.
    for (const op of ops.filter((o) => o.body)) {
      const key = operationKey(op);
      const example = exampleRequest(key, f);
      const schema = resolve(doc, op.body!);
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        const types = [resolve(doc, property).type].flat();
        if (!types.includes('string')) continue;
        const body = JSON.stringify({ ...(example.body as object), [field]: MEGABYTE_STRING });
        const answer = await refused(f, op.method, example.path, { body, headers: example.headers }, 422, `${key} with a 1 MB ${field}`);
        assert.ok(answer.body.error.details.some((d: { path: string }) => d.path === field), `${key}: ${field} is not named in ${answer.text.slice(0, 300)}`);
      }
    }

    const customer = `/customers/${f.twinId}`;
    const patch = (body: unknown, context: string, path: string) =>
      refused(f, 'PATCH', customer, { body: JSON.stringify(body), headers: { 'if-match': '"1"' } }, 422, context).then((a) =>
        assert.ok(a.body.error.details.some((d: { path: string }) => d.path === path), `${context}: ${a.text.slice(0, 300)}`),
      );
    await patch({ address: { line1: MEGABYTE_STRING } }, 'a 1 MB address line', 'address.line1');
    await patch({ legal: { type: 'company', companyName: MEGABYTE_STRING } }, 'a 1 MB company name', 'legal.companyName');
    await patch({ phones: [{ number: '+34 611 222 333', label: MEGABYTE_STRING }] }, 'a 1 MB phone label', 'phones.0.label');
    await patch({ tags: [MEGABYTE_STRING] }, 'a 1 MB tag', 'tags.0');
    await patch({ tags: Array.from({ length: 5_000 }, (_, i) => `etiqueta-${i}`) }, '5,000 tags', 'tags');
    await patch({ phones: Array.from({ length: 5_000 }, (_, i) => ({ number: `+34 6${String(i).padStart(8, '0')}` })) }, '5,000 phones', 'phones');
    await patch({ custom: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`campo${i}`, i])) }, '5,000 custom values', 'custom.campo0');
    const note = await refused(f, 'POST', `/customers/${f.customerId}/notes`, { body: JSON.stringify({ body: MEGABYTE_STRING }) }, 422, 'a 1 MB note');
    assert.equal(note.body.error.details[0].path, 'body');

    const manyParams = Array.from({ length: 10_000 }, (_, i) => `p${i}=${i}`).join('&');
    const listed = await send(ctx.app, 'GET', `/api/v1/customers?${manyParams}`, { headers: { authorization: `Bearer ${f.adminToken}` } });
    assert.equal(listed.status, 200, 'unknown query parameters are ignored');
    cases += 1;
    await refused(f, 'GET', `/customers?${Array.from({ length: 10_000 }, () => 'status=active').join('&')}`, {}, 422, '10,000 repeated status parameters');
    await refused(f, 'GET', `/customers?q=${'a'.repeat(1_000_000)}`, {}, 422, 'a 1 MB search');
    await refused(f, 'PATCH', customer, { body: '{"city":"Sevilla"}', headers: { 'if-match': `"${'9'.repeat(100_000)}"` } }, 412, 'a 100 KB If-Match');

    assert.equal(await fingerprint(db, f.tenantId), before, 'a refused request stored something');
    recordCount('resource-limit cases', cases);
  });
});

describe('rate limit', () => {
  it('answers 429 rate_limited with Retry-After past the per-user limit, per user and tenant', async () => {
    const limited = createApp({ database: ctx.database, config: { ...ctx.config, rateLimitPerMinute: 20 } });
    const tenantId = newTenantId();
    const get = async (token: string) => {
      const res = await limited.request('/api/v1/levels', { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
    };
    const ana = await tokenFor({ tenantId, sub: 'ana', role: 'admin' });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push((await get(ana)).status);
    assert.deepEqual(statuses, Array(20).fill(200));
    const over = await get(ana);
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'rate_limited');
    assert.ok(Number(over.retryAfter) >= 1 && Number(over.retryAfter) <= 60, `Retry-After: ${over.retryAfter}`);
    // A fresh token for the same user does not reset the limit; other users and tenants have their own.
    assert.equal((await get(await tokenFor({ tenantId, sub: 'ana', role: 'admin', ttlSeconds: 120 }))).status, 429);
    assert.equal((await get(await tokenFor({ tenantId, sub: 'bea', role: 'admin' }))).status, 200);
    assert.equal((await get(await tokenFor({ tenantId: newTenantId(), sub: 'ana', role: 'admin' }))).status, 200);
    // Unauthenticated requests are refused before they could spend anyone's allowance.
    const anonymous = await limited.request('/api/v1/levels');
    assert.equal(anonymous.status, 401);
  });

  it('refills at the per-minute rate and forgets users whose bucket is full again', () => {
    let now = 0;
    const limiter = createRateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) assert.equal(limiter.take('u'), 0);
    assert.equal(limiter.take('u'), 1, 'one request a second: retry in 1 s');
    now += 1_000;
    assert.equal(limiter.take('u'), 0, 'a second later, one more');
    assert.equal(limiter.take('u'), 1);
    assert.equal(limiter.take('v'), 0);
    assert.equal(limiter.size, 2);
    now += 61_000;
    assert.equal(limiter.take('w'), 0);
    assert.equal(limiter.size, 1, 'u and v refilled and were forgotten');
  });
});

// The HTTP layer is the same on either database: this runs on the PGlite pass only.
const realServerSkip = onPostgres ? 'runs on the PGlite pass' : existsSync('/proc/self/status') ? false : 'reads memory from /proc (Linux)';

describe('a real server process under oversized requests', { skip: realServerSkip }, () => {
  it('refuses 20 concurrent 20 MB uploads, a 1 GB declared body and 100 KB headers, without its memory growing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clientela-limits-'));
    const server = await startServer({ dataDir, seedCustomers: 0, env: { JWT_SECRET: TEST_SECRET, SEED: '0', RATE_LIMIT_PER_MINUTE: '0' } });
    try {
      const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))![1]) * 1024;
      for (let i = 0; i < 20; i++) assert.equal((await fetch(`${server.url}/api/v1/levels`, { headers })).status, 200);
      const before = rss();

      const chunk = Buffer.alloc(64 * 1024, 'a');
      const upload = () => {
        const body = new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"firstName":"'));
          },
          pull(controller) {
            controller.enqueue(chunk);
            if (++sent >= 320) controller.close();
          },
        });
        let sent = 0;
        return fetch(`${server.url}/api/v1/customers`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
          .then((res) => res.status)
          .catch(() => 'closed early');
      };
      const outcomes = await Promise.all(Array.from({ length: 20 }, upload));
      // The server answers 413 as soon as it has read 1 MB; a client still sending may see the connection close instead.
      assert.ok(outcomes.every((o) => o === 413 || o === 'closed early'), JSON.stringify(outcomes));
      assert.ok(outcomes.includes(413), JSON.stringify(outcomes));
      const grown = rss() - before;
      console.log(`  20 uploads of 20 MB: ${outcomes.filter((o) => o === 413).length} answered 413, the rest closed early; the server's memory grew ${(grown / 1024 / 1024).toFixed(1)} MB`);
      assert.ok(grown < 150 * 1024 * 1024, `the server grew by ${Math.round(grown / 1024 / 1024)} MB for 400 MB of uploads`);

      const declared = await new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/api/v1/customers`, { method: 'POST', headers: { ...headers, 'content-length': String(1024 ** 3) } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
          req.destroy();
        });
        req.on('error', reject);
        req.write('{"firstName":"');
      });
      assert.equal(declared, 413);

      const huge = await fetch(`${server.url}/api/v1/levels`, { headers: { ...headers, 'x-filler': 'a'.repeat(100 * 1024) } }).then((r) => r.status, () => 'closed');
      assert.ok(huge === 431 || huge === 'closed', `100 KB of headers: ${huge}`);
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the server still serves');
      recordCount('resource-limit cases against a real server', outcomes.length + 2);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
