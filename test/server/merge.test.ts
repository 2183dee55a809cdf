import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { customers, events, ledgerEntries, merges, notes, orders } from '../../server/db/schema.ts';
import { newTenant, useTestApp, type CallOptions, type CallResult, type TestContext } from './helpers.ts';
import { assertLedgerConsistent, customerRow, newMember, setSettings } from './loyalty-helpers.ts';

const ctx = useTestApp();
type Api = <T = any>(method: string, path: string, options?: CallOptions) => Promise<CallResult<T>>;

async function addOrder(api: Api, customerId: string, externalId: string, total: number) {
  const res = await api('POST', '/orders', {
    body: { customerId, externalId, total, currency: 'EUR', status: 'completed', placedAt: '2026-03-01T10:00:00Z', items: [{ name: 'Café', quantity: 1, price: total }] },
  });
  assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
}

async function addPoints(api: Api, id: string, delta: number) {
  const res = await api('POST', `/customers/${id}/points`, { body: { delta, reason: 'Bienvenida' } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

async function addNote(api: Api, id: string, body: string) {
  assert.equal((await api('POST', `/customers/${id}/notes`, { body: { body } })).status, 201);
}

const TABLES = { orders, ledgerEntries, notes, events } as const;
type Owned = Record<keyof typeof TABLES, Map<string, string>>;

/** Every row of the tenant in the tables a customer owns rows of: id → owner. */
async function ownership(c: TestContext, tenantId: string): Promise<Owned> {
  const owned = {} as Owned;
  for (const [name, table] of Object.entries(TABLES) as Array<[keyof typeof TABLES, (typeof TABLES)[keyof typeof TABLES]]>) {
    const rows = await c.database.db.select({ id: table.id, owner: table.customerId }).from(table).where(eq(table.tenantId, tenantId));
    owned[name] = new Map(rows.map((r) => [r.id, r.owner ?? '']));
  }
  return owned;
}

/** A primary and two sources with orders, points (one batch expiring), notes, tags and phones. */
async function family(api: Api, tenantId: string) {
  const primary = await newMember(api, { firstName: 'José', lastName: 'García López', email: 'jose@example.com', externalId: `crm-p-${tenantId}`, phones: [{ number: '+34 612 345 678' }], tags: ['tienda'] });
  // The tenant exists from its first call on: now its points can expire.
  await setSettings(ctx, tenantId, { pointsValidityDays: 365 });
  const first = await newMember(api, {
    firstName: 'Pepe',
    lastName: 'García',
    email: 'pepe.garcia@example.com',
    phones: [{ number: '612345678' }, { number: '+34 915 555 555', label: 'casa' }],
    birthday: '1980-05-17',
    city: 'Sevilla',
    tags: ['online', 'tienda'],
  });
  const second = await newMember(api, { firstName: 'José', lastName: 'Garcia', idType: 'national_id', idNumber: '12345678Z', city: 'Madrid', tags: ['evento'], externalId: `crm-${tenantId}` });
  await addOrder(api, primary, `o-${tenantId}-1`, 2000);
  await addOrder(api, first, `o-${tenantId}-2`, 5000);
  await addOrder(api, first, `o-${tenantId}-3`, 1000);
  await addPoints(api, primary, 100);
  await addPoints(api, first, 40);
  await addPoints(api, second, 7);
  assert.equal((await api('POST', `/customers/${first}/points`, { body: { delta: -30, reason: 'Canje', kind: 'redeem' } })).status, 201);
  await addNote(api, first, '<p>Prefiere <strong>tienda</strong></p>');
  await addNote(api, second, '<p>Llamar por la tarde</p>');
  return { primary, first, second };
}

describe('merge preview', () => {
  it('lists every blocker: self, unknown or another tenant’s id, merged, erased, repeated, more than ten', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const other = await newTenant(ctx);
    const primary = await newMember(api);
    const ok = await newMember(api);
    const merged = await newMember(api);
    const erased = await newMember(api);
    const foreign = await newMember(other.api);
    const unknown = '00000000-0000-4000-8000-000000000001';
    await ctx.database.db.update(customers).set({ mergedInto: ok, mergedAt: new Date() }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, merged)));
    assert.equal((await api('POST', `/customers/${erased}/erase`, { body: {} })).status, 200);

    const res = await api('POST', `/customers/${primary}/merge/preview`, { body: { sourceIds: [ok, primary, unknown, foreign, merged, erased, ok] } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.blockers.map((b: any) => [b.code, b.customerId]),
      [
        ['self', primary],
        ['not_found', unknown],
        ['not_found', foreign],
        ['merged', merged],
        ['erased', erased],
        ['duplicate_source', ok],
      ],
    );
    const [unknownBlocker, foreignBlocker] = res.body.blockers.filter((b: any) => b.code === 'not_found');
    assert.equal(unknownBlocker.message, foreignBlocker.message, 'another tenant’s customer reads exactly like a missing one');

    const eleven = [];
    for (let i = 0; i < 11; i++) eleven.push(await newMember(api));
    const many = await api('POST', `/customers/${primary}/merge/preview`, { body: { sourceIds: eleven } });
    assert.deepEqual(many.body.blockers.map((b: any) => b.code), ['too_many_sources']);

    assert.equal((await api('POST', `/customers/${unknown}/merge/preview`, { body: { sourceIds: [ok] } })).status, 404);
    assert.equal((await api('POST', `/customers/${foreign}/merge/preview`, { body: { sourceIds: [ok] } })).status, 404);
    const fromMerged = await api('POST', `/customers/${merged}/merge/preview`, { body: { sourceIds: [ok] } });
    assert.equal(fromMerged.status, 409);
    assert.equal(fromMerged.body.error.code, 'customer_merged');
    const empty = await api('POST', `/customers/${primary}/merge/preview`, { body: { sourceIds: [] } });
    assert.equal(empty.status, 422);
    assert.equal(empty.body.error.details[0].path, 'sourceIds');
  });

  it('shows conflicts with each value and whose it is, what moves, and the points and level after', async () => {
    const { tenantId, api } = await newTenant(ctx);
    assert.equal((await api('POST', '/levels', { body: { name: 'Plata', minPoints: 100 } })).status, 201);
    const gold = await api('POST', '/levels', { body: { name: 'Oro', minPoints: 150 } });
    const { primary, first, second } = await family(api, tenantId);
    const res = await api('POST', `/customers/${primary}/merge/preview`, { body: { sourceIds: [first, second] } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.blockers, []);
    const conflict = (field: string) => res.body.conflicts.find((c: any) => c.field === field);
    assert.deepEqual(conflict('firstName').values, [
      { customerId: primary, value: 'José' },
      { customerId: first, value: 'Pepe' },
      { customerId: second, value: 'José' },
    ]);
    assert.equal(conflict('firstName').chosen, primary, 'the primary’s value by default');
    assert.equal(conflict('city').chosen, first, 'the primary has none: the first source that has one');
    assert.equal(conflict('birthday'), undefined, 'one value only: no conflict');
    assert.deepEqual(res.body.moves, { orders: 2, ledgerEntries: (4 + 1) + (1 + 1), notes: 2, events: res.body.moves.events, tags: 2, phones: 1 });
    assert.ok(res.body.moves.events >= 10);
    const before = await Promise.all([primary, first, second].map((id) => customerRow(ctx, tenantId, id)));
    assert.deepEqual(res.body.after, {
      points: before.reduce((s, r) => s + r.points, 0),
      lifetimePoints: before.reduce((s, r) => s + r.lifetimePoints, 0),
      levelId: gold.body.id,
    });
    const unchanged = await Promise.all([primary, first, second].map((id) => customerRow(ctx, tenantId, id)));
    assert.deepEqual(unchanged, before, 'a preview changes nothing');
  });
});

describe('merge', () => {
  it('needs customers:merge (403) and confirm: true (422), and changes nothing without them', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const a = await newMember(api);
    const b = await newMember(api);
    const agent = await newTenant(ctx, { tenantId, role: 'agent', perms: ['customers:read', 'customers:write', 'points:write'] });
    assert.equal((await agent.api('POST', `/customers/${a}/merge/preview`, { body: { sourceIds: [b] } })).status, 403);
    assert.equal((await agent.api('POST', `/customers/${a}/merge`, { body: { sourceIds: [b], confirm: true } })).status, 403);
    const unconfirmed = await api('POST', `/customers/${a}/merge`, { body: { sourceIds: [b] } });
    assert.equal(unconfirmed.status, 422);
    assert.deepEqual(unconfirmed.body.error.details.map((d: any) => d.path), ['confirm']);
    assert.equal((await api('POST', `/customers/${a}/merge`, { body: { sourceIds: [b], confirm: false } })).status, 422);
    assert.equal((await customerRow(ctx, tenantId, b)).mergedInto, null);
  });

  it('refuses blocked merges without changing anything: 422 for the list, 404 unknown or foreign, 409 merged', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const other = await newTenant(ctx);
    const a = await newMember(api);
    const b = await newMember(api);
    const c = await newMember(api);
    const foreign = await newMember(other.api);
    const merge = (primary: string, sourceIds: string[]) => api('POST', `/customers/${primary}/merge`, { body: { sourceIds, confirm: true } });
    const self = await merge(a, [a]);
    assert.equal(self.status, 422);
    assert.equal(self.body.error.details[0].path, 'sourceIds');
    assert.equal((await merge(a, [b, b])).status, 422);
    const notMine = await merge(a, [b, foreign]);
    assert.equal(notMine.status, 404);
    assert.deepEqual(notMine.body.error.blockers.map((x: any) => x.code), ['not_found']);
    assert.equal((await customerRow(ctx, tenantId, b)).mergedInto, null, 'the valid source was not merged either');
    assert.equal((await merge(a, [b])).status, 200);
    const again = await merge(c, [b]);
    assert.equal(again.status, 409);
    assert.deepEqual(again.body.error.blockers.map((x: any) => x.code), ['merged']);
    assert.equal((await customerRow(ctx, tenantId, c)).version, 1);
  });

  it('blocks a merge into a removed or disabled primary (primary_inactive), in the preview and the merge', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const removed = await newMember(api);
    const disabled = await newMember(api);
    const source = await newMember(api);
    await addPoints(api, source, 25);
    assert.equal((await api('DELETE', `/customers/${removed}`)).status, 200);
    assert.equal((await api('POST', `/customers/${disabled}/status`, { body: { status: 'disabled' } })).status, 200);
    for (const primary of [removed, disabled]) {
      const preview = await api('POST', `/customers/${primary}/merge/preview`, { body: { sourceIds: [source] } });
      assert.equal(preview.status, 200);
      assert.deepEqual(preview.body.blockers.map((x: any) => [x.code, x.customerId]), [['primary_inactive', primary]]);
      const merged = await api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [source], confirm: true } });
      assert.equal(merged.status, 409, JSON.stringify(merged.body));
      assert.deepEqual(merged.body.error.blockers.map((x: any) => x.code), ['primary_inactive']);
    }
    const kept = await customerRow(ctx, tenantId, source);
    assert.equal(kept.mergedInto, null);
    assert.equal(kept.points, 25, 'the source kept its points');
  });

  it('honours field choices; empty never overwrites filled; phones and tags are united', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const { primary, first, second } = await family(api, tenantId);
    const bad = await api('POST', `/customers/${primary}/merge`, {
      body: { sourceIds: [first, second], fieldChoices: { birthday: second, shoeSize: first, email: '00000000-0000-4000-8000-000000000009' }, confirm: true },
    });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.details.map((d: any) => d.path).sort(), ['fieldChoices.birthday', 'fieldChoices.email', 'fieldChoices.shoeSize']);

    const res = await api('POST', `/customers/${primary}/merge`, {
      body: { sourceIds: [first, second], fieldChoices: { email: first, city: second, lastName: primary }, confirm: true },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const merged = res.body.customer;
    assert.equal(merged.id, primary);
    assert.equal(merged.email, 'pepe.garcia@example.com', 'chosen from the first source');
    assert.equal(merged.city, 'Madrid', 'chosen from the second source');
    assert.equal(merged.firstName, 'José', 'not chosen: the primary’s');
    assert.equal(merged.birthday, '1980-05-17', 'the primary had none: filled from a source');
    assert.equal(merged.idNumber, '12345678Z');
    assert.equal(merged.idType, 'national_id');
    assert.deepEqual(merged.phones.map((p: any) => p.number), ['+34612345678', '+34915555555']);
    assert.deepEqual(merged.tags, ['tienda', 'online', 'evento']);
    const stored = await customerRow(ctx, tenantId, primary);
    assert.equal(stored.searchIdNumber, '12345678Z');
    assert.deepEqual(stored.phoneNumbers, ['+34612345678', '+34915555555']);
  });

  it('moves everything the preview counted, loses nothing, adds up the points and redirects the sources', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const { primary, first, second } = await family(api, tenantId);
    const sourceIds = [first, second];
    const before = await ownership(ctx, tenantId);
    const rows = await Promise.all([primary, first, second].map((id) => customerRow(ctx, tenantId, id)));
    const preview = await api('POST', `/customers/${primary}/merge/preview`, { body: { sourceIds } });
    const expiring = await ctx.database.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.tenantId, tenantId), inArray(ledgerEntries.customerId, sourceIds), sql`${ledgerEntries.remaining} > 0`));
    assert.ok(expiring.length >= 2 && expiring.every((e) => e.expiresAt), 'sources hold unspent batches that expire');

    const res = await api('POST', `/customers/${primary}/merge`, { body: { sourceIds, confirm: true } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.moves, preview.body.moves, 'the preview counted what moved');

    const after = await ownership(ctx, tenantId);
    for (const table of Object.keys(TABLES) as Array<keyof typeof TABLES>) {
      for (const [id, owner] of before[table]) {
        assert.ok(after[table].has(id), `${table} ${id} still exists`);
        assert.equal(after[table].get(id), sourceIds.includes(owner) ? primary : owner, `${table} ${id} belongs to the primary now`);
      }
      const movedHere = [...after[table]].filter(([id, owner]) => owner === primary && sourceIds.includes(before[table].get(id) ?? ''));
      const closing = table === 'ledgerEntries' || table === 'events' ? 2 : 0;
      assert.equal(movedHere.length + closing, preview.body.moves[table], `${table}: the preview’s count`);
    }

    const merged = await customerRow(ctx, tenantId, primary);
    assert.equal(merged.points, rows.reduce((s, r) => s + r.points, 0));
    assert.equal(merged.points, preview.body.after.points);
    assert.equal(merged.lifetimePoints, rows.reduce((s, r) => s + r.lifetimePoints, 0));
    assert.equal(merged.ordersCount, 3);
    assert.equal(merged.totalSpent, 8000);
    await assertLedgerConsistent(ctx, tenantId, primary);
    for (const id of sourceIds) {
      const source = await customerRow(ctx, tenantId, id);
      assert.equal(source.mergedInto, primary);
      assert.equal(source.points, 0);
      await assertLedgerConsistent(ctx, tenantId, id);
    }
    const kept = await ctx.database.db.select().from(ledgerEntries).where(inArray(ledgerEntries.id, expiring.map((e) => e.id)));
    for (const entry of kept) {
      const was = expiring.find((e) => e.id === entry.id)!;
      assert.equal(entry.customerId, primary);
      assert.equal(entry.remaining, was.remaining, 'each batch keeps what is left of it');
      assert.equal(entry.expiresAt?.getTime(), was.expiresAt?.getTime(), 'and its expiry');
      assert.equal(entry.sourceCustomerId, was.customerId);
    }

    const redirect = await api('GET', `/customers/${first}`);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), `/api/v1/customers/${primary}`);
    const points = await api('POST', `/customers/${second}/points`, { body: { delta: 5, reason: 'Tarde' } });
    assert.equal(points.status, 409);
    assert.equal(points.body.error.code, 'customer_merged');
    assert.equal(points.body.error.mergedInto, primary);

    const list = await api('GET', '/customers?limit=200');
    assert.deepEqual(list.body.items.map((c: any) => c.id), [primary], 'the sources vanish from lists');
    const byNumber = await api('GET', `/customers?q=%23${rows[1].number}`);
    assert.deepEqual(byNumber.body.items.map((c: any) => c.id), [primary], 'a source’s number finds the primary');
    const byEmail = await api('GET', '/customers?q=pepe.garcia@example.com');
    assert.deepEqual(byEmail.body.items.map((c: any) => c.id), [primary], 'a source’s email finds the primary');
    const byExternalId = await api('GET', `/customers?q=crm-${tenantId}`);
    assert.deepEqual(byExternalId.body.items.map((c: any) => c.id), [primary], 'and its external id');
  });

  it('keeps a full snapshot of every source, and the history shows the merge and keeps the sources’ events', async () => {
    const { tenantId, api } = await newTenant(ctx, { name: 'Lucía Admin' });
    const { primary, first, second } = await family(api, tenantId);
    const firstBefore = await api('GET', `/customers/${first}`);
    const res = await api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [first, second], fieldChoices: { email: first }, confirm: true } });
    assert.equal(res.status, 200);

    const [record] = await ctx.database.db.select().from(merges).where(eq(merges.tenantId, tenantId));
    assert.equal(record.id, res.body.mergeId);
    assert.deepEqual(record.sourceIds, [first, second]);
    assert.equal(record.fieldChoices.email, first);
    assert.equal(record.actorName, 'Lucía Admin');
    const snapshot = (record.snapshots as any[])[0];
    const { duplicateHints, level, ...asItWas } = firstBefore.body;
    assert.deepEqual({ ...snapshot.customer }, { ...asItWas, level: null, duplicateHints: [] });
    assert.equal(snapshot.notes.length, 1);
    assert.equal(snapshot.orders.length, 2);

    const history = await api('GET', `/customers/${primary}/history?limit=200`);
    assert.equal(history.status, 200);
    const types = history.body.items.map((e: any) => e.type);
    const mergedEvent = history.body.items.find((e: any) => e.type === 'customer.merged');
    assert.equal(mergedEvent.actor.name, 'Lucía Admin');
    assert.deepEqual(mergedEvent.data.sources.map((s: any) => s.id), [first, second]);
    assert.deepEqual(mergedEvent.data.fields.find((f: any) => f.field === 'email'), {
      field: 'email',
      customerId: first,
      from: 'jose@example.com',
      to: 'pepe.garcia@example.com',
    });
    const sourceEvents = await ctx.database.db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.type, 'note.added')));
    assert.ok(sourceEvents.length === 2 && sourceEvents.every((e) => e.customerId === primary));
    assert.equal(types.filter((t: string) => t === 'customer.created').length, 3, 'the sources’ creation is in the primary’s history');
  });

  it('carries a source’s "not duplicates" over to the primary', async () => {
    const { api } = await newTenant(ctx);
    const elena = { firstName: 'Elena', lastName: 'Navarro Sáez', email: 'elena.navarro@example.com' };
    const primary = await newMember(api, elena);
    const source = await newMember(api, elena);
    const sister = await newMember(api, elena);
    assert.equal((await api('POST', '/duplicates/dismiss', { body: { customerIds: [source, sister] } })).status, 200);
    const before = await api('GET', `/customers/${primary}/duplicates`);
    assert.deepEqual(before.body.items.map((i: any) => i.customer.id).sort(), [source, sister].sort());
    assert.equal((await api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [source], confirm: true } })).status, 200);
    assert.deepEqual((await api('GET', `/customers/${primary}/duplicates`)).body.items, []);
  });

  it('replays the answer for a repeated Idempotency-Key and merges once', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const a = await newMember(api);
    const b = await newMember(api);
    await addPoints(api, b, 25);
    const headers = { 'Idempotency-Key': `merge-${a}` };
    const one = await api('POST', `/customers/${a}/merge`, { body: { sourceIds: [b], confirm: true }, headers });
    const two = await api('POST', `/customers/${a}/merge`, { body: { sourceIds: [b], confirm: true }, headers });
    assert.equal(one.status, 200);
    assert.equal(two.status, 200);
    assert.equal(two.body.mergeId, one.body.mergeId);
    assert.equal((await customerRow(ctx, tenantId, a)).points, 25);
    assert.equal((await ctx.database.db.select().from(merges).where(eq(merges.tenantId, tenantId))).length, 1);
  });

  it('recomputes the level from the lifetime points added, unless the primary’s level is locked', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const silver = await api('POST', '/levels', { body: { name: 'Plata', minPoints: 50 } });
    const bronze = await api('POST', '/levels', { body: { name: 'Bronce', minPoints: 0 } });
    const free = await newMember(api);
    const locked = await newMember(api);
    assert.equal((await api('PUT', `/customers/${locked}/level`, { body: { levelId: bronze.body.id, locked: true } })).status, 200);
    const donors = [await newMember(api), await newMember(api)];
    for (const d of donors) await addPoints(api, d, 60);

    const up = await api('POST', `/customers/${free}/merge`, { body: { sourceIds: [donors[0]], confirm: true } });
    assert.equal(up.body.customer.levelId, silver.body.id);
    const kept = await api('POST', `/customers/${locked}/merge`, { body: { sourceIds: [donors[1]], confirm: true } });
    assert.equal(kept.body.customer.levelId, bronze.body.id);
    assert.equal(kept.body.customer.levelLocked, true);
    assert.equal(kept.body.customer.lifetimePoints, 60);
  });
});
