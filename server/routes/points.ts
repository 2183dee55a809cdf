/** A member's standing: the points ledger, manual adjustments, the manual level, and removal from the programme. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { ValidationFailed, conflict } from '../errors.ts';
import { customerView, etagOf, levelSummary, requireCustomer } from '../domain/customers.ts';
import { LEDGER_KINDS, listEntries, pointsBlockedReason, recordPointsChange, serializeEntry } from '../domain/ledger.ts';
import { setCustomerLevel } from '../domain/levels.ts';
import { RemovalSchema, removeCustomer } from '../domain/removal.ts';
import { idempotent } from '../idempotency.ts';
import { ActorSchema, IdParam, PageQuery, commonErrors, documentedBody, errors, jsonContent, page, parseBody, readJson, router } from './openapi.ts';
import { CustomerSchema, LevelSummarySchema } from './schemas.ts';
import { uuidInput } from '../domain/ids.ts';

/** Bounds a single manual change: large enough for any real adjustment, small enough to catch a typo of zeros. */
export const MAX_MANUAL_DELTA = 1_000_000;

export const LedgerEntrySchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(LEDGER_KINDS),
    delta: z.number().int(),
    balanceAfter: z.number().int(),
    reason: z.string().nullable(),
    orderId: z.string().uuid().nullable(),
    orderExternalId: z.string().nullable(),
    sourceCustomerId: z.string().uuid().nullable(),
    actor: ActorSchema.nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    remaining: z.number().int().openapi({ description: 'Unspent points of a positive entry (oldest are spent first)' }),
  })
  .openapi('LedgerEntry');

export const PointsChangeSchema = z
  .strictObject({
    delta: z
      .number({ message: 'Must be a whole number.' })
      .int({ message: 'Must be a whole number.' })
      .min(-MAX_MANUAL_DELTA, { message: `At least -${MAX_MANUAL_DELTA}.` })
      .max(MAX_MANUAL_DELTA, { message: `At most ${MAX_MANUAL_DELTA}.` })
      .refine((d) => d !== 0, { message: 'Must not be 0.' }),
    reason: z.string({ message: 'Required.' }).trim().min(1, { message: 'Required.' }).max(500, { message: 'At most 500 characters.' }),
    kind: z.enum(['adjust', 'redeem']).default('adjust').openapi({ description: '`redeem` for points spent by the member (negative delta only)' }),
  })
  .refine((b) => b.kind !== 'redeem' || b.delta < 0, { message: 'A redemption deducts points: use a negative delta.', path: ['kind'] })
  .openapi('PointsChange');

const PointsChangeResultSchema = z
  .object({
    entry: LedgerEntrySchema,
    balance: z.number().int(),
    lifetimePoints: z.number().int(),
    level: LevelSummarySchema.nullable(),
    version: z.number().int().openapi({ description: 'The customer’s version after the change' }),
  })
  .openapi('PointsChangeResult');

const LevelAssignmentSchema = z
  .strictObject({
    levelId: uuidInput().nullable().optional(),
    locked: z.boolean({ message: 'Required: true to assign by hand, false to return to automatic progression.' }),
  })
  .openapi('LevelAssignment');

const LedgerQuery = z.object({ ...PageQuery, kind: z.enum(LEDGER_KINDS).optional() });

const read = requirePermission('customers:read');
const pointsWrite = requirePermission('points:write');
const remove = requirePermission('customers:delete');

const registry = router();
registry.openAPIRegistry.register('PointsChange', PointsChangeSchema);
registry.openAPIRegistry.register('LevelAssignment', LevelAssignmentSchema);

export const pointsRoutes = registry
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}/points',
      summary: 'The points ledger, newest first',
      middleware: [read] as const,
      request: { params: IdParam, query: LedgerQuery },
      responses: { 200: jsonContent(page(LedgerEntrySchema)), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId } = c.var.auth;
      const { id } = c.req.valid('param');
      const { limit, cursor, kind } = c.req.valid('query');
      await requireCustomer(c.var.db, tenantId, id);
      return c.json(await listEntries(c.var.db, tenantId, id, { limit, cursor, kind }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/customers/{id}/points',
      summary: 'Add or deduct points by hand, with a reason; honours Idempotency-Key',
      middleware: [pointsWrite] as const,
      request: { params: IdParam, body: documentedBody('PointsChange') },
      responses: { 201: jsonContent(PointsChangeResultSchema, 'The entry and the new standing'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const raw = await readJson(c);
      const input = parseBody(PointsChangeSchema, raw);
      const answer = await idempotent(c, raw, async (tx) => {
        const row = await requireCustomer(tx, tenantId, id, { lock: true });
        const blocked = pointsBlockedReason(row);
        if (blocked) throw conflict(blocked, { status: row.status });
        const { entry, customer } = await recordPointsChange(tx, {
          tenantId,
          customerId: id,
          kind: input.kind,
          delta: input.delta,
          reason: input.reason,
          actor: user,
        });
        return {
          status: 201,
          body: {
            entry: serializeEntry(entry),
            balance: customer.points,
            lifetimePoints: customer.lifetimePoints,
            level: await levelSummary(tx, tenantId, customer.levelId),
            version: customer.version,
          },
          customerIds: [id],
        };
      });
      return c.json(answer.body, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/customers/{id}/level',
      summary: 'Assign a level by hand and lock it, or return to automatic progression',
      middleware: [pointsWrite] as const,
      request: { params: IdParam, body: documentedBody('LevelAssignment') },
      responses: { 200: jsonContent(CustomerSchema, 'The customer'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const input = parseBody(LevelAssignmentSchema, await readJson(c));
      if (input.locked && !input.levelId) throw new ValidationFailed([{ path: 'levelId', message: 'Required to assign a level by hand.' }]);
      if (!input.locked && input.levelId) {
        throw new ValidationFailed([{ path: 'levelId', message: 'Leave it out to return to automatic progression.' }]);
      }
      const row = await c.var.db.transaction(async (tx) => {
        const current = await requireCustomer(tx, tenantId, id, { lock: true });
        return setCustomerLevel(tx, current, user, input.locked ? { locked: true, levelId: input.levelId as string } : { locked: false });
      });
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/customers/{id}',
      summary: 'Remove from the programme, with an optional reason: status removed, balance forfeited, nothing erased',
      middleware: [remove] as const,
      request: { params: IdParam, body: { required: false, content: { 'application/json': { schema: RemovalSchema } } } },
      responses: { 200: jsonContent(CustomerSchema, 'The removed customer'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('json');
      const row = await c.var.db.transaction((tx) => removeCustomer(tx, tenantId, id, user, reason ?? null));
      return c.json(await customerView(c.var.db, row), 200, { ETag: etagOf(row) });
    },
  );
