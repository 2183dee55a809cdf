/** /levels: the programme's levels (levels:admin to change them, customers:read to see them). */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { LevelCreateSchema, LevelPatchSchema, createLevel, deleteLevel, levelView, listLevels, updateLevel } from '../domain/levels.ts';
import { idempotent } from '../idempotency.ts';
import { instant } from '../contract/customer.ts';
import { bearer, bodyErrors, commonErrors, errors, idempotencyKey, IdParam, jsonBody, jsonContent, locationHeader, router } from './openapi.ts';

export const LevelSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    minPoints: z.number().int().openapi({ description: 'Lifetime points needed to reach the level' }),
    color: z.string().nullable(),
    benefits: z.string().nullable(),
    memberCount: z.number().int().openapi({ description: 'Members holding the level now' }),
    createdAt: instant,
    updatedAt: instant,
  })
  .openapi('Level');

const LevelWriteResultSchema = LevelSchema.extend({
  membersMoved: z.number().int().openapi({ description: 'Members whose automatic level changed because of this' }),
}).openapi('LevelWriteResult');

const read = requirePermission('customers:read');
const admin = requirePermission('levels:admin');

export const levelRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      operationId: 'listLevels',
      summary: 'The levels, lowest threshold first',
      security: bearer,
      middleware: [read] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(LevelSchema), nextCursor: z.null() })), ...commonErrors },
    }),
    async (c) => c.json({ items: await listLevels(c.var.db, c.var.auth.tenantId), nextCursor: null }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      operationId: 'createLevel',
      summary: 'Add a level; members who reach it move there at once; honours Idempotency-Key',
      security: bearer,
      middleware: [admin] as const,
      parameters: [idempotencyKey],
      request: {
        body: jsonBody(LevelCreateSchema, {
          gold: { summary: 'A level from 1,000 lifetime points', value: { name: 'Oro', minPoints: 1000, color: '#d4a017', benefits: 'Envío gratis y 10 % de descuento' } },
        }),
      },
      responses: { 201: { ...jsonContent(LevelWriteResultSchema, 'Created'), headers: locationHeader }, ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const input = c.req.valid('json');
      const answer = await idempotent(c, input, async (tx) => {
        const { level, moved } = await createLevel(tx, tenantId, user, input);
        return { status: 201, body: { ...(await levelView(tx, level)), membersMoved: moved }, customerIds: [] };
      });
      return c.json(answer.body, 201, { Location: `/api/v1/levels/${answer.body.id}` });
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      operationId: 'updateLevel',
      summary: 'Edit a level; a new threshold moves the members it affects',
      security: bearer,
      middleware: [admin] as const,
      request: {
        params: IdParam,
        body: jsonBody(LevelPatchSchema, { threshold: { summary: 'Raise the threshold', value: { minPoints: 1500 } } }),
      },
      responses: { 200: jsonContent(LevelWriteResultSchema, 'The level'), ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const body = await c.var.db.transaction(async (tx) => {
        const { level, moved } = await updateLevel(tx, tenantId, user, id, input);
        return { ...(await levelView(tx, level)), membersMoved: moved };
      });
      return c.json(body, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      operationId: 'deleteLevel',
      security: bearer,
      summary: 'Delete a level no member holds (409 otherwise)',
      middleware: [admin] as const,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await c.var.db.transaction((tx) => deleteLevel(tx, c.var.auth.tenantId, id));
      return c.body(null, 204);
    },
  );
