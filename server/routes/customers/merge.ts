/** Merging duplicates: the preview, then the irreversible merge (customers:merge). */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { MAX_MERGE_SOURCES } from '../../contract/limits.ts';
import { customerView } from '../../domain/customers.ts';
import { uuidInput } from '../../domain/ids.ts';
import { mergeCustomers } from '../../domain/merge.ts';
import { BLOCKER_CODES, previewMerge } from '../../domain/merge-plan.ts';
import { idempotent } from '../../idempotency.ts';
import { bearer, bodyErrors, commonErrors, errors, idempotencyKey, IdParam, jsonBody, jsonContent, router } from '../openapi.ts';
import { CustomerSchema } from '../schemas.ts';

/** Enough to show every blocker of an over-long list; beyond it the request itself is refused. */
const MAX_LISTED = 100;

const sourceIds = z
  .array(uuidInput(), { message: 'A list of customer ids.' })
  .min(1, { message: 'At least one source.' })
  .max(MAX_LISTED, { message: `At most ${MAX_MERGE_SOURCES} sources.` });
const fieldChoices = z
  .record(z.string().max(100), uuidInput('Must be the id of the primary or of a source.'))
  .openapi({ description: 'Field (or custom.<key>) → the customer whose value survives; default the primary’s' });

export const MergePreviewRequestSchema = z.strictObject({ sourceIds, fieldChoices: fieldChoices.optional() }).openapi('MergePreviewRequest');
export const MergeRequestSchema = z
  .strictObject({
    sourceIds,
    fieldChoices: fieldChoices.optional(),
    confirm: z.literal(true, { message: 'A merge cannot be undone: send confirm: true.' }),
  })
  .openapi('MergeRequest');

const MovesSchema = z.object({
  orders: z.number().int(),
  ledgerEntries: z.number().int(),
  notes: z.number().int(),
  events: z.number().int(),
  tags: z.number().int(),
  phones: z.number().int(),
});

const MergePreviewSchema = z
  .object({
    blockers: z.array(z.object({ code: z.enum(BLOCKER_CODES), customerId: z.string().nullable(), message: z.string() })),
    conflicts: z.array(
      z.object({
        field: z.string(),
        values: z.array(z.object({ customerId: z.string().uuid(), value: z.unknown() })),
        chosen: z.string().uuid().openapi({ description: 'Whose value the merge would take' }),
      }),
    ),
    moves: MovesSchema,
    leftOut: z
      .object({ phones: z.array(z.string()), tags: z.array(z.string()) })
      .openapi({ description: 'Sources’ phones and tags the primary cannot take (10 phones, 50 tags): kept only in the merge’s snapshots' }),
    after: z.object({ points: z.number().int(), lifetimePoints: z.number().int(), levelId: z.string().uuid().nullable() }),
  })
  .openapi('MergePreview');

const MergeResultSchema = z.object({ customer: CustomerSchema, mergeId: z.string().uuid(), moves: MovesSchema }).openapi('MergeResult');

const merge = requirePermission('customers:merge');

export const mergeRoutes = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/merge/preview',
      operationId: 'previewMerge',
      summary: 'What merging the sources into this customer would do: blockers, conflicts, what moves, points after',
      security: bearer,
      middleware: [merge] as const,
      request: {
        params: IdParam,
        body: jsonBody(MergePreviewRequestSchema, {
          preview: { summary: 'Two sources into this customer', value: { sourceIds: ['3c9e1f2a-7b4d-4e6f-8a1b-2c3d4e5f6a7b', '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a'] } },
        }),
      },
      responses: { 200: jsonContent(MergePreviewSchema, 'The preview; nothing is changed'), ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await previewMerge(c.var.db, c.var.auth.tenantId, id, c.req.valid('json')), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/merge',
      operationId: 'mergeCustomers',
      summary: 'Merge the sources into this customer, in one transaction; irreversible; honours Idempotency-Key',
      security: bearer,
      middleware: [merge] as const,
      parameters: [idempotencyKey],
      request: {
        params: IdParam,
        body: jsonBody(MergeRequestSchema, {
          merge: {
            summary: 'Merge one source, keeping its email',
            value: { sourceIds: ['3c9e1f2a-7b4d-4e6f-8a1b-2c3d4e5f6a7b'], fieldChoices: { email: '3c9e1f2a-7b4d-4e6f-8a1b-2c3d4e5f6a7b' }, confirm: true },
          },
        }),
      },
      responses: { 200: jsonContent(MergeResultSchema, 'The merged customer and the merge id'), ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const answer = await idempotent(c, input, async (tx) => {
        const { customer, mergeId, moves } = await mergeCustomers(tx, tenantId, id, user, input);
        return { status: 200, body: { customer: await customerView(tx, customer), mergeId, moves }, customerIds: [id, ...input.sourceIds] };
      });
      return c.json(answer.body, 200);
    },
  );
