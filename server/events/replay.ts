/**
 * What a (re)connecting stream is owed: the events of its tenant after the
 * last id it saw, from the history, within a bounded window; or a reset when
 * the gap is too long or the id is unknown, so the client reloads instead.
 */
import { and, eq, gt, max } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { events } from '../db/schema.ts';
import type { Announcement } from '../domain/history.ts';
import type { EventHubOptions } from './hub.ts';

export type ResetReason = 'gap_too_long' | 'unknown_id';

export type Replay =
  | { kind: 'events'; events: Announcement[] }
  | { kind: 'reset'; reason: ResetReason; position: number };

const columns = {
  tenantId: events.tenantId,
  seq: events.seq,
  type: events.type,
  customerId: events.customerId,
  version: events.version,
  at: events.at,
};

type Row = { tenantId: string; seq: number; type: string; customerId: string | null; version: number | null; at: Date };

const announce = (row: Row): Announcement => ({ ...row, at: row.at.toISOString() });

/** The tenant's latest event id, 0 when it has none: where a fresh stream starts. */
export async function latestPosition(db: Db, tenantId: string): Promise<number> {
  const [row] = await db.select({ seq: max(events.seq) }).from(events).where(eq(events.tenantId, tenantId));
  return Number(row?.seq ?? 0);
}

/**
 * lastId 0 means "from the start", still within the window. A tenant's
 * events commit in the order of their ids (domain/history.ts), so what
 * comes after lastId is exactly what the client has not seen.
 */
export async function replaySince(
  db: Db,
  tenantId: string,
  lastId: number,
  options: Pick<EventHubOptions, 'replayLimit' | 'replayWindowMs'>,
  now = Date.now(),
): Promise<Replay> {
  const reset = async (reason: ResetReason): Promise<Replay> => ({ kind: 'reset', reason, position: await latestPosition(db, tenantId) });
  const windowStart = now - options.replayWindowMs;

  if (lastId > 0) {
    const [last] = await db
      .select({ at: events.at })
      .from(events)
      .where(and(eq(events.tenantId, tenantId), eq(events.seq, lastId)));
    if (!last) return reset('unknown_id');
    if (last.at.getTime() < windowStart) return reset('gap_too_long');
  }

  const after = await db
    .select(columns)
    .from(events)
    .where(and(eq(events.tenantId, tenantId), gt(events.seq, lastId)))
    .orderBy(events.seq)
    .limit(options.replayLimit + 1);
  if (after.length > options.replayLimit) return reset('gap_too_long');
  if (lastId === 0 && after.length && after[0].at.getTime() < windowStart) return reset('gap_too_long');
  return { kind: 'events', events: after.map(announce) };
}
