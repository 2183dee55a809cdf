import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { customers, events } from '../../server/db/schema.ts';
import { spanishDuplicateSet } from '../fixtures/spanish-duplicates.ts';
import { newTenant, useTestApp, type CallOptions, type CallResult } from './helpers.ts';

const ctx = useTestApp();
type Api = <T = any>(method: string, path: string, options?: CallOptions) => Promise<CallResult<T>>;

async function create(api: Api, body: Record<string, unknown>): Promise<string> {
  const res = await api('POST', '/customers', { body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** Every group of GET /duplicates, paged through. */
async function allGroups(api: Api, query = ''): Promise<any[]> {
  const groups: any[] = [];
  let cursor: string | null = null;
  do {
    const res: CallResult = await api('GET', `/duplicates?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    groups.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return groups;
}

describe('duplicates of one customer', () => {
  it('finds a variant by phone format, hypocorism and dropped surname, with score and reasons', async () => {
    const { api } = await newTenant(ctx);
    const jose = await create(api, { firstName: 'José', lastName: 'García López', phones: [{ number: '+34 612 345 678' }], birthday: '1980-05-17' });
    const pepe = await create(api, { firstName: 'Pepe', lastName: 'Garcia', phones: [{ number: '0034 612-345-678' }], birthday: '1980-05-17' });
    const namesake = await create(api, { firstName: 'José', lastName: 'García López', phones: [{ number: '+34 699 000 111' }], birthday: '1955-01-02' });
    await create(api, { firstName: 'Lucía', lastName: 'Martín', email: 'lucia@example.com' });

    const res = await api('GET', `/customers/${jose}/duplicates`);
    assert.equal(res.status, 200);
    const ids = res.body.items.map((i: any) => i.customer.id);
    assert.deepEqual(ids, [pepe], 'the variant, and not the namesake with another phone and birthday');
    const [hit] = res.body.items;
    assert.ok(hit.score >= 0.9 && hit.score <= 1, `score ${hit.score}`);
    assert.deepEqual(hit.reasons, ['phone', 'name', 'birthday']);
    assert.equal(hit.customer.phones[0].number, '+34612345678');
    assert.equal(res.body.nextCursor, null);

    const low = await api('GET', `/customers/${jose}/duplicates?minScore=0`);
    assert.ok(low.body.items.some((i: any) => i.customer.id === namesake), 'a lower threshold shows the namesake too');
    assert.equal(low.body.items[0].customer.id, pepe, 'strongest first');
  });

  it('pages with limit and cursor, and rejects a bad cursor or threshold with 422', async () => {
    const { api } = await newTenant(ctx);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await create(api, { firstName: 'Marta', lastName: 'Ruiz', email: 'marta.ruiz@example.com' }));
    const first = await api('GET', `/customers/${ids[0]}/duplicates?limit=1`);
    assert.equal(first.body.items.length, 1);
    assert.ok(first.body.nextCursor);
    const second = await api('GET', `/customers/${ids[0]}/duplicates?limit=1&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.items.length, 1);
    assert.equal(second.body.nextCursor, null);
    assert.deepEqual([first.body.items[0].customer.id, second.body.items[0].customer.id].sort(), ids.slice(1).sort());

    const badCursor = await api('GET', `/customers/${ids[0]}/duplicates?cursor=nonsense`);
    assert.equal(badCursor.status, 422);
    assert.equal(badCursor.body.error.details[0].path, 'cursor');
    const badScore = await api('GET', `/customers/${ids[0]}/duplicates?minScore=1.5`);
    assert.equal(badScore.status, 422);
    assert.equal(badScore.body.error.details[0].path, 'minScore');
  });

  it('never shows merged-away, erased or other tenants’ customers; 404 and 409 on such ids', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const other = await newTenant(ctx);
    const body = { firstName: 'Rocío', lastName: 'Peña Díaz', email: 'rocio.pena@example.com' };
    const main = await create(api, body);
    const merged = await create(api, body);
    const erased = await create(api, body);
    const foreign = await create(other.api, body);
    const live = await create(api, body);
    await ctx.database.db.update(customers).set({ mergedInto: main, mergedAt: new Date() }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, merged)));
    assert.equal((await api('POST', `/customers/${erased}/erase`, { body: {} })).status, 200);

    const res = await api('GET', `/customers/${main}/duplicates`);
    assert.deepEqual(res.body.items.map((i: any) => i.customer.id), [live]);
    const groups = await allGroups(api);
    assert.deepEqual(groups.map((g) => g.customers.map((c: any) => c.id).sort()), [[main, live].sort()]);

    assert.equal((await api('GET', `/customers/${foreign}/duplicates`)).status, 404);
    const gone = await api('GET', `/customers/${merged}/duplicates`);
    assert.equal(gone.status, 409);
    assert.equal(gone.body.error.code, 'customer_merged');
    assert.equal((await api('GET', `/customers/${erased}/duplicates`)).status, 404);
  });
});

describe('duplicate groups across the tenant', () => {
  it('groups strongest first with reasons and pairs, pages them, and honours minScore', async () => {
    const { api } = await newTenant(ctx);
    const a1 = await create(api, { firstName: 'Iñaki', lastName: 'Echeverría', email: 'inaki@example.com', idType: 'national_id', idNumber: '12345678Z' });
    const a2 = await create(api, { firstName: 'Inaki', lastName: 'Echeverria Ruiz', email: 'INAKI@example.com', idType: 'national_id', idNumber: '12.345.678-Z' });
    const a3 = await create(api, { firstName: 'Iñaki', lastName: 'Echevería', idType: 'national_id', idNumber: '12345678z' });
    const b1 = await create(api, { firstName: 'Lola', lastName: 'Sánchez', city: 'Sevilla' });
    const b2 = await create(api, { firstName: 'Dolores', lastName: 'Sanchez', city: 'Sevilla' });
    await create(api, { firstName: 'Tomás', lastName: 'Ibáñez', email: 'tomas@example.com' });

    const groups = await allGroups(api, '&minScore=0.3');
    assert.equal(groups.length, 2);
    const [strong, weak] = groups;
    assert.deepEqual(strong.customers.map((c: any) => c.id), [a1, a2, a3], 'oldest first');
    assert.ok(strong.score > weak.score, 'strongest first');
    assert.deepEqual(strong.reasons, ['email', 'idNumber', 'name']);
    // The score is the weakest link of a spanning tree: enough pairs reach it to join all three.
    assert.ok(strong.pairs.filter((p: any) => p.score >= strong.score).length >= 2);
    assert.ok(strong.pairs.every((p: any) => p.score >= 0.3 && p.customerIds.every((id: string) => [a1, a2, a3].includes(id))));
    assert.deepEqual(weak.customers.map((c: any) => c.id), [b1, b2]);
    assert.deepEqual(weak.reasons, ['name', 'city']);

    const firstPage = await api('GET', '/duplicates?minScore=0.3&limit=1');
    assert.equal(firstPage.body.items.length, 1);
    const secondPage = await api('GET', `/duplicates?minScore=0.3&limit=1&cursor=${firstPage.body.nextCursor}`);
    assert.deepEqual(secondPage.body.items[0].customers.map((c: any) => c.id), [b1, b2]);
    assert.equal(secondPage.body.nextCursor, null);

    const strict = await allGroups(api, `&minScore=${weak.score + 0.001}`);
    assert.deepEqual(strict.map((g) => g.customers.length), [3]);
  });

  it('finds the Spanish test set’s duplicates with precision ≥ 0.98 and recall ≥ 0.95 at the default threshold', async () => {
    const { api } = await newTenant(ctx);
    const person = new Map<string, string>();
    for (const record of spanishDuplicateSet()) person.set(await create(api, record.body), record.person);
    const groups = await allGroups(api);
    let claimed = 0;
    let correct = 0;
    for (const { customers: members } of groups) {
      for (let i = 0; i < members.length; i++) {
        for (let j = i + 1; j < members.length; j++) {
          claimed++;
          if (person.get(members[i].id) === person.get(members[j].id)) correct++;
        }
      }
    }
    const sizes = new Map<string, number>();
    for (const p of person.values()) sizes.set(p, (sizes.get(p) ?? 0) + 1);
    const truePairs = [...sizes.values()].reduce((sum, k) => sum + (k * (k - 1)) / 2, 0);
    const precision = correct / claimed;
    const recall = correct / truePairs;
    assert.ok(truePairs > 300, `a real test set: ${truePairs} true pairs`);
    assert.ok(precision >= 0.98, `precision ${precision.toFixed(4)}`);
    assert.ok(recall >= 0.95, `recall ${recall.toFixed(4)}`);
  });
});

describe('dismissing duplicates', () => {
  it('remembers "not duplicates": the pair is suggested no more, with a history event each', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const twin = { firstName: 'Ana', lastName: 'Gil Moreno', email: 'familia.gil@example.com', birthday: '1990-03-03' };
    const ana = await create(api, twin);
    const sister = await create(api, { ...twin, birthday: '1990-03-03' });
    assert.equal((await api('GET', `/customers/${ana}/duplicates`)).body.items.length, 1);
    assert.equal((await allGroups(api)).length, 1);

    const res = await api('POST', '/duplicates/dismiss', { body: { customerIds: [sister, ana] } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { customerIds: [ana, sister].sort(), pairs: 1, newlyDismissed: 1 });
    assert.deepEqual((await api('GET', `/customers/${ana}/duplicates`)).body.items, []);
    assert.deepEqual((await api('GET', `/customers/${sister}/duplicates`)).body.items, []);
    assert.deepEqual(await allGroups(api), [], 'groups computed before are not served again');

    const logged = await ctx.database.db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.type, 'duplicates.dismissed')));
    assert.deepEqual(logged.map((e) => e.customerId).sort(), [ana, sister].sort());
    assert.deepEqual(logged.find((e) => e.customerId === ana)!.data, { notDuplicatesOf: [sister] });
    const history = await api('GET', `/customers/${ana}/history?types=duplicates.dismissed`);
    assert.equal(history.status, 200);
    assert.equal(history.body.items.length, 1);

    const again = await api('POST', '/duplicates/dismiss', { body: { customerIds: [ana, sister] } });
    assert.equal(again.body.newlyDismissed, 0);
    const after = await ctx.database.db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.type, 'duplicates.dismissed')));
    assert.equal(after.length, 2, 'nothing new, nothing recorded');
  });

  it('takes ids in any letter case as the same ids', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const a = await create(api, { firstName: 'Raúl', lastName: 'Ortiz', email: 'raul.ortiz@example.com' });
    const b = await create(api, { firstName: 'Raul', lastName: 'Ortiz', email: 'raul.ortiz@example.com' });
    const twice = await api('POST', '/duplicates/dismiss', { body: { customerIds: [a, a.toUpperCase()] } });
    assert.equal(twice.status, 422, JSON.stringify(twice.body));
    assert.equal(twice.body.error.details[0].path, 'customerIds');
    const upper = await api('POST', '/duplicates/dismiss', { body: { customerIds: [a.toUpperCase(), b] } });
    assert.equal(upper.status, 200);
    assert.deepEqual(upper.body.customerIds, [a, b].sort(), 'answered in the one form ids have');
    const stored = await ctx.database.db.select().from(events).where(and(eq(events.tenantId, tenantId), eq(events.type, 'duplicates.dismissed')));
    assert.deepEqual(stored.map((e) => e.data.notDuplicatesOf).flat().sort(), [a, b].sort());

    const self = await api('POST', `/customers/${a}/merge/preview`, { body: { sourceIds: [a.toUpperCase(), b, b.toUpperCase()] } });
    assert.deepEqual(self.body.blockers.map((x: { code: string }) => x.code), ['self', 'duplicate_source'], JSON.stringify(self.body));
  });

  it('needs customers:merge, two to eleven distinct known ids of the tenant', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const other = await newTenant(ctx);
    const a = await create(api, { firstName: 'Raúl', lastName: 'Ortiz', email: 'raul.ortiz@example.com' });
    const b = await create(api, { firstName: 'Raul', lastName: 'Ortiz', email: 'raul.ortiz@example.com' });
    const foreign = await create(other.api, { firstName: 'Raúl', lastName: 'Ortiz' });
    const agent = await newTenant(ctx, { tenantId, role: 'agent', perms: ['customers:read', 'customers:write'] });
    assert.equal((await agent.api('POST', '/duplicates/dismiss', { body: { customerIds: [a, b] } })).status, 403);

    const one = await api('POST', '/duplicates/dismiss', { body: { customerIds: [a] } });
    assert.equal(one.status, 422);
    assert.equal(one.body.error.details[0].path, 'customerIds');
    assert.equal((await api('POST', '/duplicates/dismiss', { body: { customerIds: [a, a] } })).status, 422);
    assert.equal((await api('POST', '/duplicates/dismiss', { body: { customerIds: [a, 'x'] } })).status, 422);
    const tooMany = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    assert.equal((await api('POST', '/duplicates/dismiss', { body: { customerIds: tooMany } })).status, 422);
    const notMine = await api('POST', '/duplicates/dismiss', { body: { customerIds: [a, foreign] } });
    assert.equal(notMine.status, 404);
    assert.equal((await api('GET', `/customers/${a}/duplicates`)).body.items.length, 1, 'a refused dismissal stores nothing');
  });
});
