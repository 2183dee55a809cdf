import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { customers } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';
import { assertLedgerConsistent, changePoints, customerRow, eventsOf, ledgerOf, mustChangePoints, newMember } from './loyalty-helpers.ts';

const ctx = useTestApp();

describe('points: manual changes', () => {
  it('adds and deducts, answering the entry, balance, lifetime points and level', async () => {
    const { api, tenantId } = await newTenant(ctx, { sub: 'agent-7', name: 'Carlos Ruiz' });
    const id = await newMember(api);
    const before = await api('GET', `/customers/${id}`);

    const add = await changePoints(api, id, 100, 'Bienvenida al programa');
    assert.equal(add.status, 201);
    assert.equal(add.body.balance, 100);
    assert.equal(add.body.lifetimePoints, 100);
    assert.equal(add.body.level, null);
    assert.equal(add.body.entry.kind, 'adjust');
    assert.equal(add.body.entry.delta, 100);
    assert.equal(add.body.entry.balanceAfter, 100);
    assert.equal(add.body.entry.reason, 'Bienvenida al programa');
    assert.deepEqual(add.body.entry.actor, { id: 'agent-7', name: 'Carlos Ruiz' });

    const deduct = await changePoints(api, id, -30, 'Canje en tienda');
    assert.equal(deduct.status, 201);
    assert.equal(deduct.body.balance, 70);
    assert.equal(deduct.body.lifetimePoints, 100, 'spending does not undo lifetime points');

    const after = await api('GET', `/customers/${id}`);
    assert.equal(after.body.points, 70);
    assert.equal(after.body.lifetimePoints, 100);
    assert.equal(after.body.version, before.body.version + 2, 'each change bumps the version');
    assert.equal(deduct.body.version, after.body.version);

    const changed = await eventsOf(ctx, tenantId, id, 'points.changed');
    assert.deepEqual(changed.map((e) => [e.data.delta, e.data.balance, e.actorId]), [[100, 100, 'agent-7'], [-30, 70, 'agent-7']]);
    assert.equal(changed[1].version, after.body.version);
    await assertLedgerConsistent(ctx, tenantId, id);
  });

  it('refuses a deduction larger than the balance with 409 insufficient_points and writes nothing', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await mustChangePoints(api, id, 50);
    const before = await customerRow(ctx, tenantId, id);
    const res = await changePoints(api, id, -51);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'insufficient_points');
    assert.equal(res.body.error.balance, 50);
    const after = await customerRow(ctx, tenantId, id);
    assert.equal(after.points, 50);
    assert.equal(after.version, before.version);
    assert.equal((await ledgerOf(ctx, tenantId, id)).length, 1);
    assert.equal((await eventsOf(ctx, tenantId, id, 'points.changed')).length, 1);
    assert.equal((await changePoints(api, id, -50)).body.balance, 0, 'the whole balance can be spent');
  });

  it('answers 422 naming the field for bad input, and stores nothing', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const cases: Array<[unknown, string]> = [
      [{ delta: 10 }, 'reason'],
      [{ delta: 10, reason: '   ' }, 'reason'],
      [{ delta: 10, reason: 'x'.repeat(501) }, 'reason'],
      [{ delta: 0, reason: 'cero' }, 'delta'],
      [{ delta: 1.5, reason: 'medio' }, 'delta'],
      [{ delta: '10', reason: 'texto' }, 'delta'],
      [{ delta: 1_000_001, reason: 'demasiado' }, 'delta'],
      [{ delta: -1_000_001, reason: 'demasiado' }, 'delta'],
      [{ delta: 10, reason: 'canje', kind: 'redeem' }, 'kind'],
      [{ delta: 10, reason: 'tipo', kind: 'earn' }, 'kind'],
      [{ delta: 10, reason: 'extra', points: 5 }, 'points'],
      [[1, 2], 'body'],
    ];
    for (const [body, path] of cases) {
      const res = await api('POST', `/customers/${id}/points`, { body });
      assert.equal(res.status, 422, `${JSON.stringify(body)} → ${res.status}`);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(
        res.body.error.details.some((d: { path: string }) => d.path === path),
        `${JSON.stringify(body)} names ${path}: ${JSON.stringify(res.body.error.details)}`,
      );
    }
    assert.equal((await ledgerOf(ctx, tenantId, id)).length, 0);
    assert.equal((await customerRow(ctx, tenantId, id)).points, 0);
  });

  it('records a redemption as its own kind', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    await mustChangePoints(api, id, 80);
    const res = await api('POST', `/customers/${id}/points`, { body: { delta: -20, reason: 'Cupón de 2 €', kind: 'redeem' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.entry.kind, 'redeem');
    assert.equal(res.body.balance, 60);
  });

  it('honours Idempotency-Key: same body replays, another body is 422, concurrent duplicates apply once', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    const headers = { 'Idempotency-Key': 'ajuste-1' };
    const first = await changePoints(api, id, 40, 'Compensación', headers);
    const again = await changePoints(api, id, 40, 'Compensación', headers);
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    const other = await changePoints(api, id, 41, 'Compensación', headers);
    assert.equal(other.status, 422);
    assert.equal(other.body.error.details[0].path, 'Idempotency-Key');

    const racing = await Promise.all(Array.from({ length: 6 }, () => changePoints(api, id, 5, 'Reintento', { 'Idempotency-Key': 'ajuste-2' })));
    assert.ok(racing.every((r) => r.status === 201));
    assert.equal(new Set(racing.map((r) => r.body.entry.id)).size, 1);
    assert.equal((await customerRow(ctx, tenantId, id)).points, 45);
    assert.equal((await ledgerOf(ctx, tenantId, id)).length, 2);
  });

  it('a refused deduction under an Idempotency-Key can be retried once the balance allows it', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    const headers = { 'Idempotency-Key': 'canje-9' };
    assert.equal((await changePoints(api, id, -10, 'Canje', headers)).status, 409);
    await mustChangePoints(api, id, 10);
    const retry = await changePoints(api, id, -10, 'Canje', headers);
    assert.equal(retry.status, 201);
    assert.equal(retry.body.balance, 0);
  });

  it('needs points:write to change points and customers:read to read the ledger', async () => {
    const admin = await newTenant(ctx);
    const id = await newMember(admin.api);
    const reader = await newTenant(ctx, { tenantId: admin.tenantId, role: 'agent', perms: ['customers:read'] });
    assert.equal((await changePoints(reader.api, id, 10)).status, 403);
    assert.equal((await reader.api('GET', `/customers/${id}/points`)).status, 200);
    const nobody = await newTenant(ctx, { tenantId: admin.tenantId, role: 'agent', perms: [] });
    assert.equal((await nobody.api('GET', `/customers/${id}/points`)).status, 403);
  });

  it("answers 404 for another tenant's customer", async () => {
    const mine = await newTenant(ctx);
    const id = await newMember(mine.api);
    const theirs = await newTenant(ctx);
    assert.equal((await changePoints(theirs.api, id, 10)).status, 404);
    assert.equal((await theirs.api('GET', `/customers/${id}/points`)).status, 404);
    assert.equal((await theirs.api('DELETE', `/customers/${id}`)).status, 404);
    assert.equal((await customerRow(ctx, mine.tenantId, id)).points, 0);
  });

  it('answers 409 customer_merged for a merged-away customer', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const survivor = await newMember(api);
    const merged = await newMember(api);
    await ctx.database.db
      .update(customers)
      .set({ mergedInto: survivor, mergedAt: new Date() })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, merged)));
    const res = await changePoints(api, merged, 10);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'customer_merged');
    assert.equal(res.body.error.mergedInto, survivor);
    assert.equal((await api('GET', `/customers/${merged}/points`)).body.error.code, 'customer_merged');
  });
});

describe('points: the ledger', () => {
  it('lists newest first with cursor pagination', async () => {
    const { api } = await newTenant(ctx);
    const id = await newMember(api);
    for (const delta of [10, 20, 30, -5, 40]) await mustChangePoints(api, id, delta);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const res = await api('GET', `/customers/${id}/points${query}`);
      assert.equal(res.status, 200);
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map((e: { delta: number }) => e.delta));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    assert.deepEqual(seen, [40, -5, 30, 20, 10]);
    assert.equal(pages, 3);
    const first = await api('GET', `/customers/${id}/points?limit=1`);
    const entry = first.body.items[0];
    assert.deepEqual(Object.keys(entry).sort(), [
      'actor', 'balanceAfter', 'createdAt', 'delta', 'expiresAt', 'id', 'kind', 'orderExternalId', 'orderId', 'reason', 'remaining', 'sourceCustomerId', 'sourceCustomerNumber',
    ]);
    assert.equal(entry.balanceAfter, 95);
    const adjustments = await api('GET', `/customers/${id}/points?kind=adjust&limit=200`);
    assert.equal(adjustments.body.items.length, 5);
    assert.equal((await api('GET', `/customers/${id}/points?cursor=garbage`)).status, 422);
    assert.equal((await api('GET', `/customers/${id}/points?limit=500`)).status, 422);
    assert.equal((await api('GET', `/customers/${id}/points?kind=gift`)).status, 422);
  });

  it('spends the oldest points first', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await mustChangePoints(api, id, 100);
    await mustChangePoints(api, id, 50);
    await mustChangePoints(api, id, -120);
    const entries = await ledgerOf(ctx, tenantId, id);
    assert.deepEqual(entries.map((e) => [e.delta, e.remaining]), [[100, 0], [50, 30], [-120, 0]]);
    await mustChangePoints(api, id, -10);
    assert.deepEqual((await ledgerOf(ctx, tenantId, id)).map((e) => e.remaining), [0, 20, 0, 0]);
    await assertLedgerConsistent(ctx, tenantId, id);
  });
});

describe('points: removing a member', () => {
  it('forfeits the balance, sets status removed, records customer.removed, erases nothing', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api, { email: 'ines.nunez@example.es' });
    await mustChangePoints(api, id, 120);
    await mustChangePoints(api, id, -20);
    const res = await api('DELETE', `/customers/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'removed');
    assert.equal(res.body.points, 0);
    assert.equal(res.body.lifetimePoints, 120);
    assert.equal(res.body.email, 'ines.nunez@example.es');
    assert.equal(res.headers.get('etag'), `"${res.body.version}"`);
    const ledger = await api('GET', `/customers/${id}/points`);
    assert.equal(ledger.body.items[0].kind, 'forfeit');
    assert.equal(ledger.body.items[0].delta, -100);
    assert.equal(ledger.body.items[0].balanceAfter, 0);
    const removed = await eventsOf(ctx, tenantId, id, 'customer.removed');
    assert.equal(removed.length, 1);
    assert.deepEqual(removed[0].data, { statusFrom: 'active', pointsForfeited: 100, reason: null });
    assert.equal(removed[0].version, res.body.version);
    await assertLedgerConsistent(ctx, tenantId, id);

    const again = await api('DELETE', `/customers/${id}`);
    assert.equal(again.status, 200);
    assert.equal(again.body.version, res.body.version, 'removing again changes nothing');
    assert.equal((await eventsOf(ctx, tenantId, id, 'customer.removed')).length, 1);

    const refused = await changePoints(api, id, 10);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'conflict');
    assert.match(refused.body.error.message, /left the programme/);
  });

  it('takes an optional reason, kept in the removal event and on the forfeit entry; a bad one changes nothing', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await mustChangePoints(api, id, 40);
    for (const body of [{ reason: 'x'.repeat(501) }, { reason: 7 }, { why: 'x' }]) {
      const bad = await api('DELETE', `/customers/${id}`, { body });
      assert.equal(bad.status, 422, JSON.stringify(body));
      assert.equal((await customerRow(ctx, tenantId, id)).status, 'active');
    }
    const json = { 'content-type': 'application/json' };
    assert.equal((await api('DELETE', `/customers/${id}`, { rawBody: '{', headers: json })).status, 400, 'malformed JSON is still 400');
    const res = await api('DELETE', `/customers/${id}`, { body: { reason: '  Pidió la baja por correo  ' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [removed] = await eventsOf(ctx, tenantId, id, 'customer.removed');
    assert.deepEqual(removed.data, { statusFrom: 'active', pointsForfeited: 40, reason: 'Pidió la baja por correo' });
    const history = await api('GET', `/customers/${id}/history?types=customer.removed`);
    assert.equal(history.body.items[0].data.reason, 'Pidió la baja por correo');
    const ledger = await api('GET', `/customers/${id}/points`);
    assert.equal(ledger.body.items[0].reason, 'Pidió la baja por correo');
    // Many clients send Content-Type: application/json on every call, a DELETE without a body too.
    const other = await newMember(api);
    const bare = await api('DELETE', `/customers/${other}`, { headers: json });
    assert.equal(bare.status, 200, JSON.stringify(bare.body));
  });

  it('removes a member without points without a ledger entry', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    assert.equal((await api('DELETE', `/customers/${id}`)).status, 200);
    assert.equal((await ledgerOf(ctx, tenantId, id)).length, 0);
    assert.equal((await eventsOf(ctx, tenantId, id, 'customer.removed')).length, 1);
  });

  it('needs customers:delete', async () => {
    const admin = await newTenant(ctx);
    const id = await newMember(admin.api);
    const agent = await newTenant(ctx, { tenantId: admin.tenantId, role: 'agent', perms: ['customers:read', 'customers:write', 'points:write'] });
    assert.equal((await agent.api('DELETE', `/customers/${id}`)).status, 403);
    assert.equal((await customerRow(ctx, admin.tenantId, id)).status, 'active');
  });

  it('refuses manual changes for a disabled member', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const id = await newMember(api);
    await mustChangePoints(api, id, 10);
    await ctx.database.db.update(customers).set({ status: 'disabled' }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
    const res = await changePoints(api, id, -5);
    assert.equal(res.status, 409);
    assert.match(res.body.error.message, /disabled/);
    assert.equal((await customerRow(ctx, tenantId, id)).points, 10);
  });
});
