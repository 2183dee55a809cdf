/**
 * "Their numbers, emails and externalIds find the primary": a merged-away
 * customer keeps its row (with its number, email and external id) and
 * points at the customer it was merged into. This follows those pointers,
 * through chains of merges, to the live survivor.
 */
import { sql, type SQL } from 'drizzle-orm';

/**
 * A subquery of the ids of the live customers that merged-away customers
 * matching `where` (a condition on the alias `m`, e.g. sql`m.email = ${x}`)
 * ended up in. Each step is a primary-key look-up; the first one uses
 * whatever index `where` can.
 */
export function survivorsOfMerged(tenantId: string, where: SQL): SQL {
  return sql`(with recursive chain(id, merged_into, hops) as (
      select m.id, m.merged_into, 0 from customers m where m.tenant_id = ${tenantId} and m.merged_into is not null and ${where}
      union all
      select c.id, c.merged_into, chain.hops + 1 from customers c join chain on c.tenant_id = ${tenantId} and c.id = chain.merged_into
      where chain.hops < 20
    ) select chain.id from chain join customers s on s.tenant_id = ${tenantId} and s.id = chain.id
      where chain.merged_into is null and s.erased_at is null)`;
}
