/** /duplicates: groups of likely duplicates across the tenant, and "not duplicates" dismissals. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { duplicateGroups } from '../domain/duplicate-groups.ts';
import { dismissDuplicates } from '../domain/duplicates.ts';
import { uuidInput } from '../domain/ids.ts';
import { bearer, bodyErrors, commonErrors, errors, jsonBody, jsonContent, page, router } from './openapi.ts';
import { DuplicateGroupSchema, GroupQuery } from './schemas.ts';

/** A merge takes at most 10 sources, so a group to dismiss is at most 11 customers. */
const MAX_DISMISS = 11;

export const DismissSchema = z
  .strictObject({
    customerIds: z
      .array(uuidInput(), { message: 'A list of customer ids.' })
      .min(2, { message: 'At least two customers.' })
      .max(MAX_DISMISS, { message: `At most ${MAX_DISMISS} customers.` })
      .refine((ids) => new Set(ids).size === ids.length, { message: 'Each customer only once.' }),
  })
  .openapi('DuplicateDismissal');

const DismissResultSchema = z
  .object({
    customerIds: z.array(z.string().uuid()),
    pairs: z.number().int().openapi({ description: 'Pairs among the customers' }),
    newlyDismissed: z.number().int().openapi({ description: 'Of those, pairs not dismissed before' }),
  })
  .openapi('DuplicateDismissalResult');

export const duplicateRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      operationId: 'listDuplicateGroups',
      security: bearer,
      summary: 'Groups of likely duplicates across the tenant, strongest first',
      description: 'A group holds at most as many customers as one merge takes; a page ends early rather than grow past 256 KB. While a large programme\'s groups are being computed the answer may be 503 with Retry-After.',
      middleware: [requirePermission('customers:read')] as const,
      request: { query: GroupQuery },
      responses: { 200: jsonContent(page(DuplicateGroupSchema), 'Duplicate groups'), ...commonErrors, ...errors(503) },
    }),
    async (c) => c.json(await duplicateGroups(c.var.db, c.var.auth.tenantId, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dismiss',
      operationId: 'dismissDuplicates',
      security: bearer,
      summary: 'Mark customers as not duplicates of each other: their pairs are not suggested again',
      middleware: [requirePermission('customers:merge')] as const,
      request: {
        body: jsonBody(DismissSchema, {
          pair: { summary: 'Two customers who are not one person', value: { customerIds: ['3c9e1f2a-7b4d-4e6f-8a1b-2c3d4e5f6a7b', '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a'] } },
        }),
      },
      responses: { 200: jsonContent(DismissResultSchema, 'Dismissed'), ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { customerIds } = c.req.valid('json');
      return c.json(await c.var.db.transaction((tx) => dismissDuplicates(tx, tenantId, user, customerIds)), 200);
    },
  );
