/**
 * What a search box's `q` means, and the indexed conditions that find it.
 * People type a customer as "#1042", "+34 612 34 56 78", "ana@", "12345678Z"
 * or "Gonzales": each reading becomes a look-up on its own index. Matches are
 * in two tiers: exact ones (every typed word is a word of the name, or an
 * identifier matches) need no trigram arithmetic; fuzzy ones (typos, word
 * fragments) are scored by pg_trgm.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type Tx } from '../db/client.ts';
import { customers } from '../db/schema.ts';
import { normalizePhone } from './customer-input.ts';
import { foldText, normalizeIdNumber } from './normalize.ts';

/** What a `q` could mean; each member that is set becomes one indexed look-up. */
export interface QueryReading {
  number?: number;
  phone?: string;
  idNumber?: string;
  externalId?: string;
  emailPrefix?: string;
  /** Folded ("jose perez"), for trigram similarity. */
  name?: string;
  /** The folded words of the name, for whole-word matches. */
  words?: string[];
}

const MAX_INT = 2_147_483_647;

/**
 * How much of several typed words must be found, in order, in the name:
 * lower than pg_trgm's 0.6 so one typo in a short word ("jsoe perez") or
 * in one of two words with a name part left out ("jose peres" for José Luis
 * Pérez Gómez) still matches. One typed word keeps 0.6: a looser bar would
 * bring in thousands of names sharing a syllable.
 */
export const SEVERAL_WORDS_SIMILARITY = 0.5;

/** The words of a folded name, split like the name_words column splits search_name. */
export const wordsOf = (folded: string) => folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

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
  if (letters >= 2) {
    reading.name = foldText(text);
    reading.words = wordsOf(reading.name);
  }
  return reading;
}

/** More customers than this sharing one identifier is no identifier: the rest are not looked up. */
const MAX_IDENTIFIED = 500;

/**
 * The customers an identifier in `q` names: its number (following merges:
 * "their numbers find the primary"), phone, id number or external id.
 * Looked up apart from the page query, whose planner would otherwise guess
 * hundreds of matches and walk the whole name index for the one there is.
 */
export async function customersIdentified(tx: Tx, tenantId: string, reading: QueryReading): Promise<string[]> {
  const lookups: SQL[] = [];
  if (reading.number !== undefined) {
    lookups.push(sql`(with recursive chain(id, merged_into, hops) as (
        select id, merged_into, 0 from customers where tenant_id = ${tenantId} and number = ${reading.number}
        union all
        select c.id, c.merged_into, chain.hops + 1 from customers c join chain on c.tenant_id = ${tenantId} and c.id = chain.merged_into
        where chain.hops < 20
      ) select id from chain where merged_into is null)`);
  }
  const mine = sql`tenant_id = ${tenantId} and merged_into is null and erased_at is null`;
  if (reading.phone) lookups.push(sql`(select id from customers where ${mine} and phone_numbers @> array[${reading.phone}]::text[] limit ${MAX_IDENTIFIED})`);
  if (reading.idNumber) lookups.push(sql`(select id from customers where ${mine} and search_id_number = ${reading.idNumber} limit ${MAX_IDENTIFIED})`);
  if (reading.externalId) lookups.push(sql`(select id from customers where ${mine} and external_id = ${reading.externalId} limit ${MAX_IDENTIFIED})`);
  if (!lookups.length) return [];
  const rows = await query<{ id: string }>(tx, sql.join(lookups, sql` union `));
  return rows.map((r) => r.id);
}

const likePrefix = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

export interface Match {
  /** Identifiers, an email prefix, or every typed word a word of the name. */
  exact: SQL | null;
  /** Trigram matches and their score (0–1, rounded so a cursor can carry it exactly). */
  fuzzy: { where: SQL; score: SQL; severalWords: boolean } | null;
}

/** The conditions of a reading; `identified` are the customers its identifiers name. */
export function matchOf(reading: QueryReading, identified: string[]): Match {
  const exact: SQL[] = [];
  if (identified.length) exact.push(sql`${customers.id} in (${sql.join(identified.map((id) => sql`${id}::uuid`), sql`, `)})`);
  if (reading.emailPrefix) exact.push(sql`${customers.email} like ${likePrefix(reading.emailPrefix)}`);
  if (reading.words?.length) {
    exact.push(sql`${customers.nameWords} @> array[${sql.join(reading.words.map((w) => sql`${w}`), sql`, `)}]::text[]`);
  }
  let fuzzy: Match['fuzzy'] = null;
  if (reading.name) {
    // Word similarity: the typed words against the best stretch of the name, through the trigram index.
    fuzzy = {
      where: sql`${reading.name} <% ${customers.searchName}`,
      score: sql`round(word_similarity(${reading.name}, ${customers.searchName})::numeric, 4)`,
      severalWords: (reading.words?.length ?? 0) > 1,
    };
  }
  return { exact: exact.length ? sql`(${sql.join(exact, sql` or `)})` : null, fuzzy };
}
