/** POST /customers/:id/erase: permanent erasure for privacy requests. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { eraseCustomer } from '../../domain/erasure.ts';
import { idempotent } from '../../idempotency.ts';
import { instant } from '../../contract/customer.ts';
import { bearer, commonErrors, errors, idempotencyKey, IdParam, jsonContent, router } from '../openapi.ts';

const ErasedSchema = z
  .object({ id: z.string().uuid(), number: z.number().int(), erasedAt: instant })
  .openapi('Erased');

export const erasureRoutes = router().openapi(
  createRoute({
    method: 'post',
    path: '/{id}/erase',
    operationId: 'eraseCustomer',
    security: bearer,
    summary: 'Erase a customer’s personal data for good (the ledger stays, anonymised); afterwards the id answers 404',
    middleware: [requirePermission('customers:delete')] as const,
    parameters: [idempotencyKey],
    request: { params: IdParam },
    responses: { 200: jsonContent(ErasedSchema, 'Erased'), ...commonErrors, ...errors(409) },
  }),
  async (c) => {
    const { tenantId, user } = c.var.auth;
    const { id } = c.req.valid('param');
    const answer = await idempotent(c, { erase: id }, async (tx) => {
      const erased = await eraseCustomer(tx, tenantId, id, user);
      return { status: 200, body: { id: erased.id, number: erased.number, erasedAt: erased.erasedAt!.toISOString() }, customerIds: [id] };
    });
    return c.json(answer.body, 200);
  },
);
