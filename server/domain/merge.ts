/**
 * POST /customers/:id/merge: sources merged into a primary, in the caller's
 * one transaction, so all of it happens or none of it does, even if the
 * process dies half-way (PostgreSQL rolls back an unfinished transaction).
 *
 * Every involved customer is locked first, in id order; a points change,
 * an edit or another merge touching any of them waits for this one and then
 * finds the source merged (409 customer_merged), never half a merge.
 *
 * The ledger. Every source's entries move to the primary with their
 * `remaining` and `expires_at`, so each earned batch keeps its expiry and is
 * spent or expires in its turn on the primary. They are marked with
 * `source_customer_id`, as their `balance_after` belongs to the source's
 * history. Before they move, a source with points gets a closing `merge`
 * entry of −points (consuming nothing), so what moves sums to zero; the
 * primary then gets one `merge` entry of +points per source (spendable 0,
 * since the moved batches carry the spendable points, and the source's
 * lifetimePoints as its lifetime change). For every customer, afterwards:
 * balance == sum of its entries == sum of unspent points, and the primary's
 * lifetimePoints is its own plus the sources'.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import { customers, events, ledgerEntries, merges, notes, orders, type CustomerRow } from '../db/schema.ts';
import { ApiError, conflict, ValidationFailed } from '../errors.ts';
import { derivedColumns, serializeCustomer } from './customers.ts';
import { recordEvent } from './history.ts';
import { recordPointsChange } from './ledger.ts';
import { fieldValue, planMerge, type Blocker, type LeftOut, type MergeMoves, type MergeRequest } from './merge-plan.ts';

/** Answers blockers the way each kind of problem is answered elsewhere. */
function refuse(blockers: Blocker[]): never {
  const input = blockers.filter((b) => b.code === 'self' || b.code === 'duplicate_source' || b.code === 'too_many_sources');
  if (input.length) {
    throw new ValidationFailed(input.map((b) => ({ path: 'sourceIds', message: b.message })), 'These customers cannot be merged.');
  }
  if (blockers.some((b) => b.code === 'not_found')) throw new ApiError(404, 'not_found', 'Customer not found.', { blockers });
  throw conflict(blockers[0].message, { blockers });
}

/** A source as it was, and which of its phones and tags the primary could not take (its limits). */
async function snapshotOf(tx: Tx, source: CustomerRow, leftOut: LeftOut) {
  const mine = <T extends typeof notes | typeof orders | typeof ledgerEntries | typeof events>(table: T) =>
    and(eq(table.tenantId, source.tenantId), eq(table.customerId, source.id));
  const [noteRows, orderRows, entryRows, eventRows] = await Promise.all([
    tx.select().from(notes).where(mine(notes)),
    tx.select({ id: orders.id, externalId: orders.externalId }).from(orders).where(mine(orders)),
    tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(mine(ledgerEntries)),
    tx.select({ id: events.id }).from(events).where(mine(events)),
  ]);
  return {
    customer: serializeCustomer(source),
    leftOut: {
      phones: source.phones.map((p) => p.number).filter((n) => leftOut.phones.includes(n)),
      tags: source.tags.filter((t) => leftOut.tags.includes(t)),
    },
    notes: noteRows.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), deletedAt: n.deletedAt?.toISOString() ?? null })),
    orders: orderRows,
    ledgerEntryIds: entryRows.map((e) => e.id),
    eventIds: eventRows.map((e) => e.id),
  };
}

/** Moves every row a source owns to the primary; answers how many per table. */
async function moveRows(tx: Tx, tenantId: string, sourceId: string, primaryId: string) {
  const count = (rows: unknown[]) => rows.length;
  const entries = await tx
    .update(ledgerEntries)
    .set({ customerId: primaryId, sourceCustomerId: sql`coalesce(${ledgerEntries.sourceCustomerId}, ${sourceId}::uuid)` })
    .where(and(eq(ledgerEntries.tenantId, tenantId), eq(ledgerEntries.customerId, sourceId)))
    .returning({ id: ledgerEntries.id });
  const movedOrders = await tx
    .update(orders)
    .set({ customerId: primaryId, updatedAt: sql`now()` })
    .where(and(eq(orders.tenantId, tenantId), eq(orders.customerId, sourceId)))
    .returning({ id: orders.id });
  const movedNotes = await tx
    .update(notes)
    .set({ customerId: primaryId })
    .where(and(eq(notes.tenantId, tenantId), eq(notes.customerId, sourceId)))
    .returning({ id: notes.id });
  const movedEvents = await tx
    .update(events)
    .set({ customerId: primaryId })
    .where(and(eq(events.tenantId, tenantId), eq(events.customerId, sourceId)))
    .returning({ id: events.id });
  return { orders: count(movedOrders), ledgerEntries: count(entries), notes: count(movedNotes), events: count(movedEvents) };
}

export async function mergeCustomers(tx: Tx, tenantId: string, primaryId: string, actor: Actor, input: MergeRequest) {
  const plan = await planMerge(tx, tenantId, primaryId, input, { lock: true });
  if (plan.blockers.length) refuse(plan.blockers);
  const { primary, sources } = plan;
  const snapshots = [];
  // A value left out appears in the snapshot of each source that had it.
  for (const source of sources) snapshots.push(await snapshotOf(tx, source, plan.leftOut));

  const moved: MergeMoves = { orders: 0, ledgerEntries: 0, notes: 0, events: 0, tags: plan.moves.tags, phones: plan.moves.phones };
  for (const source of sources) {
    if (source.points > 0) {
      await recordPointsChange(tx, source, { kind: 'merge', delta: -source.points, reason: null, actor, consume: false });
    }
    const rows = await moveRows(tx, tenantId, source.id, primary.id);
    moved.orders += rows.orders;
    moved.ledgerEntries += rows.ledgerEntries;
    moved.notes += rows.notes;
    moved.events += rows.events;
  }
  let receiving = primary;
  for (const source of sources) {
    if (source.points === 0 && source.lifetimePoints === 0) continue;
    ({ customer: receiving } = await recordPointsChange(tx, receiving, {
      kind: 'merge',
      delta: source.points,
      reason: null,
      actor,
      sourceCustomerId: source.id,
      unspent: 0,
      expiresAt: null,
      lifetimeDelta: source.lifetimePoints,
    }));
  }

  const [current] = await tx.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, primary.id)));
  const next = { ...current, ...plan.patch };
  const lastOrderAt = [current, ...sources].map((r) => r.lastOrderAt?.getTime() ?? -Infinity).reduce((a, b) => Math.max(a, b));
  const [updated] = await tx
    .update(customers)
    .set({
      ...plan.patch,
      ...derivedColumns(next),
      ordersCount: current.ordersCount + sources.reduce((sum, s) => sum + s.ordersCount, 0),
      totalSpent: current.totalSpent + sources.reduce((sum, s) => sum + s.totalSpent, 0),
      lastOrderAt: Number.isFinite(lastOrderAt) ? new Date(lastOrderAt) : null,
      version: sql`${customers.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, primary.id)))
    .returning();
  const retired = await tx
    .update(customers)
    .set({ mergedInto: primary.id, mergedAt: sql`now()`, version: sql`${customers.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, sources.map((s) => s.id))))
    .returning({ id: customers.id, version: customers.version });
  await inheritDismissals(tx, tenantId, primary.id, sources.map((s) => s.id), actor);

  const [record] = await tx
    .insert(merges)
    .values({
      tenantId,
      primaryId: primary.id,
      sourceIds: sources.map((s) => s.id),
      fieldChoices: plan.taken,
      snapshots,
      moves: { ...moved },
      actorId: actor.id,
      actorName: actor.name,
    })
    .returning({ id: merges.id });

  const fromSources = Object.entries(plan.taken)
    .filter(([, customerId]) => customerId !== primary.id)
    .map(([field, customerId]) => ({ field, customerId, from: fieldValue(primary, field), to: fieldValue(next, field) }));
  await recordEvent(tx, {
    tenantId,
    type: 'customer.merged',
    actor,
    customerId: primary.id,
    version: updated.version,
    data: {
      mergeId: record.id,
      sources: sources.map((s) => ({ id: s.id, number: s.number, points: s.points, lifetimePoints: s.lifetimePoints })),
      fields: fromSources,
      moves: moved,
    },
  });
  for (const source of retired) {
    await recordEvent(tx, {
      tenantId,
      type: 'customer.merged',
      actor,
      customerId: source.id,
      version: source.version,
      data: { mergeId: record.id, mergedInto: { id: primary.id, number: primary.number } },
    });
  }
  return { customer: updated, mergeId: record.id, moves: moved };
}

/**
 * "Not duplicates" said of a source holds for the customer it became part
 * of: those pairs are remembered for the primary too (the sources' own rows
 * stay as they were said).
 */
async function inheritDismissals(tx: Tx, tenantId: string, primaryId: string, sourceIds: string[], actor: Actor) {
  const ids = sql.join(sourceIds.map((id) => sql`${id}::uuid`), sql`, `);
  await tx.execute(sql`
    insert into duplicate_dismissals (tenant_id, customer_a, customer_b, actor_id)
    select distinct ${tenantId}, least(${primaryId}::uuid, other), greatest(${primaryId}::uuid, other), ${actor.id}
    from (
      select case when customer_a in (${ids}) then customer_b else customer_a end as other
      from duplicate_dismissals
      where tenant_id = ${tenantId} and (customer_a in (${ids}) or customer_b in (${ids}))
    ) pairs
    where other <> ${primaryId}::uuid and other not in (${ids})
    on conflict do nothing`);
}
