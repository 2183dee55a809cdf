/** The tenant's users: everyone who has called the API, recorded by auth.ts, listed to pick an assignee. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { invalid } from '../errors.ts';
import { decodeCursor, pageOf } from './cursor.ts';

/** One page of the tenant's users, by name. */
export async function listUsers(tx: Tx, tenantId: string, limit: number, cursor?: string) {
  const after = decodeCursor(cursor, 2);
  if (after && !after.every((v) => typeof v === 'string')) throw invalid('cursor', 'The cursor is not valid; start again from the first page.');
  const rows = await tx
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), after ? sql`(${users.name}, ${users.id}) > (${after[0]}::text, ${after[1]}::text)` : undefined))
    .orderBy(asc(users.name), asc(users.id))
    .limit(limit + 1);
  const serialize = (u: (typeof rows)[number]) => ({ id: u.id, name: u.name, role: u.role, lastSeenAt: u.lastSeenAt.toISOString() });
  return pageOf(rows, limit, serialize, (u) => [u.name, u.id]);
}
