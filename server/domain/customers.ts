/**
 * The customer record: loading, locking, creating, editing, and how it is
 * answered. Every write bumps `version` and records its history event in the
 * caller's transaction.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import { sameValue } from '../contract/canonical.ts';
import type { Customer, DuplicateCandidate, DuplicateHint, LevelSummary } from '../contract/customer.ts';
import type { CustomerStatus } from '../contract/limits.ts';
import { query, type Tx } from '../db/client.ts';
import { customers, levels, tenants, type CustomerRow, type TenantRow } from '../db/schema.ts';
import { ApiError, notFound, ValidationFailed } from '../errors.ts';
import {
  completeCustomerInput,
  identityProblem,
  inputContext,
  stripUndefined,
  type CustomerCreateInput,
  type CustomerPatchInput,
} from './customer-input.ts';
import { customValue } from './custom-fields.ts';
import { recordEvent } from './history.ts';
import { automaticLevelSql, lockLevelRules } from './levels.ts';
import { normalizeIdNumber, searchName, sortName } from './normalize.ts';

/** A customer that is neither merged away nor erased. */
export const live = and(isNull(customers.mergedInto), isNull(customers.erasedAt));

export async function getTenant(tx: Tx, tenantId: string): Promise<TenantRow> {
  const [row] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw notFound('Tenant');
  return row;
}

type SummaryColumns = 'id' | 'number' | 'firstName' | 'lastName' | 'email' | 'phones' | 'idType' | 'idNumber' | 'externalId' | 'birthday' | 'city' | 'status' | 'points' | 'registeredAt';

/** The fields that tell customers apart: a duplicate candidate is exactly these. */
export function customerSummary(row: Pick<CustomerRow, SummaryColumns>): DuplicateCandidate {
  return {
    id: row.id,
    number: row.number,
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phones: row.phones,
    idType: row.idType,
    idNumber: row.idNumber,
    externalId: row.externalId,
    birthday: row.birthday,
    city: row.city,
    status: row.status as CustomerStatus,
    points: row.points,
    registeredAt: row.registeredAt.toISOString(),
  };
}

export function serializeCustomer(row: CustomerRow, extra: { level?: LevelSummary | null; duplicateHints?: DuplicateHint[] } = {}): Customer {
  return {
    ...customerSummary(row),
    emailSubscribed: row.emailSubscribed,
    gender: row.gender,
    address: row.address,
    registrationCode: row.registrationCode,
    shareCode: row.shareCode,
    custom: row.custom,
    levelId: row.levelId,
    levelLocked: row.levelLocked,
    level: extra.level ?? null,
    lifetimePoints: row.lifetimePoints,
    tags: row.tags,
    vip: row.vip,
    bad: row.bad,
    assignedUserId: row.assignedUserId,
    personalDiscount: row.personalDiscount,
    store: row.store,
    legal: row.legal,
    metrics: {
      ordersCount: row.ordersCount,
      totalSpent: row.totalSpent,
      averageOrder: row.ordersCount ? Math.round(row.totalSpent / row.ordersCount) : 0,
      lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
    },
    duplicateHints: extra.duplicateHints ?? [],
    erasedAt: row.erasedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/** Any row of the tenant, merged or erased included; 404 when absent. */
export async function findCustomerRow(tx: Tx, tenantId: string, id: string, options: { lock?: boolean } = {}) {
  // The level rules first, the row second: the order every writer takes them in (levels.ts).
  if (options.lock) await lockLevelRules(tx, tenantId, 'shared');
  const q = tx.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
  const [row] = options.lock ? await q.for('update') : await q;
  if (!row) throw notFound('Customer');
  return row;
}

export function mergedError(row: CustomerRow): ApiError {
  return new ApiError(409, 'customer_merged', `This customer was merged into another one.`, { mergedInto: row.mergedInto });
}

/**
 * A live customer, for any call but GET: merged-away ids answer 409
 * `customer_merged`, erased ones 404. An erasure also marks every record
 * merged into the erased customer, so those ids are 404 too, never a 409
 * naming an erased survivor. `lock` takes the row lock that serialises
 * every writer of this customer (points, edits, merges).
 */
export async function requireCustomer(tx: Tx, tenantId: string, id: string, options: { lock?: boolean } = {}) {
  const row = await findCustomerRow(tx, tenantId, id, options);
  if (row.erasedAt) throw notFound('Customer');
  if (row.mergedInto) throw mergedError(row);
  return row;
}

/**
 * GET /customers/:id: the live customer, or, for an id merged away, the
 * customer it now lives on (answered as a redirect); erased ids are 404,
 * and so is an id whose survivor was erased (not a 301 to a 404).
 */
export async function readCustomer(tx: Tx, tenantId: string, id: string): Promise<{ customer: CustomerRow } | { mergedInto: CustomerRow }> {
  const row = await findCustomerRow(tx, tenantId, id);
  if (row.erasedAt) throw notFound('Customer');
  if (!row.mergedInto) return { customer: row };
  const survivor = await survivorOf(tx, tenantId, row);
  if (survivor.erasedAt || survivor.mergedInto) throw notFound('Customer');
  return { mergedInto: survivor };
}

/** Follows merges to the surviving customer (GET answers 301 there). */
export async function survivorOf(tx: Tx, tenantId: string, row: CustomerRow): Promise<CustomerRow> {
  let current = row;
  for (let hop = 0; current.mergedInto && hop < 20; hop++) {
    current = await findCustomerRow(tx, tenantId, current.mergedInto);
  }
  return current;
}

export async function levelSummary(tx: Tx, tenantId: string, levelId: string | null): Promise<LevelSummary | null> {
  if (!levelId) return null;
  const [level] = await tx
    .select({ id: levels.id, name: levels.name, color: levels.color, minPoints: levels.minPoints })
    .from(levels)
    .where(and(eq(levels.tenantId, tenantId), eq(levels.id, levelId)));
  return level ?? null;
}

/** Which of this customer's email, phones and id number another live customer shares. */
export async function duplicateHints(tx: Tx, row: CustomerRow): Promise<DuplicateHint[]> {
  const others = sql`o.tenant_id = ${row.tenantId} and o.id <> ${row.id} and o.merged_into is null and o.erased_at is null`;
  // Every branch names its columns: the first one present (not always the email's) names the union's.
  const branches = [];
  if (row.email) {
    branches.push(sql`select 'email' as field, o.email as value, o.id, o.number from customers o where ${others} and o.email = ${row.email}`);
  }
  if (row.phoneNumbers.length) {
    const mine = sql`array[${sql.join(row.phoneNumbers.map((p) => sql`${p}`), sql`, `)}]::text[]`;
    branches.push(sql`select 'phone' as field, p as value, o.id, o.number from customers o, unnest(o.phone_numbers) p
      where ${others} and o.phone_numbers && ${mine} and p = any(${mine})`);
  }
  if (row.searchIdNumber) {
    branches.push(
      sql`select 'idNumber' as field, o.id_number as value, o.id, o.number from customers o where ${others} and o.search_id_number = ${row.searchIdNumber}`,
    );
  }
  if (!branches.length) return [];
  const found = await query<{ field: DuplicateHint['field']; value: string; id: string; number: number }>(
    tx,
    sql`${sql.join(branches, sql` union all `)} order by 1, 2, 4 limit 100`,
  );
  const hints = new Map<string, DuplicateHint>();
  for (const f of found) {
    const key = `${f.field}\u0000${f.value}`;
    const hint = hints.get(key) ?? { field: f.field, value: f.value, customers: [] };
    hint.customers.push({ id: f.id, number: Number(f.number) });
    hints.set(key, hint);
  }
  return [...hints.values()];
}

/** The full answer of GET /customers/:id. */
export async function customerView(tx: Tx, row: CustomerRow) {
  const [level, hints] = await Promise.all([levelSummary(tx, row.tenantId, row.levelId), duplicateHints(tx, row)]);
  return serializeCustomer(row, { level, duplicateHints: hints });
}

/** Columns derived from others, recomputed on every write. */
export function derivedColumns(row: Pick<CustomerRow, 'firstName' | 'lastName' | 'idNumber' | 'phones'>) {
  return {
    searchName: searchName(row.firstName, row.lastName),
    sortName: sortName(row.firstName, row.lastName),
    searchIdNumber: normalizeIdNumber(row.idNumber),
    phoneNumbers: row.phones.map((p) => p.number),
  };
}

export function newShareCode(): string {
  // 10 characters of Crockford base32: unambiguous to read aloud.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...randomBytes(10)].map((b) => alphabet[b % 32]).join('');
}

export async function nextCustomerNumber(tx: Tx, tenantId: string): Promise<number> {
  const [row] = await tx
    .update(tenants)
    .set({ lastCustomerNumber: sql`${tenants.lastCustomerNumber} + 1` })
    .where(eq(tenants.id, tenantId))
    .returning({ number: tenants.lastCustomerNumber });
  if (!row) throw notFound('Tenant');
  return row.number;
}

export async function createCustomer(
  tx: Tx,
  tenantId: string,
  actor: Actor | null,
  input: Omit<CustomerCreateInput, 'phones'> & { phones?: CustomerRow['phones'] },
  options: { number?: number; createdAt?: Date; quiet?: boolean } = {},
): Promise<CustomerRow> {
  // A level of 0 points added at this moment is either seen here or gives this member its level when it commits.
  await lockLevelRules(tx, tenantId, 'shared');
  const number = options.number ?? (await nextCustomerNumber(tx, tenantId));
  const phones = input.phones ?? [];
  const values = {
    ...input,
    tenantId,
    number,
    phones,
    shareCode: newShareCode(),
    registeredAt: input.registeredAt ? new Date(input.registeredAt) : (options.createdAt ?? new Date()),
    custom: input.custom ?? {},
    tags: input.tags ?? [],
    ...derivedColumns({ firstName: input.firstName ?? null, lastName: input.lastName ?? null, idNumber: input.idNumber ?? null, phones }),
    ...(options.createdAt ? { createdAt: options.createdAt, updatedAt: options.createdAt } : {}),
    // A new member starts at the level of 0 lifetime points, if the programme has one.
    levelId: automaticLevelSql(tenantId, sql`0`),
  };
  const [row] = await tx.insert(customers).values(values).returning();
  if (!options.quiet) {
    await recordEvent(tx, {
      tenantId,
      type: 'customer.created',
      actor,
      customerId: row.id,
      version: row.version,
      data: { number: row.number },
    });
  }
  return row;
}

/** POST /customers: a body its route schema accepted, checked against the tenant's rules, stored. */
export async function addCustomer(tx: Tx, tenantId: string, actor: Actor, body: CustomerCreateInput): Promise<CustomerRow> {
  const input = completeCustomerInput(body, 'create', await inputContext(tx, tenantId));
  return createCustomer(tx, tenantId, actor, input);
}

/**
 * PATCH /customers/:id, in the order a client can act on: a customer that is
 * gone (404, 409 customer_merged), no expected version (428), bad fields
 * (422, the whole record considered), then a version that moved on (412,
 * with the current record). `expectedVersion` is null when none was sent.
 */
export async function editCustomer(
  tx: Tx,
  tenantId: string,
  id: string,
  actor: Actor,
  body: CustomerPatchInput,
  expectedVersion: number | null,
): Promise<CustomerRow> {
  const row = await requireCustomer(tx, tenantId, id, { lock: true });
  if (expectedVersion === null) {
    throw new ApiError(428, 'precondition_required', 'Send If-Match with the ETag you last read, so no one else’s edit is overwritten.');
  }
  const input = completeCustomerInput(body, 'patch', await inputContext(tx, tenantId));
  const identity = identityProblem({ ...row, ...input });
  if (identity) throw new ValidationFailed([identity]);
  await assertVersion(tx, row, expectedVersion);
  return (await updateCustomer(tx, row, actor, input)).row;
}

/** 412 with the current record when the caller expected another version; `undefined` expects none. */
export async function assertVersion(tx: Tx, row: CustomerRow, expectedVersion: number | null | undefined): Promise<void> {
  if (expectedVersion === undefined || expectedVersion === null || expectedVersion === row.version) return;
  throw new ApiError(412, 'precondition_failed', 'Someone changed this customer since you loaded it.', { current: await customerView(tx, row) });
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** Field-level differences between a row and a patch, in the API's terms. */
export function diffCustomer(row: CustomerRow, patch: Record<string, unknown>): FieldChange[] {
  const before = serializeCustomer(row) as Record<string, unknown>;
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(patch)) {
    if (to === undefined) continue;
    if (field === 'custom') {
      const current = (before.custom ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(to as Record<string, unknown>)) {
        const from = customValue(current, key) ?? null;
        if (!sameValue(from, value)) changes.push({ field: `custom.${key}`, from, to: value });
      }
      continue;
    }
    const from = field === 'registeredAt' ? before.registeredAt : before[field];
    const normalisedTo = field === 'registeredAt' ? new Date(to as string).toISOString() : to;
    if (!sameValue(from, normalisedTo)) changes.push({ field, from: from ?? null, to: normalisedTo ?? null });
  }
  return changes;
}

/**
 * Applies a validated patch to a locked row at `expectedVersion`; answers the
 * new row (or the same one when nothing changed) and the changes.
 */
export async function updateCustomer(
  tx: Tx,
  row: CustomerRow,
  actor: Actor,
  patch: Omit<CustomerPatchInput, 'phones'> & { phones?: CustomerRow['phones'] },
): Promise<{ row: CustomerRow; changes: FieldChange[] }> {
  const changes = diffCustomer(row, patch);
  if (!changes.length) return { row, changes };
  const merged = {
    ...patch,
    custom: patch.custom ? prune({ ...row.custom, ...patch.custom }) : undefined,
    registeredAt: patch.registeredAt ? new Date(patch.registeredAt) : undefined,
  };
  const next = { ...row, ...stripUndefined(merged) } as CustomerRow;
  const [updated] = await tx
    .update(customers)
    .set({
      ...stripUndefined(merged),
      ...derivedColumns(next),
      version: sql`${customers.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(customers.tenantId, row.tenantId), eq(customers.id, row.id)))
    .returning();
  await recordEvent(tx, {
    tenantId: row.tenantId,
    type: 'customer.updated',
    actor,
    customerId: row.id,
    version: updated.version,
    data: { changes },
  });
  return { row: updated, changes };
}

/** Custom values set to null are removed, not stored as null. */
function prune(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
}

/** Bumps the version of a customer changed by something other than a PATCH. */
export async function touchCustomer(tx: Tx, tenantId: string, id: string, set: Partial<typeof customers.$inferInsert> = {}) {
  const [row] = await tx
    .update(customers)
    .set({ ...set, version: sql`${customers.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
    .returning();
  return row;
}
