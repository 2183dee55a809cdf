/** /customers/:id/points: the points ledger and changes by hand. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { MAX_MANUAL_DELTA, MAX_REASON_LENGTH } from '../../contract/limits.ts';
import { adjustPoints, LEDGER_KINDS, listEntries } from '../../domain/ledger.ts';
import { idempotent } from '../../idempotency.ts';
import { bearer, bodyErrors, commonErrors, errors, idempotencyKey, IdParam, jsonBody, jsonContent, orNull, page, PageQuery, router } from '../openapi.ts';
import { LedgerEntrySchema, LevelSummarySchema } from '../schemas.ts';

export const PointsChangeSchema = z
  .strictObject({
    delta: z
      .number({ message: 'Must be a whole number.' })
      .int({ message: 'Must be a whole number.' })
      .min(-MAX_MANUAL_DELTA, { message: `At least -${MAX_MANUAL_DELTA}.` })
      .max(MAX_MANUAL_DELTA, { message: `At most ${MAX_MANUAL_DELTA}.` })
      .refine((d) => d !== 0, { message: 'Must not be 0.' })
      .openapi({ not: { const: 0 }, description: 'Positive adds, negative deducts; never 0' }),
    reason: z
      .string({ message: 'Required.' })
      .trim()
      .min(1, { message: 'Required.' })
      .max(MAX_REASON_LENGTH, { message: `At most ${MAX_REASON_LENGTH} characters.` }),
    kind: z
      .enum(['adjust', 'redeem'])
      .optional()
      .openapi({ description: '`redeem` for points spent by the member (negative delta only); `adjust` when left out' }),
  })
  .refine((b) => b.kind !== 'redeem' || b.delta < 0, { message: 'A redemption deducts points: use a negative delta.', path: ['kind'] })
  // Filled here rather than with .default(): openapi-typescript makes a field with a documented default required.
  .transform((b) => ({ ...b, kind: b.kind ?? 'adjust' }))
  .openapi('PointsChange');

const PointsChangeResultSchema = z
  .object({
    entry: LedgerEntrySchema,
    balance: z.number().int(),
    lifetimePoints: z.number().int(),
    level: orNull(LevelSummarySchema),
    version: z.number().int().openapi({ description: 'The customer’s version after the change' }),
  })
  .openapi('PointsChangeResult');

const LedgerQuery = z.object({ ...PageQuery, kind: z.enum(LEDGER_KINDS).optional() });

export const pointsRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/points',
      operationId: 'listLedger',
      summary: 'The points ledger, newest first',
      security: bearer,
      middleware: [requirePermission('customers:read')] as const,
      request: { params: IdParam, query: LedgerQuery },
      responses: { 200: jsonContent(page(LedgerEntrySchema)), ...commonErrors, ...errors(409) },
    }),
    async (c) => c.json(await listEntries(c.var.db, c.var.auth.tenantId, c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/points',
      operationId: 'addPoints',
      summary: 'Add or deduct points by hand, with a reason; honours Idempotency-Key',
      security: bearer,
      middleware: [requirePermission('points:write')] as const,
      parameters: [idempotencyKey],
      request: {
        params: IdParam,
        body: jsonBody(PointsChangeSchema, {
          add: { summary: 'Add points', value: { delta: 150, reason: 'Compensación por retraso del pedido' } },
          redeem: { summary: 'The member spends points', value: { delta: -500, reason: 'Canje: vale de 5 €', kind: 'redeem' } },
        }),
      },
      responses: { 201: jsonContent(PointsChangeResultSchema, 'The entry and the new standing'), ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const change = c.req.valid('json');
      const answer = await idempotent(c, change, async (tx) => ({ status: 201, body: await adjustPoints(tx, tenantId, id, user, change), customerIds: [id] }));
      return c.json(answer.body, 201);
    },
  );
