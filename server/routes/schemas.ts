/** Response shapes shared by several routers, for the OpenAPI document and the typed client. */
import { z } from '@hono/zod-openapi';
import { DuplicateCandidateSchema, instant } from '../contract/customer.ts';
import { DUPLICATE_REASONS } from '../domain/duplicate-score.ts';
import { MIN_GROUP_SCORE } from '../domain/duplicate-groups.ts';
import { DEFAULT_MIN_SCORE } from '../domain/duplicates.ts';
import { LEDGER_KINDS } from '../domain/ledger.ts';
import { ORDER_STATUSES } from '../domain/orders.ts';
import { ActorSchema, PageQuery } from './openapi.ts';

export { CustomerListItemSchema, CustomerSchema, DuplicateCandidateSchema, LevelSummarySchema } from '../contract/customer.ts';

export const EventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    at: instant,
    actor: z.object({ id: z.string(), name: z.string() }).nullable(),
    customerId: z.string().nullable(),
    version: z.number().int().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Event');

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
    sourceCustomerNumber: z.number().int().nullable().openapi({ description: 'For entries a merge brought over: the merged-away customer’s number' }),
    actor: z.union([ActorSchema, z.null()]).openapi({ description: 'Null for the system (the expiry sweep)' }),
    createdAt: instant,
    expiresAt: instant.nullable(),
    remaining: z.number().int().openapi({ description: 'Unspent points of a positive entry (oldest are spent first)' }),
  })
  .openapi('LedgerEntry');

const Reasons = z.array(z.enum(DUPLICATE_REASONS)).openapi({ description: 'The fields that make the customers look alike' });
const Score = z.number().min(0).max(1).openapi({ description: '0–1: how likely the customers are one person' });

export const ScoredDuplicateSchema = z.object({ customer: DuplicateCandidateSchema, score: Score, reasons: Reasons }).openapi('ScoredDuplicate');

export const DuplicateGroupSchema = z
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
export const DuplicateQuery = z.object({ minScore: minScoreFrom(0), ...PageQuery });
/** Tenant-wide grouping has a floor: below it everyone links to everyone (issue #15, item 1). */
export const GroupQuery = z.object({ minScore: minScoreFrom(MIN_GROUP_SCORE), ...PageQuery });

export const OrderSchema = z
  .object({
    id: z.string().uuid(),
    customerId: z.string().uuid(),
    externalId: z.string(),
    total: z.number().int().openapi({ description: 'Minor units (cents)' }),
    currency: z.string(),
    status: z.enum(ORDER_STATUSES),
    placedAt: instant,
    items: z.array(
      z.object({ sku: z.string().nullable(), name: z.string(), category: z.string().nullable(), quantity: z.number().int(), price: z.number().int() }),
    ),
    pointsEarned: z.number().int().openapi({ description: 'Points the order earned when it completed (kept after a cancellation or refund)' }),
    pointsReversed: z.number().int().openapi({ description: 'Points a cancellation or refund took back' }),
    pointsUnrecovered: z.number().int().openapi({ description: 'Points a cancellation or refund could not take back (already spent)' }),
    createdAt: instant,
    updatedAt: instant,
  })
  .openapi('Order');
