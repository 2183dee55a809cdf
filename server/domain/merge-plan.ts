/**
 * What a merge of sources into a primary would do, computed the same way
 * for the preview and for the merge itself (which computes it again under
 * the row locks): what blocks it, which fields conflict and whose value
 * each field takes, what moves, and the primary's points and level after.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { canonical } from '../contract/canonical.ts';
import { MAX_MERGE_SOURCES, MAX_PHONES, MAX_POINTS, MAX_TAGS } from '../contract/limits.ts';
import { query, type Tx } from '../db/client.ts';
import { customers, events, ledgerEntries, notes, orders, type CustomerRow, type Phone } from '../db/schema.ts';
import { notFound, ValidationFailed, type ErrorDetail } from '../errors.ts';
import { automaticLevelSql, lockLevelRules } from './levels.ts';
import { customValue } from './custom-fields.ts';
import { mergedError, serializeCustomer } from './customers.ts';


/** Fields an admin chooses between; `custom.<key>` for custom fields. Phones, tags and notes are united instead. */
export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'emailSubscribed',
  'idNumber',
  'externalId',
  'gender',
  'city',
  'birthday',
  'address',
  'registeredAt',
  'registrationCode',
  'vip',
  'bad',
  'personalDiscount',
  'legal',
] as const;
type MergeField = (typeof MERGE_FIELDS)[number];

export const BLOCKER_CODES = ['primary_inactive', 'self', 'duplicate_source', 'too_many_sources', 'not_found', 'merged', 'erased', 'points_limit'] as const;
export interface Blocker {
  code: (typeof BLOCKER_CODES)[number];
  customerId: string | null;
  message: string;
}

export interface Conflict {
  field: string;
  /** Every involved customer's value, the primary's first; null where empty. */
  values: Array<{ customerId: string; value: unknown }>;
  /** Whose value the merge takes: the choice, else the primary's, else the first source's that has one. */
  chosen: string;
}

export interface MergeMoves {
  orders: number;
  ledgerEntries: number;
  notes: number;
  events: number;
  tags: number;
  phones: number;
}

export interface LeftOut {
  phones: string[];
  tags: string[];
}

export interface MergePlan {
  primary: CustomerRow;
  /** Sources as given, once each, that exist in the tenant. */
  sources: CustomerRow[];
  blockers: Blocker[];
  conflicts: Conflict[];
  /** For every field that ends up with a value: whose it is. */
  taken: Record<string, string>;
  /** The primary's new column values (fields chosen, phones and tags united). */
  patch: Partial<CustomerRow>;
  moves: MergeMoves;
  /** Sources' phones and tags beyond the primary's limits: not added, kept in the merge's snapshots. */
  leftOut: LeftOut;
  after: { points: number; lifetimePoints: number; levelId: string | null };
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (typeof value === 'object' && !Array.isArray(value)) return Object.values(value as object).every(isEmpty);
  return false;
}

/** A field's value as the API shows it. */
export function fieldValue(row: CustomerRow, field: string): unknown {
  if (field.startsWith('custom.')) return customValue(row.custom, field.slice('custom.'.length)) ?? null;
  return (serializeCustomer(row) as Record<string, unknown>)[field] ?? null;
}

/** The columns a field's value lives in (an id number carries its type). */
function columnsOf(row: CustomerRow, field: MergeField): Partial<CustomerRow> {
  if (field === 'idNumber') return { idType: row.idType, idNumber: row.idNumber };
  return { [field]: row[field] } as Partial<CustomerRow>;
}

/**
 * Loads the primary and the sources. The primary answers like any customer
 * call (404, 409 customer_merged); each source's problem is a blocker.
 * With `lock`, every involved row is locked in id order, the one order all
 * merges share, so two merges over the same customers cannot deadlock.
 */
export async function loadParticipants(tx: Tx, tenantId: string, primaryId: string, sourceIds: string[], options: { lock: boolean }) {
  const ids = [...new Set([primaryId, ...sourceIds])].sort();
  if (options.lock) await lockLevelRules(tx, tenantId, 'shared');
  const rows = options.lock
    ? await tx
        .select()
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)))
        .orderBy(customers.id)
        .for('update')
    : await tx
        .select()
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const primary = byId.get(primaryId);
  if (!primary || primary.erasedAt) throw notFound('Customer');
  if (primary.mergedInto) throw mergedError(primary);
  return { primary, byId };
}

function blockersOf(primary: CustomerRow, sourceIds: string[], byId: Map<string, CustomerRow>): { blockers: Blocker[]; sources: CustomerRow[] } {
  const blockers: Blocker[] = [];
  const sources: CustomerRow[] = [];
  const seen = new Set<string>();
  // A member who left or is blocked for good gains nothing by a merge; bring them back first.
  if (primary.status === 'removed' || primary.status === 'disabled') {
    blockers.push({ code: 'primary_inactive', customerId: primary.id, message: `This customer is ${primary.status}: reactivate them before merging others into them.` });
  }
  if (sourceIds.length > MAX_MERGE_SOURCES) {
    blockers.push({ code: 'too_many_sources', customerId: null, message: `At most ${MAX_MERGE_SOURCES} customers can be merged into one at a time.` });
  }
  for (const id of sourceIds) {
    if (id === primary.id) {
      blockers.push({ code: 'self', customerId: id, message: 'A customer cannot be merged into itself.' });
      continue;
    }
    if (seen.has(id)) {
      blockers.push({ code: 'duplicate_source', customerId: id, message: 'This customer is listed more than once.' });
      continue;
    }
    seen.add(id);
    const row = byId.get(id);
    // Another tenant's customer is answered exactly like one that does not exist.
    if (!row) blockers.push({ code: 'not_found', customerId: id, message: 'No such customer.' });
    else if (row.mergedInto) blockers.push({ code: 'merged', customerId: id, message: `Already merged into another customer.` });
    else if (row.erasedAt) blockers.push({ code: 'erased', customerId: id, message: 'This customer was erased.' });
    else sources.push(row);
  }
  return { blockers, sources };
}

/** Applies the defaults and the admin's choices field by field; 422 for a choice that cannot be honoured. */
function resolveFields(primary: CustomerRow, sources: CustomerRow[], choices: Record<string, string>) {
  const everyone = [primary, ...sources];
  const customKeys = [...new Set(everyone.flatMap((r) => Object.keys(r.custom)))].sort();
  const fields = [...MERGE_FIELDS, ...customKeys.map((k) => `custom.${k}`)];
  const details: ErrorDetail[] = [];
  for (const [field, customerId] of Object.entries(choices)) {
    const path = `fieldChoices.${field}`;
    const owner = everyone.find((r) => r.id === customerId);
    if (!fields.includes(field)) {
      details.push({ path, message: field.startsWith('custom.') ? 'No customer in this merge has this custom field.' : 'Not a field chosen in a merge (phones, tags and notes are united).' });
    } else if (!owner) {
      details.push({ path, message: 'Choose the primary or one of the sources.' });
    } else if (isEmpty(fieldValue(owner, field))) {
      details.push({ path, message: 'This customer has no value here, and an empty value never overwrites a filled one.' });
    }
  }
  if (details.length) throw new ValidationFailed(details);

  const conflicts: Conflict[] = [];
  const taken: Record<string, string> = {};
  const patch: Partial<CustomerRow> = {};
  const custom = new Map(Object.entries(primary.custom));
  for (const field of fields) {
    const filled = everyone.filter((r) => !isEmpty(fieldValue(r, field)));
    if (!filled.length) continue;
    const owner = everyone.find((r) => r.id === choices[field]) ?? filled[0];
    taken[field] = owner.id;
    if (new Set(filled.map((r) => canonical(fieldValue(r, field)))).size > 1) {
      conflicts.push({ field, values: everyone.map((r) => ({ customerId: r.id, value: fieldValue(r, field) })), chosen: owner.id });
    }
    if (owner === primary) continue;
    if (field.startsWith('custom.')) custom.set(field.slice('custom.'.length), fieldValue(owner, field));
    else Object.assign(patch, columnsOf(owner, field as MergeField));
  }
  if (canonical(Object.fromEntries(custom)) !== canonical(primary.custom)) patch.custom = Object.fromEntries(custom);
  // United up to the limits the edit form enforces, the primary's first, then the sources' in order.
  const phones: Phone[] = [...primary.phones];
  const leftOut: LeftOut = { phones: [], tags: [] };
  for (const phone of sources.flatMap((s) => s.phones)) {
    if (phones.some((p) => p.number === phone.number) || leftOut.phones.includes(phone.number)) continue;
    if (phones.length < MAX_PHONES) phones.push(phone);
    else leftOut.phones.push(phone.number);
  }
  const tags = [...primary.tags];
  for (const tag of sources.flatMap((s) => s.tags)) {
    if (tags.includes(tag) || leftOut.tags.includes(tag)) continue;
    if (tags.length < MAX_TAGS) tags.push(tag);
    else leftOut.tags.push(tag);
  }
  if (phones.length !== primary.phones.length) patch.phones = phones;
  if (tags.length !== primary.tags.length) patch.tags = tags;
  return { conflicts, taken, patch, leftOut, newPhones: phones.length - primary.phones.length, newTags: tags.length - primary.tags.length };
}

/**
 * Rows the sources own, counted as the merge moves them: their own rows,
 * plus the closing `merge` entry and its `points.changed` event that a
 * source with points gets just before its rows move (see merge.ts).
 */
async function countMoves(tx: Tx, tenantId: string, sources: CustomerRow[]) {
  const ids = sources.map((s) => s.id);
  if (!ids.length) return { orders: 0, ledgerEntries: 0, notes: 0, events: 0 };
  const count = async (table: typeof orders | typeof ledgerEntries | typeof notes | typeof events) => {
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), inArray(table.customerId, ids)));
    return Number(row.n);
  };
  const closing = sources.filter((s) => s.points > 0).length;
  return {
    orders: await count(orders),
    ledgerEntries: (await count(ledgerEntries)) + closing,
    notes: await count(notes),
    events: (await count(events)) + closing,
  };
}

export interface MergeRequest {
  sourceIds: string[];
  fieldChoices?: Record<string, string>;
}

export async function planMerge(tx: Tx, tenantId: string, primaryId: string, request: MergeRequest, options: { lock: boolean }): Promise<MergePlan> {
  const { primary, byId } = await loadParticipants(tx, tenantId, primaryId, request.sourceIds, options);
  const { blockers, sources } = blockersOf(primary, request.sourceIds, byId);
  const fields = resolveFields(primary, sources, request.fieldChoices ?? {});
  const moved = await countMoves(tx, tenantId, sources);
  const points = primary.points + sources.reduce((sum, s) => sum + s.points, 0);
  const lifetimePoints = primary.lifetimePoints + sources.reduce((sum, s) => sum + s.lifetimePoints, 0);
  if (points > MAX_POINTS || lifetimePoints > MAX_POINTS) {
    blockers.push({ code: 'points_limit', customerId: null, message: `Together these customers hold more than ${MAX_POINTS} points.` });
  }
  const [level] = await query<{ id: string | null }>(
    tx,
    sql`select ${primary.levelLocked ? sql`${primary.levelId}::uuid` : automaticLevelSql(tenantId, sql`${Math.min(lifetimePoints, MAX_POINTS)}::integer`)} as id`,
  );
  return {
    primary,
    sources,
    blockers,
    conflicts: fields.conflicts,
    taken: fields.taken,
    patch: fields.patch,
    moves: { ...moved, tags: fields.newTags, phones: fields.newPhones },
    leftOut: fields.leftOut,
    after: { points, lifetimePoints, levelId: level.id },
  };
}

/** POST /customers/:id/merge/preview. */
export async function previewMerge(tx: Tx, tenantId: string, primaryId: string, request: MergeRequest) {
  const plan = await planMerge(tx, tenantId, primaryId, request, { lock: false });
  return { blockers: plan.blockers, conflicts: plan.conflicts, moves: plan.moves, leftOut: plan.leftOut, after: plan.after };
}
