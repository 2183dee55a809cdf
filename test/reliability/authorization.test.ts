/**
 * The authorization matrix: every operation in the OpenAPI document against
 * every way a caller can be wrong. No token, an expired one, a bad
 * signature, a malformed one: 401. A token lacking each permission the
 * operation needs: 403. Another tenant's admin naming our resources: 404,
 * indistinguishable from ids that exist nowhere. A token holding exactly the
 * needed permissions: the operation succeeds. Through all of it our tenant's
 * rows stay untouched, and no answer to anyone else carries our data.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { PERMISSIONS } from '../../server/auth.ts';
import { TEST_SECRET, tokenFor, useTestApp } from '../server/helpers.ts';
import { assertErrorBody, fingerprint, openApiDoc, operationKey, operations, recordCount, send, type Operation, type Sent } from './helpers.ts';
import { arrangeTenant, exampleRequest, LIMITED_USER, REQUIRED, type Fixtures } from './tenant-fixtures.ts';

const ctx = useTestApp();

/** Tokens that must all answer 401, for a tenant. */
async function badTokens(tenantId: string): Promise<Array<{ name: string; header: string | null; query?: string }>> {
  const now = Math.floor(Date.now() / 1000);
  const valid = await tokenFor({ tenantId, role: 'admin' });
  const unsigned = (claims: object) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  const key = new TextEncoder().encode(TEST_SECRET);
  return [
    { name: 'no token', header: null },
    { name: 'expired', header: `Bearer ${await tokenFor({ tenantId, role: 'admin', ttlSeconds: -60 })}` },
    { name: 'wrong signature', header: `Bearer ${await tokenFor({ tenantId, role: 'admin', secret: 'another-secret-that-is-long-enough-0123456789abcdef' })}` },
    { name: 'tampered payload', header: `Bearer ${valid.split('.')[0]}.${Buffer.from(JSON.stringify({ sub: 'x', tid: 'other', role: 'admin', exp: now + 600 })).toString('base64url')}.${valid.split('.')[2]}` },
    { name: 'alg none', header: `Bearer ${unsigned({ sub: 'x', tid: tenantId, role: 'admin', exp: now + 600 })}` },
    { name: 'no exp', header: `Bearer ${await new SignJWT({ tid: tenantId, role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(key)}` },
    { name: 'bad tenant id', header: `Bearer ${await tokenFor({ tenantId: 'no/such tenant!', role: 'admin' })}` },
    { name: 'garbage', header: 'Bearer not.a.jwt' },
    { name: 'basic scheme', header: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { name: 'token in the query (events only)', header: null, query: `access_token=${valid}` },
  ];
}

/** Sends an operation's example request as someone; the event stream is not read. */
async function attempt(op: Operation, example: ReturnType<typeof exampleRequest>, auth: string | null, query?: string): Promise<Sent> {
  const headers: Record<string, string> = { ...example.headers };
  if (auth) headers.authorization = auth;
  let body: string | undefined;
  if (example.body !== undefined) {
    body = JSON.stringify(example.body);
    headers['content-type'] = 'application/json';
  }
  const url = `/api/v1${example.path}${query ? (example.path.includes('?') ? '&' : '?') + query : ''}`;
  return send(ctx.app, op.method, url, { headers, body });
}

describe('authorization matrix', () => {
  it('gives every operation exactly 401, 403, 404 or success, and leaks nothing across tenants', async () => {
    const doc = await openApiDoc(ctx.app);
    const ops = operations(doc);
    assert.deepEqual(ops.map(operationKey).filter((k) => !REQUIRED[k]), [], 'operations missing from the permission table');
    assert.deepEqual(Object.keys(REQUIRED).filter((k) => !ops.some((op) => operationKey(op) === k)), [], 'permission table rows for operations that no longer exist');

    const victim = await arrangeTenant(ctx, 'VICTIMA');
    const intruder = await arrangeTenant(ctx, 'INTRUSO');
    const ghost: Pick<Fixtures, 'customerId' | 'twinId'> = { customerId: randomUUID(), twinId: randomUUID() };
    // A validly signed token makes its user known to the tenant (GET /users), even when refused: meet it first.
    for (const token of [await tokenFor({ tenantId: victim.tenantId, sub: 'agent-without', role: 'agent', perms: [] }), await tokenFor({ tenantId: victim.tenantId, role: 'admin' })]) {
      await send(ctx.app, 'GET', '/api/v1/levels', { headers: { authorization: `Bearer ${token}` } });
    }
    const victimBefore = await fingerprint(ctx.database.db, victim.tenantId);
    const intruderAnswers: Sent[] = [];
    let cases = 0;

    for (const op of ops) {
      const key = operationKey(op);
      const example = exampleRequest(key, victim);

      for (const bad of await badTokens(victim.tenantId)) {
        const answer = await attempt(op, example, bad.header, bad.query);
        // The event stream alone takes its token from the query: there a valid one is accepted.
        if (bad.query && key === 'GET /api/v1/events') {
          assert.equal(answer.status, 200, `${key} with ?access_token=`);
        } else {
          assert.equal(answer.status, 401, `${key} with ${bad.name}: ${answer.text.slice(0, 200)}`);
          assertErrorBody(answer, `${key} with ${bad.name}`);
          assert.equal(answer.body.error.code, 'unauthorized');
          assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
        }
        intruderAnswers.push(answer);
        cases += 1;
      }

      const lacking = [...REQUIRED[key].map((p) => [p]), [...PERMISSIONS]];
      for (const missing of lacking) {
        const perms = PERMISSIONS.filter((p) => !missing.includes(p));
        const token = await tokenFor({ tenantId: victim.tenantId, sub: 'agent-without', role: 'agent', perms });
        const answer = await attempt(op, example, `Bearer ${token}`);
        assert.equal(answer.status, 403, `${key} without ${missing.join(', ')}: ${answer.text.slice(0, 200)}`);
        assertErrorBody(answer, `${key} without ${missing.join(', ')}`);
        assert.equal(answer.body.error.code, 'forbidden');
        cases += 1;
      }

      if (op.path.includes('{')) {
        const answer = await attempt(op, example, `Bearer ${intruder.adminToken}`);
        assert.equal(answer.status, 404, `${key} on another tenant's resource: ${answer.text.slice(0, 200)}`);
        assertErrorBody(answer, `${key} across tenants`);
        intruderAnswers.push(answer);
        cases += 1;
      }
      if (example.refersInBody) {
        // The intruder's own path, the victim's ids in the body: answered as ids that exist nowhere.
        const crossing = await attempt(op, exampleRequest(key, intruder, victim), `Bearer ${intruder.adminToken}`);
        const nowhere = await attempt(op, exampleRequest(key, intruder, ghost), `Bearer ${intruder.adminToken}`);
        // Byte for byte, ids aside (the answer may echo the ids it was sent, as a merge preview's blockers do).
        const anonymous = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
        assert.ok(crossing.status >= 400 || crossing.body.blockers?.length, `${key} accepted another tenant's customers: ${crossing.text.slice(0, 300)}`);
        assert.equal(crossing.status, nowhere.status, `${key}: another tenant's ids must look like no ids`);
        assert.equal(anonymous(crossing.text), anonymous(nowhere.text), `${key}: another tenant's ids must look like no ids`);
        cases += 1;
      }
    }
    assert.equal(await fingerprint(ctx.database.db, victim.tenantId), victimBefore, 'refused requests changed the victim tenant');

    for (const op of ops) {
      const key = operationKey(op);
      const fresh = await arrangeTenant(ctx, `P${cases}`);
      const token = await tokenFor({ tenantId: fresh.tenantId, sub: LIMITED_USER, name: 'Agente', role: 'agent', perms: REQUIRED[key] });
      const answer = await attempt(op, exampleRequest(key, fresh), `Bearer ${token}`);
      assert.ok(answer.status >= 200 && answer.status < 300, `${key} with exactly ${REQUIRED[key].join(', ')}: ${answer.status} ${answer.text.slice(0, 300)}`);
      assert.ok(op.statuses.includes(answer.status), `${key} answered ${answer.status}, which the document does not list`);
      cases += 1;
    }

    assertNoLeak(intruderAnswers, victim);
    recordCount('authorization matrix cases', cases);
  });

  it('never shows one tenant’s customers, notes, history, duplicates, users or events to another', async () => {
    const victim = await arrangeTenant(ctx, 'OCULTA');
    const intruder = await arrangeTenant(ctx, 'CURIOSA');
    const as = (path: string) => send(ctx.app, 'GET', `/api/v1${path}`, { headers: { authorization: `Bearer ${intruder.adminToken}` } });
    // The intruder's customer looks exactly like the victim's: a missing tenant filter would pair them.
    const lookalike = await send(ctx.app, 'POST', '/api/v1/customers', {
      headers: { authorization: `Bearer ${intruder.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Inés', lastName: 'AisladaOCULTA', email: 'oculta@example.com', phones: [{ number: '+34 611 222 333' }] }),
    });
    assert.equal(lookalike.status, 201);
    const mine = lookalike.body.id as string;

    const stream = await ctx.app.request('/api/v1/events', { headers: { authorization: `Bearer ${intruder.adminToken}` } });
    assert.equal(stream.status, 200);
    const victimApi = (method: string, path: string, body?: unknown) =>
      send(ctx.app, method, `/api/v1${path}`, { headers: { authorization: `Bearer ${victim.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await victimApi('POST', `/customers/${victim.customerId}/points`, { delta: 7, reason: 'secreto' })).status, 201);
    assert.equal((await victimApi('POST', `/customers/${victim.customerId}/notes`, { body: 'secreto' })).status, 201);
    const ownChange = await send(ctx.app, 'POST', `/api/v1/customers/${mine}/notes`, {
      headers: { authorization: `Bearer ${intruder.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'visible' }),
    });
    assert.equal(ownChange.status, 201);
    const seen = await readUntil(stream, mine);

    const answers = await Promise.all([
      as('/customers?limit=200'),
      as('/customers?q=AisladaOCULTA'),
      as('/customers?q=oculta@example.com'),
      as('/customers?q=611222333'),
      as(`/customers/${mine}`),
      as(`/customers/${mine}/duplicates?minScore=0`),
      as('/duplicates?minScore=0.3&limit=200'),
      as(`/customers/${mine}/history`),
      as(`/customers/${mine}/notes`),
      as(`/customers/${mine}/points`),
      as(`/customers/${mine}/orders`),
      as('/users'),
      as('/levels'),
      as('/custom-fields'),
    ]);
    for (const answer of answers) assert.equal(answer.status, 200, answer.text.slice(0, 200));
    assert.ok(answers[1].body.items.some((c: { id: string }) => c.id === mine), 'the search finds the intruder’s own lookalike');
    assertNoLeak([...answers, { status: 200, headers: new Headers(), body: null, text: seen }], victim);

    // A replay from the start of the history: still only the intruder's own changes.
    const replay = await ctx.app.request('/api/v1/events', { headers: { authorization: `Bearer ${intruder.adminToken}`, 'last-event-id': '0' } });
    assertNoLeak([{ status: 200, headers: new Headers(), body: null, text: await readUntil(replay, mine) }], victim);
    recordCount('isolation checks of lists, search, history, duplicates, users and events', answers.length + 2);
  });
});

/** Reads an event stream until a change of `customerId` shows up; answers the text read, closes the stream. */
async function readUntil(response: Response, customerId: string): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (!text.includes(customerId)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel();
  }
  assert.ok(text.includes(customerId), `the stream never carried ${customerId}: ${text.slice(0, 500)}`);
  return text;
}

function assertNoLeak(answers: Sent[], victim: Fixtures) {
  for (const answer of answers) {
    for (const secret of victim.secrets) {
      assert.ok(!answer.text.includes(secret), `an answer to someone else carries ${secret}: ${answer.text.slice(0, 300)}`);
    }
  }
}
