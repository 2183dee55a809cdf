/**
 * Finding likely duplicates. Only customers sharing a blocking key are ever
 * compared; each candidate pair is then scored field by field
 * (duplicate-score.ts).
 * - One customer's duplicates come from index look-ups only: the same
 *   email, phone, id number, external id or birthday (btree and GIN
 *   indexes), or a name within trigram distance (the GIN trigram index).
 * - A whole tenant's groups (duplicate-groups.ts) come from one scan of its
 *   live customers and in-memory blocking (duplicate-blocking.ts):
 *   O(n log n), never n².
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import { query, type Tx } from '../db/client.ts';
import { customers, duplicateDismissals, type CustomerRow } from '../db/schema.ts';
import { cursorValue, decodeCursor, encodeCursor } from './cursor.ts';
import type { DuplicateCandidate } from '../contract/customer.ts';
import { customerSummary, live, requireCustomer } from './customers.ts';
import { recordEvent } from './history.ts';
import { compareProfiles, profileOf, type DuplicateReason } from './duplicate-score.ts';

/** Pairs scoring at least this are suggested unless the caller sets `minScore`. */
export const DEFAULT_MIN_SCORE = 0.5;
/** At most this many candidates per look-up of one customer. */
const MAX_CANDIDATES_PER_KEY = 200;
const CHUNK = 1000;

export const summaryColumns = {
  id: customers.id,
  number: customers.number,
  firstName: customers.firstName,
  lastName: customers.lastName,
  email: customers.email,
  phones: customers.phones,
  phoneNumbers: customers.phoneNumbers,
  idType: customers.idType,
  idNumber: customers.idNumber,
  searchIdNumber: customers.searchIdNumber,
  externalId: customers.externalId,
  gender: customers.gender,
  birthday: customers.birthday,
  city: customers.city,
  address: customers.address,
  status: customers.status,
  points: customers.points,
  registeredAt: customers.registeredAt,
};
export type CandidateRow = { [K in keyof typeof summaryColumns]: CustomerRow[K] };

/** A candidate is the customer's summary; its city is the one the comparison used (the address's, else the customer's). */
export function serializeCandidate(row: CandidateRow): DuplicateCandidate {
  return { ...customerSummary(row), city: row.address?.city || row.city };
}

/** The live ones among `ids`; the ids go as one array parameter, not one parameter each. */
export async function loadCandidates(tx: Tx, tenantId: string, ids: string[]): Promise<CandidateRow[]> {
  const rows: CandidateRow[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK).join(',');
    rows.push(
      ...(await tx
        .select(summaryColumns)
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), sql`${customers.id} = any(string_to_array(${chunk}, ',')::uuid[])`, live))),
    );
  }
  return rows;
}

export const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Dismissed pairs involving `customerId`, or every dismissed pair of the tenant. */
export async function dismissedPairs(tx: Tx, tenantId: string, customerId?: string): Promise<Set<string>> {
  const rows = await tx
    .select({ a: duplicateDismissals.customerA, b: duplicateDismissals.customerB })
    .from(duplicateDismissals)
    .where(
      and(
        eq(duplicateDismissals.tenantId, tenantId),
        customerId ? or(eq(duplicateDismissals.customerA, customerId), eq(duplicateDismissals.customerB, customerId)) : undefined,
      ),
    );
  return new Set(rows.map((r) => pairKey(r.a, r.b)));
}

/** The index look-ups that can find a customer's duplicates, one per blocking key it has. */
function lookupsFor(row: CustomerRow): SQL[] {
  const mine = sql`c.tenant_id = ${row.tenantId} and c.merged_into is null and c.erased_at is null`;
  const lookups: SQL[] = [];
  const take = (where: SQL, best = sql``) =>
    lookups.push(sql`(select c.id from customers c where ${mine} and ${where} ${best} limit ${MAX_CANDIDATES_PER_KEY})`);
  if (row.email) take(sql`c.email = ${row.email}`);
  if (row.phoneNumbers.length) take(sql`c.phone_numbers && array[${sql.join(row.phoneNumbers.map((p) => sql`${p}`), sql`, `)}]::text[]`);
  if (row.searchIdNumber) take(sql`c.search_id_number = ${row.searchIdNumber}`);
  if (row.externalId) take(sql`c.external_id = ${row.externalId}`);
  if (row.birthday) take(sql`c.birthday = ${row.birthday}`);
  // A common name has more namesakes than are worth scoring: the closest spellings first.
  if (row.searchName) take(sql`c.search_name % ${row.searchName}`, sql`order by similarity(c.search_name, ${row.searchName}) desc`);
  return lookups;
}

export interface ScoredCandidate {
  customer: DuplicateCandidate;
  score: number;
  reasons: DuplicateReason[];
}

export interface DuplicateListOptions {
  minScore: number;
  limit: number;
  cursor?: string;
}

/** GET /customers/:id/duplicates: this customer's likely duplicates, strongest first. */
export async function duplicatesOf(tx: Tx, tenantId: string, customerId: string, options: DuplicateListOptions) {
  const row = await requireCustomer(tx, tenantId, customerId);
  const lookups = lookupsFor(row);
  if (!lookups.length) return { items: [], nextCursor: null };
  const found = await query<{ id: string }>(tx, sql.join(lookups, sql` union `));
  const dismissed = await dismissedPairs(tx, tenantId, customerId);
  const ids = found.map((f) => f.id).filter((id) => id !== customerId && !dismissed.has(pairKey(id, customerId)));
  const me = profileOf(row);
  const scored = (await loadCandidates(tx, tenantId, ids))
    .map((candidate) => ({ candidate, ...compareProfiles(me, profileOf(candidate)) }))
    .filter((s) => s.score >= options.minScore)
    .sort((x, y) => y.score - x.score || x.candidate.number - y.candidate.number);
  return paginate(
    scored,
    options,
    (s) => [s.score, s.candidate.number],
    (s): ScoredCandidate => ({ customer: serializeCandidate(s.candidate), score: s.score, reasons: s.reasons }),
  );
}

/**
 * Where a page of an ordering computed in memory, by (score descending,
 * number ascending), starts: after the item the cursor names, so a page is
 * stable even when the items are recomputed between requests.
 */
export function pageStart<T>(items: T[], cursor: string | undefined, keyOf: (item: T) => [number, number]): number {
  const after = decodeCursor(cursor, [cursorValue.score, cursorValue.score]);
  if (!after) return 0;
  const [score, number] = after as [number, number];
  const start = items.findIndex((item) => {
    const [s, n] = keyOf(item);
    return s < score || (s === score && n > number);
  });
  return start < 0 ? items.length : start;
}

function paginate<T, U>(items: T[], options: DuplicateListOptions, keyOf: (item: T) => [number, number], map: (item: T) => U) {
  const start = pageStart(items, options.cursor, keyOf);
  const pageItems = items.slice(start, start + options.limit);
  const more = start + options.limit < items.length;
  return { items: pageItems.map(map), nextCursor: more ? encodeCursor(keyOf(pageItems[pageItems.length - 1])) : null };
}

/**
 * POST /duplicates/dismiss: "these customers are not duplicates". Every pair
 * among them is remembered (ordered, a < b) and no longer suggested; each
 * customer of a newly dismissed pair gets a `duplicates.dismissed` event.
 */
export async function dismissDuplicates(tx: Tx, tenantId: string, actor: Actor, customerIds: string[]) {
  const ids = [...new Set(customerIds)].sort();
  for (const id of ids) await requireCustomer(tx, tenantId, id);
  const pairs = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ tenantId, customerA: a, customerB: b, actorId: actor.id })));
  const inserted = await tx
    .insert(duplicateDismissals)
    .values(pairs)
    .onConflictDoNothing()
    .returning({ a: duplicateDismissals.customerA, b: duplicateDismissals.customerB });
  const partners = new Map<string, string[]>();
  for (const { a, b } of inserted) {
    partners.set(a, [...(partners.get(a) ?? []), b]);
    partners.set(b, [...(partners.get(b) ?? []), a]);
  }
  for (const [customerId, notDuplicatesOf] of [...partners].sort(([x], [y]) => (x < y ? -1 : 1))) {
    await recordEvent(tx, { tenantId, type: 'duplicates.dismissed', actor, customerId, data: { notDuplicatesOf: notDuplicatesOf.sort() } });
  }
  return { customerIds: ids, pairs: pairs.length, newlyDismissed: inserted.length };
}
