/**
 * The one schema of Clientela, for PostgreSQL and PGlite alike.
 *
 * Every table carries `tenant_id` and every primary or unique key starts with
 * it, so the tables can be distributed by tenant (Citus) without a redesign.
 * Columns prefixed `search_` hold accent-free, lower-cased copies written by
 * the application (see domain/normalize.ts): the same SQL then works on both
 * drivers without the `unaccent` extension, and trigram indexes can use them.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => timestamptz('created_at').notNull().defaultNow();

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  defaultRegion: text('default_region').notNull().default('ES'),
  currency: text('currency').notNull().default('EUR'),
  /** Points earned per whole currency unit of a completed order. */
  pointsPerUnit: doublePrecision('points_per_unit').notNull().default(1),
  /** Null: points never expire. */
  pointsValidityDays: integer('points_validity_days'),
  /** The last customer number handed out; bumped under the row lock. */
  lastCustomerNumber: integer('last_customer_number').notNull().default(1000),
  /** The last event id handed out (ids are per tenant); bumped under the row lock, held to commit. */
  lastEventSeq: bigint('last_event_seq', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** Admins and agents seen in tokens, so an assignee can be shown by name. */
export const users = pgTable(
  'users',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    role: text('role'),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type Phone = { number: string; label: string | null };
export type Address = {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
};
export type Legal = {
  type: 'person' | 'company' | 'sole_trader';
  companyName?: string | null;
  taxId?: string | null;
  iban?: string | null;
  bic?: string | null;
  bankName?: string | null;
  legalAddress?: string | null;
};

export const customers = pgTable(
  'customers',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    number: integer('number').notNull(),
    firstName: text('first_name'),
    lastName: text('last_name'),
    email: text('email'),
    emailSubscribed: boolean('email_subscribed').notNull().default(false),
    phones: jsonb('phones').$type<Phone[]>().notNull().default([]),
    /** E.164 numbers of `phones`, for index look-ups. */
    phoneNumbers: text('phone_numbers').array().notNull().default(sql`'{}'::text[]`),
    idType: text('id_type'),
    idNumber: text('id_number'),
    externalId: text('external_id'),
    gender: text('gender'),
    city: text('city'),
    birthday: date('birthday', { mode: 'string' }),
    address: jsonb('address').$type<Address>(),
    registeredAt: timestamptz('registered_at').notNull().defaultNow(),
    registrationCode: text('registration_code'),
    shareCode: text('share_code').notNull(),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').notNull().default('active'),
    levelId: uuid('level_id'),
    levelLocked: boolean('level_locked').notNull().default(false),
    points: integer('points').notNull().default(0),
    lifetimePoints: integer('lifetime_points').notNull().default(0),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    vip: boolean('vip').notNull().default(false),
    bad: boolean('bad').notNull().default(false),
    assignedUserId: text('assigned_user_id'),
    personalDiscount: doublePrecision('personal_discount'),
    store: text('store'),
    legal: jsonb('legal').$type<Legal>(),
    /** Denormalised order metrics, kept in step by domain/orders.ts. */
    ordersCount: integer('orders_count').notNull().default(0),
    totalSpent: bigint('total_spent', { mode: 'number' }).notNull().default(0),
    lastOrderAt: timestamptz('last_order_at'),
    /** Accent-free "first last", lower-cased: fuzzy search and duplicates. */
    searchName: text('search_name').notNull().default(''),
    /** The words of search_name: whole-word name search without trigram checks. */
    nameWords: text('name_words')
      .array()
      .notNull()
      .generatedAlwaysAs(sql`regexp_split_to_array(search_name, '[^[:alnum:]]+')`),
    /** Sort key for `sort=name`: accent-free "last first". */
    sortName: text('sort_name').notNull().default(''),
    /** idNumber without spaces, dots or dashes, upper-cased. */
    searchIdNumber: text('search_id_number'),
    mergedInto: uuid('merged_into'),
    mergedAt: timestamptz('merged_at'),
    erasedAt: timestamptz('erased_at'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('customers_tenant_number_key').on(t.tenantId, t.number),
    uniqueIndex('customers_tenant_share_code_key').on(t.tenantId, t.shareCode),
    index('customers_tenant_email_idx').using('btree', t.tenantId, sql`${t.email} text_pattern_ops`),
    index('customers_tenant_external_id_idx').on(t.tenantId, t.externalId),
    index('customers_tenant_id_number_idx').on(t.tenantId, t.searchIdNumber),
    index('customers_phone_numbers_idx').using('gin', t.phoneNumbers),
    index('customers_tags_idx').using('gin', t.tags),
    index('customers_search_name_trgm_idx').using('gin', sql`${t.searchName} gin_trgm_ops`),
    index('customers_name_words_idx').using('gin', t.nameWords),
    index('customers_tenant_sort_name_idx').on(t.tenantId, t.sortName, t.id),
    index('customers_tenant_points_idx').on(t.tenantId, t.points, t.id),
    index('customers_tenant_registered_idx').on(t.tenantId, t.registeredAt, t.id),
    // Never ordered sorts as the oldest order: one key order serves both directions of sort=lastOrderAt.
    index('customers_tenant_last_order_idx').on(t.tenantId, sql`coalesce(${t.lastOrderAt}, '-infinity'::timestamptz)`, t.id),
    index('customers_tenant_level_idx').on(t.tenantId, t.levelId),
    index('customers_tenant_birthday_idx').on(t.tenantId, t.birthday),
    check('customers_points_non_negative', sql`${t.points} >= 0`),
    check('customers_lifetime_points_non_negative', sql`${t.lifetimePoints} >= 0`),
    check('customers_status_check', sql`${t.status} in ('active', 'inactive', 'disabled', 'removed')`),
    // A level held by a customer cannot be deleted, even by a racing transaction.
    foreignKey({ name: 'customers_level_fk', columns: [t.tenantId, t.levelId], foreignColumns: [levels.tenantId, levels.id] }),
  ],
);

export const customFields = pgTable(
  'custom_fields',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type').notNull(),
    options: jsonb('options').$type<string[]>(),
    required: boolean('required').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export const levels = pgTable(
  'levels',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    minPoints: integer('min_points').notNull(),
    color: text('color'),
    benefits: text('benefits'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('levels_tenant_name_key').on(t.tenantId, sql`lower(${t.name})`),
    uniqueIndex('levels_tenant_min_points_key').on(t.tenantId, t.minPoints),
  ],
);

export const notes = pgTable(
  'notes',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    customerId: uuid('customer_id').notNull(),
    body: text('body').notNull(),
    authorId: text('author_id').notNull(),
    authorName: text('author_name').notNull(),
    createdAt: createdAt(),
    /** Notes are never erased by a delete, only hidden: nothing is lost. */
    deletedAt: timestamptz('deleted_at'),
    deletedBy: text('deleted_by'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('notes_tenant_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** Global insertion order: newest-first listings and FIFO expiry. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    customerId: uuid('customer_id').notNull(),
    kind: text('kind').notNull(),
    delta: integer('delta').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    reason: text('reason'),
    orderId: uuid('order_id'),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    createdAt: createdAt(),
    /** For positive entries: when what is left of them expires. */
    expiresAt: timestamptz('expires_at'),
    /** For positive entries: how many of these points are still unspent (FIFO). */
    remaining: integer('remaining').notNull().default(0),
    /** For `merge` entries: the customer the points came from. */
    sourceCustomerId: uuid('source_customer_id'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('ledger_tenant_customer_seq_idx').on(t.tenantId, t.customerId, t.seq),
    index('ledger_expiring_idx')
      .on(t.tenantId, t.expiresAt)
      .where(sql`${t.remaining} > 0 and ${t.expiresAt} is not null`),
    check('ledger_kind_check', sql`${t.kind} in ('earn', 'adjust', 'redeem', 'expire', 'forfeit', 'merge', 'reversal')`),
    check('ledger_balance_after_non_negative', sql`${t.balanceAfter} >= 0`),
    check('ledger_remaining_non_negative', sql`${t.remaining} >= 0`),
  ],
);

export type OrderItem = { sku?: string | null; name: string; category?: string | null; quantity: number; price: number };

export const orders = pgTable(
  'orders',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    customerId: uuid('customer_id').notNull(),
    externalId: text('external_id').notNull(),
    total: bigint('total', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    placedAt: timestamptz('placed_at').notNull(),
    /** Points this order earned when it completed, kept after a cancellation or refund. */
    pointsEarned: integer('points_earned').notNull().default(0),
    /** Points a cancellation or refund took back. */
    pointsReversed: integer('points_reversed').notNull().default(0),
    /** Points a cancellation or refund could not take back: already spent. */
    pointsUnrecovered: integer('points_unrecovered').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('orders_tenant_external_id_key').on(t.tenantId, t.externalId),
    index('orders_tenant_customer_idx').on(t.tenantId, t.customerId, t.placedAt),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    orderId: uuid('order_id').notNull(),
    position: integer('position').notNull(),
    sku: text('sku'),
    name: text('name').notNull(),
    category: text('category'),
    quantity: integer('quantity').notNull(),
    price: bigint('price', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('order_items_tenant_order_idx').on(t.tenantId, t.orderId, t.position),
    foreignKey({ columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }).onDelete('cascade'),
  ],
);

/**
 * The items of a customer's completed orders summed per month (UTC), currency
 * and category: the insights read whole months here instead of every item.
 * Written only by triggers on orders and order_items (migration 0009), in the
 * transaction of the write, so every writer (API, merge, seed, plain SQL)
 * keeps it equal to the rows. `orders` counts the completed orders with an
 * item of the category. Category null (items without one) is one key, hence
 * a unique key with NULLS NOT DISTINCT instead of a primary key.
 */
export const orderCategoryMonths = pgTable(
  'order_category_months',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    currency: text('currency').notNull(),
    /** The first day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    category: text('category'),
    orders: integer('orders').notNull(),
    quantity: bigint('quantity', { mode: 'number' }).notNull(),
    /** Numeric, as sum() over order_items answers: a bigint could overflow where the raw sum does not. */
    spent: numeric('spent').notNull(),
  },
  (t) => [unique('order_category_months_key').on(t.tenantId, t.customerId, t.currency, t.month, t.category).nullsNotDistinct()],
);

/**
 * A customer's completed orders counted and summed per month (UTC) and
 * currency: the insights' monthly spend for whole months. Kept like
 * order_category_months, by statement triggers on orders (migration 0010).
 */
export const orderMonths = pgTable(
  'order_months',
  {
    tenantId: text('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    currency: text('currency').notNull(),
    /** The first day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    orders: integer('orders').notNull(),
    /** Numeric, as sum() over orders' totals answers. */
    spent: numeric('spent').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId, t.currency, t.month] })],
);

/** The history: immutable, one row per change, written in the change's transaction. */
export const events = pgTable(
  'events',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** The tenant's own order of events (see recordEvents): the SSE id and the history cursor. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    at: timestamptz('at').notNull().defaultNow(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    customerId: uuid('customer_id'),
    /** The customer's version after the change, when the change touched one. */
    version: integer('version'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('events_tenant_customer_seq_idx').on(t.tenantId, t.customerId, t.seq),
    uniqueIndex('events_tenant_seq_key').on(t.tenantId, t.seq),
  ],
);

export const merges = pgTable(
  'merges',
  {
    tenantId: text('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    primaryId: uuid('primary_id').notNull(),
    sourceIds: uuid('source_ids').array().notNull(),
    fieldChoices: jsonb('field_choices').$type<Record<string, string>>().notNull().default({}),
    /** Every source exactly as it was, with its notes, phones and tags. */
    snapshots: jsonb('snapshots').$type<unknown[]>().notNull(),
    moves: jsonb('moves').$type<Record<string, number>>().notNull().default({}),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('merges_tenant_primary_idx').on(t.tenantId, t.primaryId)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    /** Method and path the key was first used with. */
    scope: text('scope').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    response: jsonb('response').notNull(),
    /** The customers the answer is about: erasing one of them deletes the answer. */
    customerIds: uuid('customer_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key] }),
    index('idempotency_created_idx').on(t.createdAt),
    index('idempotency_customers_idx').using('gin', t.customerIds),
  ],
);

/**
 * Every word of every customer name of the tenant, learnt by a trigger on
 * customers (migration 0006): search corrects a typed word against this
 * small list instead of comparing it with every name.
 */
export const nameDictionary = pgTable(
  'name_dictionary',
  {
    tenantId: text('tenant_id').notNull(),
    word: text('word').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.word] }),
    index('name_dictionary_prefix_idx').using('btree', t.tenantId, sql`${t.word} text_pattern_ops`),
    index('name_dictionary_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`),
  ],
);

export const duplicateDismissals = pgTable(
  'duplicate_dismissals',
  {
    tenantId: text('tenant_id').notNull(),
    /** The pair is stored ordered: customerA < customerB. */
    customerA: uuid('customer_a').notNull(),
    customerB: uuid('customer_b').notNull(),
    actorId: text('actor_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerA, t.customerB] }),
    // One customer's dismissals are found from either side of the pair.
    index('duplicate_dismissals_tenant_b_idx').on(t.tenantId, t.customerB),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;
export type LevelRow = typeof levels.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type LedgerRow = typeof ledgerEntries.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type NoteRow = typeof notes.$inferSelect;
export type TenantRow = typeof tenants.$inferSelect;
export type CustomFieldRow = typeof customFields.$inferSelect;
