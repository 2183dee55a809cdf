/**
 * The customer as the API answers it: one zod schema per shape, used for the
 * OpenAPI document, for the server's serialisers (typed by it) and for the
 * components' types. A duplicate candidate and a list row are picks of it.
 */
import { z } from '@hono/zod-openapi';
import { CUSTOMER_STATUSES } from './limits.ts';

const nullableString = z.string().nullable();
/** Timestamps are answered as toISOString() writes them. */
export const instant = z.iso.datetime();
const nullableInstant = instant.nullable();

/** A nullable reference: `anyOf [$ref, null]` (zod-to-openapi would mark the shared component itself nullable). */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

export const LevelSummarySchema = z
  .object({ id: z.string().uuid(), name: z.string(), color: nullableString, minPoints: z.number().int() })
  .openapi('LevelSummary');

export const CustomerSchema = z
  .object({
    id: z.string().uuid(),
    number: z.number().int(),
    firstName: nullableString,
    lastName: nullableString,
    email: z.email().nullable(),
    emailSubscribed: z.boolean(),
    phones: z.array(z.object({ number: z.string(), label: nullableString })),
    idType: nullableString,
    idNumber: nullableString,
    externalId: nullableString,
    gender: nullableString,
    city: nullableString,
    birthday: z.iso.date().nullable(),
    address: z.record(z.string(), z.string().nullable().optional()).nullable(),
    registeredAt: instant,
    registrationCode: nullableString,
    shareCode: z.string(),
    custom: z.record(z.string(), z.unknown()),
    status: z.enum(CUSTOMER_STATUSES),
    levelId: z.string().uuid().nullable(),
    levelLocked: z.boolean(),
    level: orNull(LevelSummarySchema),
    points: z.number().int(),
    lifetimePoints: z.number().int(),
    tags: z.array(z.string()),
    vip: z.boolean(),
    bad: z.boolean(),
    assignedUserId: nullableString,
    personalDiscount: z.number().nullable(),
    store: nullableString,
    legal: z.record(z.string(), z.unknown()).nullable(),
    metrics: z.object({
      ordersCount: z.number().int(),
      totalSpent: z.number().int(),
      averageOrder: z.number().int(),
      lastOrderAt: nullableInstant,
    }),
    duplicateHints: z.array(
      z.object({
        field: z.enum(['email', 'phone', 'idNumber']),
        value: z.string(),
        customers: z.array(z.object({ id: z.string().uuid(), number: z.number().int() })),
      }),
    ),
    erasedAt: nullableInstant,
    createdAt: instant,
    updatedAt: instant,
    version: z.number().int(),
  })
  .openapi('Customer');

/** A row of GET /customers: the customer and its level; duplicate hints only on GET /customers/:id. */
export const CustomerListItemSchema = CustomerSchema.omit({ duplicateHints: true }).openapi('CustomerListItem');

/** What a list of duplicates shows of each customer: enough to tell them apart. */
export const DuplicateCandidateSchema = CustomerSchema.pick({
  id: true,
  number: true,
  firstName: true,
  lastName: true,
  email: true,
  phones: true,
  idType: true,
  idNumber: true,
  externalId: true,
  birthday: true,
  city: true,
  status: true,
  points: true,
  registeredAt: true,
}).openapi('DuplicateCandidate');

export type Customer = z.infer<typeof CustomerSchema>;
export type CustomerListItem = z.infer<typeof CustomerListItemSchema>;
export type DuplicateCandidate = z.infer<typeof DuplicateCandidateSchema>;
export type LevelSummary = z.infer<typeof LevelSummarySchema>;
export type DuplicateHint = Customer['duplicateHints'][number];
