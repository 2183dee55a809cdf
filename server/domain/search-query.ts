/**
 * What a search box's `q` means, and the indexed conditions that find it.
 * People type a customer as "#1042", "+34 612 34 56 78", "ana@", "12345678Z"
 * or "Gonzales": each reading becomes a look-up on its own index. Matches are
 * in two tiers: exact ones (an identifier, an email prefix, or every typed
 * word a word of the name) and close ones, where each typed word may be
 * misspelt or, the last one, still being typed. Typos are corrected against
 * the tenant's dictionary of name words (a few thousand words, not a
 * million names), so a close match is an array look-up too.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type Tx } from '../db/client.ts';
import { customers } from '../db/schema.ts';
import { normalizePhone } from './customer-input.ts';
import { survivorsOfMerged } from './merged-lookup.ts';
import { foldText, normalizeIdNumber } from './normalize.ts';
import { editDistance } from './string-similarity.ts';

/** What a `q` could mean; each member that is set becomes one indexed look-up. */
export interface QueryReading {
  number?: number;
  phone?: string;
  idNumber?: string;
  externalId?: string;
  emailPrefix?: string;
  /** The folded words of a name ("jose", "perez"). */
  words?: string[];
}

const MAX_INT = 2_147_483_647;

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
  if (letters >= 2) reading.words = wordsOf(foldText(text));
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
  // A merged-away customer's email or external id finds the customer it was merged into.
  if (reading.externalId) lookups.push(survivorsOfMerged(tenantId, sql`m.external_id = ${reading.externalId}`));
  if (reading.emailPrefix?.includes('@')) lookups.push(survivorsOfMerged(tenantId, sql`m.email = ${reading.emailPrefix}`));
  if (!lookups.length) return [];
  const rows = await query<{ id: string }>(tx, sql.join(lookups, sql` union `));
  return rows.map((r) => r.id);
}

const likePrefix = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

export interface Match {
  /** Identifiers, an email prefix, or every typed word a word of the name. */
  exact: SQL | null;
  /** Every typed word matched by one of its close dictionary words; exact matches included. */
  close: SQL | null;
}

const arrayOf = (values: string[]) => sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

/**
 * The conditions of a reading: `identified` are the customers its
 * identifiers name, `spellings` its words' close dictionary words. A typed
 * word that is no name word of the tenant makes no exact condition at all:
 * the planner, guessing it common, would walk every name for none.
 */
export function matchOf(reading: QueryReading, identified: string[], spellings: Spellings | null): Match {
  const exact: SQL[] = [];
  if (identified.length) exact.push(sql`${customers.id} in (${sql.join(identified.map((id) => sql`${id}::uuid`), sql`, `)})`);
  if (reading.emailPrefix) exact.push(sql`${customers.email} like ${likePrefix(reading.emailPrefix)}`);
  if (reading.words?.length && spellings?.known) exact.push(sql`${customers.nameWords} @> ${arrayOf(reading.words)}`);
  const closeWords = spellings?.close;
  const close = closeWords?.length ? sql`(${sql.join(closeWords.map((words) => sql`${customers.nameWords} && ${arrayOf(words)}`), sql` and `)})` : null;
  return { exact: exact.length ? sql`(${sql.join(exact, sql` or `)})` : null, close };
}

/** Edits a typed word may be off by: none for short words, where one edit makes another name. */
const tolerance = (word: string) => (word.length <= 3 ? 0 : word.length <= 5 ? 1 : 2);
/** More spellings than this for one typed word means it says too little to search on. */
const MAX_SPELLINGS = 100;

/**
 * For each typed word, the tenant's name words within its tolerance of
 * edits (a swap of two letters is one), and for the last word, being typed,
 * the words it begins. Candidates come from the dictionary's indexes:
 * trigram neighbours, same first letter and similar length, and prefix
 * extensions.
 */
export interface Spellings {
  /** For each typed word, its close dictionary words; null when some typed word has none. */
  close: string[][] | null;
  /** Whether every typed word is itself a name word of the tenant (else no name can hold them all). */
  known: boolean;
}

/** The last typed word grows into longer words: from one letter on when other words narrow the search. */
const grows = (words: string[], i: number) => i === words.length - 1 && words[i].length >= (words.length > 1 ? 1 : 2);

export async function spellingsOf(tx: Tx, tenantId: string, words: string[]): Promise<Spellings> {
  const arms = words.map((word, i) => {
    const sameStart = sql`(word like ${likePrefix(word[0])} and length(word) between ${word.length - 2} and ${word.length + 2})`;
    const prefixArm = grows(words, i) ? sql` or word like ${likePrefix(word)}` : sql``;
    return sql`(select ${i}::int as i, word from name_dictionary where tenant_id = ${tenantId} and (word % ${word} or ${sameStart}${prefixArm}) limit 2000)`;
  });
  const rows = await query<{ i: number; word: string }>(tx, sql.join(arms, sql` union all `));
  const close: string[][] = [];
  let known = true;
  for (const [i, typed] of words.entries()) {
    const mine = rows.filter((r) => Number(r.i) === i).map((r) => r.word);
    known &&= mine.includes(typed);
    const scored = mine
      .map((word) => ({ word, distance: grows(words, i) && word.startsWith(typed) ? 0 : editDistance(typed, word, tolerance(typed)) }))
      .filter((c) => c.distance <= tolerance(typed))
      .sort((a, b) => a.distance - b.distance || (a.word < b.word ? -1 : 1))
      .slice(0, MAX_SPELLINGS);
    if (!scored.length) return { close: null, known: false };
    close.push(scored.map((c) => c.word));
  }
  return { close, known };
}
