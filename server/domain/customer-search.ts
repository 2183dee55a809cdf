/**
 * GET /customers: one query for search and list. `q` is read in JS to decide
 * which indexed look-ups can match it (number, phone, email prefix, id
 * number, external id, fuzzy name); the candidates are filtered, ordered by
 * relevance or by the chosen sort, and paged with a keyset cursor, so a deep
 * page costs what the first one costs.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { customers, levels } from '../db/schema.ts';
import { invalid } from '../errors.ts';
import { normalizePhone, STATUSES } from './customer-input.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { serializeCustomer } from './customers.ts';
import { foldText, normalizeIdNumber } from './normalize.ts';

export const SORTS = ['name', 'points', 'registeredAt', 'lastOrderAt'] as const;
export type Sort = (typeof SORTS)[number] | `-${(typeof SORTS)[number]}`;
export const SORT_VALUES = SORTS.flatMap((s) => [s, `-${s}`]) as Sort[];

export interface CustomerFilters {
  q?: string;
  status?: Array<(typeof STATUSES)[number]>;
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
}

/** What a `q` could mean; each member that is set becomes one indexed look-up. */
export interface QueryReading {
  number?: number;
  phone?: string;
  idNumber?: string;
  externalId?: string;
  emailPrefix?: string;
  name?: string;
}

const MAX_INT = 2_147_483_647;

/** Reads `q` the ways people type a customer: "#1042", "+34 612…", "ana@", "12345678Z", "Gonzales". */
export function readQuery(q: string, region: string): QueryReading {
  const text = q.trim();
  const reading: QueryReading = {};
  if (!text) return reading;
  const hashNumber = /^#\s*(\d{1,10})$/.exec(text);
  if (hashNumber) {
    const n = Number(hashNumber[1]);
    if (n <= MAX_INT) reading.number = n;
    return reading;
  }
  if (text.includes('@')) {
    reading.emailPrefix = text.toLowerCase();
    return reading;
  }
  if (/^\d{1,10}$/.test(text) && Number(text) <= MAX_INT) reading.number = Number(text);
  const digitCount = text.replace(/\D/g, '').length;
  if (/^[+\d\s().\-/]+$/.test(text) && digitCount >= 6) {
    const phone = normalizePhone(text, region);
    if (phone) reading.phone = phone;
  }
  const single = !/\s/.test(text);
  const id = normalizeIdNumber(text);
  if (id && /^[A-Z0-9]{4,}$/.test(id) && /\d/.test(id)) reading.idNumber = id;
  if (single && text.length <= 100) reading.externalId = text;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (single && letters >= 1 && text.length >= 3 && /^[\p{L}\p{N}._%+-]+$/u.test(text)) reading.emailPrefix = text.toLowerCase();
  if (letters >= 2) reading.name = foldText(text);
  return reading;
}

const likePrefix = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

/** The customers (live ones, following merges) that a number names: "their numbers find the primary". */
function numberMatch(tenantId: string, n: number): SQL {
  return sql`${customers.id} in (
    with recursive chain(id, merged_into, hops) as (
      select m.id, m.merged_into, 0 from customers m where m.tenant_id = ${tenantId} and m.number = ${n}
      union all
      select s.id, s.merged_into, chain.hops + 1 from customers s join chain on s.tenant_id = ${tenantId} and s.id = chain.merged_into
      where chain.hops < 20
    )
    select id from chain where merged_into is null)`;
}

/** The match condition and the relevance score (0–1) of a reading. */
function matchOf(tenantId: string, reading: QueryReading): { where: SQL; score: SQL } | null {
  const exact: SQL[] = [];
  if (reading.number !== undefined) exact.push(numberMatch(tenantId, reading.number));
  if (reading.phone) exact.push(sql`${customers.phoneNumbers} @> array[${reading.phone}]::text[]`);
  if (reading.idNumber) exact.push(sql`${customers.searchIdNumber} = ${reading.idNumber}`);
  if (reading.externalId) exact.push(sql`${customers.externalId} = ${reading.externalId}`);
  const fuzzy: SQL[] = [];
  const scores: SQL[] = [];
  if (exact.length) {
    const anyExact = sql.join(exact, sql` or `);
    fuzzy.push(sql`(${anyExact})`);
    scores.push(sql`case when ${anyExact} then 1 else 0 end`);
  }
  if (reading.emailPrefix) {
    const email = sql`${customers.email} like ${likePrefix(reading.emailPrefix)}`;
    fuzzy.push(email);
    // A whole address typed out is as good as a number; a prefix a little less.
    scores.push(sql`case when ${customers.email} = ${reading.emailPrefix} then 1 when ${email} then 0.8 else 0 end`);
  }
  if (reading.name) {
    // `%` catches typos over the whole name, `<%` a part of it (a dropped or single surname); both use the trigram index.
    fuzzy.push(sql`${customers.searchName} % ${reading.name}`, sql`${reading.name} <% ${customers.searchName}`);
    scores.push(sql`similarity(${customers.searchName}, ${reading.name})`, sql`word_similarity(${reading.name}, ${customers.searchName})`);
  }
  if (!fuzzy.length) return null;
  const score = scores.length === 1 ? scores[0] : sql`greatest(${sql.join(scores, sql`, `)})`;
  // Rounded to a numeric so the cursor carries the exact value the next page compares with.
  return { where: sql`(${sql.join(fuzzy, sql` or `)})`, score: sql`round((${score})::numeric, 4)` };
}

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
  /** The cursor's values for these keys, as selected text or numbers. */
  cursorKeys: SQL[];
  descending: boolean;
  /** Casts a cursor value back to the key's type. */
  cast: Array<(value: unknown) => SQL>;
  check: Array<(value: unknown) => boolean>;
}

const isString = (v: unknown) => typeof v === 'string' && v.length <= 1000;
const isInstant = (v: unknown) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));

function orderingFor(sort: Sort): Ordering {
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as (typeof SORTS)[number];
  switch (field) {
    case 'name':
      return { keys: [sql`${customers.sortName}`], cursorKeys: [sql`${customers.sortName}`], descending, cast: [(v) => sql`${v}::text`], check: [isString] };
    case 'points':
      return {
        keys: [sql`${customers.points}`],
        cursorKeys: [sql`${customers.points}`],
        descending,
        cast: [(v) => sql`${v}::integer`],
        check: [(v) => Number.isSafeInteger(v)],
      };
    case 'registeredAt':
      return {
        keys: [sql`${customers.registeredAt}`],
        cursorKeys: [instantText(sql`${customers.registeredAt}`)],
        descending,
        cast: [(v) => sql`${v}::timestamptz`],
        check: [isInstant],
      };
    case 'lastOrderAt': {
      const key = sql`coalesce(${customers.lastOrderAt}, '-infinity'::timestamptz)`;
      return {
        keys: [key],
        cursorKeys: [sql`case when ${customers.lastOrderAt} is null then null else ${instantText(sql`${customers.lastOrderAt}`)} end`],
        descending,
        cast: [(v) => sql`coalesce(${v}::timestamptz, '-infinity'::timestamptz)`],
        check: [isInstant],
      };
    }
  }
}

/** Relevance first (highest score), then name, then id. */
function relevanceOrdering(score: SQL): Ordering & { mixed: true } {
  return {
    keys: [score, sql`${customers.sortName}`],
    cursorKeys: [sql`(${score})::text`, sql`${customers.sortName}`],
    descending: false,
    cast: [(v) => sql`${v}::numeric`, (v) => sql`${v}::text`],
    check: [(v) => typeof v === 'string' && /^\d(\.\d{1,4})?$/.test(v), isString],
    mixed: true,
  };
}

/** Rows strictly after the cursor in the page order. */
function afterCursor(ordering: Ordering & { mixed?: true }, values: unknown[]): SQL {
  const keys = ordering.keys.map((k) => sql`${k}`);
  const bound = values.slice(0, -1).map((v, i) => ordering.cast[i](v));
  const id = sql`${values[values.length - 1]}::uuid`;
  if (ordering.mixed) {
    // score descending, name and id ascending
    return sql`(${keys[0]} < ${bound[0]} or (${keys[0]} = ${bound[0]} and (${keys[1]}, ${customers.id}) > (${bound[1]}, ${id})))`;
  }
  const op = ordering.descending ? sql`<` : sql`>`;
  return sql`(${sql.join([...keys, sql`${customers.id}`], sql`, `)}) ${op} (${sql.join([...bound, id], sql`, `)})`;
}

function orderBy(ordering: Ordering & { mixed?: true }): SQL {
  if (ordering.mixed) return sql`${ordering.keys[0]} desc, ${ordering.keys[1]} asc, ${customers.id} asc`;
  const direction = ordering.descending ? sql` desc` : sql` asc`;
  return sql.join([...ordering.keys, sql`${customers.id}`].map((k) => sql`${k}${direction}`), sql`, `);
}

const isUuid = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** The list's items: the customer with its level, without duplicate hints (GET /customers/:id has those). */
export async function searchCustomers(tx: Tx, tenantId: string, region: string, options: SearchOptions) {
  const where = filterConditions(tenantId, options);
  const match = options.q?.trim() ? matchOf(tenantId, readQuery(options.q, region)) : null;
  if (options.q?.trim() && !match) return { items: [], nextCursor: null };
  if (match) where.push(match.where);

  const sortTag = options.sort ?? (match ? 'relevance' : '-registeredAt');
  const ordering = match && !options.sort ? relevanceOrdering(match.score) : orderingFor(options.sort ?? '-registeredAt');
  const cursor = decodeCursor(options.cursor, ordering.keys.length + 2);
  if (cursor) {
    const [tag, ...values] = cursor;
    const valid = tag === sortTag && ordering.check.every((ok, i) => ok(values[i])) && isUuid(values[values.length - 1]);
    if (!valid) throw invalid('cursor', 'The cursor belongs to another sort or is damaged; start again from the first page.');
    where.push(afterCursor(ordering, values));
  }

  const rows = await tx
    .select({
      customer: customers,
      level: { id: levels.id, name: levels.name, color: levels.color, minPoints: levels.minPoints },
      cursorKeys: sql<unknown[]>`json_build_array(${sql.join(ordering.cursorKeys, sql`, `)})`,
    })
    .from(customers)
    .leftJoin(levels, and(eq(levels.tenantId, customers.tenantId), eq(levels.id, customers.levelId)))
    .where(and(...where))
    .orderBy(orderBy(ordering))
    .limit(options.limit + 1);

  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  const keysOf = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown[]) : (value as unknown[]));
  return {
    items: page.map((r) => {
      const { duplicateHints: _omitted, ...item } = serializeCustomer(r.customer, { level: r.level?.id ? r.level : null });
      return item;
    }),
    nextCursor: rows.length > options.limit && last ? encodeCursor([sortTag, ...keysOf(last.cursorKeys), last.customer.id]) : null,
  };
}

