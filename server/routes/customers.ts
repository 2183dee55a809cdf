/** /customers: create, read, edit. */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requirePermission } from '../auth.ts';
import { CustomerCreateSchema, CustomerPatchSchema, customerBodyProblems, inputContext } from '../domain/customer-input.ts';
import { addCustomer, customerView, editCustomer, etagOf, findCustomerRow, survivorOf, versionFromIfMatch } from '../domain/customers.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, ValidationFailed, zodDetails, type ErrorDetail } from '../errors.ts';
import { idempotent } from '../idempotency.ts';
import { commonErrors, errors, IdParam, jsonBody, jsonContent, router } from './openapi.ts';
import { CustomerSchema } from './schemas.ts';
import type { ZodError } from 'zod';

const read = requirePermission('customers:read');
const write = requirePermission('customers:write');

const customerWithEtag = (description: string) => ({
  ...jsonContent(CustomerSchema, description),
  headers: { ETag: { schema: { type: 'string' as const }, description: 'The version, for If-Match' } },
});

/**
 * A customer body its schema refused still gets the tenant's checks (phones
 * in its region, custom fields), so a form learns every problem at once.
 */
const withTenantChecks =
  (mode: 'create' | 'patch') =>
  <P extends string>(result: { success: true } | { success: false; error: ZodError; target: string }, c: Context<AppEnv, P>) =>
    result.success ? undefined : refuseCustomerBody(c, mode, zodDetails(result.error), result.target);

async function refuseCustomerBody<P extends string>(c: Context<AppEnv, P>, mode: 'create' | 'patch', details: ErrorDetail[], target: string): Promise<never> {
  if (target !== 'json') throw new ValidationFailed(details);
  throw new ValidationFailed(customerBodyProblems(await c.req.json(), details, mode, await inputContext(c.var.db, c.var.auth.tenantId)));
}

export const customerRoutes = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/customers',
      summary: 'Add a new member by hand',
      middleware: [write] as const,
      request: { body: jsonBody(CustomerCreateSchema) },
      responses: { 201: customerWithEtag('Created'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const body = c.req.valid('json');
      const answer = await idempotent(c, body, async (tx) => ({ status: 201, body: await customerView(tx, await addCustomer(tx, tenantId, user, body)) }));
      return c.json(answer.body, 201, { Location: `/api/v1/customers/${answer.body.id}`, ETag: etagOf(answer.body) });
    },
    withTenantChecks('create'),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}',
      summary: 'One customer, with its ETag; a merged-away id redirects to the survivor',
      middleware: [read] as const,
      request: { params: IdParam },
      responses: {
        200: customerWithEtag('The customer'),
        301: { description: 'Merged away: Location names the surviving customer' },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { tenantId } = c.var.auth;
      const { id } = c.req.valid('param');
      const db = c.var.db;
      const row = await findCustomerRow(db, tenantId, id);
      if (row.mergedInto) {
        const survivor = await survivorOf(db, tenantId, row);
        return c.redirect(`/api/v1/customers/${survivor.id}`, 301);
      }
      if (row.erasedAt) throw new ApiError(404, 'not_found', 'Customer not found.');
      return c.json(await customerView(db, row), 200, { ETag: etagOf(row) });
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/customers/{id}',
      summary: 'Edit a customer; needs If-Match with the current ETag',
      middleware: [write] as const,
      request: { params: IdParam, body: jsonBody(CustomerPatchSchema) },
      responses: { 200: customerWithEtag('The updated customer'), ...commonErrors, ...errors(409, 412, 428) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const expected = versionFromIfMatch(c.req.header('if-match'));
      const row = await c.var.db.transaction((tx) => editCustomer(tx, tenantId, id, user, c.req.valid('json'), expected));
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
    withTenantChecks('patch'),
  );
