/**
 * /customers: list, create, read, edit and remove, and every router of a
 * customer's own resources (status, points, level, notes, history, orders,
 * duplicates, merge, erase), mounted here so the whole resource reads as one.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ZodError } from 'zod';
import { requirePermission } from '../../auth.ts';
import { etagOf, versionFromIfMatch } from '../../contract/etag.ts';
import { CUSTOMER_STATUSES, type CustomerStatus } from '../../contract/limits.ts';
import { CustomerCreateSchema, CustomerPatchSchema, customerBodyProblems, inputContext, isoDate } from '../../domain/customer-input.ts';
import { searchCustomers, SORT_VALUES, type Sort } from '../../domain/customer-search.ts';
import { addCustomer, customerView, editCustomer, readCustomer } from '../../domain/customers.ts';
import { uuidInput } from '../../domain/ids.ts';
import { RemovalSchema, removeCustomer } from '../../domain/removal.ts';
import type { AppEnv } from '../../env.ts';
import { ValidationFailed, zodDetails, type ErrorDetail } from '../../errors.ts';
import { idempotent } from '../../idempotency.ts';
import {
  bearer,
  bodyErrors,
  commonErrors,
  errors,
  etagHeader,
  idempotencyKey,
  IdParam,
  IfMatchRequired,
  jsonBody,
  jsonContent,
  locationHeader,
  page,
  PageQuery,
  router,
} from '../openapi.ts';
import { CustomerListItemSchema, CustomerSchema } from '../schemas.ts';
import { customerDuplicateRoutes } from './duplicates.ts';
import { erasureRoutes } from './erase.ts';
import { historyRoutes } from './history.ts';
import { levelAssignmentRoutes } from './level.ts';
import { mergeRoutes } from './merge.ts';
import { noteRoutes } from './notes.ts';
import { customerInsightRoutes } from './insights.ts';
import { customerOrderRoutes } from './orders.ts';
import { pointsRoutes } from './points.ts';
import { statusRoutes } from './status.ts';

const statusList = new RegExp(`^(${CUSTOMER_STATUSES.join('|')})(,(${CUSTOMER_STATUSES.join('|')}))*$`);
const flag = z.enum(['true', 'false'], { message: 'Use true or false.' }).transform((v) => v === 'true');

export const CustomerListQuery = z.object({
  q: z.string().max(200, { message: 'At most 200 characters.' }).optional().openapi({
    description: 'Name (accent- and case-insensitive, typo-tolerant), email prefix, phone in any format, #number, id number or external id',
  }),
  status: z
    .string()
    .regex(statusList, { message: `Comma-separated statuses: ${CUSTOMER_STATUSES.join(', ')}.` })
    .transform((v) => v.split(',') as CustomerStatus[])
    .optional()
    .openapi({ description: 'Comma-separated; default: every status' }),
  levelId: uuidInput().optional(),
  tag: z.string().min(1).max(50, { message: 'At most 50 characters.' }).optional(),
  vip: flag.optional(),
  bad: flag.optional(),
  assignedUserId: z.string().min(1).max(128).optional(),
  registeredFrom: isoDate.optional().openapi({ description: 'YYYY-MM-DD, inclusive (UTC)', format: 'date' }),
  registeredTo: isoDate.optional().openapi({ description: 'YYYY-MM-DD, inclusive (UTC)', format: 'date' }),
  sort: z
    .enum(SORT_VALUES as [string, ...string[]], { message: `One of: ${SORT_VALUES.join(', ')}.` })
    .transform((v) => v as Sort)
    .optional()
    .openapi({ description: 'Prefix - for descending. Default: relevance with q, else -registeredAt. level: by the level’s minPoints; status: active, inactive, disabled, removed' }),
  count: flag.optional().openapi({ description: 'true adds total (exact up to 10,000, then totalIsEstimate: true)' }),
  ...PageQuery,
});

const customerWithEtag = (description: string) => ({ ...jsonContent(CustomerSchema, description), headers: etagHeader });

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

const read = requirePermission('customers:read');
const write = requirePermission('customers:write');

/**
 * DELETE's body is optional, and many HTTP clients send Content-Type:
 * application/json on every call: an empty body then reads as `{}` (no
 * reason) instead of failing as malformed JSON.
 */
const emptyBodyIsNoReason = createMiddleware<AppEnv>(async (c, next) => {
  // Hono keeps the body it read as a promise of its text; the route's validator parses that.
  if ((await c.req.text()) === '') (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve('{}');
  await next();
});

export const customerRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      operationId: 'listCustomers',
      summary: 'Search and list customers, one keyset page at a time',
      security: bearer,
      middleware: [read] as const,
      request: { query: CustomerListQuery },
      responses: {
        200: jsonContent(
          page(CustomerListItemSchema).extend({
            total: z.number().int().optional().openapi({ description: 'With ?count=true: how many customers the list has' }),
            totalIsEstimate: z.boolean().optional().openapi({ description: 'true when total is above 10,000 and estimated' }),
          }),
          'One page of customers',
        ),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await searchCustomers(c.var.db, c.var.auth.tenantId, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      operationId: 'createCustomer',
      summary: 'Add a new member by hand; honours Idempotency-Key',
      security: bearer,
      middleware: [write] as const,
      parameters: [idempotencyKey],
      request: {
        body: jsonBody(CustomerCreateSchema, {
          member: {
            summary: 'A new member with a phone in the tenant’s region',
            value: { firstName: 'Ana', lastName: 'García López', email: 'ana.garcia@example.com', phones: [{ number: '612 345 678', label: 'móvil' }] },
          },
          emailOnly: { summary: 'An email is enough', value: { email: 'jorge@example.com' } },
        }),
      },
      responses: {
        201: { ...jsonContent(CustomerSchema, 'Created'), headers: { ...etagHeader, ...locationHeader } },
        ...commonErrors,
        ...bodyErrors,
        ...errors(409),
      },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const body = c.req.valid('json');
      const answer = await idempotent(c, body, async (tx) => {
        const row = await addCustomer(tx, tenantId, user, body);
        return { status: 201, body: await customerView(tx, row), customerIds: [row.id] };
      });
      return c.json(answer.body, 201, { Location: `/api/v1/customers/${answer.body.id}`, ETag: etagOf(answer.body) });
    },
    withTenantChecks('create'),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      operationId: 'getCustomer',
      summary: 'One customer, with its ETag; a merged-away id redirects to the survivor',
      security: bearer,
      middleware: [read] as const,
      request: { params: IdParam },
      responses: {
        200: customerWithEtag('The customer'),
        301: { description: 'Merged away: Location names the surviving customer', headers: locationHeader },
        ...commonErrors,
      },
    }),
    async (c) => {
      const found = await readCustomer(c.var.db, c.var.auth.tenantId, c.req.valid('param').id);
      if ('mergedInto' in found) return c.redirect(`/api/v1/customers/${found.mergedInto.id}`, 301);
      return c.json(await customerView(c.var.db, found.customer), 200, { ETag: etagOf(found.customer) });
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      operationId: 'updateCustomer',
      summary: 'Edit a customer; needs If-Match with the current ETag',
      description: 'Send only the fields that change; null (or an empty text) clears one. Custom fields are merged key by key.',
      security: bearer,
      middleware: [write] as const,
      request: {
        params: IdParam,
        headers: IfMatchRequired,
        body: jsonBody(CustomerPatchSchema, {
          rename: { summary: 'Correct the surname', value: { lastName: 'García Núñez' } },
          clear: { summary: 'Clear the city and add a tag', value: { city: null, tags: ['vip-2025'] } },
        }),
      },
      responses: { 200: customerWithEtag('The updated customer'), ...commonErrors, ...bodyErrors, ...errors(409, 412, 428) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const expected = versionFromIfMatch(c.req.valid('header')['if-match']);
      const row = await c.var.db.transaction((tx) => editCustomer(tx, tenantId, id, user, c.req.valid('json'), expected));
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
    withTenantChecks('patch'),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      operationId: 'removeCustomer',
      summary: 'Remove from the programme, with an optional reason: status removed, balance forfeited, nothing erased',
      security: bearer,
      middleware: [requirePermission('customers:delete'), emptyBodyIsNoReason] as const,
      request: {
        params: IdParam,
        body: {
          ...jsonBody(RemovalSchema, {
            reason: { summary: 'With a reason', value: { reason: 'Asked to leave the programme' } },
            none: { summary: 'Without one (an empty body does the same)', value: {} },
          }),
          required: false,
        },
      },
      responses: { 200: customerWithEtag('The removed customer'), ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const row = await c.var.db.transaction((tx) => removeCustomer(tx, tenantId, id, user, reason ?? null));
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  )
  .route('/', statusRoutes)
  .route('/', pointsRoutes)
  .route('/', levelAssignmentRoutes)
  .route('/', noteRoutes)
  .route('/', historyRoutes)
  .route('/', customerOrderRoutes)
  .route('/', customerInsightRoutes)
  .route('/', customerDuplicateRoutes)
  .route('/', mergeRoutes)
  .route('/', erasureRoutes);
