/**
 * GET /customers/:id/insights for a customer with 10,000 orders (five years
 * of shopping from the demo's 13-category catalogue, ~2.4 items an order,
 * refunds, redemptions: about 24,000 items and 12,000 ledger entries) among
 * 200 other shoppers of 50 orders each, through the API (app.request: auth,
 * validation, the four aggregates, serialisation). All time and the last 12
 * months, interleaved; then the first page of GET /customers/:id/orders.
 * Target: p95 ≤ 50 ms for insights on PostgreSQL.
 *
 * On a shared machine wall time mostly measures the neighbours, so the
 * section also reports the CPU one request costs (this process plus the
 * PostgreSQL backends of the database, from /proc): what it would take on
 * an idle core.
 */
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { query, type Database } from '../../server/db/client.ts';
import { customers, ledgerEntries, orderItems, orders } from '../../server/db/schema.ts';
import { seededRandom } from '../../server/random.ts';
import { purchaseHistory } from '../../server/seed-purchases.ts';
import { benchApp } from '../fixture.ts';
import { latency, timed, type Latency } from '../stats.ts';

export interface InsightsBenchResult {
  orders: number;
  items: number;
  ledgerEntries: number;
  allTime: Latency;
  lastYear: Latency;
  ordersPage: Latency;
  /** CPU ms per all-time insights request, Node and PostgreSQL together (PostgreSQL on this machine only). */
  cpuMsPerInsights: number | null;
}

const DAY = 86_400_000;

export async function benchInsights(database: Database, options: { orders?: number; others?: number; runs?: number } = {}): Promise<InsightsBenchResult> {
  const orderCount = options.orders ?? 10_000;
  const others = options.others ?? 200;
  const runs = options.runs ?? 200;
  const tenantId = `bench_insights_${Date.now()}`;
  const app = await benchApp(database, tenantId);
  const headers = { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' };
  const createMember = async (n: number) => {
    const res = await app.app.request('/api/v1/customers', { method: 'POST', headers, body: JSON.stringify({ firstName: 'Compradora', lastName: `Frecuente ${n}` }) });
    if (res.status !== 201) throw new Error(`creating a member answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };

  const random = seededRandom(20_261_207);
  const now = Date.now();
  const load = async (customerId: string, count: number, prefix: string) => {
    const history = purchaseHistory(random, { prefix, count, from: now - 5 * 365 * DAY, to: now - DAY });
    const ids = new Map<string, string>();
    for (let i = 0; i < history.orders.length; i += 2000) {
      const rows = await database.db
        .insert(orders)
        .values(history.orders.slice(i, i + 2000).map(({ items: _items, ...o }) => ({ ...o, tenantId, customerId, currency: 'EUR', createdAt: o.placedAt })))
        .returning({ id: orders.id, externalId: orders.externalId });
      for (const row of rows) ids.set(row.externalId, row.id);
    }
    const items = history.orders.flatMap((o) => o.items.map((item, position) => ({ ...item, tenantId, orderId: ids.get(o.externalId)!, position })));
    for (let i = 0; i < items.length; i += 2000) await database.db.insert(orderItems).values(items.slice(i, i + 2000));
    const ledger = history.ledger.map(({ orderRef, ...e }) => ({ ...e, tenantId, customerId, orderId: orderRef ? ids.get(orderRef) : null }));
    for (let i = 0; i < ledger.length; i += 2000) await database.db.insert(ledgerEntries).values(ledger.slice(i, i + 2000));
    const completed = history.orders.filter((o) => o.status === 'completed');
    await database.db.execute(sql`update ${customers} set points = ${history.balance}, lifetime_points = ${history.lifetime},
      orders_count = ${completed.length}, total_spent = ${completed.reduce((s, o) => s + o.total, 0)}
      where tenant_id = ${tenantId} and id = ${customerId}`);
    return { orders: history.orders.length, items: items.length, ledger: ledger.length };
  };

  const shopper = await createMember(0);
  const [made] = await timed(() => load(shopper, orderCount, 'BIG'));
  for (let n = 1; n <= others; n++) await load(await createMember(n), 50, `O${n}`);
  // Long-lived rows, as autovacuum leaves them: statistics and the visibility map (index-only scans) are up to date.
  await database.db.execute(sql`vacuum analyze`);
  process.stderr.write(`  ${made.orders.toLocaleString('en')} orders, ${made.items.toLocaleString('en')} items, ${made.ledger.toLocaleString('en')} ledger entries for one customer\n`);

  const lastYearFrom = new Date(now - 365 * DAY).toISOString().slice(0, 10);
  const paths = {
    allTime: `/api/v1/customers/${shopper}/insights`,
    lastYear: `/api/v1/customers/${shopper}/insights?from=${lastYearFrom}`,
    ordersPage: `/api/v1/customers/${shopper}/orders?limit=25`,
  };
  const get = async (path: string) => {
    const res = await app.app.request(path, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${body}`);
    return body;
  };
  const first = JSON.parse(await get(paths.allTime)) as { metrics: { ordersCount: number }; monthly: unknown[] };
  const [{ completed }] = await query<{ completed: number }>(
    database.db,
    sql`select count(*)::int as completed from orders where tenant_id = ${tenantId} and customer_id = ${shopper} and status = 'completed'`,
  );
  if (first.metrics.ordersCount !== completed) throw new Error(`insights counted ${first.metrics.ordersCount} orders, the table holds ${completed} completed`);

  for (let i = 0; i < 20; i++) for (const path of Object.values(paths)) await get(path);
  const samples: Record<keyof typeof paths, number[]> = { allTime: [], lastYear: [], ordersPage: [] };
  for (let i = 0; i < runs; i++) {
    for (const key of Object.keys(paths) as Array<keyof typeof paths>) samples[key].push((await timed(() => get(paths[key])))[1]);
  }
  const cpuMsPerInsights = await cpuPerRequest(database, () => get(paths.allTime), runs);
  return {
    cpuMsPerInsights,
    orders: made.orders,
    items: made.items,
    ledgerEntries: made.ledger,
    allTime: latency(samples.allTime),
    lastYear: latency(samples.lastYear),
    ordersPage: latency(samples.ordersPage),
  };
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU time of the database's backends, in ms, read from /proc: null when PostgreSQL is not a local process. */
async function backendCpuMs(database: Database): Promise<number | null> {
  if (database.kind !== 'postgres') return null;
  const pids = await query<{ pid: number }>(database.db, sql`select pid from pg_stat_activity where datname = current_database()`);
  let ticks = 0;
  for (const { pid } of pids) {
    const file = `/proc/${pid}/stat`;
    if (!existsSync(file)) return null;
    const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS;
}

async function cpuPerRequest(database: Database, request: () => Promise<unknown>, runs: number): Promise<number | null> {
  const before = await backendCpuMs(database);
  if (before === null) return null;
  const node = process.cpuUsage();
  for (let i = 0; i < runs; i++) await request();
  const nodeMs = (() => {
    const used = process.cpuUsage(node);
    return (used.user + used.system) / 1000;
  })();
  const after = await backendCpuMs(database);
  if (after === null) return null;
  return Math.round(((after - before + nodeMs) / runs) * 100) / 100;
}
