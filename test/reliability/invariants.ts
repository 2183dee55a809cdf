/**
 * What must hold in the database whatever happened before: any number of
 * racing writers, or a server killed in the middle of its work. Checked in
 * SQL over a whole tenant (or every tenant), so it needs no knowledge of
 * what was attempted.
 */
import { sql } from 'drizzle-orm';
import { query, type Db } from '../../server/db/client.ts';

export interface Violation {
  rule: string;
  customer_id: string | null;
  detail: string;
}

/**
 * The invariants, one query each, answering every violation:
 * - a balance is the sum of the customer's ledger and of its unspent points,
 *   never negative;
 * - a merge is whole: a customer is merged away exactly when a merge record
 *   names it as a source, every source points at its merge's primary, and a
 *   merged-away customer owns no ledger entries, orders or notes any more;
 * - nothing points at a customer that does not exist;
 * - an unlocked live member holds the level their lifetime points reach.
 */
export async function violations(db: Db, tenantId: string | null = null): Promise<Violation[]> {
  const tenant = (alias: string) => (tenantId === null ? sql`true` : sql`${sql.raw(alias)}.tenant_id = ${tenantId}`);
  const checks = [
    sql`select 'balance == ledger' as rule, c.id::text as customer_id,
          'points ' || c.points || ', ledger ' || coalesce(l.total, 0) || ', unspent ' || coalesce(l.unspent, 0) as detail
        from customers c
        left join (select tenant_id, customer_id, sum(delta) as total, sum(remaining) as unspent from ledger_entries group by 1, 2) l
          on l.tenant_id = c.tenant_id and l.customer_id = c.id
        where ${tenant('c')} and (c.points <> coalesce(l.total, 0) or c.points <> coalesce(l.unspent, 0) or c.points < 0)`,
    sql`select 'merged away iff a merge says so' as rule, c.id::text as customer_id, 'merged_into ' || coalesce(c.merged_into::text, 'null') as detail
        from customers c
        where ${tenant('c')} and (c.merged_into is not null) <> exists (
          select 1 from merges m where m.tenant_id = c.tenant_id and c.id = any(m.source_ids))`,
    sql`select 'every source of a merge is merged away' as rule, s.id::text as customer_id, 'merge ' || m.id as detail
        from merges m cross join lateral unnest(m.source_ids) as src(id)
        left join customers s on s.tenant_id = m.tenant_id and s.id = src.id
        where ${tenant('m')} and (s.id is null or s.merged_into is distinct from m.primary_id)`,
    sql`select 'a merged-away customer owns nothing' as rule, c.id::text as customer_id, t.kind as detail
        from customers c
        join (select tenant_id, customer_id, 'ledger entry' as kind from ledger_entries
              union all select tenant_id, customer_id, 'order' from orders
              union all select tenant_id, customer_id, 'note' from notes) t
          on t.tenant_id = c.tenant_id and t.customer_id = c.id
        where ${tenant('c')} and c.merged_into is not null`,
    sql`select 'rows belong to an existing customer' as rule, t.customer_id::text as customer_id, t.kind as detail
        from (select tenant_id, customer_id, 'ledger entry' as kind from ledger_entries
              union all select tenant_id, customer_id, 'order' from orders
              union all select tenant_id, customer_id, 'note' from notes) t
        where ${tenant('t')} and not exists (select 1 from customers c where c.tenant_id = t.tenant_id and c.id = t.customer_id)`,
    sql`select 'level follows lifetime points' as rule, c.id::text as customer_id, 'level ' || coalesce(c.level_id::text, 'none') as detail
        from customers c
        where ${tenant('c')} and c.merged_into is null and c.erased_at is null and not c.level_locked
          and c.level_id is distinct from (select lv.id from levels lv where lv.tenant_id = c.tenant_id and lv.min_points <= c.lifetime_points
                                           order by lv.min_points desc limit 1)`,
  ];
  const found: Violation[] = [];
  for (const check of checks) found.push(...(await query<Violation>(db, check)));
  return found;
}
