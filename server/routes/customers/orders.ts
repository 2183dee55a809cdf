/** GET /customers/:id/orders: a customer's orders. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { listCustomerOrders, ORDER_STATUSES } from '../../domain/orders.ts';
import { bearer, commonErrors, errors, IdParam, jsonContent, page, PageQuery, router } from '../openapi.ts';
import { OrderSchema } from '../schemas.ts';

export const customerOrderRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/orders',
    operationId: 'listCustomerOrders',
    security: bearer,
    summary: "The customer's orders, latest placed first",
    middleware: [requirePermission('customers:read')] as const,
    request: { params: IdParam, query: z.object({ ...PageQuery, status: z.enum(ORDER_STATUSES).optional() }) },
    responses: { 200: jsonContent(page(OrderSchema)), ...commonErrors, ...errors(409) },
  }),
  async (c) => c.json(await listCustomerOrders(c.var.db, c.var.auth.tenantId, c.req.valid('param').id, c.req.valid('query')), 200),
);
