/** POST /customers/:id/status and PUT /customers/:id/assignee. If-Match is optional here, honoured when sent. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { etagOf, versionFromIfMatch } from '../../contract/etag.ts';
import { MAX_REASON_LENGTH } from '../../contract/limits.ts';
import { changeAssignee, changeStatus, SETTABLE_STATUSES } from '../../domain/customer-status.ts';
import { customerView } from '../../domain/customers.ts';
import { commonErrors, errors, IdParam, jsonBody, jsonContent, router } from '../openapi.ts';
import { CustomerSchema } from '../schemas.ts';

const StatusInput = z
  .strictObject({
    status: z.enum(SETTABLE_STATUSES, {
      error: (issue) =>
        issue.input === 'removed' ? 'Remove a member with DELETE /customers/:id.' : `One of: ${SETTABLE_STATUSES.join(', ')}.`,
    }),
    reason: z
      .string()
      .trim()
      .max(MAX_REASON_LENGTH, { message: `At most ${MAX_REASON_LENGTH} characters.` })
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

const write = requirePermission('customers:write');

export const statusRoutes = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/status',
      summary: 'Deactivate, disable or reactivate a customer, with a reason; bringing back a disabled or removed member needs customers:delete',
      middleware: [write] as const,
      request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(StatusInput) },
      responses: { 200: answered('The customer with its new status'), ...commonErrors, ...errors(409, 412) },
    }),
    async (c) => {
      const { tenantId } = c.var.auth;
      const { id } = c.req.valid('param');
      const { status, reason } = c.req.valid('json');
      const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
      const row = await c.var.db.transaction((tx) => changeStatus(tx, tenantId, id, c.var.auth, { status, reason: reason ?? null }, expected));
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/{id}/assignee',
      summary: 'Assign or unassign the responsible user (an admin, or the user currently assigned)',
      middleware: [write] as const,
      request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(AssigneeInput) },
      responses: { 200: answered('The customer with its new assignee'), ...commonErrors, ...errors(409, 412) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { userId } = c.req.valid('json');
      const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
      const row = await c.var.db.transaction((tx) => changeAssignee(tx, id, c.var.auth, userId, expected));
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  );
