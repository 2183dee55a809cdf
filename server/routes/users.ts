/** GET /users: the tenant's users seen in tokens, to pick an assignee by name. */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, sql } from 'drizzle-orm';
import { requirePermission } from '../auth.ts';
import { users } from '../db/schema.ts';
import { cursorValue, decodeCursor, pageOf } from '../domain/cursor.ts';
import { commonErrors, jsonContent, page, PageQuery, router } from './openapi.ts';

export const UserSchema = z
  .object({ id: z.string(), name: z.string(), role: z.string().nullable(), lastSeenAt: z.string() })
  .openapi('User');

export const userRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/users',
    summary: 'Users of the tenant (everyone who has called the API), by name',
    middleware: [requirePermission('customers:read')] as const,
    request: { query: z.object(PageQuery) },
    responses: { 200: jsonContent(page(UserSchema), 'One page of users'), ...commonErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const after = decodeCursor(cursor, [cursorValue.text, cursorValue.text]);
    const rows = await c.var.db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, c.var.auth.tenantId), after ? sql`(${users.name}, ${users.id}) > (${after[0]}::text, ${after[1]}::text)` : undefined))
      .orderBy(asc(users.name), asc(users.id))
      .limit(limit + 1);
    const serialize = (u: (typeof rows)[number]) => ({ id: u.id, name: u.name, role: u.role, lastSeenAt: u.lastSeenAt.toISOString() });
    return c.json(pageOf(rows, limit, serialize, (u) => [u.name, u.id]), 200);
  },
);
