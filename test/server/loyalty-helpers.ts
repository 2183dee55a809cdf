/** Helpers shared by the loyalty tests (points, levels, orders, expiry). */
import assert from 'node:assert/strict';
import { and, asc, eq, sql } from 'drizzle-orm';
import { customers, events, ledgerEntries, tenants } from '../../server/db/schema.ts';
import type { CallOptions, CallResult, TestContext } from './helpers.ts';

type Api = <T = any>(method: string, path: string, options?: CallOptions) => Promise<CallResult<T>>;

let counter = 0;

/** A new member through the API; answers its id. */
export async function newMember(api: Api, body: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  const res = await api('POST', '/customers', { body: { firstName: 'Socia', lastName: `Prueba ${counter}`, ...body } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

export async function changePoints(api: Api, id: string, delta: number, reason = 'Ajuste de prueba', headers: Record<string, string> = {}) {
  return api('POST', `/customers/${id}/points`, { body: { delta, reason }, headers });
}

/** Adds or deducts and insists it worked; answers the new balance. */
export async function mustChangePoints(api: Api, id: string, delta: number): Promise<number> {
  const res = await changePoints(api, id, delta);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.balance;
}

export async function setSettings(ctx: TestContext, tenantId: string, set: Partial<typeof tenants.$inferInsert>) {
  await ctx.database.db.update(tenants).set(set).where(eq(tenants.id, tenantId));
}

export async function eventsOf(ctx: TestContext, tenantId: string, customerId: string, type?: string) {
  return ctx.database.db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), eq(events.customerId, customerId), type ? eq(events.type, type) : undefined))
    .orderBy(asc(events.seq));
}

export async function ledgerOf(ctx: TestContext, tenantId: string, customerId: string) {
  return ctx.database.db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.customerId, customerId)))
    .orderBy(asc(ledgerEntries.seq));
}

export async function customerRow(ctx: TestContext, tenantId: string, customerId: string) {
  const [row] = await ctx.database.db.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  return row;
}

/**
 * The ledger invariants for one customer: the balance is the sum of the
 * entries and the last entry's balanceAfter, no balanceAfter is negative, and
 * the unspent points of positive entries add up to the balance.
 */
export async function assertLedgerConsistent(ctx: TestContext, tenantId: string, customerId: string) {
  const [row] = await ctx.database.db
    .select({
      points: customers.points,
      sum: sql<string>`(select coalesce(sum(delta), 0) from ledger_entries l where l.tenant_id = ${tenantId} and l.customer_id = ${customerId})`,
      unspent: sql<string>`(select coalesce(sum(remaining), 0) from ledger_entries l where l.tenant_id = ${tenantId} and l.customer_id = ${customerId})`,
      negative: sql<string>`(select count(*) from ledger_entries l where l.tenant_id = ${tenantId} and l.customer_id = ${customerId} and l.balance_after < 0)`,
      last: sql<number | null>`(select balance_after from ledger_entries l where l.tenant_id = ${tenantId} and l.customer_id = ${customerId} order by seq desc limit 1)`,
    })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  assert.equal(Number(row.sum), row.points, 'balance == sum of the ledger');
  assert.equal(Number(row.unspent), row.points, 'unspent points == balance');
  assert.equal(Number(row.negative), 0, 'no negative balanceAfter');
  if (row.last !== null) assert.equal(Number(row.last), row.points, 'last balanceAfter == balance');
  return row.points;
}
