/**
 * DELETE /customers/:id: the member leaves the programme. Status becomes
 * `removed` and the remaining balance is forfeited by a ledger entry;
 * nothing is erased (that is POST /customers/:id/erase). The optional
 * reason goes into the `customer.removed` event and onto the forfeit
 * entry. Removing a removed member again changes nothing.
 */
import { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import { customers, type CustomerRow } from '../db/schema.ts';
import { requireCustomer } from './customers.ts';
import { recordEvent } from './history.ts';
import { recordPointsChange } from './ledger.ts';

export const RemovalSchema = z
  .strictObject({
    reason: z
      .string({ message: 'Text of at most 500 characters.' })
      .trim()
      .max(500, { message: 'At most 500 characters.' })
      .transform((v) => v || null)
      .nullable()
      .optional(),
  })
  .openapi('Removal');

export async function removeCustomer(tx: Tx, tenantId: string, customerId: string, actor: Actor, reason: string | null = null): Promise<CustomerRow> {
  const row = await requireCustomer(tx, tenantId, customerId, { lock: true });
  if (row.status === 'removed') return row;
  let forfeited = 0;
  if (row.points > 0) {
    const { applied } = await recordPointsChange(tx, row, {
      kind: 'forfeit',
      delta: -row.points,
      reason,
      actor,
      whenShort: 'clamp',
    });
    forfeited = -applied;
  }
  const [removed] = await tx
    .update(customers)
    .set({ status: 'removed', version: sql`${customers.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
    .returning();
  await recordEvent(tx, {
    tenantId,
    type: 'customer.removed',
    actor,
    customerId,
    version: removed.version,
    data: { statusFrom: row.status, pointsForfeited: forfeited, reason },
  });
  return removed;
}
