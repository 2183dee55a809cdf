/**
 * Races on real PostgreSQL, through two app instances with their own
 * connection pools (as two servers behind a load balancer). What other
 * tests already race is left to them: concurrent PATCHes with one If-Match
 * (test/server/customer-concurrency.test.ts) and thousands of point writes
 * (test/server/points-concurrency.test.ts). Here: merges over overlapping
 * customers, merges against writes to their sources, erasure against merge,
 * idempotent retries arriving together, an order pushed twice at once, a
 * level deleted while it is being assigned. After every race the tenant's
 * invariants hold (balance == ledger, merges whole).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { createApp, type App } from '../../server/app.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { call, newTenantId, onPostgres, tokenFor, useTestApp, type CallResult } from '../server/helpers.ts';
import { recordCount } from './helpers.ts';
import { violations } from './invariants.ts';

const ROUNDS = 8;

describe('races on PostgreSQL', { skip: onPostgres ? false : 'needs PostgreSQL: set TEST_DATABASE_URL' }, () => {
  const ctx = onPostgres ? useTestApp() : null!;
  let second: Database;
  let apps: [App, App];
  let races = 0;

  before(async () => {
    second = await openDatabase({ databaseUrl: ctx.databaseUrl, max: 20 });
    apps = [ctx.app, createApp({ database: second, config: ctx.config })];
  });
  after(async () => {
    await second?.close();
    recordCount('races run on PostgreSQL', races);
  });

  /** A tenant whose calls alternate between the two instances. */
  async function tenant() {
    const tenantId = newTenantId();
    const token = await tokenFor({ tenantId, role: 'admin', sub: 'racer', name: 'Racer' });
    let turn = 0;
    const api = <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<CallResult<T>> =>
      call<T>(apps[turn++ % 2], method, `/api/v1${path}`, { token, body, headers });
    const member = async (fields: Record<string, unknown> = {}, points = 0) => {
      const res = await api('POST', '/customers', { firstName: 'Socia', lastName: randomUUID().slice(0, 8), ...fields });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      if (points) assert.equal((await api('POST', `/customers/${res.body.id}/points`, { delta: points, reason: 'Saldo' })).status, 201);
      assert.equal((await api('POST', `/customers/${res.body.id}/notes`, { body: 'Nota' })).status, 201);
      return res.body.id as string;
    };
    const points = async (id: string) => (await api('GET', `/customers/${id}`)).body;
    const assertWhole = async () => assert.deepEqual(await violations(ctx.database.db, tenantId), []);
    return { tenantId, api, member, points, assertWhole };
  }

  const merge = (t: Awaited<ReturnType<typeof tenant>>, primary: string, sources: string[], headers: Record<string, string> = {}) =>
    t.api('POST', `/customers/${primary}/merge`, { sourceIds: sources, confirm: true }, headers);

  /** A clean refusal: a 409 in the spec's shape, never a 5xx or a half-done merge. */
  function assertCleanRefusal(res: CallResult, context: string) {
    assert.equal(res.status, 409, `${context}: ${JSON.stringify(res.body)}`);
    assert.ok(['customer_merged', 'conflict'].includes(res.body.error.code), `${context}: ${res.body.error.code}`);
  }

  it('lets one of two merges of the same source win; the other fails cleanly', async () => {
    const t = await tenant();
    for (let round = 0; round < ROUNDS; round++) {
      const [p1, p2, source] = [await t.member({}, 10), await t.member({}, 20), await t.member({}, 30)];
      const answers = await Promise.all([merge(t, p1, [source]), merge(t, p2, [source])]);
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, JSON.stringify(answers.map((a) => [a.status, a.body])));
      assertCleanRefusal(answers.find((a) => a.status !== 200)!, 'the losing merge');
      const winner = winners[0].body.customer;
      assert.equal(winner.points, (winner.id === p1 ? 10 : 20) + 30);
      const loser = await t.points(winner.id === p1 ? p2 : p1);
      assert.equal(loser.points, winner.id === p1 ? 20 : 10, 'the losing primary is untouched');
      races += 1;
    }
    await t.assertWhole();
  });

  it('resolves merges in opposite directions and in a ring without deadlock or half merges', async () => {
    const t = await tenant();
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b, c] = [await t.member({}, 5), await t.member({}, 7), await t.member({}, 11)];
      const pair = await Promise.all([merge(t, a, [b]), merge(t, b, [a])]);
      assert.deepEqual(pair.map((r) => r.status).sort(), [200, 409], JSON.stringify(pair.map((r) => r.body)));
      const survivor = pair.find((r) => r.status === 200)!.body.customer;
      assert.equal(survivor.points, 12);
      const ring = await Promise.all([merge(t, survivor.id, [c]), merge(t, c, [survivor.id])]);
      assert.deepEqual(ring.map((r) => r.status).sort(), [200, 409], JSON.stringify(ring.map((r) => r.body)));
      assert.equal(ring.find((r) => r.status === 200)!.body.customer.points, 23);
      races += 2;
    }
    await t.assertWhole();
  });

  it('keeps every point when writes to a source race its merge', async () => {
    const t = await tenant();
    for (let round = 0; round < ROUNDS / 2; round++) {
      const [primary, source] = [await t.member({}, 100), await t.member({}, 50)];
      const writes = Array.from({ length: 24 }, (_, i) => t.api('POST', `/customers/${source}/points`, { delta: i % 3 === 2 ? -1 : 3, reason: 'Carrera' }));
      const merged = merge(t, primary, [source]);
      const results = await Promise.all(writes);
      const mergeAnswer = await merged;
      assert.equal(mergeAnswer.status, 200, JSON.stringify(mergeAnswer.body));
      let accepted = 0;
      results.forEach((res, i) => {
        if (res.status === 201) accepted += i % 3 === 2 ? -1 : 3;
        else assert.equal(res.body.error.code, 'customer_merged', JSON.stringify(res.body));
      });
      assert.equal((await t.points(primary)).points, 150 + accepted, 'every accepted point arrived, no refused one did');
      races += 1;
    }
    await t.assertWhole();
  });

  it('never both erases and merges the same customer', async () => {
    const t = await tenant();
    for (let round = 0; round < ROUNDS / 2; round++) {
      const [primary, source] = [await t.member({}, 10), await t.member({ email: `s${round}@example.com` }, 40)];
      const [merged, erased] = await Promise.all([merge(t, primary, [source]), t.api('POST', `/customers/${source}/erase`)]);
      assert.deepEqual([merged.status, erased.status].filter((s) => s === 200).length, 1, JSON.stringify([merged.body, erased.body]));
      assert.ok([merged, erased].every((r) => r.status === 200 || r.status === 409), JSON.stringify([merged.body, erased.body]));
      races += 1;
    }
    await t.assertWhole();
  });

  it('applies concurrent retries under one Idempotency-Key once, with one answer', async () => {
    const t = await tenant();
    for (let round = 0; round < ROUNDS / 2; round++) {
      const key = randomUUID();
      const created = await Promise.all(Array.from({ length: 6 }, () => t.api('POST', '/customers', { firstName: 'Única', lastName: key }, { 'idempotency-key': key })));
      assert.deepEqual(created.map((r) => r.status), Array(6).fill(201), JSON.stringify(created.map((r) => r.body)));
      assert.equal(new Set(created.map((r) => r.body.id)).size, 1);
      const found = await t.api('GET', `/customers?q=${key}`);
      assert.equal(found.body.items.length, 1, 'one customer was created');

      const id = created[0].body.id as string;
      const noteKey = randomUUID();
      const notes = await Promise.all(Array.from({ length: 6 }, () => t.api('POST', `/customers/${id}/notes`, { body: 'Una vez' }, { 'idempotency-key': noteKey })));
      assert.equal(new Set(notes.map((r) => r.body.id)).size, 1, JSON.stringify(notes.map((r) => r.body)));
      assert.equal((await t.api('GET', `/customers/${id}/notes`)).body.items.length, 1);

      const source = await t.member({}, 25);
      const mergeKey = randomUUID();
      const merges = await Promise.all(Array.from({ length: 4 }, () => merge(t, id, [source], { 'idempotency-key': mergeKey })));
      assert.deepEqual(merges.map((r) => r.status), Array(4).fill(200), JSON.stringify(merges.map((r) => r.body)));
      assert.equal(new Set(merges.map((r) => r.body.mergeId)).size, 1);
      assert.equal((await t.points(id)).points, 25);
      races += 3;
    }
    await t.assertWhole();
  });

  it('records an order pushed several times at once exactly once, with its points once', async () => {
    const t = await tenant();
    for (let round = 0; round < ROUNDS / 2; round++) {
      const id = await t.member();
      const order = { customerId: id, externalId: `pedido-${randomUUID()}`, total: 4_000, currency: 'EUR', status: 'completed', placedAt: '2024-03-01T10:00:00Z' };
      const pushes = await Promise.all(Array.from({ length: 6 }, () => t.api('POST', '/orders', order)));
      assert.deepEqual(pushes.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 201], JSON.stringify(pushes.map((r) => r.body)));
      assert.equal(new Set(pushes.map((r) => r.body.id)).size, 1);
      const customer = await t.points(id);
      assert.equal(customer.points, 40, 'the order earned its points once');
      assert.equal(customer.metrics.ordersCount, 1);
      races += 1;
    }
    await t.assertWhole();
  });

  it('never deletes a level that a racing assignment gave to a member', async () => {
    const t = await tenant();
    for (let round = 0; round < ROUNDS / 2; round++) {
      const id = await t.member();
      const level = await t.api('POST', '/levels', { name: `Nivel ${round}`, minPoints: 1_000_000 + round });
      assert.equal(level.status, 201);
      const [assigned, deleted] = await Promise.all([
        t.api('PUT', `/customers/${id}/level`, { levelId: level.body.id, locked: true }),
        t.api('DELETE', `/levels/${level.body.id}`),
      ]);
      const holds = (await t.points(id)).levelId === level.body.id;
      if (deleted.status === 204) {
        assert.ok(assigned.status >= 400 && assigned.status < 500, JSON.stringify(assigned.body));
        assert.equal(holds, false);
      } else {
        assert.equal(deleted.status, 409, JSON.stringify(deleted.body));
        assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
        assert.equal(holds, true);
      }
      races += 1;
    }
    await t.assertWhole();
  });
});
