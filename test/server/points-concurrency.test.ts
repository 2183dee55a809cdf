/**
 * The ledger under fire, on real PostgreSQL only: thousands of random adds
 * and deducts on a few customers, through two app instances with their own
 * connection pools on one database, some of them sent twice at once under
 * one Idempotency-Key. Afterwards, for every customer: the balance is the sum
 * of the ledger and of the successful answers, every balanceAfter follows from
 * the one before, nothing is negative, every 409 wrote nothing and every
 * idempotent retry was applied once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { createApp, type App } from '../../server/app.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { customers, events, ledgerEntries } from '../../server/db/schema.ts';
import { call, newTenantId, onPostgres, tokenFor, useTestApp } from './helpers.ts';
import { assertLedgerConsistent } from './loyalty-helpers.ts';
import { seededRandom } from '../../server/random.ts';

const CUSTOMERS = 12;
const OPERATIONS = 2000;
const IN_FLIGHT = 48;
const DOUBLED_EVERY = 10;

interface Outcome {
  op: number;
  customerId: string;
  delta: number;
  statuses: number[];
  entryIds: string[];
}

describe('points under concurrency (PostgreSQL)', { skip: onPostgres ? false : 'needs PostgreSQL: set TEST_DATABASE_URL' }, () => {
  const ctx = onPostgres ? useTestApp() : null!;
  let second: Database;
  let apps: [App, App];

  before(async () => {
    second = await openDatabase({ databaseUrl: ctx.databaseUrl, max: 20 });
    apps = [ctx.app, createApp({ database: second, config: ctx.config })];
  });
  after(async () => {
    await second?.close();
  });

  it('keeps every balance exact through two instances, refusals and retries', async () => {
    const tenantId = newTenantId();
    const token = await tokenFor({ tenantId, role: 'admin', sub: 'bench', name: 'Concurrency' });
    const ids: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const res = await call(apps[i % 2], 'POST', '/api/v1/customers', { token, body: { firstName: `Cliente ${i}` } });
      assert.equal(res.status, 201);
      ids.push(res.body.id);
    }

    const next = seededRandom(42).next;
    const outcomes: Outcome[] = [];
    const pointsCall = (app: App, customerId: string, delta: number, op: number, key?: string) =>
      call(app, 'POST', `/api/v1/customers/${customerId}/points`, {
        token,
        body: { delta, reason: `op-${op}` },
        headers: key ? { 'Idempotency-Key': key } : {},
      });

    let cursor = 0;
    const worker = async () => {
      while (cursor < OPERATIONS) {
        const op = cursor++;
        const customerId = ids[Math.floor(next() * ids.length)];
        // Deductions a little larger than additions on average: balances hover near zero, so many are refused.
        const delta = next() < 0.5 ? 1 + Math.floor(next() * 50) : -(1 + Math.floor(next() * 60));
        const app = apps[Math.floor(next() * 2)];
        const answers =
          op % DOUBLED_EVERY === 0
            ? await Promise.all([pointsCall(apps[0], customerId, delta, op, `key-${op}`), pointsCall(apps[1], customerId, delta, op, `key-${op}`)])
            : [await pointsCall(app, customerId, delta, op)];
        for (const answer of answers) {
          if (answer.status === 409) assert.equal(answer.body.error.code, 'insufficient_points', JSON.stringify(answer.body));
          else assert.equal(answer.status, 201, JSON.stringify(answer.body));
        }
        outcomes.push({
          op,
          customerId,
          delta,
          statuses: answers.map((a) => a.status),
          entryIds: answers.filter((a) => a.status === 201).map((a) => a.body.entry.id),
        });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    assert.equal(outcomes.length, OPERATIONS);

    const db = ctx.database.db;
    const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.tenantId, tenantId)).orderBy(asc(ledgerEntries.seq));
    const byReason = new Map<string, typeof entries>();
    for (const entry of entries) byReason.set(entry.reason!, [...(byReason.get(entry.reason!) ?? []), entry]);

    let refused = 0;
    let doubled = 0;
    for (const outcome of outcomes) {
      const written = byReason.get(`op-${outcome.op}`) ?? [];
      if (!outcome.entryIds.length) {
        refused += 1;
        assert.equal(written.length, 0, `op ${outcome.op} was refused yet wrote an entry`);
        continue;
      }
      assert.equal(written.length, 1, `op ${outcome.op} applied ${written.length} times`);
      assert.ok(outcome.entryIds.every((id) => id === written[0].id), `op ${outcome.op}: every success answers the one entry`);
      assert.equal(written[0].delta, outcome.delta);
      if (outcome.statuses.length === 2 && outcome.entryIds.length === 2) doubled += 1;
    }
    assert.equal(byReason.size, outcomes.filter((o) => o.entryIds.length).length, 'no entry without a successful answer');
    assert.ok(refused > OPERATIONS / 20, `enough refusals to mean something: ${refused}`);
    assert.ok(doubled > 0, 'some idempotent pairs both succeeded');

    const changed = await db.select({ customerId: events.customerId }).from(events).where(eq(events.tenantId, tenantId));
    for (const id of ids) {
      const mine = entries.filter((e) => e.customerId === id);
      let balance = 0;
      for (const entry of mine) {
        balance += entry.delta;
        assert.equal(entry.balanceAfter, balance, 'each balanceAfter follows from the one before: no lost update');
      }
      const answered = outcomes.filter((o) => o.customerId === id && o.entryIds.length).reduce((sum, o) => sum + o.delta, 0);
      assert.equal(answered, balance, 'the successful answers add up to the balance');
      assert.equal(await assertLedgerConsistent(ctx, tenantId, id), balance);
      const [row] = await db.select().from(customers).where(eq(customers.id, id));
      assert.equal(row.version, 1 + mine.length, 'one version per change');
      assert.equal(changed.filter((e) => e.customerId === id).length, 1 + mine.length, 'customer.created and one points.changed per entry');
    }
  });
});
