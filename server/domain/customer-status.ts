/**
 * Status and assignee: one-field changes with their own endpoints and
 * history events (customer.status_changed, customer.assignee_changed).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Auth } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import { users, type CustomerRow } from '../db/schema.ts';
import { forbidden } from '../errors.ts';
import { touchCustomer } from './customers.ts';
import { recordEvent } from './history.ts';

/** What POST /status may set; `removed` goes through DELETE, which forfeits points. */
export const SETTABLE_STATUSES = ['active', 'inactive', 'disabled'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/** Statuses a member leaves only by the hand of someone who may remove members: blocked for good, or gone. */
const FINAL_STATUSES: readonly string[] = ['disabled', 'removed'];

/**
 * Changes a locked customer's status; no change, no event. Bringing a
 * disabled or removed member back (to any other status) needs
 * customers:delete, as removing one does (SPEC §5).
 */
export async function changeStatus(tx: Tx, row: CustomerRow, auth: Auth, status: SettableStatus, reason: string | null): Promise<CustomerRow> {
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
 * Sets or clears a locked customer's assignee. Only an admin or the user
 * currently assigned may (SPEC §3), so an unassigned customer is assigned by
 * an admin: an agent cannot take one, nor hand it to a colleague.
 */
export async function changeAssignee(tx: Tx, row: CustomerRow, auth: Auth, userId: string | null): Promise<CustomerRow> {
  if (!auth.isAdmin && row.assignedUserId !== auth.user.id) {
    throw forbidden(row.assignedUserId ? 'Only an admin or the assigned user may change the assignee.' : 'Only an admin may assign this customer.');
  }
  if (row.assignedUserId === userId) return row;
  const updated = await touchCustomer(tx, row.tenantId, row.id, { assignedUserId: userId });
  const ids = [row.assignedUserId, userId].filter((id): id is string => id !== null);
  const names = await userNames(tx, row.tenantId, ids);
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
