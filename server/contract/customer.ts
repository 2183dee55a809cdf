/**
 * The customer as the API answers it: one zod schema per shape, used for the
 * OpenAPI document, for the server's serialisers (typed by it) and for the
 * components' types. A duplicate candidate and a list row are picks of it.
 */
import { z } from '@hono/zod-openapi';
import { CUSTOMER_STATUSES } from './limits.ts';

const nullableString = z.string().nullable();

export const LevelSummarySchema = z
  .object({ id: z.string(), name: z.string(), color: nullableString, minPoints: z.number().int() })
  .openapi('LevelSummary');

export const CustomerSchema = z
  .object({
    id: z.string().uuid(),
    number: z.number().int(),
    firstName: nullableString,
    lastName: nullableString,
    email: nullableString,
    emailSubscribed: z.boolean(),
    phones: z.array(z.object({ number: z.string(), label: nullableString })),
    idType: nullableString,
    idNumber: nullableString,
    externalId: nullableString,
    gender: nullableString,
    city: nullableString,
    birthday: nullableString,
    address: z.record(z.string(), z.string().nullable().optional()).nullable(),
    registeredAt: z.string(),
    registrationCode: nullableString,
    shareCode: z.string(),
    custom: z.record(z.string(), z.unknown()),
    status: z.enum(CUSTOMER_STATUSES),
    levelId: nullableString,
    levelLocked: z.boolean(),
    level: LevelSummarySchema.nullable(),
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
      lastOrderAt: nullableString,
    }),
    duplicateHints: z.array(
      z.object({
        field: z.enum(['email', 'phone', 'idNumber']),
        value: z.string(),
        customers: z.array(z.object({ id: z.string(), number: z.number().int() })),
      }),
    ),
    erasedAt: nullableString,
    createdAt: z.string(),
    updatedAt: z.string(),
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
