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
 * Whole-name similarity a fuzzy match of several words needs ("jsoe perez"
 * still finds José Pérez); a part of the name (a dropped surname, one word)
 * needs pg_trgm's default word similarity, 0.6.
 */
export const NAME_SIMILARITY = 0.45;

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

/** The live customers a number names, following merges: "their numbers find the primary". */
export async function customersNumbered(tx: Tx, tenantId: string, n: number): Promise<string[]> {
  const rows = await query<{ id: string }>(
    tx,
    sql`with recursive chain(id, merged_into, hops) as (
          select id, merged_into, 0 from customers where tenant_id = ${tenantId} and number = ${n}
          union all
          select c.id, c.merged_into, chain.hops + 1 from customers c join chain on c.tenant_id = ${tenantId} and c.id = chain.merged_into
          where chain.hops < 20
        )
        select id from chain where merged_into is null`,
  );
  return rows.map((r) => r.id);
}

const likePrefix = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

export interface Match {
  /** Identifiers, an email prefix, or every typed word a word of the name. */
  exact: SQL | null;
  /** Trigram matches and their score (0–1, rounded so a cursor can carry it exactly). */
  fuzzy: { where: SQL; score: SQL; severalWords: boolean } | null;
}

/** The conditions of a reading; `numbered` are the customers its number names. */
export function matchOf(reading: QueryReading, numbered: string[]): Match {
  const exact: SQL[] = [];
  if (numbered.length) exact.push(sql`${customers.id} in (${sql.join(numbered.map((id) => sql`${id}::uuid`), sql`, `)})`);
  if (reading.phone) exact.push(sql`${customers.phoneNumbers} @> array[${reading.phone}]::text[]`);
  if (reading.idNumber) exact.push(sql`${customers.searchIdNumber} = ${reading.idNumber}`);
  if (reading.externalId) exact.push(sql`${customers.externalId} = ${reading.externalId}`);
  if (reading.emailPrefix) exact.push(sql`${customers.email} like ${likePrefix(reading.emailPrefix)}`);
  if (reading.words?.length) {
    exact.push(sql`${customers.nameWords} @> array[${sql.join(reading.words.map((w) => sql`${w}`), sql`, `)}]::text[]`);
  }
  let fuzzy: Match['fuzzy'] = null;
  if (reading.name) {
    const name = reading.name;
    const severalWords = (reading.words?.length ?? 0) > 1;
    // `<%` finds a part of the name (one word, a dropped surname, a typo in it); with several words,
    // `%` also weighs the whole name. Both use the trigram index.
    fuzzy = severalWords
      ? {
          where: sql`(${customers.searchName} % ${name} or ${name} <% ${customers.searchName})`,
          score: sql`round(greatest(similarity(${customers.searchName}, ${name}), word_similarity(${name}, ${customers.searchName}))::numeric, 4)`,
          severalWords,
        }
      : {
          where: sql`${name} <% ${customers.searchName}`,
          score: sql`round(word_similarity(${name}, ${customers.searchName})::numeric, 4)`,
          severalWords,
        };
  }
  return { exact: exact.length ? sql`(${sql.join(exact, sql` or `)})` : null, fuzzy };
}
