/** PUT /customers/:id/level: a level by hand, locked, or back to automatic progression. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { etagOf } from '../../contract/etag.ts';
import { customerView } from '../../domain/customers.ts';
import { uuidInput } from '../../domain/ids.ts';
import { assignLevel } from '../../domain/levels.ts';
import { commonErrors, errors, IdParam, jsonBody, jsonContent, router } from '../openapi.ts';
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
  .openapi('LevelAssignment');

export const levelAssignmentRoutes = router().openapi(
  createRoute({
    method: 'put',
    path: '/{id}/level',
    summary: 'Assign a level by hand and lock it, or return to automatic progression',
    middleware: [requirePermission('points:write')] as const,
    request: { params: IdParam, body: jsonBody(LevelAssignmentSchema) },
    responses: { 200: jsonContent(CustomerSchema, 'The customer'), ...commonErrors, ...errors(409) },
  }),
  async (c) => {
    const { tenantId, user } = c.var.auth;
    const { id } = c.req.valid('param');
    const row = await c.var.db.transaction((tx) => assignLevel(tx, tenantId, id, user, c.req.valid('json')));
    return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
  },
);
