/**
 * GET /customers/:id through the whole stack over real HTTP
 * (@hono/node-server on a port, a keep-alive client: sockets, routing, JWT,
 * validation, drizzle, serialisation) against the same queries the handler
 * runs, sent straight through the driver underneath (postgres.js or PGlite)
 * on the same pool: the customer row, then its level and its duplicate
 * hints in parallel. The two are interleaved, so drift on a shared machine
 * hits both alike; the ratio of medians is the cost of everything but SQL.
 */
import { and, eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { query } from '../../server/db/client.ts';
import { customers, levels } from '../../server/db/schema.ts';
import { listen, type LargeTenant } from '../fixture.ts';
import { latency, timed, type Latency } from '../stats.ts';

export interface LookupResult {
  customers: number;
  http: Latency;
  driver: Latency;
  /** http p50 / driver p50. */
  ratioP50: number;
  ratioP95: number;
}

type RawRun = (text: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** The client drizzle holds: the bare driver, on the same connections. */
function rawDriver(fixture: LargeTenant): RawRun {
  const client = (fixture.database.db as unknown as { $client: unknown }).$client;
  if (fixture.database.kind === 'postgres') {
    const pg = client as { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<Array<Record<string, unknown>>> };
    return (text, params) => pg.unsafe(text, params, { prepare: true });
  }
  const lite = client as { query(text: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }> };
  return async (text, params) => (await lite.query(text, params)).rows;
}

export async function benchLookup(fixture: LargeTenant, options: { runs?: number } = {}): Promise<LookupResult> {
  const runs = options.runs ?? 300;
  const { tenantId, database } = fixture;
  const dialect = new PgDialect();
  const run = rawDriver(fixture);
  const ids = (
    await query<{ id: string }>(
      database.db,
      sql`select id from customers where tenant_id = ${tenantId} and number % ${Math.max(1, Math.floor(fixture.customers / 100))} = 0 limit 100`,
    )
  ).map((r) => r.id);

  // The handler's statements, as drizzle renders them (domain/customers.ts findCustomerRow, levelSummary, duplicateHints).
  const rowQuery = (id: string) => database.db.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, id))).toSQL();
  const levelQuery = (levelId: string) =>
    database.db
      .select({ id: levels.id, name: levels.name, color: levels.color, minPoints: levels.minPoints })
      .from(levels)
      .where(and(eq(levels.tenantId, tenantId), eq(levels.id, levelId)))
      .toSQL();
  const hintsQuery = (row: Record<string, unknown>) => {
    const others = sql`o.tenant_id = ${tenantId} and o.id <> ${row.id} and o.merged_into is null and o.erased_at is null`;
    const phones = row.phone_numbers as string[];
    const branches = [];
    if (row.email) branches.push(sql`select 'email' as field, o.email as value, o.id, o.number from customers o where ${others} and o.email = ${row.email}`);
    if (phones.length) {
      const mine = sql`array[${sql.join(phones.map((p) => sql`${p}`), sql`, `)}]::text[]`;
      branches.push(sql`select 'phone', p, o.id, o.number from customers o, unnest(o.phone_numbers) p
        where ${others} and o.phone_numbers && ${mine} and p = any(${mine})`);
    }
    if (row.search_id_number) {
      branches.push(sql`select 'idNumber', o.id_number, o.id, o.number from customers o where ${others} and o.search_id_number = ${row.search_id_number}`);
    }
    return dialect.sqlToQuery(sql`${sql.join(branches, sql` union all `)} order by 1, 2, 4 limit 100`);
  };
  const driverLookup = async (id: string) => {
    const q = rowQuery(id);
    const [row] = await run(q.sql, q.params);
    const level = levelQuery(row.level_id as string);
    const hints = hintsQuery(row);
    await Promise.all([run(level.sql, level.params), run(hints.sql, hints.params)]);
  };

  const server = await listen(fixture.app);
  const headers = { authorization: `Bearer ${fixture.token}` };
  const httpLookup = async (id: string) => {
    const res = await fetch(`${server.url}/api/v1/customers/${id}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET /customers/${id} answered ${res.status}`);
  };
  try {
    for (const id of ids.slice(0, 20)) {
      await httpLookup(id);
      await driverLookup(id);
    }
    const http: number[] = [];
    const driver: number[] = [];
    for (let i = 0; i < runs; i++) {
      const id = ids[i % ids.length];
      // Alternate which goes first, so neither always finds the other's warm cache.
      const pair = i % 2 ? [httpLookup, driverLookup] : [driverLookup, httpLookup];
      for (const lookup of pair) {
        const [, ms] = await timed(() => lookup(id));
        (lookup === httpLookup ? http : driver).push(ms);
      }
    }
    const h = latency(http);
    const d = latency(driver);
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return { customers: fixture.customers, http: h, driver: d, ratioP50: ratio(h.p50, d.p50), ratioP95: ratio(h.p95, d.p95) };
  } finally {
    await server.close();
  }
}
