/**
 * Purchases pushed by the host. An order is keyed by its externalId: pushing
 * it again records nothing new, pushing it with a new status moves it along
 * (pending → processing → completed → refunded or cancelled). Entering
 * `completed` earns points once, by the tenant's rule; leaving it for
 * `cancelled` or `refunded` takes them back as far as the balance allows and
 * records what it took back and what it could not; what the order earned is
 * kept. Only completed orders count in the customer's metrics (ordersCount,
 * totalSpent, lastOrderAt).
 */
import { z } from '@hono/zod-openapi';
import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import { customers, orderItems, orders, type CustomerRow, type OrderRow, type TenantRow } from '../db/schema.ts';
import { conflict, invalid } from '../errors.ts';
import { cursorValue, decodeCursor, pageOf } from './cursor.ts';
import { findCustomerRow, getTenant, requireCustomer, survivorOf } from './customers.ts';
import { isoInstant } from './customer-input.ts';
import { recordEvent } from './history.ts';
import { pointsBlockedReason, recordPointsChange } from './ledger.ts';
import { CURRENCIES } from './settings.ts';
import { uuidInput } from './ids.ts';

export const ORDER_STATUSES = ['pending', 'processing', 'completed', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
const FINAL: ReadonlySet<string> = new Set(['cancelled', 'refunded']);

/** Money in minor units, up to ten thousand million of the major unit. */
const MAX_AMOUNT = 1_000_000_000_000;
const MAX_POINTS_PER_ORDER = 2_147_483_647;

const optionalText = (max: number) => z.string().trim().max(max, { message: `At most ${max} characters.` }).nullable().optional();
const amount = z
  .number({ message: 'Must be a whole number of minor units (cents).' })
  .int({ message: 'Must be a whole number of minor units (cents).' })
  .min(0, { message: 'Must be 0 or more.' })
  .max(MAX_AMOUNT, { message: `At most ${MAX_AMOUNT}.` });

const OrderItemInput = z.strictObject({
  sku: optionalText(100),
  name: z.string().trim().min(1, { message: 'Required.' }).max(200, { message: 'At most 200 characters.' }),
  category: optionalText(100),
  quantity: z.number().int({ message: 'Must be a whole number.' }).min(1, { message: 'At least 1.' }).max(1_000_000, { message: 'At most 1000000.' }),
  price: amount,
});

export const OrderInputSchema = z
  .strictObject({
    customerId: uuidInput(),
    externalId: z.string().trim().min(1, { message: 'Required.' }).max(100, { message: 'At most 100 characters.' }),
    total: amount,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'Use an ISO 4217 code, e.g. EUR.' })
      .refine((c) => CURRENCIES.includes(c), { message: 'Not a known ISO 4217 currency.' })
      .openapi({ enum: CURRENCIES, description: 'The programme’s currency (GET /settings)' }),
    status: z.enum(ORDER_STATUSES),
    items: z.array(OrderItemInput).max(500, { message: 'At most 500 items.' }).optional().openapi({ description: 'None when left out' }),
    placedAt: isoInstant,
  })
  .openapi('OrderInput');
export type OrderInput = z.output<typeof OrderInputSchema>;

/** Digits after the decimal point of a currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** The tenant's rule: floor(whole currency units × pointsPerUnit). */
export function pointsFor(total: number, currency: string, pointsPerUnit: number): number {
  const exact = (total / 10 ** minorDigits(currency)) * pointsPerUnit;
  // The epsilon absorbs binary rounding (e.g. 57 × 0.01 × 100 landing on 56.999…).
  return Math.max(0, Math.floor(exact + 1e-9));
}

function canMove(from: string, to: string): boolean {
  if (FINAL.has(from)) return false;
  if (from === 'completed') return FINAL.has(to);
  return true;
}

export interface RecordedOrder {
  order: OrderRow;
  /** 201 for a new order, 200 for one already known (changed or not). */
  created: boolean;
}

/** Records a new order or moves a known one to a new status; see the module comment. */
export async function recordOrder(tx: Tx, tenantId: string, actor: Actor, input: OrderInput): Promise<RecordedOrder> {
  const tenant = await getTenant(tx, tenantId);
  if (input.currency !== tenant.currency) {
    throw invalid('currency', `Orders are recorded in the programme's currency, ${tenant.currency}.`);
  }
  const known = await findOrder(tx, tenantId, input.externalId);
  if (!known) {
    const customer = await requireCustomer(tx, tenantId, input.customerId, { lock: true });
    const [inserted] = await tx
      .insert(orders)
      .values({
        tenantId,
        customerId: customer.id,
        externalId: input.externalId,
        total: input.total,
        currency: input.currency,
        status: input.status,
        placedAt: new Date(input.placedAt),
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) return { order: await recordNewOrder(tx, tenant, actor, customer, inserted, input), created: true };
  }
  // Known, or inserted by a concurrent push a moment ago.
  const existing = known ?? (await findOrder(tx, tenantId, input.externalId));
  if (!existing) throw conflict('The order changed while it was being recorded; retry.');
  return { order: await updateOrder(tx, tenant, actor, existing, input), created: false };
}

async function findOrder(tx: Tx, tenantId: string, externalId: string, lock = false): Promise<OrderRow | undefined> {
  const q = tx.select().from(orders).where(and(eq(orders.tenantId, tenantId), eq(orders.externalId, externalId)));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

async function recordNewOrder(tx: Tx, tenant: TenantRow, actor: Actor, customer: CustomerRow, order: OrderRow, input: OrderInput) {
  const items = input.items ?? [];
  if (items.length) {
    await tx.insert(orderItems).values(
      items.map((item, position) => ({
        tenantId: tenant.id,
        orderId: order.id,
        position,
        sku: item.sku ?? null,
        name: item.name,
        category: item.category ?? null,
        quantity: item.quantity,
        price: item.price,
      })),
    );
  }
  const { row, version } = input.status === 'completed' ? await complete(tx, tenant, actor, customer, order) : { row: order, version: customer.version };
  await recordEvent(tx, {
    tenantId: tenant.id,
    type: 'order.recorded',
    actor,
    customerId: customer.id,
    version,
    data: { orderId: row.id, externalId: row.externalId, total: row.total, currency: row.currency, status: row.status, pointsEarned: row.pointsEarned },
  });
  return row;
}

async function updateOrder(tx: Tx, tenant: TenantRow, actor: Actor, known: OrderRow, input: OrderInput): Promise<OrderRow> {
  if (input.customerId !== known.customerId) {
    // A host may still name a customer that was merged into the order's owner since.
    const named = await findCustomerRow(tx, tenant.id, input.customerId).catch(() => null);
    const survivor = named ? await survivorOf(tx, tenant.id, named) : null;
    if (survivor?.id !== known.customerId) {
      throw conflict(`The order ${known.externalId} belongs to another customer.`, { orderId: known.id, customerId: known.customerId });
    }
  }
  // Customer first, then order: the order every writer of both takes its locks in.
  const customer = await requireCustomer(tx, tenant.id, known.customerId, { lock: true });
  const order = (await findOrder(tx, tenant.id, known.externalId, true)) ?? known;
  if (order.total !== input.total || order.currency !== input.currency) {
    throw conflict(`The order ${order.externalId} was recorded with another total or currency; an order's amount cannot change.`, {
      orderId: order.id,
      total: order.total,
      currency: order.currency,
    });
  }
  if (order.status === input.status) return order;
  if (!canMove(order.status, input.status)) {
    throw conflict(`The order ${order.externalId} is ${order.status} and cannot become ${input.status}.`, { orderId: order.id, status: order.status });
  }
  const [moved] = await tx
    .update(orders)
    .set({ status: input.status, updatedAt: sql`now()` })
    .where(and(eq(orders.tenantId, tenant.id), eq(orders.id, order.id)))
    .returning();
  let result: { row: OrderRow; version: number; pointsTakenBack?: number } = { row: moved, version: customer.version };
  if (input.status === 'completed') result = await complete(tx, tenant, actor, customer, moved);
  else if (order.status === 'completed') result = await uncomplete(tx, tenant, actor, customer, moved);
  await recordEvent(tx, {
    tenantId: tenant.id,
    type: 'order.updated',
    actor,
    customerId: customer.id,
    version: result.version,
    data: {
      orderId: moved.id,
      externalId: moved.externalId,
      changes: [{ field: 'status', from: order.status, to: moved.status }],
      pointsEarned: result.row.pointsEarned,
      ...(result.pointsTakenBack !== undefined ? { pointsTakenBack: result.pointsTakenBack, pointsUnrecovered: result.row.pointsUnrecovered } : {}),
    },
  });
  return result.row;
}

/** The order became completed: it counts in the metrics and earns its points (once: completed is left only for good). */
async function complete(tx: Tx, tenant: TenantRow, actor: Actor, customer: CustomerRow, order: OrderRow) {
  const earned = pointsBlockedReason(customer) ? 0 : pointsFor(order.total, order.currency, tenant.pointsPerUnit);
  // The ledger holds 32-bit integers: a total that would earn more is refused, not a 500.
  if (earned > MAX_POINTS_PER_ORDER) throw invalid('total', 'This order would earn more points than a balance can hold.');
  if (earned > 0) {
    await recordPointsChange(tx, customer, { kind: 'earn', delta: earned, reason: null, actor, orderId: order.id });
  }
  const touched = await moveMetrics(tx, tenant.id, customer.id, {
    ordersCount: sql`${customers.ordersCount} + 1`,
    totalSpent: sql`${customers.totalSpent} + ${order.total}`,
    lastOrderAt: sql`greatest(${customers.lastOrderAt}, ${order.placedAt.toISOString()}::timestamptz)`,
  });
  const [row] = await tx
    .update(orders)
    .set({ pointsEarned: earned })
    .where(and(eq(orders.tenantId, tenant.id), eq(orders.id, order.id)))
    .returning();
  return { row, version: touched.version };
}

/** A completed order was cancelled or refunded: out of the metrics, and its points taken back as far as they are unspent. */
async function uncomplete(tx: Tx, tenant: TenantRow, actor: Actor, customer: CustomerRow, order: OrderRow) {
  const earned = order.pointsEarned;
  let takenBack = 0;
  if (earned > 0) {
    const { applied } = await recordPointsChange(tx, customer, {
      kind: 'reversal',
      delta: -earned,
      lifetimeDelta: -earned,
      whenShort: 'clamp',
      reason: null,
      actor,
      orderId: order.id,
    });
    takenBack = -applied;
  }
  const lastCompleted = sql`(select max(o.placed_at) from orders o where o.tenant_id = ${tenant.id} and o.customer_id = ${customer.id} and o.status = 'completed')`;
  const touched = await moveMetrics(tx, tenant.id, customer.id, {
    ordersCount: sql`greatest(0, ${customers.ordersCount} - 1)`,
    totalSpent: sql`greatest(0, ${customers.totalSpent} - ${order.total})`,
    lastOrderAt: lastCompleted,
  });
  const [row] = await tx
    .update(orders)
    .set({ pointsReversed: takenBack, pointsUnrecovered: earned - takenBack })
    .where(and(eq(orders.tenantId, tenant.id), eq(orders.id, order.id)))
    .returning();
  return { row, version: touched.version, pointsTakenBack: takenBack };
}

/** The metrics are part of the customer's representation: they bump its version like any change. */
async function moveMetrics(tx: Tx, tenantId: string, customerId: string, set: { ordersCount: SQL; totalSpent: SQL; lastOrderAt: SQL }) {
  const [row] = await tx
    .update(customers)
    .set({ ...set, version: sql`${customers.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
    .returning({ version: customers.version });
  return row;
}

type ItemRow = typeof orderItems.$inferSelect;

export function serializeOrder(row: OrderRow, items: ItemRow[]) {
  return {
    id: row.id,
    customerId: row.customerId,
    externalId: row.externalId,
    total: row.total,
    currency: row.currency,
    status: row.status as OrderStatus,
    placedAt: row.placedAt.toISOString(),
    items: items.map((i) => ({ sku: i.sku, name: i.name, category: i.category, quantity: i.quantity, price: i.price })),
    pointsEarned: row.pointsEarned,
    pointsReversed: row.pointsReversed,
    pointsUnrecovered: row.pointsUnrecovered,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type Order = ReturnType<typeof serializeOrder>;

async function itemsOf(tx: Tx, tenantId: string, orderIds: string[]): Promise<Map<string, ItemRow[]>> {
  const byOrder = new Map<string, ItemRow[]>(orderIds.map((id) => [id, []]));
  if (!orderIds.length) return byOrder;
  const rows = await tx
    .select()
    .from(orderItems)
    .where(and(eq(orderItems.tenantId, tenantId), inArray(orderItems.orderId, orderIds)))
    .orderBy(asc(orderItems.orderId), asc(orderItems.position));
  for (const row of rows) byOrder.get(row.orderId)?.push(row);
  return byOrder;
}

export async function orderView(tx: Tx, row: OrderRow): Promise<Order> {
  const items = await itemsOf(tx, row.tenantId, [row.id]);
  return serializeOrder(row, items.get(row.id) ?? []);
}

export interface OrderFilters {
  limit: number;
  cursor?: string;
  status?: OrderStatus;
  /** Placed at or after this instant. */
  from?: Date;
  /** Placed before this instant (exclusive). */
  before?: Date;
}

/** A customer's orders (404 for an unknown one), latest placed first, keyset-paginated on (placedAt, id). */
export async function listCustomerOrders(tx: Tx, tenantId: string, customerId: string, options: OrderFilters) {
  await requireCustomer(tx, tenantId, customerId);
  const after = decodeCursor(options.cursor, [cursorValue.instant, cursorValue.uuid]);
  const afterAt = after ? new Date(after[0] as string) : null;
  const rows = await tx
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, tenantId),
        eq(orders.customerId, customerId),
        options.status ? eq(orders.status, options.status) : undefined,
        options.from ? gte(orders.placedAt, options.from) : undefined,
        options.before ? lt(orders.placedAt, options.before) : undefined,
        after ? or(lt(orders.placedAt, afterAt!), and(eq(orders.placedAt, afterAt!), lt(orders.id, after[1] as string))) : undefined,
      ),
    )
    .orderBy(desc(orders.placedAt), desc(orders.id))
    .limit(options.limit + 1);
  const items = await itemsOf(tx, tenantId, rows.slice(0, options.limit).map((r) => r.id));
  return pageOf(rows, options.limit, (r) => serializeOrder(r, items.get(r.id) ?? []), (r) => [r.placedAt.toISOString(), r.id]);
}
