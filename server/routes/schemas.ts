/** Response shapes shared by several routers, for the OpenAPI document and the typed client. */
import { z } from '@hono/zod-openapi';

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
    status: z.enum(['active', 'inactive', 'disabled', 'removed']),
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

export const EventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    at: z.string(),
    actor: z.object({ id: z.string(), name: z.string() }).nullable(),
    customerId: z.string().nullable(),
    version: z.number().int().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('Event');
