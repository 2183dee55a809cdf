/**
 * A merge of 10 sources, each with 10,000 ledger entries (bulk-loaded with
 * INSERT … SELECT: earned batches with their balance, unspent points and
 * expiry), into one primary, through the API (POST /customers/:id/merge,
 * app.request). Repeated on new customers; afterwards the primary's ledger
 * must add up (balance == sum of entries == unspent points).
 */
import { sql } from 'drizzle-orm';
import { query, type Database } from '../../server/db/client.ts';
import { benchApp } from '../fixture.ts';
import { latency, timed, type Latency } from '../stats.ts';

export interface MergeResult {
  sources: number;
  entriesPerSource: number;
  /** Set when the route answers 404: nothing was measured. */
  skipped?: string;
  merge?: Latency;
  ledgerConsistent?: boolean;
}

export async function benchMerge(database: Database, options: { sources?: number; entries?: number; repeats?: number } = {}): Promise<MergeResult> {
  const sourceCount = options.sources ?? 10;
  const entries = options.entries ?? 10_000;
  const repeats = options.repeats ?? 3;
  const tenantId = `bench_merge_${Date.now()}`;
  const app = await benchApp(database, tenantId);
  const headers = { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) => app.app.request(`/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  // Alike in every field, so the merge needs no field choices.
  const createMember = async () => {
    const res = await post('/customers', { firstName: 'Socia', lastName: 'Fusión' });
    if (res.status !== 201) throw new Error(`creating a member answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };

  const samples: number[] = [];
  let consistent = true;
  for (let round = 0; round < repeats; round++) {
    const primary = await createMember();
    const sources: string[] = [];
    for (let i = 1; i <= sourceCount; i++) sources.push(await createMember());
    await database.db.execute(sql`
      insert into ledger_entries (tenant_id, customer_id, kind, delta, balance_after, reason, created_at, expires_at, remaining)
      select ${tenantId}, s.id, 'earn', 10, 10 * g, 'Compra', now() - (${entries} - g) * interval '1 hour', now() + interval '1 year', 10
      from unnest(${`{${sources.join(',')}}`}::uuid[]) s(id), generate_series(1, ${entries}) g`);
    await database.db.execute(sql`
      update customers set points = ${10 * entries}, lifetime_points = ${10 * entries}, version = version + 1
      where tenant_id = ${tenantId} and id = any(${`{${sources.join(',')}}`}::uuid[])`);
    await database.db.execute(sql`analyze ledger_entries`);

    const [res, ms] = await timed(async () => post(`/customers/${primary}/merge`, { sourceIds: sources, fieldChoices: {}, confirm: true }));
    const body = await res.text();
    if (res.status === 404 && !body.includes('"not_found"')) {
      return { sources: sourceCount, entriesPerSource: entries, skipped: 'POST /customers/:id/merge is not mounted in this build' };
    }
    if (res.status !== 200 && res.status !== 201) throw new Error(`merge answered ${res.status}: ${body}`);
    samples.push(ms);
    process.stderr.write(`  merge ${round + 1}/${repeats}: ${ms.toFixed(0)} ms\n`);

    const [check] = await query<{ points: number; total: number; unspent: number; entries: number }>(
      database.db,
      sql`select c.points, coalesce(sum(e.delta), 0)::int total, coalesce(sum(e.remaining), 0)::int unspent, count(e.*)::int entries
          from customers c left join ledger_entries e on e.tenant_id = c.tenant_id and e.customer_id = c.id
          where c.tenant_id = ${tenantId} and c.id = ${primary} group by c.points`,
    );
    const expected = sourceCount * 10 * entries;
    if (Number(check.points) !== expected || Number(check.total) !== expected || Number(check.unspent) !== expected) consistent = false;
  }
  if (!consistent) throw new Error('the primary ledger does not add up after a merge');
  return { sources: sourceCount, entriesPerSource: entries, merge: latency(samples), ledgerConsistent: true };
}
