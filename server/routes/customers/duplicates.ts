/** GET /customers/:id/duplicates: one customer's likely duplicates. */
import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { duplicatesOf } from '../../domain/duplicates.ts';
import { bearer, commonErrors, errors, IdParam, jsonContent, page, router } from '../openapi.ts';
import { DuplicateQuery, ScoredDuplicateSchema } from '../schemas.ts';

export const customerDuplicateRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/duplicates',
    operationId: 'listCustomerDuplicates',
    security: bearer,
    summary: "This customer's likely duplicates, strongest first",
    middleware: [requirePermission('customers:read')] as const,
    request: { params: IdParam, query: DuplicateQuery },
    responses: { 200: jsonContent(page(ScoredDuplicateSchema), 'Likely duplicates with their score and reasons'), ...commonErrors, ...errors(409) },
  }),
  async (c) => c.json(await duplicatesOf(c.var.db, c.var.auth.tenantId, c.req.valid('param').id, c.req.valid('query')), 200),
);
