/** POST /customers/:id/status and PUT /customers/:id/assignee. If-Match is optional here, honoured when sent. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import type { CustomerRow } from '../db/schema.ts';
import { changeAssignee, changeStatus, SETTABLE_STATUSES } from '../domain/customer-status.ts';
import { customerView, etagOf, requireCustomer, versionFromIfMatch } from '../domain/customers.ts';
import { ApiError } from '../errors.ts';
import { commonErrors, errors, IdParam, jsonBody, jsonContent, router } from './openapi.ts';
import { CustomerSchema } from './schemas.ts';

/** 412 with the current record when the client sent an If-Match that is no longer true. */
export async function honourIfMatch(tx: Tx, header: string | undefined, row: CustomerRow): Promise<void> {
  if (header === undefined || versionFromIfMatch(header) === row.version) return;
  throw new ApiError(412, 'precondition_failed', 'Someone changed this customer since you loaded it.', { current: await customerView(tx, row) });
}

const StatusInput = z
  .strictObject({
    status: z.enum(SETTABLE_STATUSES, {
      error: (issue) =>
        issue.input === 'removed' ? 'Remove a member with DELETE /customers/:id.' : `One of: ${SETTABLE_STATUSES.join(', ')}.`,
    }),
    reason: z
      .string()
      .trim()
      .max(500, { message: 'At most 500 characters.' })
      .transform((v) => v || null)
      .nullable()
      .optional(),
  })
  .openapi('StatusChange');

const AssigneeInput = z
  .strictObject({
    userId: z.string().trim().min(1, { message: 'A user id, or null to unassign.' }).max(128, { message: 'At most 128 characters.' }).nullable(),
  })
  .openapi('AssigneeChange');

const IfMatchHeader = z.object({
  'if-match': z.string().optional().openapi({ description: 'Optional: the ETag you last read; a stale one answers 412' }),
});

const answered = (description: string) => ({
  ...jsonContent(CustomerSchema, description),
  headers: { ETag: { schema: { type: 'string' as const }, description: 'The new version' } },
});

export const customerActionRoutes = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/customers/{id}/status',
      summary: 'Deactivate, disable or reactivate a customer, with a reason; bringing back a disabled or removed member needs customers:delete',
      middleware: [requirePermission('customers:write')] as const,
      request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(StatusInput) },
      responses: { 200: answered('The customer with its new status'), ...commonErrors, ...errors(409, 412) },
    }),
    async (c) => {
      const { tenantId } = c.var.auth;
      const { id } = c.req.valid('param');
      const { status, reason } = c.req.valid('json');
      const row = await c.var.db.transaction(async (tx) => {
        const current = await requireCustomer(tx, tenantId, id, { lock: true });
        await honourIfMatch(tx, c.req.header('if-match'), current);
        return changeStatus(tx, current, c.var.auth, status, reason ?? null);
      });
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/customers/{id}/assignee',
      summary: 'Assign or unassign the responsible user (an admin, or the user currently assigned)',
      middleware: [requirePermission('customers:write')] as const,
      request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(AssigneeInput) },
      responses: { 200: answered('The customer with its new assignee'), ...commonErrors, ...errors(409, 412) },
    }),
    async (c) => {
      const { tenantId } = c.var.auth;
      const { id } = c.req.valid('param');
      const { userId } = c.req.valid('json');
      const row = await c.var.db.transaction(async (tx) => {
        const current = await requireCustomer(tx, tenantId, id, { lock: true });
        await honourIfMatch(tx, c.req.header('if-match'), current);
        return changeAssignee(tx, current, c.var.auth, userId);
      });
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  );
