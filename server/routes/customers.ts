/** /customers: create, read, edit. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { customFields } from '../db/schema.ts';
import { ApiError, ValidationFailed } from '../errors.ts';
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import {
  CustomerCreateSchema,
  CustomerPatchSchema,
  identityProblem,
  parseCustomerInput,
  type InputContext,
} from '../domain/customer-input.ts';
import {
  createCustomer,
  customerView,
  etagOf,
  findCustomerRow,
  getTenant,
  requireCustomer,
  stripUndefined,
  survivorOf,
  updateCustomer,
  versionFromIfMatch,
} from '../domain/customers.ts';
import { idempotent } from '../idempotency.ts';
import { commonErrors, documentedBody, errors, IdParam, jsonContent, readJson, router } from './openapi.ts';
import { CustomerSchema } from './schemas.ts';

export async function inputContext(tx: Tx, tenantId: string): Promise<InputContext> {
  const [tenant, definitions] = await Promise.all([
    getTenant(tx, tenantId),
    tx.select().from(customFields).where(eq(customFields.tenantId, tenantId)),
  ]);
  return { defaultRegion: tenant.defaultRegion, customFields: definitions };
}

const read = requirePermission('customers:read');
const write = requirePermission('customers:write');

const customerWithEtag = (description: string) => ({
  ...jsonContent(CustomerSchema, description),
  headers: { ETag: { schema: { type: 'string' as const }, description: 'The version, for If-Match' } },
});

const registry = router();
registry.openAPIRegistry.register('CustomerCreate', CustomerCreateSchema);
registry.openAPIRegistry.register('CustomerPatch', CustomerPatchSchema);

export const customerRoutes = registry
  .openapi(
    createRoute({
      method: 'post',
      path: '/customers',
      summary: 'Add a new member by hand',
      middleware: [write] as const,
      request: { body: documentedBody('CustomerCreate') },
      responses: { 201: customerWithEtag('Created'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const raw = await readJson(c);
      const answer = await idempotent(c, raw, async (tx) => {
        const input = parseCustomerInput(raw, 'create', await inputContext(tx, tenantId));
        const row = await createCustomer(tx, tenantId, user, input);
        return { status: 201, body: await customerView(tx, row), customerIds: [row.id] };
      });
      const body = answer.body as z.infer<typeof CustomerSchema>;
      return c.json(body, 201, { Location: `/api/v1/customers/${body.id}`, ETag: `"${body.version}"` });
    },
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
      request: { params: IdParam, body: documentedBody('CustomerPatch') },
      responses: { 200: customerWithEtag('The updated customer'), ...commonErrors, ...errors(409, 412, 428) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const expected = versionFromIfMatch(c.req.header('if-match'));
      const raw = await readJson(c);
      const result = await c.var.db.transaction(async (tx) => {
        const row = await requireCustomer(tx, tenantId, id, { lock: true });
        if (expected === null) {
          throw new ApiError(428, 'precondition_required', 'Send If-Match with the ETag you last read, so no one else’s edit is overwritten.');
        }
        const input = parseCustomerInput(raw, 'patch', await inputContext(tx, tenantId));
        const identity = identityProblem({ ...row, ...stripUndefined(input) });
        if (identity) throw new ValidationFailed([identity]);
        if (expected !== row.version) {
          throw new ApiError(412, 'precondition_failed', 'Someone changed this customer since you loaded it.', {
            current: await customerView(tx, row),
          });
        }
        const { row: updated } = await updateCustomer(tx, row, user, input);
        return updated;
      });
      return c.json(await customerView(c.var.db, result), 200, { ETag: etagOf(result) });
    },
  );

export { CustomerCreateSchema, CustomerPatchSchema };
