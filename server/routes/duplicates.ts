/** Likely duplicates: of one customer, across the tenant, and "not duplicates" dismissals. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { DUPLICATE_REASONS } from '../domain/duplicate-score.ts';
import { DEFAULT_MIN_SCORE, dismissDuplicates, duplicatesOf } from '../domain/duplicates.ts';
import { duplicateGroups, MIN_GROUP_SCORE } from '../domain/duplicate-groups.ts';
import { commonErrors, documentedBody, errors, IdParam, jsonContent, page, PageQuery, parseBody, readJson, router } from './openapi.ts';
import { uuidInput } from '../domain/ids.ts';

/** A merge takes at most 10 sources, so a group to dismiss is at most 11 customers. */
const MAX_DISMISS = 11;

const DuplicateCandidateSchema = z
  .object({
    id: z.string().uuid(),
    number: z.number().int(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phones: z.array(z.object({ number: z.string(), label: z.string().nullable() })),
    idType: z.string().nullable(),
    idNumber: z.string().nullable(),
    externalId: z.string().nullable(),
    birthday: z.string().nullable(),
    city: z.string().nullable(),
    status: z.string(),
    points: z.number().int(),
    registeredAt: z.string(),
  })
  .openapi('DuplicateCandidate');

const Reasons = z.array(z.enum(DUPLICATE_REASONS)).openapi({ description: 'The fields that make the customers look alike' });
const Score = z.number().min(0).max(1).openapi({ description: '0–1: how likely the customers are one person' });

const ScoredDuplicateSchema = z.object({ customer: DuplicateCandidateSchema, score: Score, reasons: Reasons }).openapi('ScoredDuplicate');

const DuplicateGroupSchema = z
  .object({
    customers: z.array(DuplicateCandidateSchema).openapi({ description: 'Oldest (lowest number) first' }),
    score: Score.openapi({ description: 'The weakest pair that holds the group together' }),
    reasons: Reasons,
    pairs: z.array(z.object({ customerIds: z.array(z.string().uuid()), score: Score, reasons: Reasons })),
  })
  .openapi('DuplicateGroup');

const minScoreFrom = (floor: number) => {
  const message = `A number from ${floor} to 1.`;
  return z.coerce
    .number({ message })
    .min(floor, { message })
    .max(1, { message })
    .default(DEFAULT_MIN_SCORE)
    .openapi({ description: `Only pairs scoring at least this (${floor}–1, default ${DEFAULT_MIN_SCORE})` });
};
const DuplicateQuery = z.object({ minScore: minScoreFrom(0), ...PageQuery });
const GroupQuery = z.object({ minScore: minScoreFrom(MIN_GROUP_SCORE), ...PageQuery });

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

const read = requirePermission('customers:read');
const merge = requirePermission('customers:merge');

const registry = router();
registry.openAPIRegistry.register('DuplicateDismissal', DismissSchema);

export const duplicateRoutes = registry
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}/duplicates',
      summary: "This customer's likely duplicates, strongest first",
      middleware: [read] as const,
      request: { params: IdParam, query: DuplicateQuery },
      responses: { 200: jsonContent(page(ScoredDuplicateSchema), 'Likely duplicates with their score and reasons'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      return c.json(await duplicatesOf(c.var.db, c.var.auth.tenantId, id, query), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/duplicates',
      summary: 'Groups of likely duplicates across the tenant, strongest first',
      description: 'A group holds at most as many customers as one merge takes; a page ends early rather than grow past 256 KB. While a large programme\'s groups are being computed the answer may be 503 with Retry-After.',
      middleware: [read] as const,
      request: { query: GroupQuery },
      responses: { 200: jsonContent(page(DuplicateGroupSchema), 'Duplicate groups'), ...commonErrors, ...errors(503) },
    }),
    async (c) => c.json(await duplicateGroups(c.var.db, c.var.auth.tenantId, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/duplicates/dismiss',
      summary: 'Mark customers as not duplicates of each other: their pairs are not suggested again',
      middleware: [merge] as const,
      request: { body: documentedBody('DuplicateDismissal') },
      responses: { 200: jsonContent(DismissResultSchema, 'Dismissed'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { customerIds } = parseBody(DismissSchema, await readJson(c));
      const result = await c.var.db.transaction((tx) => dismissDuplicates(tx, tenantId, user, customerIds));
      return c.json(result, 200);
    },
  );
