/**
 * The cases an outside attack used against Clientela (issue 15), run
 * against every operation the OpenAPI document lists, so a new list or a
 * new route is covered without a change here:
 * - forged cursors: timestamps JavaScript reads and PostgreSQL refuses
 *   (+23:59 offsets, year 275760, 30 February), NUL characters and lone
 *   surrogates inside the decoded values: 422 naming `cursor`;
 * - custom field keys named like Object.prototype's properties
 *   (`constructor`, `__proto__`…), as definitions and as values: 422;
 * - one read-only user opening event streams without end: they get
 *   their share, the tenant's other users still get theirs;
 * - validly signed tokens with a NUL in a claim: 401.
 * Nothing of the tenant changes through any of it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { tokenFor, useTestApp } from '../server/helpers.ts';
import { assertErrorBody, fingerprint, openApiDoc, operationKey, operations, recordCount, send } from './helpers.ts';
import { arrangeTenant, exampleRequest } from './tenant-fixtures.ts';

const ctx = useTestApp();
const encode = (values: unknown[]) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');

const BAD_INSTANTS = ['2024-05-01T10:00:00+23:59', '+275760-09-13T00:00:00.000Z', '2024-02-30T10:00:00.000000Z', '2024-05-01T24:00:00Z'];
const BAD_TEXTS = ['Ana\u0000', '\ud800', 'x'.repeat(5000)];

/**
 * Decoded cursors of every shape the lists use, each with one value that
 * some list must refuse: `everywhere` when no list may take it (unstorable
 * or overlong text, a wrong shape), else only where that value is a time or
 * an id; there the answer is 422, elsewhere (a user's name may read like a
 * date) it may be a page, never a 5xx.
 */
function forgedCursors(): Array<{ values: unknown[]; everywhere: boolean }> {
  const id = randomUUID();
  const forged: Array<{ values: unknown[]; everywhere: boolean }> = [];
  for (const instant of BAD_INSTANTS) {
    for (const values of [[instant, id], ['registeredAt', instant, id], ['-lastOrderAt', instant, id]]) forged.push({ values, everywhere: false });
  }
  for (const text of BAD_TEXTS) {
    for (const values of [[text, 'x'], ['x', text], ['name', text, id], ['relevance', 1, text, id], [text]]) forged.push({ values, everywhere: true });
  }
  for (const values of [[-1], [1.5], ['1'], [0.5, '1001'], [null, id], []]) forged.push({ values, everywhere: true });
  forged.push({ values: ['2024-05-01T10:00:00.000Z', 'not-a-uuid'], everywhere: false });
  return forged;
}

/** The sorts a list accepts, so each cursor shape meets the check of its own sort. */
const SORTED = ['sort=registeredAt', 'sort=-lastOrderAt', 'sort=name', 'q=Aislada'];

describe('what the attack tried, on every operation', () => {
  it('answers a forged cursor with 422 naming cursor on every list', async () => {
    const f = await arrangeTenant(ctx, 'CURSOR');
    const before = await fingerprint(ctx.database.db, f.tenantId);
    const lists = operations(await openApiDoc(ctx.app)).filter((op) => op.parameters.some((p) => p.name === 'cursor'));
    assert.ok(lists.length >= 8, `lists found: ${lists.map(operationKey).join(', ')}`);
    let cases = 0;
    for (const op of lists) {
      const { path } = exampleRequest(operationKey(op), f);
      const base = path.split('?')[0];
      const variants = base === '/customers' ? SORTED.map((q) => `${base}?${q}`) : [path];
      for (const variant of variants) {
        for (const { values, everywhere } of forgedCursors()) {
          const url = `/api/v1${variant}${variant.includes('?') ? '&' : '?'}cursor=${encode(values)}`;
          const answer = await send(ctx.app, 'GET', url, { headers: { authorization: `Bearer ${f.adminToken}` } });
          const context = `${operationKey(op)} ${variant} cursor ${JSON.stringify(values).slice(0, 80)}`;
          if (!everywhere && answer.status === 200) continue;
          assert.equal(answer.status, 422, `${context}: ${answer.text.slice(0, 300)}`);
          assertErrorBody(answer, context);
          assert.deepEqual(answer.body.error.details.map((d: { path: string }) => d.path), ['cursor'], context);
          cases += 1;
        }
      }
    }
    assert.equal(await fingerprint(ctx.database.db, f.tenantId), before);
    recordCount('forged cursors refused with 422 naming cursor', cases);
  });

  it('refuses custom field keys every object answers to, as definitions and as values', async () => {
    const f = await arrangeTenant(ctx, 'PROTO');
    const before = await fingerprint(ctx.database.db, f.tenantId);
    const headers = { authorization: `Bearer ${f.adminToken}`, 'content-type': 'application/json' };
    let cases = 0;
    const refused = async (method: string, path: string, body: string, field: string, extra: Record<string, string> = {}) => {
      const answer = await send(ctx.app, method, `/api/v1${path}`, { headers: { ...headers, ...extra }, body });
      const context = `${method} ${path} ${body}`;
      assert.equal(answer.status, 422, `${context}: ${answer.text.slice(0, 300)}`);
      assertErrorBody(answer, context);
      assert.ok(answer.body.error.details.some((d: { path: string }) => d.path === field), `${context}: ${answer.text.slice(0, 300)}`);
      cases += 1;
    };
    for (const key of Object.getOwnPropertyNames(Object.prototype)) {
      // Written as JSON text: an object literal would take "__proto__" as its prototype.
      await refused('POST', '/custom-fields', `{"key":${JSON.stringify(key)},"label":"Campo","type":"text","required":true}`, 'key');
      const value = `{${JSON.stringify(key)}:"x"}`;
      await refused('POST', '/customers', `{"firstName":"Proto","custom":${value}}`, `custom.${key}`);
      await refused('PATCH', `/customers/${f.twinId}`, `{"custom":${value}}`, `custom.${key}`, { 'if-match': '"1"' });
    }
    assert.equal(await fingerprint(ctx.database.db, f.tenantId), before);
    recordCount('custom field keys and values named like Object.prototype refused', cases);
  });

  it('keeps event-stream slots for the others when one read-only user opens streams without end', async () => {
    const f = await arrangeTenant(ctx, 'STREAMS');
    const reader = await tokenFor({ tenantId: f.tenantId, sub: 'greedy-reader', role: 'agent', perms: ['customers:read'] });
    const open = (token: string) => ctx.app.request('/api/v1/events', { headers: { authorization: `Bearer ${token}` } });
    const held: Response[] = [];
    let refused = 0;
    try {
      for (let i = 0; i < 100; i++) {
        const res = await open(reader);
        if (res.status === 200) held.push(res);
        else {
          const text = await res.text();
          assert.equal(res.status, 429, text);
          refused += 1;
        }
      }
      assert.ok(held.length > 0 && held.length <= 10, `one user holds ${held.length} streams`);
      for (const token of [f.adminToken, await tokenFor({ tenantId: f.tenantId, sub: 'other-reader', role: 'agent', perms: ['customers:read'] })]) {
        const res = await open(token);
        assert.equal(res.status, 200, 'another user of the tenant still gets a stream');
        held.push(res);
      }
    } finally {
      for (const res of held) await res.body?.cancel();
    }
    recordCount('event streams refused to a user beyond their share', refused);
  });

  it('answers 401 to validly signed tokens with a NUL or a lone surrogate in a claim, on every operation', async () => {
    const f = await arrangeTenant(ctx, 'CLAIMS');
    const before = await fingerprint(ctx.database.db, f.tenantId);
    const ops = operations(await openApiDoc(ctx.app));
    const claims = [{ name: 'Ana\u0000' }, { sub: 'ana\u0000' }, { role: 'admin\u0000' }, { perms: ['customers:read\u0000'] }, { name: 'Ana\ud800' }];
    let cases = 0;
    for (const op of ops) {
      const example = exampleRequest(operationKey(op), f);
      for (const claim of claims) {
        const token = await tokenFor({ tenantId: f.tenantId, role: 'admin', ...claim });
        const headers: Record<string, string> = { ...example.headers, authorization: `Bearer ${token}` };
        if (example.body !== undefined) headers['content-type'] = 'application/json';
        const answer = await send(ctx.app, op.method, `/api/v1${example.path}`, { headers, body: example.body === undefined ? undefined : JSON.stringify(example.body) });
        const context = `${operationKey(op)} with ${JSON.stringify(claim)}`;
        assert.equal(answer.status, 401, `${context}: ${answer.text.slice(0, 300)}`);
        assertErrorBody(answer, context);
        cases += 1;
      }
    }
    assert.equal(await fingerprint(ctx.database.db, f.tenantId), before);
    recordCount('tokens with a NUL or lone surrogate in a claim refused with 401', cases);
  });
});
