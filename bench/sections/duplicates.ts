/**
 * Duplicate detection at size, through the whole app (app.request):
 * GET /customers/:id/duplicates for customers with and without a
 * near-duplicate (the generator adds one for every 50th customer), and a
 * full-tenant scan, GET /duplicates paged to the end, on 100,000 customers
 * (the large tenant when it is that small, else one generated beside it).
 */
import { sql } from 'drizzle-orm';
import { query } from '../../server/db/client.ts';
import { largeTenant, type BenchApp, type LargeTenant } from '../fixture.ts';
import { latency, timed, type Latency } from '../stats.ts';

export interface DuplicatesResult {
  customers: number;
  /** One customer's duplicates, over customers half of whom have one. */
  one: Latency & { found: number };
  scan: { customers: number; seconds: number; pages: number; groups: number; firstPageMs: number };
}

interface Page {
  items: unknown[];
  nextCursor: string | null;
}

const SCAN_CUSTOMERS = 100_000;

async function scan(app: BenchApp) {
  let pages = 0;
  let groups = 0;
  let firstPageMs = 0;
  let cursor: string | null = null;
  const [, ms] = await timed(async () => {
    do {
      const [page, pageMs] = await timed(() => app.get<Page>(`/duplicates?limit=200${cursor ? `&cursor=${cursor}` : ''}`));
      if (!pages) firstPageMs = pageMs;
      pages += 1;
      groups += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
  });
  return { seconds: Math.round(ms / 100) / 10, pages, groups, firstPageMs: Math.round(firstPageMs) };
}

export async function benchDuplicates(fixture: LargeTenant, options: { runs?: number } = {}): Promise<DuplicatesResult> {
  const runs = options.runs ?? 100;
  const { tenantId, database } = fixture;
  // Every 50th generated customer has a near-duplicate; every 25th is half of them.
  const ids = (
    await query<{ id: string }>(
      database.db,
      sql`select id from customers where tenant_id = ${tenantId} and number between 1001 and ${1000 + fixture.customers} and number % 25 = 0
          order by number limit ${runs}`,
    )
  ).map((r) => r.id);
  for (const id of ids.slice(0, 10)) await fixture.get(`/customers/${id}/duplicates`);
  const samples: number[] = [];
  let found = 0;
  for (const id of ids) {
    const [page, ms] = await timed(() => fixture.get<Page>(`/customers/${id}/duplicates`));
    samples.push(ms);
    if (page.items.length) found += 1;
  }

  let scanned: BenchApp = fixture;
  if (fixture.customers > SCAN_CUSTOMERS) {
    scanned = await largeTenant(database, SCAN_CUSTOMERS);
  }
  process.stderr.write(`  scanning the tenant for duplicates…\n`);
  const scanResult = await scan(scanned);
  return {
    customers: fixture.customers,
    one: { ...latency(samples), found },
    scan: { customers: Math.min(fixture.customers, SCAN_CUSTOMERS), ...scanResult },
  };
}
