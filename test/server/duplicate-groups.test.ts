/**
 * GET /duplicates stays bounded whatever the tenant looks like: a floor on
 * minScore, groups no larger than a merge can take (split along their
 * weakest links), pages bounded in bytes, the event loop free for other
 * requests while groups are computed, one computation for concurrent
 * callers, and a cache bounded in memory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customers, tenants } from '../../server/db/schema.ts';
import { derivedColumns, newShareCode } from '../../server/domain/customers.ts';
import { duplicateGroups, GroupCache, MAX_GROUP_SIZE, MAX_PAGE_BYTES, MIN_GROUP_SCORE } from '../../server/domain/duplicate-groups.ts';
import type { ApiError } from '../../server/errors.ts';
import { newTenant, useTestApp, type CallResult } from './helpers.ts';

const ctx = useTestApp();
type Api = Awaited<ReturnType<typeof newTenant>>['api'];

/** `count` customers written straight to the table (the API would take minutes), numbered from 1001. */
async function bulkCustomers(tenantId: string, count: number, person: (i: number) => { firstName: string; lastName: string; city?: string; email?: string; phones?: Array<{ number: string; label: null }> }) {
  await ctx.database.db.insert(tenants).values({ id: tenantId, lastCustomerNumber: 1000 + count }).onConflictDoUpdate({ target: tenants.id, set: { lastCustomerNumber: 1000 + count } });
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const p = person(i);
      const phones = p.phones ?? [];
      rows.push({ tenantId, number: 1001 + i, firstName: p.firstName, lastName: p.lastName, city: p.city ?? null, email: p.email ?? null, phones, shareCode: newShareCode(), ...derivedColumns({ firstName: p.firstName, lastName: p.lastName, idNumber: null, phones }) });
    }
    await ctx.database.db.insert(customers).values(rows);
  }
}

/** The longest the event loop went without running a timer, from now until stop(). */
function loopProbe() {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    async stop() {
      // One more turn of the loop, so a block that ended just now is measured too.
      await new Promise((r) => setTimeout(r, 20));
      clearInterval(timer);
      return longest;
    },
  };
}

/** Whether a group's pairs scoring at least the group's score join all its customers. */
function connected(group: { customers: Array<{ id: string }>; score: number; pairs: Array<{ customerIds: string[]; score: number }> }) {
  const reached = new Set([group.customers[0].id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { customerIds: [a, b], score } of group.pairs) {
      if (score < group.score || reached.has(a) === reached.has(b)) continue;
      reached.add(a).add(b);
      grew = true;
    }
  }
  return reached.size === group.customers.length;
}

async function pages(api: Api, query: string) {
  const answers: CallResult[] = [];
  let cursor: string | null = null;
  do {
    const res: CallResult = await api('GET', `/duplicates?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    answers.push(res);
    cursor = res.body.nextCursor;
  } while (cursor);
  return answers;
}

describe('GET /duplicates, bounded', () => {
  it('refuses a minScore below the floor, naming it', async () => {
    const { api } = await newTenant(ctx);
    for (const minScore of ['0', String(MIN_GROUP_SCORE - 0.01)]) {
      const res = await api('GET', `/duplicates?minScore=${minScore}`);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.error.details[0].path, 'minScore');
    }
    assert.equal((await api('GET', `/duplicates?minScore=${MIN_GROUP_SCORE}`)).status, 200);
  });

  it('splits a chain of lookalikes along its weakest links, never beyond what one merge takes', async () => {
    const { tenantId, api } = await newTenant(ctx);
    // Two households of eight records each: one email and phone within a household, one name across both.
    await bulkCustomers(tenantId, 16, (i) => ({
      firstName: 'María',
      lastName: 'García López',
      city: 'Sevilla',
      email: `casa${i % 2}@example.com`,
      phones: [{ number: i % 2 ? '+34612000001' : '+34612000002', label: null }],
    }));
    const groups = (await pages(api, '&minScore=0.5')).flatMap((p) => p.body.items);
    assert.deepEqual(groups.map((g) => g.customers.length), [8, 8]);
    for (const group of groups) {
      assert.equal(new Set(group.customers.map((c: { email: string }) => c.email)).size, 1, 'each household whole, the weak name links cut');
    }
  });

  it('answers a few thousand lookalikes in groups of at most one merge, pages bounded in bytes, without blocking other requests', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const COUNT = 3000;
    await bulkCustomers(tenantId, COUNT, (i) => ({ firstName: i % 3 ? 'María' : 'Maria', lastName: i % 5 ? 'García López' : 'Garcia', city: 'Sevilla' }));

    const probe = loopProbe();
    const started = performance.now();
    const concurrent = await Promise.all([1, 2, 3].map(() => api('GET', `/duplicates?minScore=${MIN_GROUP_SCORE}&limit=200`)));
    const elapsedMs = performance.now() - started;
    const longestBlockMs = await probe.stop();
    console.log(`  ${COUNT} lookalikes: answered in ${elapsedMs.toFixed(0)} ms, the event loop blocked at most ${longestBlockMs.toFixed(0)} ms at a time`);
    // Relative, so a loaded machine slows both alike: in one block, the whole computation would be one block.
    assert.ok(longestBlockMs < elapsedMs / 2, `the event loop was blocked ${longestBlockMs.toFixed(0)} ms of ${elapsedMs.toFixed(0)}`);
    assert.equal(new Set(concurrent.map((r) => r.status)).size, 1);
    assert.equal(new Set(concurrent.map((r) => JSON.stringify(r.body))).size, 1, 'concurrent callers get one answer');

    const answers = await pages(api, `&minScore=${MIN_GROUP_SCORE}`);
    const seen = new Set<string>();
    for (const answer of answers) {
      const bytes = Buffer.byteLength(JSON.stringify(answer.body));
      assert.ok(bytes <= MAX_PAGE_BYTES, `a page of ${bytes} bytes`);
      for (const group of answer.body.items) {
        assert.ok(group.customers.length >= 2 && group.customers.length <= MAX_GROUP_SIZE, `a group of ${group.customers.length}`);
        for (const c of group.customers) {
          assert.ok(!seen.has(c.id), 'a customer is in one group only');
          seen.add(c.id);
        }
        assert.ok(connected(group), 'the pairs at or above the group’s score join all of it');
      }
    }
    assert.ok(seen.size > COUNT * 0.9, `most lookalikes are grouped: ${seen.size}`);
  });
});

describe('the duplicate group cache', () => {
  it('answers 503 with Retry-After when the groups take longer than a caller may wait, and keeps computing them', async () => {
    const { tenantId } = await newTenant(ctx);
    await bulkCustomers(tenantId, 1500, (i) => ({ firstName: 'Lucía', lastName: i % 2 ? 'Pérez Gil' : 'Perez', city: 'Vigo' }));
    const options = { minScore: MIN_GROUP_SCORE, limit: 10 };
    await assert.rejects(duplicateGroups(ctx.database.db, tenantId, options, 1), (err: ApiError) => {
      assert.equal(err.status, 503);
      assert.ok(Number(err.headers['Retry-After']) > 0);
      return true;
    });
    const started = performance.now();
    const page = await duplicateGroups(ctx.database.db, tenantId, options, 60_000);
    assert.equal(page.items.length, 10);
    console.log(`  the retry waited ${(performance.now() - started).toFixed(0)} ms for the computation already running`);
  });


  it('computes once for concurrent callers and stays within its memory budget', async () => {
    const cache = new GroupCache<{ bytes: number; label: string }>(1_000);
    let computed = 0;
    const compute = (label: string, bytes: number) => async () => {
      computed += 1;
      await new Promise((r) => setTimeout(r, 20));
      return { bytes, label };
    };
    const same = await Promise.all([1, 2, 3].map(() => cache.get('a', 'v1', compute('a', 400))));
    assert.equal(computed, 1);
    assert.ok(same.every((v) => v.label === 'a'));
    await cache.get('b', 'v1', compute('b', 400));
    await cache.get('c', 'v1', compute('c', 400));
    assert.ok(cache.bytes <= 1_000, `${cache.bytes} bytes cached`);
    await cache.get('a', 'v1', compute('a', 400));
    assert.equal(computed, 4, 'the least recently used entry made room');
    await cache.get('c', 'v2', compute('c', 400));
    assert.equal(computed, 5, 'a new version is computed again');
    await cache.get('huge', 'v1', compute('huge', 5_000));
    assert.ok(cache.bytes <= 1_000, 'an entry larger than the budget is answered, not kept');
  });
});
