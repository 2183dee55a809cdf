/** PUT /customers/:id/level: a level by hand, locked, or back to automatic progression. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { etagOf } from '../../contract/etag.ts';
import { customerView } from '../../domain/customers.ts';
import { uuidInput } from '../../domain/ids.ts';
import { assignLevel } from '../../domain/levels.ts';
import { bearer, bodyErrors, commonErrors, errors, etagHeader, IdParam, jsonBody, jsonContent, router } from '../openapi.ts';
import { CustomerSchema } from '../schemas.ts';

const LevelAssignmentSchema = z
  .strictObject({
    levelId: uuidInput().nullable().optional(),
    locked: z.boolean({ message: 'Required: true to assign by hand, false to return to automatic progression.' }),
  })
  // A transform, not a refinement: it runs only on a body whose fields are valid, and hands the domain its union.
  .transform((body, ctx): { locked: true; levelId: string } | { locked: false } => {
    if (body.locked && body.levelId) return { locked: true, levelId: body.levelId };
    if (!body.locked && !body.levelId) return { locked: false };
    ctx.addIssue({
      code: 'custom',
      path: ['levelId'],
      message: body.locked ? 'Required to assign a level by hand.' : 'Leave it out to return to automatic progression.',
    });
    return z.NEVER;
  })
  .openapi('LevelAssignment', {
    oneOf: [
      { properties: { locked: { const: true }, levelId: { type: 'string', format: 'uuid' } }, required: ['locked', 'levelId'] },
      { properties: { locked: { const: false }, levelId: { type: 'null' } }, required: ['locked'] },
    ],
  });

export const levelAssignmentRoutes = router().openapi(
  createRoute({
    method: 'put',
    path: '/{id}/level',
    operationId: 'setCustomerLevel',
    summary: 'Assign a level by hand and lock it, or return to automatic progression',
    security: bearer,
    middleware: [requirePermission('points:write')] as const,
    request: {
      params: IdParam,
      body: jsonBody(LevelAssignmentSchema, {
        lock: { summary: 'Assign a level by hand', value: { locked: true, levelId: '0b7e1c52-8f6d-4a3b-9c1e-2d4f6a8b0c1d' } },
        automatic: { summary: 'Back to automatic progression', value: { locked: false } },
      }),
    },
    responses: { 200: { ...jsonContent(CustomerSchema, 'The customer'), headers: etagHeader }, ...commonErrors, ...bodyErrors, ...errors(409) },
  }),
  async (c) => {
    const { tenantId, user } = c.var.auth;
    const { id } = c.req.valid('param');
    const row = await c.var.db.transaction((tx) => assignLevel(tx, tenantId, id, user, c.req.valid('json')));
    return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
  },
);
