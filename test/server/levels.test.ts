import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { customers, levels } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';
import { changePoints, customerRow, eventsOf, mustChangePoints, newMember } from './loyalty-helpers.ts';

const ctx = useTestApp();

type Api = Awaited<ReturnType<typeof newTenant>>['api'];

async function programme(api: Api) {
  const ids: Record<string, string> = {};
  for (const [name, minPoints] of [['Bronce', 0], ['Plata', 100], ['Oro', 300]] as const) {
    const res = await api('POST', '/levels', { body: { name, minPoints, color: '#aa8800', benefits: `Ventajas ${name}` } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    ids[name] = res.body.id;
  }
  return ids;
}

describe('levels: the programme', () => {
  it('creates, lists by threshold, edits and deletes levels', async () => {
    const { api } = await newTenant(ctx);
    const created = await api('POST', '/levels', { body: { name: 'Oro', minPoints: 2000, color: '#d4a017', benefits: 'Envío gratis' } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v1/levels/${created.body.id}`);
    assert.equal(created.body.memberCount, 0);
    assert.equal(created.body.membersMoved, 0);
    await api('POST', '/levels', { body: { name: 'Plata', minPoints: 500 } });
    const list = await api('GET', '/levels');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((l: { name: string }) => l.name), ['Plata', 'Oro']);
    assert.equal(list.body.nextCursor, null);
    assert.equal(list.body.items[0].color, null);

    const patched = await api('PATCH', `/levels/${created.body.id}`, { body: { name: 'Oro+', benefits: null } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'Oro+');
    assert.equal(patched.body.benefits, null);
    assert.equal(patched.body.minPoints, 2000);

    assert.equal((await api('DELETE', `/levels/${created.body.id}`)).status, 204);
    assert.equal((await api('GET', '/levels')).body.items.length, 1);
    assert.equal((await api('DELETE', `/levels/${created.body.id}`)).status, 404);
  });

  it('answers 422 for duplicate names (any case), equal thresholds and bad fields, and stores nothing', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const { Plata } = await programme(api);
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/levels', { name: 'plata', minPoints: 150 }, 'name'],
      ['POST', '/levels', { name: 'Diamante', minPoints: 300 }, 'minPoints'],
      ['POST', '/levels', { name: 'Diamante', minPoints: -1 }, 'minPoints'],
      ['POST', '/levels', { name: 'Diamante', minPoints: 2.5 }, 'minPoints'],
      ['POST', '/levels', { name: '', minPoints: 900 }, 'name'],
      ['POST', '/levels', { minPoints: 900 }, 'name'],
      ['POST', '/levels', { name: 'Diamante', minPoints: 900, color: 'red' }, 'color'],
      ['POST', '/levels', { name: 'Diamante', minPoints: 900, members: 3 }, 'members'],
      ['PATCH', `/levels/${Plata}`, { name: 'ORO' }, 'name'],
      ['PATCH', `/levels/${Plata}`, { minPoints: 0 }, 'minPoints'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await api(method, path, { body });
      assert.equal(res.status, 422, `${method} ${JSON.stringify(body)} → ${res.status}`);
      assert.ok(res.body.error.details.some((d: { path: string }) => d.path === field), JSON.stringify(res.body.error.details));
    }
    const rows = await ctx.database.db.select().from(levels).where(eq(levels.tenantId, tenantId));
    assert.deepEqual(rows.map((l) => `${l.name}:${l.minPoints}`).sort(), ['Bronce:0', 'Oro:300', 'Plata:100']);
  });

  it('refuses to delete a level members hold, with a clear error', async () => {
    const { api } = await newTenant(ctx);
    const { Plata } = await programme(api);
    const id = await newMember(api);
    await mustChangePoints(api, id, 150);
    const res = await api('DELETE', `/levels/${Plata}`);
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.match(res.body.error.message, /Plata.*held by 1 member/);
    assert.equal(res.body.error.memberCount, 1);
    assert.equal((await api('GET', '/levels')).body.items.find((l: { id: string }) => l.id === Plata).memberCount, 1);
  });

  it('needs levels:admin to change levels; other tenants see 404', async () => {
    const admin = await newTenant(ctx);
    const { Oro } = await programme(admin.api);
    const agent = await newTenant(ctx, { tenantId: admin.tenantId, role: 'agent', perms: ['customers:read', 'points:write'] });
    assert.equal((await agent.api('GET', '/levels')).status, 200);
    assert.equal((await agent.api('POST', '/levels', { body: { name: 'Diamante', minPoints: 900 } })).status, 403);
    assert.equal((await agent.api('PATCH', `/levels/${Oro}`, { body: { minPoints: 900 } })).status, 403);
    assert.equal((await agent.api('DELETE', `/levels/${Oro}`)).status, 403);
    const other = await newTenant(ctx);
    assert.equal((await other.api('PATCH', `/levels/${Oro}`, { body: { name: 'Mío' } })).status, 404);
    assert.equal((await other.api('DELETE', `/levels/${Oro}`)).status, 404);
    assert.equal((await other.api('GET', '/levels')).body.items.length, 0);
  });
});

describe('levels: progression', () => {
  it('gives a new member the level of 0 points', async () => {
    const { api } = await newTenant(ctx);
    const { Bronce } = await programme(api);
    const created = await api('POST', '/customers', { body: { firstName: 'Begoña' } });
    assert.equal(created.body.levelId, Bronce);
    assert.equal(created.body.level.name, 'Bronce');
  });

  it('follows lifetime points up, not down on spending, each change a level.changed event with cause points', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const { Bronce, Plata, Oro } = await programme(api);
    const id = await newMember(api);
    const up = await changePoints(api, id, 150);
    assert.equal(up.body.level.id, Plata);
    await mustChangePoints(api, id, -120);
    assert.equal((await customerRow(ctx, tenantId, id)).levelId, Plata, 'spending keeps the level');
    const gold = await changePoints(api, id, 200);
    assert.equal(gold.body.lifetimePoints, 350);
    assert.equal(gold.body.level.name, 'Oro');
    const changes = await eventsOf(ctx, tenantId, id, 'level.changed');
    assert.deepEqual(
      changes.map((e) => [e.data.cause, (e.data.from as { id: string } | null)?.id, (e.data.to as { id: string }).id]),
      [['points', Bronce, Plata], ['points', Plata, Oro]],
    );
    assert.equal(changes[1].version, (await customerRow(ctx, tenantId, id)).version);
  });

  it('keeps a locked level through point changes and recomputes at once when unlocked', async () => {
    const { api, tenantId } = await newTenant(ctx, { sub: 'admin-2', name: 'Lucía' });
    const { Bronce, Oro } = await programme(api);
    const id = await newMember(api);
    const locked = await api('PUT', `/customers/${id}/level`, { body: { levelId: Oro, locked: true } });
    assert.equal(locked.status, 200);
    assert.equal(locked.body.levelId, Oro);
    assert.equal(locked.body.levelLocked, true);
    assert.equal(locked.headers.get('etag'), `"${locked.body.version}"`);
    await mustChangePoints(api, id, 150);
    assert.equal((await customerRow(ctx, tenantId, id)).levelId, Oro, 'locked: points do not move it');

    const unlocked = await api('PUT', `/customers/${id}/level`, { body: { locked: false } });
    assert.equal(unlocked.status, 200);
    assert.equal(unlocked.body.levelLocked, false);
    assert.equal(unlocked.body.level.name, 'Plata');
    const changes = await eventsOf(ctx, tenantId, id, 'level.changed');
    assert.deepEqual(
      changes.map((e) => [e.data.cause, (e.data.from as { name: string }).name, (e.data.to as { name: string }).name, e.data.locked, e.actorId]),
      [['manual', 'Bronce', 'Oro', true, 'admin-2'], ['manual', 'Oro', 'Plata', false, 'admin-2']],
    );
    const same = await api('PUT', `/customers/${id}/level`, { body: { locked: false } });
    assert.equal(same.body.version, unlocked.body.version, 'nothing changed, nothing written');
    assert.equal((await eventsOf(ctx, tenantId, id, 'level.changed')).length, 2);

    const pinnedLow = await api('PUT', `/customers/${id}/level`, { body: { levelId: Bronce, locked: true } });
    assert.equal(pinnedLow.body.level.name, 'Bronce', 'a level can be pinned below the earned one');
  });

  it('validates level assignments', async () => {
    const { api, tenantId } = await newTenant(ctx);
    await programme(api);
    const id = await newMember(api);
    const elsewhere = await newTenant(ctx);
    const { Oro: foreignLevel } = await programme(elsewhere.api);
    const cases: Array<[unknown, string]> = [
      [{ locked: true }, 'levelId'],
      [{ levelId: foreignLevel, locked: true }, 'levelId'],
      [{ levelId: foreignLevel, locked: false }, 'levelId'],
      [{ levelId: 'nope', locked: true }, 'levelId'],
      [{ levelId: foreignLevel }, 'locked'],
    ];
    const before = await customerRow(ctx, tenantId, id);
    for (const [body, field] of cases) {
      const res = await api('PUT', `/customers/${id}/level`, { body });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.error.details.some((d: { path: string }) => d.path === field), JSON.stringify(res.body.error.details));
    }
    assert.equal((await customerRow(ctx, tenantId, id)).version, before.version);
  });

  it('moves the affected members when a threshold changes or a level is added, never locked ones', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const { Plata, Oro } = await programme(api);
    const a = await newMember(api);
    const b = await newMember(api);
    const pinned = await newMember(api);
    await mustChangePoints(api, a, 350);
    await mustChangePoints(api, b, 120);
    await mustChangePoints(api, pinned, 350);
    await api('PUT', `/customers/${pinned}/level`, { body: { levelId: Oro, locked: true } });

    const raised = await api('PATCH', `/levels/${Oro}`, { body: { minPoints: 400 } });
    assert.equal(raised.status, 200);
    assert.equal(raised.body.membersMoved, 1);
    assert.equal((await customerRow(ctx, tenantId, a)).levelId, Plata);
    assert.equal((await customerRow(ctx, tenantId, pinned)).levelId, Oro);
    const [ruleChange] = await eventsOf(ctx, tenantId, a, 'level.changed').then((es) => es.filter((e) => e.data.cause === 'rule_change'));
    assert.equal((ruleChange.data.from as { name: string }).name, 'Oro');
    assert.equal((ruleChange.data.to as { name: string }).name, 'Plata');
    assert.deepEqual(ruleChange.data.rule, { levelId: Oro, action: 'threshold_changed', from: 300, to: 400 });
    assert.equal(ruleChange.version, (await customerRow(ctx, tenantId, a)).version);

    const added = await api('POST', '/levels', { body: { name: 'Diamante', minPoints: 500 } });
    assert.equal(added.body.membersMoved, 0, 'nobody has 500 lifetime points');
    const moved = await api('PATCH', `/levels/${added.body.id}`, { body: { minPoints: 200 } });
    assert.equal(moved.body.membersMoved, 1);
    assert.equal((await customerRow(ctx, tenantId, a)).levelId, added.body.id);
    assert.equal((await customerRow(ctx, tenantId, b)).levelId, Plata);
    assert.equal(moved.body.memberCount, 1);
  });

  it('clears the stale level of a merged-away customer when its level is deleted', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const { Oro } = await programme(api);
    const survivor = await newMember(api);
    const gone = await newMember(api);
    await mustChangePoints(api, gone, 400);
    await ctx.database.db
      .update(customers)
      .set({ mergedInto: survivor, mergedAt: new Date() })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, gone)));
    assert.equal((await api('DELETE', `/levels/${Oro}`)).status, 204);
    assert.equal((await customerRow(ctx, tenantId, gone)).levelId, null);
  });
});
