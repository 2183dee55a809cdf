/** GET /customers/:id/history: a customer's events, newest first, paged on the global event order. */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { events } from '../db/schema.ts';
import { cursorValue, decodeCursor, pageOf } from './cursor.ts';
import { requireCustomer } from './customers.ts';
import { serializeEvent, type EventType } from './history.ts';

export interface HistoryFilters {
  types?: EventType[];
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  before?: Date;
  limit: number;
  cursor?: string;
}

export async function listHistory(tx: Tx, tenantId: string, customerId: string, filters: HistoryFilters) {
  await requireCustomer(tx, tenantId, customerId);
  const after = decodeCursor(filters.cursor, [cursorValue.position]);
  const rows = await tx
    .select()
    .from(events)
    .where(
      and(
        eq(events.tenantId, tenantId),
        eq(events.customerId, customerId),
        filters.types?.length ? inArray(events.type, filters.types) : undefined,
        filters.from ? sql`${events.at} >= ${filters.from.toISOString()}::timestamptz` : undefined,
        filters.before ? sql`${events.at} < ${filters.before.toISOString()}::timestamptz` : undefined,
        after ? lt(events.seq, after[0] as number) : undefined,
      ),
    )
    .orderBy(desc(events.seq))
    .limit(filters.limit + 1);
  return pageOf(rows, filters.limit, serializeEvent, (row) => [row.seq]);
}
