/** /orders: purchases pushed by the host. */
import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { OrderInputSchema, orderView, recordOrder } from '../domain/orders.ts';
import { idempotent } from '../idempotency.ts';
import { bearer, bodyErrors, commonErrors, errors, idempotencyKey, jsonBody, jsonContent, router } from './openapi.ts';
import { OrderSchema } from './schemas.ts';

export const orderRoutes = router().openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'recordOrder',
    security: bearer,
    summary: 'Record a purchase, or move a known one (same externalId) to a new status',
    description:
      'Idempotent on externalId: pushing an order again changes nothing unless its status moved. A completed order earns points once, by the programme’s rule; cancelling or refunding it takes them back as far as they are unspent. customerId, total and currency of a known order cannot change (409).',
    middleware: [requirePermission('orders:write')] as const,
    parameters: [idempotencyKey],
    request: {
      body: jsonBody(OrderInputSchema, {
        completed: {
          summary: 'A completed purchase: it earns points',
          value: {
            customerId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
            externalId: 'PED-2025-0042',
            total: 4590,
            currency: 'EUR',
            status: 'completed',
            placedAt: '2025-03-14T17:20:00Z',
            items: [{ sku: 'CAF-250', name: 'Café molido 250 g', quantity: 3, price: 1530 }],
          },
        },
      }),
    },
    responses: {
      201: jsonContent(OrderSchema, 'A new order'),
      200: jsonContent(OrderSchema, 'An order already known by its externalId, with its status as now recorded'),
      ...commonErrors,
      ...bodyErrors,
      ...errors(409),
    },
  }),
  async (c) => {
    const { tenantId, user } = c.var.auth;
    const input = c.req.valid('json');
    const answer = await idempotent(c, input, async (tx) => {
      const { order, created } = await recordOrder(tx, tenantId, user, input);
      return { status: created ? 201 : 200, body: await orderView(tx, order), customerIds: [order.customerId] };
    });
    return c.json(answer.body, answer.status);
  },
);
