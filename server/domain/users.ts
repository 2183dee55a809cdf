/** The tenant's users: everyone who has called the API, recorded by auth.ts, listed to pick an assignee. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { cursorValue, decodeCursor, pageOf } from './cursor.ts';

/** One page of the tenant's users, by name. */
export async function listUsers(tx: Tx, tenantId: string, limit: number, cursor?: string) {
  const after = decodeCursor(cursor, [cursorValue.text, cursorValue.text]);
  const rows = await tx
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), after ? sql`(${users.name}, ${users.id}) > (${after[0]}::text, ${after[1]}::text)` : undefined))
    .orderBy(asc(users.name), asc(users.id))
    .limit(limit + 1);
  const serialize = (u: (typeof rows)[number]) => ({ id: u.id, name: u.name, role: u.role, lastSeenAt: u.lastSeenAt.toISOString() });
  return pageOf(rows, limit, serialize, (u) => [u.name, u.id]);
}
