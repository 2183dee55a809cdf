/** GET /merges/:id: a merge's record, with every source as it was (customers:merge). */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { readMerge } from '../domain/merge-records.ts';
import { ActorSchema, bearer, commonErrors, IdParam, jsonContent, router } from './openapi.ts';
import { CustomerSchema } from './schemas.ts';

const MergeSnapshotSchema = z
  .object({
    customer: CustomerSchema.openapi({ description: 'The source as it was just before the merge' }),
    leftOut: z
      .object({ phones: z.array(z.string()), tags: z.array(z.string()) })
      .openapi({ description: 'Its phones and tags the primary could not take (10 phones, 50 tags at most): kept only here' }),
    notes: z.array(
      z.object({ id: z.string().uuid(), body: z.string(), author: ActorSchema, createdAt: z.string(), deletedAt: z.string().nullable() }),
    ),
    orders: z.array(z.object({ id: z.string().uuid(), externalId: z.string() })),
    ledgerEntryIds: z.array(z.string().uuid()),
    eventIds: z.array(z.string().uuid()),
  })
  .openapi('MergeSnapshot');

const MergeRecordSchema = z
  .object({
    id: z.string().uuid(),
    primaryId: z.string().uuid(),
    sourceIds: z.array(z.string().uuid()),
    fieldChoices: z.record(z.string(), z.string().uuid()).openapi({ description: 'Field (or custom.<key>) → the customer whose value survived' }),
    moves: z.record(z.string(), z.number().int()).openapi({ description: 'What moved to the primary: orders, ledgerEntries, notes, events, tags, phones' }),
    actor: ActorSchema,
    createdAt: z.string(),
    snapshots: z.array(MergeSnapshotSchema).openapi({ description: 'One per source, in sourceIds order; empty once the survivor was erased' }),
  })
  .openapi('MergeRecord');

export const mergeRecordRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    operationId: 'getMerge',
    summary: 'A merge as recorded, with the snapshot of every source as it was',
    security: bearer,
    middleware: [requirePermission('customers:merge')] as const,
    request: { params: IdParam },
    responses: { 200: jsonContent(MergeRecordSchema, 'The merge'), ...commonErrors },
  }),
  async (c) => c.json(await readMerge(c.var.db, c.var.auth.tenantId, c.req.valid('param').id), 200),
);
