/**
 * History events: written in the transaction of the change they describe,
 * and announced with pg_notify in that same transaction, so nothing is
 * announced that did not commit (PostgreSQL delivers NOTIFY on commit).
 *
 * Event ids (`seq`: the SSE id and the history cursor) are per tenant,
 * handed out from the tenant's row, which then stays locked to commit: an
 * id says nothing of other tenants' activity, and a tenant's events commit
 * in the order of their ids, so a stream never sees a lower id after a
 * higher one. (NOTIFY already serialises every notifying commit, so the
 * lock costs little.)
 */
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import { events, tenants, type EventRow } from '../db/schema.ts';

export const EVENTS_CHANNEL = 'clientela_events';

export const EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.status_changed',
  'customer.assignee_changed',
  'points.changed',
  'level.changed',
  'note.added',
  'note.deleted',
  'order.recorded',
  'order.updated',
  'customer.merged',
  'duplicates.dismissed',
  'customer.removed',
  'customer.erased',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  tenantId: string;
  type: EventType;
  actor: Actor | null;
  customerId: string | null;
  /** The customer's version after the change. */
  version?: number | null;
  data?: Record<string, unknown>;
}

/** What goes over NOTIFY and the event stream: small, no personal data. */
export interface Announcement {
  tenantId: string;
  seq: number;
  type: string;
  customerId: string | null;
  version: number | null;
  at: string;
}

const eventValues = (event: NewEvent, seq: number) => ({
  tenantId: event.tenantId,
  seq,
  type: event.type,
  actorId: event.actor?.id ?? null,
  actorName: event.actor?.name ?? null,
  customerId: event.customerId,
  version: event.version ?? null,
  data: event.data ?? {},
});

const announcementOf = (row: EventRow): Announcement => ({
  tenantId: row.tenantId,
  seq: row.seq,
  type: row.type,
  customerId: row.customerId,
  version: row.version,
  at: row.at.toISOString(),
});

/** The first of `count` new event ids of the tenant; its row stays locked until the transaction ends. */
export async function nextEventSeqs(tx: Tx, tenantId: string, count: number): Promise<number> {
  const [row] = await tx
    .update(tenants)
    .set({ lastEventSeq: sql`${tenants.lastEventSeq} + ${count}` })
    .where(eq(tenants.id, tenantId))
    .returning({ last: tenants.lastEventSeq });
  if (!row) throw new Error(`No tenant ${tenantId} to record events for`);
  return row.last - count + 1;
}

export async function recordEvent(tx: Tx, event: NewEvent): Promise<EventRow> {
  const [row] = await tx.insert(events).values(eventValues(event, await nextEventSeqs(tx, event.tenantId, 1))).returning();
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(announcementOf(row))})`);
  return row;
}

/**
 * Many events of one tenant in one go, for changes that touch many
 * customers at once (a level's threshold moving): the same rows and
 * announcements as recordEvent, in a few statements instead of three per event.
 */
export async function recordEvents(tx: Tx, list: NewEvent[]): Promise<EventRow[]> {
  const written: EventRow[] = [];
  if (!list.length) return written;
  if (list.some((e) => e.tenantId !== list[0].tenantId)) throw new Error('recordEvents takes the events of one tenant');
  const first = await nextEventSeqs(tx, list[0].tenantId, list.length);
  for (let start = 0; start < list.length; start += 1000) {
    const rows = await tx
      .insert(events)
      .values(list.slice(start, start + 1000).map((event, k) => eventValues(event, first + start + k)))
      .returning();
    const payloads = rows.map((row) => JSON.stringify(announcementOf(row)));
    await tx.execute(
      sql`select pg_notify(${EVENTS_CHANNEL}, p) from unnest(array[${sql.join(payloads.map((p) => sql`${p}`), sql`, `)}]::text[]) with ordinality as u(p, n) order by n`,
    );
    written.push(...rows);
  }
  return written;
}

export function serializeEvent(row: EventRow) {
  return {
    id: row.id,
    type: row.type,
    at: row.at.toISOString(),
    actor: row.actorId ? { id: row.actorId, name: row.actorName ?? row.actorId } : null,
    customerId: row.customerId,
    version: row.version,
    data: row.data,
  };
}
