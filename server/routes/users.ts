/** GET /users: the tenant's users seen in tokens, to pick an assignee by name. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { listUsers } from '../domain/users.ts';
import { instant } from '../contract/customer.ts';
import { bearer, commonErrors, jsonContent, page, PageQuery, router } from './openapi.ts';

export const UserSchema = z
  .object({ id: z.string(), name: z.string(), role: z.string().nullable(), lastSeenAt: instant })
  .openapi('User');

export const userRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'listUsers',
    security: bearer,
    summary: 'Users of the tenant (everyone who has called the API), by name',
    middleware: [requirePermission('customers:read')] as const,
    request: { query: z.object(PageQuery) },
    responses: { 200: jsonContent(page(UserSchema), 'One page of users'), ...commonErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    return c.json(await listUsers(c.var.db, c.var.auth.tenantId, limit, cursor), 200);
  },
);
