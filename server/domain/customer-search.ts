/**
 * GET /customers: search and list. The matches of `q` (search-query.ts) are
 * filtered, ordered by the chosen sort or by relevance, and paged with a
 * keyset cursor, so a deep page costs what the first one costs. Relevance
 * lists exact matches first, then close ones (typos, a word still being
 * typed), each tier by name: for one typed word an index walks the tier in
 * name order and stops after a page, however common the name; several
 * typed words are gathered through the word index and sorted.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { query, type Tx } from '../db/client.ts';
import { customers, levels, type CustomerRow } from '../db/schema.ts';
import { invalid } from '../errors.ts';
import type { CustomerStatus } from '../contract/limits.ts';
import { cursorValue, decodeCursor, encodeCursor, type CursorCheck } from './cursor.ts';
import { getTenant, serializeCustomer } from './customers.ts';
import { customersIdentified, matchOf, readQuery, spellingsOf, type Match } from './search-query.ts';

export const SORTS = ['name', 'level', 'points', 'status', 'registeredAt', 'lastOrderAt'] as const;
export type Sort = (typeof SORTS)[number] | `-${(typeof SORTS)[number]}`;
export const SORT_VALUES = SORTS.flatMap((s) => [s, `-${s}`]) as Sort[];

export interface CustomerFilters {
  q?: string;
  status?: CustomerStatus[];
  levelId?: string;
  tag?: string;
  vip?: boolean;
  bad?: boolean;
  assignedUserId?: string;
  /** Inclusive, UTC day boundaries. */
  registeredFrom?: string;
  registeredTo?: string;
}

export interface SearchOptions extends CustomerFilters {
  /** Without it: relevance when `q` is given, else newest registered first. */
  sort?: Sort;
  limit: number;
  cursor?: string;
  /** Adds `total` (exact up to COUNT_EXACT_UP_TO, then an estimate). */
  count?: boolean;
}

export const COUNT_EXACT_UP_TO = 10_000;

/** SPEC §5: active, inactive, disabled, removed. */
const statusRank = sql`case ${customers.status} when 'active' then 0 when 'inactive' then 1 when 'disabled' then 2 else 3 end`;
const STATUS_RANK: Record<string, number> = { active: 0, inactive: 1, disabled: 2, removed: 3 };

const dayStart = (date: string) => sql`${date + 'T00:00:00Z'}::timestamptz`;

function filterConditions(tenantId: string, f: CustomerFilters): SQL[] {
  const where: SQL[] = [eq(customers.tenantId, tenantId), isNull(customers.mergedInto), isNull(customers.erasedAt)] as SQL[];
  if (f.status?.length) where.push(sql`${customers.status} in (${sql.join(f.status.map((s) => sql`${s}`), sql`, `)})`);
  if (f.levelId) where.push(sql`${customers.levelId} = ${f.levelId}`);
  if (f.tag) where.push(sql`${customers.tags} @> array[${f.tag}]::text[]`);
  if (f.vip !== undefined) where.push(sql`${customers.vip} = ${f.vip}`);
  if (f.bad !== undefined) where.push(sql`${customers.bad} = ${f.bad}`);
  if (f.assignedUserId) where.push(sql`${customers.assignedUserId} = ${f.assignedUserId}`);
  if (f.registeredFrom) where.push(sql`${customers.registeredAt} >= ${dayStart(f.registeredFrom)}`);
  if (f.registeredTo) where.push(sql`${customers.registeredAt} < ${dayStart(f.registeredTo)} + interval '1 day'`);
  return where;
}

/** An exact, driver-independent text form of a timestamp for the cursor. */
const instantText = (value: SQL) => sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface Ordering {
  /** Sort expressions, most significant first; the id always breaks ties. */
  keys: SQL[];
  /** A timestamp key selected as exact text (a JS Date would drop microseconds). */
  exactKey?: SQL;
  /** The cursor's values for these keys, read from the last row of a page. */
  cursorOf(row: PageRow): unknown[];
  descending: boolean;
  /** Casts a cursor value back to the key's type. */
  cast: Array<(value: unknown) => SQL>;
  check: CursorCheck;
}

interface PageRow {
  customer: CustomerRow;
  level: { minPoints: number | null } | null;
  exactKey: string | null;
}


/**
 * `fenced` hides the sort key from the indexes. A search that ANDs several
 * words is rare but its matches bunch up in name order (every "López" sits
 * together), so a planner walking the name index in order, expecting them
 * spread, can read most of the tenant for one page; fenced, it gathers the
 * matches through the word index and sorts them.
 */
function orderingFor(sort: Sort, fenced = false): Ordering {
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as (typeof SORTS)[number];
  const hide = (key: SQL, neutral: SQL) => (fenced ? sql`(${key} ${neutral})` : key);
  switch (field) {
    case 'name':
      return {
        keys: [hide(sql`${customers.sortName}`, sql`|| ''`)],
        cursorOf: (r) => [r.customer.sortName],
        descending,
        cast: [(v) => sql`${v}::text`],
        check: cursorValue.text,
      };
    case 'level':
      // By the level's threshold (members without a level first); the joined
      // level is read in the same statement as the page, so the key is exact.
      return {
        keys: [sql`coalesce(${levels.minPoints}, -1)`],
        cursorOf: (r) => [r.level?.minPoints ?? -1],
        descending,
        cast: [(v) => sql`${v}::integer`],
        check: cursorValue.integer,
      };
    case 'status':
      return {
        keys: [statusRank],
        cursorOf: (r) => [STATUS_RANK[r.customer.status] ?? 3],
        descending,
        cast: [(v) => sql`${v}::integer`],
        check: cursorValue.integer,
      };
    case 'points':
      return {
        keys: [hide(sql`${customers.points}`, sql`+ 0`)],
        cursorOf: (r) => [r.customer.points],
        descending,
        cast: [(v) => sql`${v}::integer`],
        check: cursorValue.integer,
      };
    case 'registeredAt':
      return {
        keys: [hide(sql`${customers.registeredAt}`, sql`+ interval '0 seconds'`)],
        exactKey: instantText(sql`${customers.registeredAt}`),
        cursorOf: (r) => [r.exactKey],
        descending,
        cast: [(v) => sql`${v}::timestamptz`],
        check: cursorValue.instant,
      };
    case 'lastOrderAt':
      return {
        keys: [hide(sql`coalesce(${customers.lastOrderAt}, '-infinity'::timestamptz)`, sql`+ interval '0 seconds'`)],
        exactKey: sql`case when ${customers.lastOrderAt} is null then null else ${instantText(sql`${customers.lastOrderAt}`)} end`,
        cursorOf: (r) => [r.exactKey],
        descending,
        cast: [(v) => sql`coalesce(${v}::timestamptz, '-infinity'::timestamptz)`],
        check: cursorValue.nullOr(cursorValue.instant),
      };
  }
}

const WRONG_CURSOR = 'The cursor belongs to another sort or search, or is damaged; start again from the first page.';
const isTier: CursorCheck = (v) => v === 1 || v === 2;

/** Rows strictly after the cursor in the page order. */
function afterCursor(ordering: Ordering, values: unknown[]): SQL {
  const keys = ordering.keys.map((k) => sql`${k}`);
  const bound = values.slice(0, -1).map((v, i) => ordering.cast[i](v));
  const id = sql`${values[values.length - 1]}::uuid`;
  const op = ordering.descending ? sql`<` : sql`>`;
  return sql`(${sql.join([...keys, sql`${customers.id}`], sql`, `)}) ${op} (${sql.join([...bound, id], sql`, `)})`;
}

function orderBy(ordering: Ordering): SQL {
  const direction = ordering.descending ? sql` desc` : sql` asc`;
  return sql.join([...ordering.keys, sql`${customers.id}`].map((k) => sql`${k}${direction}`), sql`, `);
}

/** One ordered slice: `take` rows after the cursor values `after` (keys then id). */
async function fetchRows(tx: Tx, where: Array<SQL | undefined>, ordering: Ordering, after: unknown[] | null, take: number) {
  return tx
    .select({
      customer: customers,
      level: { id: levels.id, name: levels.name, color: levels.color, minPoints: levels.minPoints },
      exactKey: (ordering.exactKey ?? sql<string | null>`null`).as('exact_key') as SQL.Aliased<string | null>,
    })
    .from(customers)
    .leftJoin(levels, and(eq(levels.tenantId, customers.tenantId), eq(levels.id, customers.levelId)))
    .where(and(...where, after ? afterCursor(ordering, after) : undefined))
    .orderBy(orderBy(ordering))
    .limit(take);
}
type FetchedRow = Awaited<ReturnType<typeof fetchRows>>[number];
type Page = { items: Array<ReturnType<typeof listItem>>; nextCursor: string | null };

/** The list's items: the customer with its level, without duplicate hints (GET /customers/:id has those). */
function listItem(r: FetchedRow) {
  const { duplicateHints: _omitted, ...item } = serializeCustomer(r.customer, { level: r.level?.id ? r.level : null });
  return item;
}

/** Pages in a chosen sort; the cursor is [sort, key, id]. */
async function sortedPage(tx: Tx, where: SQL[], sort: Sort, limit: number, cursor?: string, fenced = false) {
  const ordering = orderingFor(sort, fenced);
  const after = decodeCursor(cursor, [cursorValue.is(sort), ordering.check, cursorValue.uuid], WRONG_CURSOR);
  const rows = await fetchRows(tx, where, ordering, after?.slice(1) ?? null, limit + 1);
  const last = rows[limit - 1];
  return {
    items: rows.slice(0, limit).map(listItem),
    nextCursor: rows.length > limit ? encodeCursor([sort, ...ordering.cursorOf(last), last.customer.id]) : null,
  };
}

/**
 * Pages by relevance: exact matches, then close ones, each by name. The
 * cursor is ['relevance', tier, sortName, id]; a page may end in one tier
 * and the next start in the other.
 */
async function relevancePage(tx: Tx, where: SQL[], match: Match, limit: number, cursor: string | undefined, fenced: boolean) {
  const after = decodeCursor(cursor, [cursorValue.is('relevance'), isTier, cursorValue.text, cursorValue.uuid], WRONG_CURSOR);
  const tier = after ? (after[1] as 1 | 2) : 1;
  const byName = orderingFor('name', fenced);
  const found: Array<{ row: FetchedRow; tier: 1 | 2 }> = [];
  if (tier === 1 && match.exact) {
    const rows = await fetchRows(tx, [...where, match.exact], byName, after ? after.slice(2) : null, limit + 1);
    found.push(...rows.map((row) => ({ row, tier: 1 as const })));
  }
  if (match.close && found.length <= limit) {
    const notExact = match.exact ? sql`not coalesce(${match.exact}, false)` : undefined;
    const rows = await fetchRows(tx, [...where, match.close, notExact], byName, tier === 2 ? after!.slice(2) : null, limit + 1 - found.length);
    found.push(...rows.map((row) => ({ row, tier: 2 as const })));
  }
  const last = found[limit - 1];
  return {
    items: found.slice(0, limit).map((f) => listItem(f.row)),
    nextCursor: found.length > limit ? encodeCursor(['relevance', last.tier, last.row.customer.sortName, last.row.customer.id]) : null,
  };
}

/**
 * How many customers the conditions select: exact up to COUNT_EXACT_UP_TO
 * (counting stops there), beyond it the planner's estimate.
 */
async function countCustomers(tx: Tx, where: SQL[]): Promise<{ total: number; totalIsEstimate: boolean }> {
  const condition = and(...where)!;
  const [capped] = await query<{ n: number }>(
    tx,
    sql`select count(*)::integer as n from (select 1 from ${customers} where ${condition} limit ${COUNT_EXACT_UP_TO + 1}) as c`,
  );
  const exact = Number(capped.n);
  if (exact <= COUNT_EXACT_UP_TO) return { total: exact, totalIsEstimate: false };
  const [plan] = await query<{ 'QUERY PLAN': unknown }>(tx, sql`explain (format json) select 1 from ${customers} where ${condition}`);
  const raw = plan['QUERY PLAN'];
  const estimate = Number((typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan['Plan Rows']);
  return { total: Math.max(COUNT_EXACT_UP_TO + 1, Math.round(estimate) || 0), totalIsEstimate: true };
}

/** GET /customers: one page of the tenant's live customers, and their total when asked; `q` is read in the tenant's phone region. */
export async function searchCustomers(tx: Tx, tenantId: string, options: SearchOptions) {
  const { page, where } = await searchPage(tx, tenantId, options);
  if (!options.count) return page;
  return { ...page, ...(where ? await countCustomers(tx, where) : { total: 0, totalIsEstimate: false }) };
}

/** The page, and the conditions that select every customer of the list (null: none). */
async function searchPage(tx: Tx, tenantId: string, options: SearchOptions): Promise<{ page: Page; where: SQL[] | null }> {
  if (options.registeredFrom && options.registeredTo && options.registeredFrom > options.registeredTo) {
    throw invalid('registeredTo', 'Must not be before registeredFrom.');
  }
  const { defaultRegion: region } = await getTenant(tx, tenantId);
  const where = filterConditions(tenantId, options);
  const reading = options.q?.trim() ? readQuery(options.q, region) : null;
  if (!reading) return { page: await sortedPage(tx, where, options.sort ?? '-registeredAt', options.limit, options.cursor), where };
  const [identified, spellings] = await Promise.all([
    customersIdentified(tx, tenantId, reading),
    reading.words?.length ? spellingsOf(tx, tenantId, reading.words) : null,
  ]);
  const match = matchOf(reading, identified, spellings);
  if (!match.exact && !match.close) return { page: { items: [], nextCursor: null }, where: null };
  const fenced = (reading.words?.length ?? 0) > 1;
  const either = [match.exact, match.close].filter((c): c is SQL => Boolean(c));
  const matching = [...where, sql`(${sql.join(either, sql` or `)})`];
  if (!options.sort) return { page: await relevancePage(tx, where, match, options.limit, options.cursor, fenced), where: matching };
  return { page: await sortedPage(tx, matching, options.sort, options.limit, options.cursor, fenced), where: matching };
}
