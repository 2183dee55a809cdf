/**
 * The points ledger: the one place a balance changes. Append-only entries;
 * the customer's balance and lifetimePoints change in the same transaction as
 * the entry, under the customer's row lock, by a conditional UPDATE that the
 * database's `points >= 0` check backs up. Positive entries carry `remaining`
 * (unspent points) and `expires_at`; deductions consume the oldest first, so
 * the unspent points of a customer always add up to their balance.
 */
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth.ts';
import { MAX_POINTS, pointsBlocked } from '../contract/limits.ts';
import { query, type Tx } from '../db/client.ts';
import { customers, ledgerEntries, orders, type CustomerRow, type LedgerRow } from '../db/schema.ts';
import { ApiError, conflict } from '../errors.ts';
import { cursorValue, decodeCursor, pageOf } from './cursor.ts';
import { levelSummary, requireCustomer } from './customers.ts';
import { recordEvent } from './history.ts';
import { automaticLevelSql, recordLevelChanges } from './levels.ts';

export const LEDGER_KINDS = ['earn', 'adjust', 'redeem', 'expire', 'forfeit', 'merge', 'reversal'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface PointsChange {
  kind: LedgerKind;
  /** Signed: positive adds, negative deducts. */
  delta: number;
  reason: string | null;
  /** Null for the system (expiry sweep). */
  actor: Actor | null;
  orderId?: string | null;
  /** For `merge` entries: the customer the points came from. */
  sourceCustomerId?: string | null;
  /**
   * How lifetimePoints move. Default: +delta for positive `earn`, `adjust`
   * and `merge` entries, 0 for everything else (spending, expiry and
   * forfeits do not undo what was earned). A merge passes the source's
   * lifetimePoints; an order reversal passes minus what the order earned.
   */
  lifetimeDelta?: number;
  /**
   * When a deduction exceeds the balance: `refuse` (default) throws 409
   * insufficient_points and writes nothing; `clamp` takes what is there
   * (reversals, forfeits, expiry). The result says how much was applied.
   */
  whenShort?: 'refuse' | 'clamp';
  /**
   * Positive entries: when their unspent points expire. Default: the
   * tenant's pointsValidityDays from now for `earn` and `adjust`, never for
   * other kinds; pass a date (e.g. a merged source's) or null to override.
   */
  expiresAt?: Date | null;
  /**
   * Positive entries: how many of the points stay spendable in FIFO order
   * (default all). A merge that moves the source's own entries, with their
   * `remaining`, to the primary passes 0 so nothing is counted twice.
   */
  unspent?: number;
  /**
   * Deductions: consume `remaining` oldest first (default). The expiry sweep
   * passes false because it zeroes exactly the expired entries itself.
   */
  consume?: boolean;
}

export interface PointsChangeResult {
  entry: LedgerRow;
  customer: CustomerRow;
  /** The delta actually written: differs from the request only with `whenShort: 'clamp'`. */
  applied: number;
}

export class InsufficientPoints extends ApiError {
  constructor(balance: number, requested: number) {
    super(409, 'insufficient_points', `Not enough points: the balance is ${balance}, ${requested} were requested.`, { balance, requested });
  }
}

function defaultLifetimeDelta(kind: LedgerKind, delta: number): number {
  return delta > 0 && (kind === 'earn' || kind === 'adjust' || kind === 'merge') ? delta : 0;
}

/**
 * Records one ledger entry and moves the customer's balance, lifetimePoints,
 * version and (unless locked) level with it, with its `points.changed` event
 * and, when the level moves, a `level.changed` event. Runs inside the
 * caller's transaction on `before`, the customer as the caller read it under
 * its row lock (requireCustomer with `lock`) in this transaction, so the
 * balance it checks is current. Throws InsufficientPoints as described above.
 */
export async function recordPointsChange(tx: Tx, before: CustomerRow, change: PointsChange): Promise<PointsChangeResult> {
  const { tenantId, id: customerId } = before;
  const { kind } = change;
  if (!Number.isSafeInteger(change.delta)) throw new TypeError('delta must be an integer');
  let applied = change.delta;
  if (before.points + applied < 0) {
    if (change.whenShort !== 'clamp') throw new InsufficientPoints(before.points, -change.delta);
    applied = -before.points;
  }
  const lifetimeDelta = change.lifetimeDelta ?? defaultLifetimeDelta(kind, applied);
  const lifetimeAfter = sql`greatest(0, ${customers.lifetimePoints} + ${lifetimeDelta}::integer)`;
  const [customer] = await tx
    .update(customers)
    .set({
      points: sql`${customers.points} + ${applied}::integer`,
      lifetimePoints: lifetimeAfter,
      ...(lifetimeDelta !== 0
        ? { levelId: sql`case when ${customers.levelLocked} then ${customers.levelId} else ${automaticLevelSql(tenantId, lifetimeAfter)} end` }
        : {}),
      version: sql`${customers.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(customers.tenantId, tenantId),
        eq(customers.id, customerId),
        sql`${customers.points} + ${applied}::integer >= 0`,
        sql`${customers.points}::bigint + ${applied} <= ${MAX_POINTS}`,
        sql`${customers.lifetimePoints}::bigint + ${lifetimeDelta} <= ${MAX_POINTS}`,
      ),
    )
    .returning();
  if (!customer) {
    if (before.points + applied < 0) throw new InsufficientPoints(before.points, -change.delta);
    throw conflict(`A balance or lifetime total cannot exceed ${MAX_POINTS} points.`);
  }
  if (applied < 0 && change.consume !== false) await consumeOldestFirst(tx, tenantId, customerId, -applied);

  const positive = applied > 0;
  const expiresAt =
    change.expiresAt !== undefined
      ? change.expiresAt
      : positive && (kind === 'earn' || kind === 'adjust')
        ? sql`(select now() + make_interval(days => t.points_validity_days) from tenants t where t.id = ${tenantId})`
        : null;
  const [entry] = await tx
    .insert(ledgerEntries)
    .values({
      tenantId,
      customerId,
      kind,
      delta: applied,
      balanceAfter: customer.points,
      reason: change.reason,
      orderId: change.orderId ?? null,
      actorId: change.actor?.id ?? null,
      actorName: change.actor?.name ?? null,
      expiresAt: positive ? expiresAt : null,
      remaining: positive ? Math.min(applied, change.unspent ?? applied) : 0,
      sourceCustomerId: change.sourceCustomerId ?? null,
    })
    .returning();

  await recordEvent(tx, {
    tenantId,
    type: 'points.changed',
    actor: change.actor,
    customerId,
    version: customer.version,
    data: {
      entryId: entry.id,
      kind,
      delta: applied,
      ...(applied !== change.delta ? { requested: change.delta } : {}),
      balance: customer.points,
      lifetimePoints: customer.lifetimePoints,
      reason: change.reason,
      orderId: entry.orderId,
    },
  });
  if (customer.levelId !== before.levelId) {
    await recordLevelChanges(tx, tenantId, change.actor, 'points', [
      {
        customerId,
        version: customer.version,
        from: before.levelId,
        to: customer.levelId,
        lifetimePoints: customer.lifetimePoints,
        locked: customer.levelLocked,
      },
    ]);
  }
  return { entry, customer, applied };
}

/** Takes `amount` unspent points from the customer's oldest positive entries. */
async function consumeOldestFirst(tx: Tx, tenantId: string, customerId: string, amount: number): Promise<void> {
  await query(
    tx,
    sql`with queue as (
          select id, remaining,
                 coalesce(sum(remaining) over (order by seq rows between unbounded preceding and 1 preceding), 0) as before
          from ledger_entries
          where tenant_id = ${tenantId} and customer_id = ${customerId} and remaining > 0
        ), taken as (
          select id, least(remaining, ${amount}::integer - before) as take from queue where before < ${amount}::integer
        )
        update ledger_entries l set remaining = l.remaining - taken.take
        from taken where l.tenant_id = ${tenantId} and l.id = taken.id`,
  );
}

/** Why a customer's points cannot be changed by hand or by orders, or null when they can. */
export function pointsBlockedReason(row: Pick<CustomerRow, 'status'>): string | null {
  if (!pointsBlocked(row.status)) return null;
  return row.status === 'removed'
    ? 'This member left the programme; their points can no longer change.'
    : 'This member is disabled; reactivate them before changing their points.';
}

export interface ManualChange {
  kind: 'adjust' | 'redeem';
  delta: number;
  reason: string;
}

/**
 * POST /customers/:id/points: a change by hand. Under the customer's row
 * lock, refused (409) while its points are blocked, then recorded; answers
 * the entry and the customer's standing after it.
 */
export async function adjustPoints(tx: Tx, tenantId: string, customerId: string, actor: Actor, change: ManualChange) {
  const row = await requireCustomer(tx, tenantId, customerId, { lock: true });
  const blocked = pointsBlockedReason(row);
  if (blocked) throw conflict(blocked, { status: row.status });
  const { entry, customer } = await recordPointsChange(tx, row, { ...change, actor });
  return {
    entry: serializeEntry(entry),
    balance: customer.points,
    lifetimePoints: customer.lifetimePoints,
    level: await levelSummary(tx, tenantId, customer.levelId),
    version: customer.version,
  };
}

export function serializeEntry(row: LedgerRow & { orderExternalId?: string | null; sourceCustomerNumber?: number | null }) {
  return {
    id: row.id,
    kind: row.kind as LedgerKind,
    delta: row.delta,
    balanceAfter: row.balanceAfter,
    reason: row.reason,
    orderId: row.orderId,
    orderExternalId: row.orderExternalId ?? null,
    sourceCustomerId: row.sourceCustomerId,
    /** The merged-away customer's number ("from #1043"), for entries a merge brought over. */
    sourceCustomerNumber: row.sourceCustomerNumber ?? null,
    actor: row.actorId ? { id: row.actorId, name: row.actorName ?? row.actorId } : null,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    remaining: row.remaining,
  };
}
export type LedgerEntry = ReturnType<typeof serializeEntry>;

/** The ledger of one live customer, newest first, keyset-paginated on the entry sequence. */
export async function listEntries(tx: Tx, tenantId: string, customerId: string, options: { limit: number; cursor?: string; kind?: LedgerKind }) {
  await requireCustomer(tx, tenantId, customerId);
  const after = decodeCursor(options.cursor, [cursorValue.position]);
  const source = alias(customers, 'source_customer');
  const rows = await tx
    .select({ entry: ledgerEntries, orderExternalId: orders.externalId, sourceCustomerNumber: source.number })
    .from(ledgerEntries)
    .leftJoin(orders, and(eq(orders.tenantId, ledgerEntries.tenantId), eq(orders.id, ledgerEntries.orderId)))
    .leftJoin(source, and(eq(source.tenantId, ledgerEntries.tenantId), eq(source.id, ledgerEntries.sourceCustomerId)))
    .where(
      and(
        eq(ledgerEntries.tenantId, tenantId),
        eq(ledgerEntries.customerId, customerId),
        options.kind ? eq(ledgerEntries.kind, options.kind) : undefined,
        after ? lt(ledgerEntries.seq, after[0] as number) : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.seq))
    .limit(options.limit + 1);
  return pageOf(
    rows,
    options.limit,
    (r) => serializeEntry({ ...r.entry, orderExternalId: r.orderExternalId, sourceCustomerNumber: r.sourceCustomerNumber }),
    (r) => [r.entry.seq],
  );
}
