/**
 * The invariant checks that the races and crash tests rely on must see a
 * broken database when there is one: a clean tenant has no violations, and
 * each kind of damage (a balance off its ledger, half a merge, an orphaned
 * row, a level behind its rules) is reported. The damage is done in a
 * transaction rolled back after.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { newTenant, useTestApp } from '../server/helpers.ts';
import { violations } from './invariants.ts';

const ctx = useTestApp();

describe('invariant checks', () => {
  it('find nothing wrong after a merge, and find each kind of damage', async () => {
    const { tenantId, api } = await newTenant(ctx);
    const ids: string[] = [];
    for (const name of ['Ana', 'Bea', 'Eva']) {
      const res = await api('POST', '/customers', { body: { firstName: name } });
      ids.push(res.body.id);
      assert.equal((await api('POST', `/customers/${res.body.id}/points`, { body: { delta: 10, reason: 'Saldo' } })).status, 201);
      assert.equal((await api('POST', `/customers/${res.body.id}/notes`, { body: { body: 'Nota' } })).status, 201);
    }
    const [primary, source, bystander] = ids;
    assert.equal((await api('POST', `/customers/${primary}/merge`, { body: { sourceIds: [source], confirm: true } })).status, 200);
    assert.deepEqual(await violations(ctx.database.db, tenantId), []);

    const order = { customerId: bystander, externalId: 'pedido-1', total: 500, currency: 'EUR', status: 'pending', placedAt: '2024-01-01T00:00:00Z' };
    assert.equal((await api('POST', '/orders', { body: order })).status, 201);

    /** The rules broken by some damage, seen inside a transaction that is then rolled back. */
    const rollback = new Error('rollback');
    const rulesAfter = async (damage: ReturnType<typeof sql>) => {
      let rules: string[] = [];
      await ctx.database.db
        .transaction(async (tx) => {
          await tx.execute(damage);
          rules = [...new Set((await violations(tx, tenantId)).map((v) => v.rule))];
          throw rollback;
        })
        .catch((err) => {
          if (err !== rollback) throw err;
        });
      return rules;
    };
    assert.deepEqual(await rulesAfter(sql`update customers set points = points + 1 where tenant_id = ${tenantId} and id = ${bystander}`), ['balance == ledger']);
    assert.deepEqual(await rulesAfter(sql`update customers set merged_into = ${primary} where tenant_id = ${tenantId} and id = ${bystander}`), [
      'merged away iff a merge says so',
      'a merged-away customer owns nothing',
    ]);
    assert.deepEqual(await rulesAfter(sql`update customers set merged_into = null where tenant_id = ${tenantId} and id = ${source}`), [
      'merged away iff a merge says so',
      'every source of a merge is merged away',
    ]);
    assert.deepEqual(await rulesAfter(sql`update orders set customer_id = gen_random_uuid() where tenant_id = ${tenantId} and customer_id = ${bystander}`), [
      'rows belong to an existing customer',
    ]);
    assert.deepEqual(await rulesAfter(sql`insert into levels (tenant_id, name, min_points) values (${tenantId}, 'Plata', 5)`), ['level follows lifetime points']);
  });
});
