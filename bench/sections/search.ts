/**
 * Search and list latency on a large tenant, through the whole stack
 * (app.request: routing, auth, validation, SQL, serialisation): fuzzy names
 * with typos and dropped surnames, email prefixes, phones as people write
 * them, #numbers; then first pages against pages ~10,000 rows deep for each
 * sort, which keyset pagination should make cost the same.
 */
import { sql } from 'drizzle-orm';
import { query, type Database } from '../../server/db/client.ts';
import { largeTenant, type LargeTenant } from '../fixture.ts';
import { latency, timed, type Latency } from '../stats.ts';

export interface SearchBenchOptions {
  customers?: number;
  /** A tenant already generated (its size wins over `customers`). */
  fixture?: LargeTenant;
  /** Timed requests per case. */
  runs?: number;
  /** How deep the "deep page" starts, in rows. */
  depth?: number;
}

export interface SearchCase extends Latency {
  case: string;
  /** Median number of items answered (a search that finds nothing is no benchmark). */
  items: number;
}

export interface SearchBenchResult {
  database: Database['kind'];
  customers: number;
  generateSeconds: number;
  search: SearchCase[];
  pages: Array<{ sort: string; first: Latency; deep: Latency; depth: number }>;
  filters: SearchCase[];
}

interface Sample {
  number: number;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
}

const COMMON_TYPOS = ['gonzales', 'fernandes', 'rodrigues', 'lopes', 'martines', 'sanches', 'gomes', 'hernandes'];

/** A deterministic typo: two neighbouring letters of the surname swapped, accents gone. */
function typo(word: string): string {
  const plain = word.normalize('NFD').replace(/\p{Diacritic}/gu, '');
  if (plain.length < 4) return plain;
  const i = Math.floor(plain.length / 2) - 1;
  return plain.slice(0, i) + plain[i + 1] + plain[i] + plain.slice(i + 2);
}

/** The same number the ways people write it: +34 6xx xx xx xx, 6xxxxxxxx, 0034 6xx xxx xxx. */
function phoneAsTyped(e164: string, i: number): string {
  const national = e164.slice(3);
  const forms = [
    `+34 ${national.slice(0, 3)} ${national.slice(3, 5)} ${national.slice(5, 7)} ${national.slice(7)}`,
    national,
    `0034 ${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`,
  ];
  return forms[i % forms.length];
}

export async function benchSearch(database: Database, options: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const fixture = options.fixture ?? (await largeTenant(database, options.customers ?? 100_000));
  const { app, tenantId, token } = fixture;
  const total = fixture.customers;
  const generateMs = fixture.generateSeconds * 1000;
  const runs = options.runs ?? 60;
  const depth = Math.min(options.depth ?? 10_000, Math.floor(total / 2));

  const get = async (path: string) => {
    const res = await app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: unknown[]; nextCursor: string | null };
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };
  const measure = async (name: string, paths: string[]): Promise<SearchCase> => {
    for (const path of paths.slice(0, 5)) await get(path);
    const samples: number[] = [];
    const counts: number[] = [];
    for (const path of paths) {
      const [body, ms] = await timed(() => get(path));
      samples.push(ms);
      counts.push(body.items.length);
    }
    counts.sort((a, b) => a - b);
    return { case: name, ...latency(samples), items: counts[Math.floor(counts.length / 2)] };
  };

  const samples = await query<Sample>(
    database.db,
    sql`select number, first_name, last_name, email, phone_numbers[1] as phone from customers
        where tenant_id = ${tenantId} and number % ${Math.max(1, Math.floor(total / runs))} = 0 order by number limit ${runs}`,
  );
  const q = (value: string) => `/customers?q=${encodeURIComponent(value)}&limit=50`;
  const search = [
    await measure('name, exact with accents', samples.map((s) => q(`${s.first_name} ${s.last_name}`))),
    await measure('name, typo + dropped surname', samples.map((s) => q(`${s.first_name.toLowerCase()} ${typo(s.last_name.split(' ')[0])}`))),
    await measure('name, one surname', samples.map((s) => q(s.last_name.split(' ')[1]))),
    // A typo of a common surname: every bearer of it is a close match.
    await measure('name, typo in a common surname', samples.map((_, i) => q(COMMON_TYPOS[i % COMMON_TYPOS.length]))),
    await measure('email prefix', samples.map((s) => q(s.email.slice(0, s.email.indexOf('@') + 1)))),
    await measure('phone, as typed', samples.map((s, i) => q(phoneAsTyped(s.phone, i)))),
    await measure('#number', samples.map((s) => q(`#${s.number}`))),
  ];

  const pages = [];
  for (const sort of ['name', '-registeredAt', '-points', '-lastOrderAt']) {
    const first = await measure(`first page, sort=${sort}`, Array(runs).fill(`/customers?sort=${sort}&limit=50`));
    let cursor: string | null = null;
    for (let walked = 0; walked < depth; walked += 200) {
      cursor = (await get(`/customers?sort=${sort}&limit=200${cursor ? `&cursor=${cursor}` : ''}`)).nextCursor;
    }
    const deep = await measure(`page at ${depth}, sort=${sort}`, Array(runs).fill(`/customers?sort=${sort}&limit=50&cursor=${cursor}`));
    pages.push({ sort, first, deep, depth });
  }

  const filters = [
    await measure('status=inactive, sort=name', Array(runs).fill('/customers?status=inactive&sort=name&limit=50')),
    await measure('vip=true, sort=-points', Array(runs).fill('/customers?vip=true&sort=-points&limit=50')),
    await measure('tag=online', Array(runs).fill('/customers?tag=online&limit=50')),
    await measure('name search + status=active', samples.map((s) => `${q(`${s.first_name} ${s.last_name.split(' ')[0]}`)}&status=active`)),
  ];
  return { database: database.kind, customers: total, generateSeconds: Math.round(generateMs / 100) / 10, search, pages, filters };
}

/** Rows for the printed table. */
export function searchTable(result: SearchBenchResult) {
  const row = (c: SearchCase) => ({ case: c.case, 'p50 ms': c.p50, 'p95 ms': c.p95, 'max ms': c.max, items: c.items });
  return [
    ...result.search.map(row),
    ...result.pages.flatMap((p) => [
      { case: `first page, sort=${p.sort}`, 'p50 ms': p.first.p50, 'p95 ms': p.first.p95, 'max ms': p.first.max, items: 50 },
      { case: `page at row ${p.depth.toLocaleString('en')}, sort=${p.sort}`, 'p50 ms': p.deep.p50, 'p95 ms': p.deep.p95, 'max ms': p.deep.max, items: 50 },
    ]),
    ...result.filters.map(row),
  ];
}
