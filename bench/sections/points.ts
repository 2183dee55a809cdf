/**
 * Points operations per second under concurrency: N clients keep adding and
 * deducting points on a few hundred members, first through the API
 * (app.request: routing, auth, validation, idempotency, the ledger; no
 * sockets), then straight through the domain (adjustPoints in a
 * transaction). Deductions larger than the balance are refused with 409 and
 * count as operations. Afterwards every member's ledger is checked: balance
 * == sum of entries == last balanceAfter, unspent == balance, nothing
 * negative; a broken ledger fails the run.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { query, type Database } from '../../server/db/client.ts';
import { adjustPoints, InsufficientPoints } from '../../server/domain/ledger.ts';
import { signToken } from '../../server/auth.ts';
import { seededRandom } from '../../server/random.ts';
import { latency } from '../stats.ts';

export interface PointsBenchOptions {
  /** Concurrent clients (default 32). */
  clients?: number;
  /** Operations per phase (default 4000). */
  operations?: number;
  /** Members the operations spread over (default 200). */
  members?: number;
}

export interface PhaseResult {
  operations: number;
  seconds: number;
  opsPerSecond: number;
  applied: number;
  refused: number;
  latencyMs: { p50: number; p95: number; max: number };
}

export interface PointsBenchResult {
  database: Database['kind'];
  clients: number;
  members: number;
  api: PhaseResult;
  domain: PhaseResult;
  ledgerEntries: number;
  ledgerConsistent: true;
}

/** Runs `operations` calls of `one` over `clients` concurrent loops; `one` answers whether the change was applied. */
async function phase(operations: number, clients: number, one: (op: number) => Promise<boolean>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let applied = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < operations) {
        const op = next++;
        const t = performance.now();
        if (await one(op)) applied += 1;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    operations,
    seconds: Math.round(seconds * 100) / 100,
    opsPerSecond: Math.round(operations / seconds),
    applied,
    refused: operations - applied,
    latencyMs: latency(latencies),
  };
}

/** Runs on a migrated database, in a tenant of its own. */
export async function benchPoints(database: Database, options: PointsBenchOptions = {}): Promise<PointsBenchResult> {
  const clients = options.clients ?? 32;
  const operations = options.operations ?? 4000;
  const memberCount = options.members ?? 200;
  const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('base64url'), SEED: '0', RATE_LIMIT_PER_MINUTE: '0' });
  const app = createApp({ database, config });
  const tenantId = `bench_points_${Date.now()}`;
  const token = await signToken(config.jwtSecret, { sub: 'bench', name: 'Bench', tid: tenantId, role: 'admin' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
    app.request(`/api/v1${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });

  const members: string[] = [];
  for (let i = 0; i < memberCount; i++) {
    const res = await post('/customers', { firstName: `Socio ${i}` });
    if (res.status !== 201) throw new Error(`creating a member answered ${res.status}: ${await res.text()}`);
    members.push(((await res.json()) as { id: string }).id);
  }

  const next = seededRandom(7).next;
  // Adds slightly outweigh deductions, so balances grow but refusals still happen.
  const change = () => ({
    customerId: members[Math.floor(next() * members.length)],
    delta: next() < 0.55 ? 1 + Math.floor(next() * 100) : -(1 + Math.floor(next() * 120)),
  });

  const api = await phase(operations, clients, async (op) => {
    const { customerId, delta } = change();
    const extra: Record<string, string> = op % 10 === 0 ? { 'Idempotency-Key': `bench-${op}` } : {};
    const res = await post(`/customers/${customerId}/points`, { delta, reason: 'Benchmark' }, extra);
    await res.arrayBuffer();
    if (res.status === 201) return true;
    if (res.status === 409) return false;
    throw new Error(`POST points answered ${res.status}`);
  });

  const actor = { id: 'bench', name: 'Bench' };
  const domain = await phase(operations, clients, async () => {
    const { customerId, delta } = change();
    try {
      await database.db.transaction((tx) =>
        adjustPoints(tx, tenantId, customerId, actor, { kind: 'adjust', delta, reason: 'Benchmark' }),
      );
      return true;
    } catch (err) {
      if (err instanceof InsufficientPoints) return false;
      throw err;
    }
  });

  const [check] = await query<{ broken: number; entries: number }>(
    database.db,
    sql`select
          count(*) filter (where c.points <> l.total or c.points <> l.unspent or l.negative > 0 or c.points <> coalesce(l.last, 0))::int as broken,
          coalesce(sum(l.entries), 0)::int as entries
        from customers c
        left join lateral (
          select coalesce(sum(delta), 0) as total, coalesce(sum(remaining), 0) as unspent,
                 count(*) filter (where balance_after < 0) as negative, count(*) as entries,
                 (select balance_after from ledger_entries x where x.tenant_id = c.tenant_id and x.customer_id = c.id order by seq desc limit 1) as last
          from ledger_entries e where e.tenant_id = c.tenant_id and e.customer_id = c.id
        ) l on true
        where c.tenant_id = ${tenantId}`,
  );
  if (Number(check.broken) > 0) throw new Error(`${check.broken} members' ledgers do not add up`);
  const expected = api.applied + domain.applied;
  if (Number(check.entries) !== expected) throw new Error(`${check.entries} ledger entries for ${expected} applied changes`);

  return {
    database: database.kind,
    clients,
    members: memberCount,
    api,
    domain,
    ledgerEntries: Number(check.entries),
    ledgerConsistent: true,
  };
}
