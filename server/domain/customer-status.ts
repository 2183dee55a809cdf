/**
 * Status and assignee: one-field changes with their own endpoints and
 * history events (customer.status_changed, customer.assignee_changed).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Auth } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import { users, type CustomerRow } from '../db/schema.ts';
import { forbidden, invalid } from '../errors.ts';
import { assertVersion, requireCustomer, touchCustomer } from './customers.ts';
import { recordEvent } from './history.ts';

/** What POST /status may set; `removed` goes through DELETE, which forfeits points. */
export const SETTABLE_STATUSES = ['active', 'inactive', 'disabled'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** Statuses a member leaves only by the hand of someone who may remove members: blocked for good, or gone. */
const FINAL_STATUSES: readonly string[] = ['disabled', 'removed'];

/**
 * POST /customers/:id/status, under the customer's row lock: 412 when the
 * caller expected another version; no change, no event. Bringing a
 * disabled or removed member back (to any other status) needs
 * customers:delete, as removing one does (SPEC §5).
 */
export async function changeStatus(
  tx: Tx,
  tenantId: string,
  customerId: string,
  auth: Auth,
  change: { status: SettableStatus; reason: string | null },
  expectedVersion: number | null,
): Promise<CustomerRow> {
  const row = await requireCustomer(tx, tenantId, customerId, { lock: true });
  await assertVersion(tx, row, expectedVersion);
  const { status, reason } = change;
  if (row.status === status) return row;
  if (FINAL_STATUSES.includes(row.status) && !auth.perms.has('customers:delete')) {
    throw forbidden(`This member is ${row.status}: bringing them back needs the permission customers:delete.`);
  }
  const updated = await touchCustomer(tx, row.tenantId, row.id, { status });
  await recordEvent(tx, {
    tenantId: row.tenantId,
    type: 'customer.status_changed',
    actor: auth.user,
    customerId: row.id,
    version: updated.version,
    data: { from: row.status, to: status, reason },
  });
  return updated;
}

async function userNames(tx: Tx, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)));
  return new Map(rows.map((u) => [u.id, u.name]));
}

/**
 * Sets or clears a customer's assignee, under its row lock (412 when the
 * caller expected another version). Only an admin or the user currently
 * assigned may (SPEC §3), so an unassigned customer is assigned by an admin:
 * an agent cannot take one, nor hand it to a colleague.
 */
export async function changeAssignee(
  tx: Tx,
  customerId: string,
  auth: Auth,
  userId: string | null,
  expectedVersion: number | null,
): Promise<CustomerRow> {
  const row = await requireCustomer(tx, auth.tenantId, customerId, { lock: true });
  await assertVersion(tx, row, expectedVersion);
  if (!auth.isAdmin && row.assignedUserId !== auth.user.id) {
    throw forbidden(row.assignedUserId ? 'Only an admin or the assigned user may change the assignee.' : 'Only an admin may assign this customer.');
  }
  if (row.assignedUserId === userId) return row;
  const ids = [row.assignedUserId, userId].filter((id): id is string => id !== null);
  const names = await userNames(tx, row.tenantId, ids);
  // Only someone GET /users lists: a made-up id, or another tenant's user, would be an assignee no one is.
  if (userId !== null && !names.has(userId)) throw invalid('userId', 'Not a user of this tenant: pick one listed by GET /users.');
  const updated = await touchCustomer(tx, row.tenantId, row.id, { assignedUserId: userId });
  const person = (id: string | null) => (id === null ? null : { id, name: names.get(id) ?? null });
  await recordEvent(tx, {
    tenantId: row.tenantId,
    type: 'customer.assignee_changed',
    actor: auth.user,
    customerId: row.id,
    version: updated.version,
    data: { from: person(row.assignedUserId), to: person(userId) },
  });
  return updated;
}
