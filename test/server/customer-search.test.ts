import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { customers, levels } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

type Api = Awaited<ReturnType<typeof newTenant>>['api'];

async function add(api: Api, body: Record<string, unknown>) {
  const res = await api('POST', '/customers', { body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; number: number };
}

async function search(api: Api, params: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await api('GET', `/customers?${qs}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { items: Array<Record<string, any>>; nextCursor: string | null };
}

const names = (page: { items: Array<Record<string, any>> }) => page.items.map((c) => `${c.firstName} ${c.lastName}`);

/** Every page of a listing, following nextCursor. */
async function everyPage(api: Api, params: Record<string, string | number>) {
  const all: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await search(api, cursor ? { ...params, cursor } : params);
    all.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return all;
  }
  throw new Error('no end to the pages');
}

async function setColumns(tenantId: string, id: string, values: Partial<typeof customers.$inferInsert>) {
  await ctx.database.db.update(customers).set(values).where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
}

describe('GET /customers: search', () => {
  it('finds names regardless of accents, case, typos, dropped surnames and a word still being typed', async () => {
    const { api } = await newTenant(ctx);
    const jose = await add(api, { firstName: 'José', lastName: 'Pérez' });
    await add(api, { firstName: 'María Isabel', lastName: 'López García' });
    await add(api, { firstName: 'Lucía', lastName: 'González' });
    await add(api, { firstName: 'Pedro', lastName: 'Martín' });
    await add(api, { firstName: 'José Luis', lastName: 'Pérez Gómez' });
    await add(api, { firstName: 'Josefa', lastName: 'Peres' });

    // Names holding every typed word come first, by name; then close spellings, by name.
    const exact = await search(api, { q: 'jose perez' });
    assert.deepEqual(names(exact), ['José Luis Pérez Gómez', 'José Pérez']);
    assert.equal(exact.items[1].id, jose.id);
    assert.deepEqual(names(await search(api, { q: 'JOSÉ PÉREZ' })), ['José Luis Pérez Gómez', 'José Pérez']);
    assert.deepEqual(names(await search(api, { q: 'perez' })), ['José Luis Pérez Gómez', 'José Pérez', 'Josefa Peres']);
    assert.deepEqual(names(await search(api, { q: 'peres' })), ['Josefa Peres', 'José Luis Pérez Gómez', 'José Pérez']);
    assert.deepEqual(names(await search(api, { q: 'Gonzales' })), ['Lucía González']);
    assert.deepEqual(names(await search(api, { q: 'jsoe perez' })), ['José Luis Pérez Gómez', 'José Pérez']);
    assert.deepEqual(names(await search(api, { q: 'jose peres' })), ['José Luis Pérez Gómez', 'José Pérez']);
    assert.deepEqual(names(await search(api, { q: 'maria lopez' })), ['María Isabel López García']);
    assert.deepEqual(names(await search(api, { q: 'lopez maria' })), ['María Isabel López García'], 'in any order');
    assert.deepEqual(names(await search(api, { q: 'jose pé' })), ['José Luis Pérez Gómez', 'José Pérez'], 'the last word as a prefix');
    assert.deepEqual(names(await search(api, { q: 'josé' })), ['José Luis Pérez Gómez', 'José Pérez', 'Josefa Peres']);
    assert.deepEqual(names(await search(api, { q: 'Hernandez' })), []);
    assert.deepEqual(names(await search(api, { q: 'ana' })), [], 'short words are not corrected: one edit makes another name');
  });

  it('learns the words of new and edited names, so their typos are found at once', async () => {
    const { api } = await newTenant(ctx);
    const ana = await add(api, { firstName: 'Ana', lastName: 'Ruiz' });
    assert.equal((await search(api, { q: 'echeveria' })).items.length, 0);
    const edited = await api('PATCH', `/customers/${ana.id}`, { body: { lastName: 'Echeverría' }, headers: { 'if-match': '"1"' } });
    assert.equal(edited.status, 200);
    assert.deepEqual(names(await search(api, { q: 'echeveria' })), ['Ana Echeverría']);
    assert.deepEqual(names(await search(api, { q: 'ana echevarria' })), ['Ana Echeverría']);
  });

  it('finds email by prefix in any case, and phones however they are written', async () => {
    const { api } = await newTenant(ctx);
    const ana = await add(api, { firstName: 'Ana', email: 'Ana.Garcia@Example.com', phones: [{ number: '+34 612 34 56 78' }] });
    await add(api, { firstName: 'Anabel', email: 'anabel@example.com', phones: [{ number: '+34 699 99 99 99' }] });
    for (const q of ['ANA.GARCIA@', 'ana.garcia@example.com', 'Ana.Gar']) {
      assert.deepEqual((await search(api, { q })).items.map((c) => c.id), [ana.id], q);
    }
    for (const q of ['+34 612 34 56 78', '612345678', '0034612345678', '612 345 678', '(+34) 612-34-56-78']) {
      assert.deepEqual((await search(api, { q })).items.map((c) => c.id), [ana.id], q);
    }
    assert.equal((await search(api, { q: 'anabel@' })).items.length, 1);
    assert.equal((await search(api, { q: '612345670' })).items.length, 0);
  });

  it('finds #number, a bare number, an id number in any punctuation and the external id', async () => {
    const { api } = await newTenant(ctx);
    const first = await add(api, { firstName: 'Ana', idType: 'national_id', idNumber: '12345678Z', externalId: 'shop-77' });
    const second = await add(api, { firstName: 'Bea' });
    assert.deepEqual((await search(api, { q: `#${second.number}` })).items.map((c) => c.id), [second.id]);
    assert.deepEqual((await search(api, { q: String(first.number) })).items.map((c) => c.id), [first.id]);
    assert.deepEqual((await search(api, { q: '12.345.678-z' })).items.map((c) => c.id), [first.id]);
    assert.deepEqual((await search(api, { q: 'shop-77' })).items.map((c) => c.id), [first.id]);
    assert.equal((await search(api, { q: '#999999' })).items.length, 0);
  });

  it('never lists merged-away or erased customers; a merged number finds the survivor', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const survivor = await add(api, { firstName: 'Rocío', lastName: 'Núñez' });
    const merged = await add(api, { firstName: 'Rocio', lastName: 'Nunez' });
    const erased = await add(api, { firstName: 'Rocío', lastName: 'Nuñez Ibáñez' });
    await setColumns(tenantId, merged.id, { mergedInto: survivor.id, mergedAt: new Date() });
    await setColumns(tenantId, erased.id, { erasedAt: new Date() });
    assert.deepEqual((await search(api, { q: 'rocio nunez' })).items.map((c) => c.id), [survivor.id]);
    assert.deepEqual((await search(api, {})).items.map((c) => c.id), [survivor.id]);
    assert.deepEqual((await search(api, { q: `#${merged.number}` })).items.map((c) => c.id), [survivor.id]);
  });

  it('keeps tenants apart', async () => {
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    await add(a.api, { firstName: 'Ximena', lastName: 'Zúñiga' });
    assert.equal((await search(b.api, { q: 'ximena' })).items.length, 0);
    assert.equal((await search(b.api, {})).items.length, 0);
  });

  it('pages through relevance results without losing or repeating a row', async () => {
    const { api } = await newTenant(ctx);
    for (const lastName of ['Pérez', 'Perez', 'Pérez', 'Peres', 'Pérez Gil', 'Pereza']) await add(api, { firstName: 'Juan', lastName });
    const whole = (await search(api, { q: 'juan perez', limit: 50 })).items.map((c) => c.id);
    const paged = (await everyPage(api, { q: 'juan perez', limit: 2 })).map((c) => c.id);
    assert.ok(whole.length >= 5);
    assert.deepEqual(paged, whole);
  });
});

describe('GET /customers: filters, sorts and pages', () => {
  it('filters by status, level, tag, vip, bad, assignee and registration dates', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const [gold] = await ctx.database.db.insert(levels).values({ tenantId, name: 'Oro', minPoints: 2000, color: '#d4a017' }).returning();
    const a = await add(api, { firstName: 'A', tags: ['online', 'vip-event'], vip: true, registeredAt: '2024-01-10T10:00:00Z' });
    const b = await add(api, { firstName: 'B', tags: ['tienda'], bad: true, registeredAt: '2024-02-10T23:59:59Z' });
    const c = await add(api, { firstName: 'C', registeredAt: '2024-03-10T00:00:00Z' });
    await setColumns(tenantId, b.id, { status: 'inactive', levelId: gold.id, assignedUserId: 'agent-7' });
    await setColumns(tenantId, c.id, { status: 'removed' });
    const ids = async (params: Record<string, string>) => (await search(api, { sort: 'registeredAt', ...params })).items.map((x) => x.id);

    assert.deepEqual(await ids({}), [a.id, b.id, c.id], 'every status by default');
    assert.deepEqual(await ids({ status: 'active' }), [a.id]);
    assert.deepEqual(await ids({ status: 'inactive,removed' }), [b.id, c.id]);
    assert.deepEqual(await ids({ levelId: gold.id }), [b.id]);
    assert.deepEqual(await ids({ tag: 'online' }), [a.id]);
    assert.deepEqual(await ids({ vip: 'true' }), [a.id]);
    assert.deepEqual(await ids({ vip: 'false' }), [b.id, c.id]);
    assert.deepEqual(await ids({ bad: 'true' }), [b.id]);
    assert.deepEqual(await ids({ assignedUserId: 'agent-7' }), [b.id]);
    assert.deepEqual(await ids({ registeredFrom: '2024-02-10', registeredTo: '2024-02-10' }), [b.id], 'both ends inclusive');
    assert.deepEqual(await ids({ registeredFrom: '2024-02-11' }), [c.id]);
    assert.deepEqual(await ids({ registeredTo: '2024-01-10' }), [a.id]);

    const listed = (await search(api, { levelId: gold.id })).items[0];
    assert.deepEqual(listed.level, { id: gold.id, name: 'Oro', color: '#d4a017', minPoints: 2000 });
    assert.equal('duplicateHints' in listed, false);
  });

  it('sorts by each key in both directions and pages by keyset without gaps or repeats', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const made: Array<{ id: string; name: string; points: number; registeredAt: string; lastOrderAt: string | null }> = [];
    const people = ['Zoe Álvarez', 'Ana Álvarez', 'Íñigo Blanco', 'ana blanco', 'Óscar Castro', 'Eva Díaz', 'Luis Díaz'];
    for (const [i, full] of people.entries()) {
      const [firstName, lastName] = full.split(' ');
      // Two customers share a timestamp, two share points, three never ordered: ties and NULLs must page exactly.
      const registeredAt = new Date(Date.UTC(2024, 0, 1 + (i === 3 ? 2 : i))).toISOString();
      const row = await add(api, { firstName, lastName, registeredAt });
      const points = [50, 10, 10, 0, 300, 75, 20][i];
      const lastOrderAt = [null, '2024-05-01T10:00:00.123456Z', null, '2024-05-01T10:00:00.123457Z', '2023-01-01T00:00:00Z', null, '2025-01-01T00:00:00Z'][i];
      // Written as SQL text: a JS Date would drop the microseconds that tell two orders apart.
      await setColumns(tenantId, row.id, { points, lifetimePoints: points, lastOrderAt: sql`${lastOrderAt}::timestamptz` as unknown as Date });
      made.push({ id: row.id, name: `${lastName} ${firstName}`.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase(), points, registeredAt, lastOrderAt });
    }
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const expectations: Record<string, (a: (typeof made)[number], b: (typeof made)[number]) => number> = {
      name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : byId(a, b)),
      points: (a, b) => a.points - b.points || byId(a, b),
      registeredAt: (a, b) => a.registeredAt.localeCompare(b.registeredAt) || byId(a, b),
      lastOrderAt: (a, b) => (a.lastOrderAt ?? '').localeCompare(b.lastOrderAt ?? '') || byId(a, b),
    };
    for (const [key, compare] of Object.entries(expectations)) {
      const ascending = [...made].sort(compare).map((m) => m.id);
      assert.deepEqual((await everyPage(api, { sort: key, limit: 2 })).map((c) => c.id), ascending, key);
      assert.deepEqual((await everyPage(api, { sort: `-${key}`, limit: 3 })).map((c) => c.id), [...ascending].reverse(), `-${key}`);
    }
    const defaultOrder = (await everyPage(api, { limit: 4 })).map((c) => c.id);
    assert.deepEqual(defaultOrder, [...made].sort(expectations.registeredAt).map((m) => m.id).reverse(), 'newest registered first');
  });

  it('answers 422 naming the parameter for bad filters, sorts, limits and cursors', async () => {
    const { api } = await newTenant(ctx);
    await add(api, { firstName: 'Ana' });
    await add(api, { firstName: 'Bea' });
    const cases: Array<[string, string]> = [
      ['status=gone', 'status'],
      ['sort=age', 'sort'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['vip=yes', 'vip'],
      ['registeredFrom=2024-13-01', 'registeredFrom'],
      ['registeredFrom=2024-03-01&registeredTo=2024-02-01', 'registeredTo'],
      ['levelId=gold', 'levelId'],
      ['cursor=not-a-cursor', 'cursor'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ];
    for (const [qs, path] of cases) {
      const res = await api('GET', `/customers?${qs}`);
      assert.equal(res.status, 422, qs);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.deepEqual(res.body.error.details.map((d: { path: string }) => d.path), [path], qs);
    }
    const byName = await search(api, { sort: 'name', limit: 1 });
    assert.ok(byName.nextCursor);
    const mixed = await api('GET', `/customers?sort=points&cursor=${byName.nextCursor}`);
    assert.equal(mixed.status, 422, 'a cursor of another sort');
    const forged = Buffer.from(JSON.stringify(['name', { evil: true }, 'x'])).toString('base64url');
    assert.equal((await api('GET', `/customers?sort=name&cursor=${forged}`)).status, 422);
  });

  it('answers 401 without a token and 403 without customers:read', async () => {
    const anonymous = await newTenant(ctx);
    assert.equal((await anonymous.api('GET', '/customers', { token: null })).status, 401);
    const { api } = await newTenant(ctx, { role: 'agent', perms: ['points:write'] });
    const res = await api('GET', '/customers');
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
  });
});
