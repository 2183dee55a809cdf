/**
 * GET /merges/:id: a merge as it was recorded, with the snapshot of every
 * source as it was before the merge (SPEC §11, "merge records"). Snapshots
 * are stored as JSON when the merge happens; an erasure of the survivor
 * empties them, and a record made before a part of the snapshot existed
 * answers that part empty.
 */
import { and, eq } from 'drizzle-orm';
import type { Customer } from '../contract/customer.ts';
import type { Tx } from '../db/client.ts';
import { merges } from '../db/schema.ts';
import { notFound } from '../errors.ts';

interface StoredNote {
  id: string;
  body: string;
  authorId: string;
  authorName: string;
  createdAt: string;
  deletedAt: string | null;
}

interface StoredSnapshot {
  /** serializeCustomer's answer when the merge happened (a record from before a field existed lacks it). */
  customer: Customer;
  leftOut?: { phones: string[]; tags: string[] };
  notes?: StoredNote[];
  orders?: Array<{ id: string; externalId: string }>;
  ledgerEntryIds?: string[];
  eventIds?: string[];
}

type MergeRow = typeof merges.$inferSelect;

function serializeSnapshot(stored: StoredSnapshot) {
  return {
    customer: stored.customer,
    leftOut: { phones: stored.leftOut?.phones ?? [], tags: stored.leftOut?.tags ?? [] },
    notes: (stored.notes ?? []).map((n) => ({
      id: n.id,
      body: n.body,
      author: { id: n.authorId, name: n.authorName },
      createdAt: n.createdAt,
      deletedAt: n.deletedAt ?? null,
    })),
    orders: (stored.orders ?? []).map((o) => ({ id: o.id, externalId: o.externalId })),
    ledgerEntryIds: stored.ledgerEntryIds ?? [],
    eventIds: stored.eventIds ?? [],
  };
}

export function serializeMerge(row: MergeRow) {
  return {
    id: row.id,
    primaryId: row.primaryId,
    sourceIds: row.sourceIds,
    fieldChoices: row.fieldChoices,
    moves: row.moves,
    actor: { id: row.actorId, name: row.actorName },
    createdAt: row.createdAt.toISOString(),
    snapshots: (row.snapshots as StoredSnapshot[]).map(serializeSnapshot),
  };
}

/** One merge of the tenant; 404 for an unknown id or another tenant's. */
export async function readMerge(tx: Tx, tenantId: string, id: string) {
  const [row] = await tx.select().from(merges).where(and(eq(merges.tenantId, tenantId), eq(merges.id, id)));
  if (!row) throw notFound('Merge');
  return serializeMerge(row);
}
