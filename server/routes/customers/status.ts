/** POST /customers/:id/status and PUT /customers/:id/assignee. If-Match is optional here, honoured when sent. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { etagOf, versionFromIfMatch } from '../../contract/etag.ts';
import { MAX_REASON_LENGTH } from '../../contract/limits.ts';
import { changeAssignee, changeStatus, SETTABLE_STATUSES } from '../../domain/customer-status.ts';
import { customerView } from '../../domain/customers.ts';
import { bearer, bodyErrors, commonErrors, errors, etagHeader, IdParam, IfMatchOptional, jsonBody, jsonContent, router } from '../openapi.ts';
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

const answered = (description: string) => ({ ...jsonContent(CustomerSchema, description), headers: etagHeader });

const write = requirePermission('customers:write');

export const statusRoutes = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/status',
      operationId: 'changeCustomerStatus',
      summary: 'Deactivate, disable or reactivate a customer, with a reason; bringing back a disabled or removed member needs customers:delete',
      security: bearer,
      middleware: [write] as const,
      request: {
        params: IdParam,
        headers: IfMatchOptional,
        body: jsonBody(StatusInput, {
          disable: { summary: 'Block a member', value: { status: 'disabled', reason: 'Fraude en canjes' } },
          reactivate: { summary: 'Reactivate', value: { status: 'active' } },
        }),
      },
      responses: { 200: answered('The customer with its new status'), ...commonErrors, ...bodyErrors, ...errors(409, 412) },
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
      operationId: 'setCustomerAssignee',
      summary: 'Assign or unassign the responsible user (an admin, or the user currently assigned)',
      security: bearer,
      middleware: [write] as const,
      request: {
        params: IdParam,
        headers: IfMatchOptional,
        body: jsonBody(AssigneeInput, {
          assign: { summary: 'Assign a user', value: { userId: 'demo-agent' } },
          unassign: { summary: 'Unassign', value: { userId: null } },
        }),
      },
      responses: { 200: answered('The customer with its new assignee'), ...commonErrors, ...bodyErrors, ...errors(409, 412) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { userId } = c.req.valid('json');
      const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
      const row = await c.var.db.transaction((tx) => changeAssignee(tx, id, c.var.auth, userId, expected));
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  );
