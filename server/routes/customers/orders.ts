/** GET /customers/:id/orders: what a customer bought, newest first, by status and day. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { listCustomerOrders, ORDER_STATUSES } from '../../domain/orders.ts';
import { DateRangeQuery, dayRange, withRangeInOrder } from '../date-range.ts';
import { bearer, commonErrors, errors, IdParam, jsonContent, page, PageQuery, router } from '../openapi.ts';
import { OrderSchema } from '../schemas.ts';

const CustomerOrdersQuery = withRangeInOrder(
  z.object({
    status: z.enum(ORDER_STATUSES).optional().openapi({ description: 'Only orders in this status' }),
    ...DateRangeQuery,
    ...PageQuery,
  }),
);

export const customerOrderRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/orders',
    operationId: 'listCustomerOrders',
    summary: "The customer's orders, latest placed first",
    description:
      'Each order with its items, the points it earned and the points a cancellation or refund took back (pointsReversed) or could not (pointsUnrecovered). `from` and `to` bound placedAt, both inclusive.',
    security: bearer,
    middleware: [requirePermission('customers:read')] as const,
    request: { params: IdParam, query: CustomerOrdersQuery },
    responses: { 200: jsonContent(page(OrderSchema), 'One page of orders'), ...commonErrors, ...errors(409) },
  }),
  async (c) => {
    const { tenantId } = c.var.auth;
    const { id } = c.req.valid('param');
    const { status, limit, cursor, ...range } = c.req.valid('query');
    return c.json(await listCustomerOrders(c.var.db, tenantId, id, { status, limit, cursor, ...dayRange(range) }), 200);
  },
);
