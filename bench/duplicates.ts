/**
 * `npm run bench:duplicates`: the quality and cost of duplicate detection.
 *
 * 1. Febrl 3 (../shared/data/febrl3.csv): 5,000 synthetic people, 6,538 true
 *    duplicate pairs (records whose rec_id share the number). Loaded in bulk:
 *    given_name, surname → firstName, lastName; street_number + address_1,
 *    address_2, suburb, postcode, state → address; date_of_birth → birthday
 *    (invalid dates dropped); soc_sec_id → idNumber (national_id).
 * 2. The Spanish test set (test/fixtures/spanish-duplicates.ts), entered
 *    through POST /customers so phones, emails and ids are normalised as in
 *    production.
 *
 * For each, GET /duplicates is paged through at the default threshold. A
 * group of k customers claims its k·(k−1)/2 pairs (a merge of the group
 * would join them all), and those pairs are scored against the truth:
 * precision, recall and F1. Timings are wall-clock through app.request.
 *
 * PGlite in memory by default; DATABASE_URL=postgres://… runs on a throwaway
 * database of that server. BENCH_SCALE=N also times GET /duplicates and
 * GET /customers/:id/duplicates on N generated Spanish customers.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { migrate, openDatabase, type Database } from '../server/db/client.ts';
import { customers, tenants } from '../server/db/schema.ts';
import { derivedColumns, newShareCode } from '../server/domain/customers.ts';
import { signToken } from '../server/auth.ts';
import { spanishDuplicateSet } from '../test/fixtures/spanish-duplicates.ts';
import { createBenchDatabase } from './database.ts';
import { getRetrying } from './fixture.ts';
import { generateCustomers } from './generate.ts';
import { latency, timed } from './stats.ts';

const FEBRL = fileURLToPath(new URL('../../shared/data/febrl3.csv', import.meta.url));

type App = ReturnType<typeof createApp>;
type Labelled = Map<string, string>;

interface Quality {
  records: number;
  truePairs: number;
  groups: number;
  claimedPairs: number;
  precision: number;
  recall: number;
  f1: number;
  seconds: number;
  firstPageSeconds: number;
  /** CPU time of this process: on a shared machine, steadier than wall-clock (with PGlite it includes the database). */
  cpuSeconds: number;
  pages: number;
}

function validDate(yyyymmdd: string): string | null {
  if (!/^\d{8}$/.test(yyyymmdd)) return null;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  const ok = !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) && iso >= '1900-01-01' && date.getTime() < Date.now();
  return ok ? iso : null;
}

async function loadFebrl(database: Database, tenantId: string): Promise<Labelled> {
  const [header, ...lines] = readFileSync(FEBRL, 'utf8').trim().split('\n');
  const columns = header.split(',').map((c) => c.trim());
  const records = lines.map((line) => {
    const values = line.split(',').map((v) => v.trim());
    return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? ''])) as Record<string, string>;
  });
  await database.db.insert(tenants).values({ id: tenantId, lastCustomerNumber: 1000 + records.length });
  const labels: Labelled = new Map();
  for (let start = 0; start < records.length; start += 1000) {
    const rows = records.slice(start, start + 1000).map((r, k) => {
      const phones: never[] = [];
      const person = { firstName: r.given_name || null, lastName: r.surname || null, idNumber: r.soc_sec_id || null, phones };
      return {
        tenantId,
        number: 1001 + start + k,
        ...person,
        idType: r.soc_sec_id ? 'national_id' : null,
        birthday: validDate(r.date_of_birth),
        address: {
          line1: [r.street_number, r.address_1].filter(Boolean).join(' ') || null,
          line2: r.address_2 || null,
          city: r.suburb || null,
          postalCode: r.postcode || null,
          region: r.state ? r.state.toUpperCase() : null,
          country: 'AU',
        },
        shareCode: newShareCode(),
        ...derivedColumns(person),
      };
    });
    const inserted = await database.db.insert(customers).values(rows).returning({ id: customers.id, number: customers.number });
    for (const row of inserted) labels.set(row.id, records[row.number - 1001].rec_id.split('-')[1]);
  }
  return labels;
}

async function loadSpanish(app: App, token: string): Promise<Labelled> {
  const labels: Labelled = new Map();
  for (const { person, body } of spanishDuplicateSet()) {
    const res = await app.request('/api/v1/customers', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST /customers answered ${res.status}: ${await res.text()}`);
    labels.set(((await res.json()) as { id: string }).id, person);
  }
  return labels;
}

async function getJson<T>(app: App, token: string, path: string): Promise<T> {
  const res = await getRetrying(app, token, path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

type Groups = { items: Array<{ customers: Array<{ id: string }> }>; nextCursor: string | null };

async function measure(app: App, token: string, labels: Labelled): Promise<Quality> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const groups: string[][] = [];
  let cursor: string | null = null;
  let pages = 0;
  let firstPageSeconds = 0;
  do {
    const page: Groups = await getJson<Groups>(app, token, `/duplicates?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    if (!pages) firstPageSeconds = (performance.now() - started) / 1000;
    groups.push(...page.items.map((g) => g.customers.map((c) => c.id)));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;

  let truePositives = 0;
  let claimed = 0;
  for (const group of groups) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        claimed++;
        if (labels.get(group[i]) === labels.get(group[j])) truePositives++;
      }
    }
  }
  const sizes = new Map<string, number>();
  for (const person of labels.values()) sizes.set(person, (sizes.get(person) ?? 0) + 1);
  const truePairs = [...sizes.values()].reduce((sum, k) => sum + (k * (k - 1)) / 2, 0);
  const precision = claimed ? truePositives / claimed : 1;
  const recall = truePairs ? truePositives / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { records: labels.size, truePairs, groups: groups.length, claimedPairs: claimed, precision, recall, f1, seconds, firstPageSeconds, cpuSeconds, pages };
}

async function perCustomer(app: App, token: string, ids: string[]) {
  const samples: number[] = [];
  for (const id of ids) samples.push((await timed(() => getJson(app, token, `/customers/${id}/duplicates`)))[1]);
  return latency(samples);
}

function report(label: string, q: Quality) {
  const f = (n: number) => n.toFixed(4);
  console.log(
    `${label.padEnd(24)} records ${String(q.records).padStart(6)}  true pairs ${String(q.truePairs).padStart(5)}  groups ${String(q.groups).padStart(5)}  ` +
      `claimed pairs ${String(q.claimedPairs).padStart(5)}  precision ${f(q.precision)}  recall ${f(q.recall)}  F1 ${f(q.f1)}  ` +
      `GET /duplicates: ${q.seconds.toFixed(2)} s for ${q.pages} page(s), the first ${q.firstPageSeconds.toFixed(2)} s, CPU ${q.cpuSeconds.toFixed(2)} s`,
  );
}

async function main() {
  const bench = process.env.DATABASE_URL ? await createBenchDatabase('postgres', process.env.DATABASE_URL) : null;
  const database = bench?.database ?? (await openDatabase({ databaseUrl: null, dataDir: 'memory://' }));
  if (!bench) await migrate(database);
  try {
    const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('base64url'), SEED: '0', RATE_LIMIT_PER_MINUTE: '0' });
    const app = createApp({ database, config });
    const tokenFor = (tid: string) => signToken(config.jwtSecret, { sub: 'bench', name: 'Bench', tid, role: 'admin' });
    console.log(`Duplicate detection on ${database.kind}${bench ? ` ${bench.serverVersion}` : ''}, default threshold\n`);

    const febrlTenant = `bench_febrl_${Date.now()}`;
    const febrlToken = await tokenFor(febrlTenant);
    const [febrl, febrlLoad] = await timed(() => loadFebrl(database, febrlTenant));
    // What autovacuum does after a bulk load: statistics, and the trigram index's pending entries merged.
    await database.db.execute(sql`vacuum analyze customers`);
    const febrlQuality = await measure(app, febrlToken, febrl);
    report('Febrl 3', febrlQuality);
    const sample = [...febrl.keys()].filter((_, i) => i % 25 === 0);
    const febrlOne = await perCustomer(app, febrlToken, sample);

    const spanishTenant = `bench_es_${Date.now()}`;
    const spanishToken = await tokenFor(spanishTenant);
    const spanish = await loadSpanish(app, spanishToken);
    const spanishQuality = await measure(app, spanishToken, spanish);
    report('Spanish variants', spanishQuality);
    console.log(
      `\nFebrl 3 loaded in ${(febrlLoad / 1000).toFixed(2)} s; GET /customers/:id/duplicates over ${febrlOne.runs} customers: ` +
        `p50 ${febrlOne.p50} ms, p95 ${febrlOne.p95} ms, max ${febrlOne.max} ms`,
    );

    const scale = Number(process.env.BENCH_SCALE ?? 0);
    if (scale > 0) {
      const tenantId = `bench_scale_${Date.now()}`;
      const token = await tokenFor(tenantId);
      await generateCustomers(database.db, { tenantId, customers: scale });
      const [first, seconds] = await timed(() => getJson<Groups>(app, token, '/duplicates?limit=50'));
      const ids = await getJson<{ items: Array<{ id: string }> }>(app, token, '/customers?limit=100');
      const one = await perCustomer(app, token, ids.items.map((c) => c.id));
      console.log(
        `\n${scale} generated customers: GET /duplicates first page ${(seconds / 1000).toFixed(2)} s (${first.items.length} groups); ` +
          `GET /customers/:id/duplicates p50 ${one.p50} ms, p95 ${one.p95} ms`,
      );
    }
  } finally {
    if (bench) await bench.drop();
    else await database.close();
  }
}

await main();
