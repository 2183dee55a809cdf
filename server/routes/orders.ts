/** Orders pushed by the host, and a customer's orders. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { requireCustomer } from '../domain/customers.ts';
import { ORDER_STATUSES, OrderInputSchema, listCustomerOrders, orderView, recordOrder } from '../domain/orders.ts';
import { idempotent } from '../idempotency.ts';
import { IdParam, PageQuery, commonErrors, documentedBody, errors, jsonContent, page, parseBody, readJson, router } from './openapi.ts';

export const OrderSchema = z
  .object({
    id: z.string().uuid(),
    customerId: z.string().uuid(),
    externalId: z.string(),
    total: z.number().int().openapi({ description: 'Minor units (cents)' }),
    currency: z.string(),
    status: z.enum(ORDER_STATUSES),
    placedAt: z.string(),
    items: z.array(
      z.object({ sku: z.string().nullable(), name: z.string(), category: z.string().nullable(), quantity: z.number().int(), price: z.number().int() }),
    ),
    pointsEarned: z.number().int().openapi({ description: 'Points the order earned and has not given back' }),
    pointsUnrecovered: z.number().int().openapi({ description: 'Points a cancellation or refund could not take back (already spent)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Order');

const read = requirePermission('customers:read');
const write = requirePermission('orders:write');

const registry = router();
registry.openAPIRegistry.register('OrderInput', OrderInputSchema);

export const orderRoutes = registry
  .openapi(
    createRoute({
      method: 'post',
      path: '/orders',
      summary: 'Record a purchase, or move a known one (same externalId) to a new status',
      description:
        'Idempotent on externalId: pushing an order again changes nothing unless its status moved. A completed order earns points once, by the programme’s rule; cancelling or refunding it takes them back as far as they are unspent. customerId, total and currency of a known order cannot change (409).',
      middleware: [write] as const,
      request: { body: documentedBody('OrderInput') },
      responses: {
        201: jsonContent(OrderSchema, 'A new order'),
        200: jsonContent(OrderSchema, 'An order already known by its externalId, with its status as now recorded'),
        ...commonErrors,
        ...errors(409),
      },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const raw = await readJson(c);
      const input = parseBody(OrderInputSchema, raw);
      const answer = await idempotent(c, raw, async (tx) => {
        const { order, created } = await recordOrder(tx, tenantId, user, input);
        return { status: created ? 201 : 200, body: await orderView(tx, order), customerIds: [order.customerId] };
      });
      return c.json(answer.body, answer.status as 200 | 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}/orders',
      summary: "The customer's orders, latest placed first",
      middleware: [read] as const,
      request: { params: IdParam, query: z.object({ ...PageQuery, status: z.enum(ORDER_STATUSES).optional() }) },
      responses: { 200: jsonContent(page(OrderSchema)), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId } = c.var.auth;
      const { id } = c.req.valid('param');
      const { limit, cursor, status } = c.req.valid('query');
      await requireCustomer(c.var.db, tenantId, id);
      return c.json(await listCustomerOrders(c.var.db, tenantId, id, { limit, cursor, status }), 200);
    },
  );
