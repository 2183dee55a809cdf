/**
 * Finding likely duplicates. Only customers sharing a blocking key are ever
 * compared; each candidate pair is then scored field by field
 * (duplicate-score.ts).
 * - One customer's duplicates come from index look-ups only: the same
 *   email, phone, id number, external id or birthday (btree and GIN
 *   indexes), or a name within trigram distance (the GIN trigram index).
 * - A whole tenant's groups come from one scan of its live customers and
 *   in-memory blocking (duplicate-blocking.ts): O(n log n), never n².
 */
import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import { query, type Tx } from '../db/client.ts';
import { customers, duplicateDismissals, type CustomerRow } from '../db/schema.ts';
import { invalid } from '../errors.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { DuplicateCandidate } from '../contract/customer.ts';
import { customerSummary, live, requireCustomer } from './customers.ts';
import { recordEvent } from './history.ts';
import { candidatePairs } from './duplicate-blocking.ts';
import { compareProfiles, DUPLICATE_REASONS, profileOf, type DuplicateReason } from './duplicate-score.ts';

/** Pairs scoring at least this are suggested unless the caller sets `minScore`. */
export const DEFAULT_MIN_SCORE = 0.5;
/** At most this many candidates per look-up of one customer. */
const MAX_CANDIDATES_PER_KEY = 200;
const CHUNK = 5000;

const summaryColumns = {
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
type CandidateRow = { [K in keyof typeof summaryColumns]: CustomerRow[K] };

/** A candidate is the customer's summary; its city is the one the comparison used (the address's, else the customer's). */
export function serializeCandidate(row: CandidateRow): DuplicateCandidate {
  return { ...customerSummary(row), city: row.address?.city || row.city };
}

async function loadCandidates(tx: Tx, tenantId: string, ids: string[]): Promise<CandidateRow[]> {
  const rows: CandidateRow[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    rows.push(
      ...(await tx
        .select(summaryColumns)
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids.slice(start, start + CHUNK)), live))),
    );
  }
  return rows;
}

const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Dismissed pairs involving `customerId`, or every dismissed pair of the tenant. */
async function dismissedPairs(tx: Tx, tenantId: string, customerId?: string): Promise<Set<string>> {
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

/** Every live customer of the tenant, in keyset chunks. */
async function liveCustomers(tx: Tx, tenantId: string): Promise<CandidateRow[]> {
  const rows: CandidateRow[] = [];
  for (;;) {
    const after = rows.length ? rows[rows.length - 1].id : null;
    const chunk = await tx
      .select(summaryColumns)
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), live, after ? gt(customers.id, after) : undefined))
      .orderBy(asc(customers.id))
      .limit(CHUNK);
    rows.push(...chunk);
    if (chunk.length < CHUNK) return rows;
  }
}

export interface DuplicatePair {
  customerIds: [string, string];
  score: number;
  reasons: DuplicateReason[];
}

export interface DuplicateGroup {
  customers: DuplicateCandidate[];
  /** The weakest link holding the group together: every pair of its spanning tree scores at least this. */
  score: number;
  reasons: DuplicateReason[];
  /** The scored pairs within the group at or above minScore. */
  pairs: DuplicatePair[];
}

/**
 * GET /duplicates: groups of likely duplicates across the tenant, strongest
 * first. Pairs at or above `minScore` join customers into groups (single
 * linkage, without dismissed pairs); a group's score is the weakest pair of
 * its maximum spanning tree, so it is the highest threshold at which the
 * group still holds together.
 */
async function computeGroups(tx: Tx, tenantId: string, minScore: number): Promise<RankedGroup[]> {
  const rows = await liveCustomers(tx, tenantId);
  const dismissed = await dismissedPairs(tx, tenantId);
  const profiles = rows.map(profileOf);
  const edges: Array<{ a: number; b: number; score: number; reasons: DuplicateReason[] }> = [];
  for (const [a, b] of candidatePairs(profiles)) {
    if (dismissed.has(pairKey(rows[a].id, rows[b].id))) continue;
    const { score, reasons } = compareProfiles(profiles[a], profiles[b]);
    if (score >= minScore) edges.push({ a, b, score, reasons });
  }
  edges.sort((x, y) => y.score - x.score);

  // Kruskal on the strongest pairs first: a group's last joining pair is its weakest link.
  const parent = rows.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const weakest = new Map<number, number>();
  const treeReasons = new Map<number, Set<DuplicateReason>>();
  for (const edge of edges) {
    const ra = find(edge.a);
    const rb = find(edge.b);
    if (ra === rb) continue;
    parent[rb] = ra;
    weakest.set(ra, Math.min(weakest.get(ra) ?? 1, weakest.get(rb) ?? 1, edge.score));
    treeReasons.set(ra, new Set([...(treeReasons.get(ra) ?? []), ...(treeReasons.get(rb) ?? []), ...edge.reasons]));
  }
  const groups = new Map<number, { members: Set<number>; pairs: DuplicatePair[] }>();
  for (const edge of edges) {
    const root = find(edge.a);
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { members: new Set(), pairs: [] }));
    group.members.add(edge.a).add(edge.b);
    group.pairs.push({ customerIds: [rows[edge.a].id, rows[edge.b].id], score: edge.score, reasons: edge.reasons });
  }
  return [...groups.entries()]
    .map(([root, g]) => {
      const members = [...g.members].map((i) => rows[i]).sort((x, y) => x.number - y.number);
      return {
        customers: members.map(serializeCandidate),
        score: weakest.get(root)!,
        reasons: DUPLICATE_REASONS.filter((r) => treeReasons.get(root)!.has(r)),
        pairs: g.pairs,
        firstNumber: members[0].number,
      };
    })
    .sort((x, y) => y.score - x.score || x.firstNumber - y.firstNumber);
}

type RankedGroup = DuplicateGroup & { firstNumber: number };

/**
 * Groups computed for the last few tenants and thresholds, reused while the
 * tenant's customers and dismissals are unchanged, so paging through them
 * costs one small aggregate query. Any write to a customer bumps its version
 * (and a merge or erasure also changes the live count), so the fingerprint
 * changes with anything the groups depend on; every instance checks it
 * against the database, so none serves stale groups.
 */
const recent = new Map<string, { fingerprint: string; groups: RankedGroup[] }>();
const RECENT_MAX = 8;

async function fingerprintOf(tx: Tx, tenantId: string): Promise<string> {
  const [row] = await query<Record<string, string | number>>(
    tx,
    sql`select count(*) as n, count(*) filter (where merged_into is null and erased_at is null) as live, coalesce(sum(version), 0) as versions,
          (select count(*) from duplicate_dismissals d where d.tenant_id = ${tenantId}) as dismissed
        from customers where tenant_id = ${tenantId}`,
  );
  return [row.n, row.live, row.versions, row.dismissed].join('/');
}

export async function duplicateGroups(tx: Tx, tenantId: string, options: DuplicateListOptions) {
  const key = `${tenantId}\u0000${options.minScore}`;
  const fingerprint = await fingerprintOf(tx, tenantId);
  let entry = recent.get(key);
  if (entry?.fingerprint !== fingerprint) entry = { fingerprint, groups: await computeGroups(tx, tenantId, options.minScore) };
  recent.delete(key);
  recent.set(key, entry);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  return paginate(entry.groups, options, (g) => [g.score, g.firstNumber], ({ firstNumber: _, ...group }): DuplicateGroup => group);
}

/**
 * One page of an ordering computed in memory, by (score descending, number
 * ascending): the cursor names the last item's pair, so a page is stable
 * even when the items are recomputed between requests.
 */
function paginate<T, U>(items: T[], options: DuplicateListOptions, keyOf: (item: T) => [number, number], map: (item: T) => U) {
  let start = 0;
  const after = decodeCursor(options.cursor, 2);
  if (after) {
    if (!after.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw invalid('cursor', 'The cursor is not valid; start again from the first page.');
    }
    const [score, number] = after as [number, number];
    start = items.findIndex((item) => {
      const [s, n] = keyOf(item);
      return s < score || (s === score && n > number);
    });
    if (start < 0) start = items.length;
  }
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
