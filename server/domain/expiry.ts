/**
 * Points expiry (tenant setting pointsValidityDays; off by default). Earned
 * and added points carry `expires_at`; the sweep zeroes what is still unspent
 * of every expired entry and writes one `expire` entry per customer. Each
 * customer is swept in its own short transaction under its row lock, so
 * sweeps running on several instances at once expire everything exactly once.
 */
import { sql } from 'drizzle-orm';
import { query, type Db } from '../db/client.ts';
import { recordPointsChange } from './ledger.ts';
import { requireCustomer } from './customers.ts';

const BATCH = 200;

export interface SweepResult {
  customers: number;
  points: number;
  /** Customers whose sweep failed: left as they were, tried again on the next sweep. */
  failed: number;
}

export interface SweepFailure {
  tenantId: string;
  customerId: string;
  err: unknown;
}

/**
 * Expires everything due at `at` (default now), across tenants; `signal` stops it between customers.
 * One customer's failure does not stop the others: it is handed to `onFailure` (the caller logs it).
 */
export async function sweepExpiredPoints(db: Db, at: Date = new Date(), signal?: AbortSignal, onFailure?: (failure: SweepFailure) => void): Promise<SweepResult> {
  const result: SweepResult = { customers: 0, points: 0, failed: 0 };
  const asOf = at.toISOString();
  const skipped = new Set<string>();
  for (;;) {
    const due = await query<{ tenant_id: string; customer_id: string }>(
      db,
      sql`select distinct l.tenant_id, l.customer_id from ledger_entries l
          join customers c on c.tenant_id = l.tenant_id and c.id = l.customer_id
          where l.remaining > 0 and l.expires_at <= ${asOf}::timestamptz
            and c.merged_into is null and c.erased_at is null
          limit ${BATCH + skipped.size}`,
    );
    const todo = due.filter((d) => !skipped.has(`${d.tenant_id}/${d.customer_id}`));
    if (!todo.length) return result;
    for (const { tenant_id: tenantId, customer_id: customerId } of todo) {
      if (signal?.aborted) return result;
      try {
        const expired = await expireCustomer(db, tenantId, customerId, asOf);
        if (expired > 0) {
          result.customers += 1;
          result.points += expired;
        }
      } catch (err) {
        skipped.add(`${tenantId}/${customerId}`);
        result.failed += 1;
        onFailure?.({ tenantId, customerId, err });
      }
    }
  }
}

async function expireCustomer(db: Db, tenantId: string, customerId: string, asOf: string): Promise<number> {
  return db.transaction(async (tx) => {
    const row = await requireCustomer(tx, tenantId, customerId, { lock: true });
    // Ledger rows of a customer change only under its row lock: the values read here are current.
    const [{ total }] = await query<{ total: number | string | null }>(
      tx,
      sql`with expired as (
            select id, remaining from ledger_entries
            where tenant_id = ${tenantId} and customer_id = ${customerId} and remaining > 0 and expires_at <= ${asOf}::timestamptz
          ), zeroed as (
            update ledger_entries l set remaining = 0 from expired
            where l.tenant_id = ${tenantId} and l.id = expired.id
            returning expired.remaining
          )
          select sum(remaining) as total from zeroed`,
    );
    const points = Number(total ?? 0);
    if (points <= 0) return 0;
    const { applied } = await recordPointsChange(tx, row, {
      kind: 'expire',
      delta: -points,
      reason: null,
      actor: null,
      whenShort: 'clamp',
      consume: false,
    });
    return -applied;
  });
}
