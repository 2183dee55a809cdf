/**
 * Bulk customers for benchmarks, written straight into the database (not
 * through the API) with INSERT … SELECT generate_series: Spanish names with
 * two surnames and accents, unique emails, valid Spanish mobiles and DNIs,
 * spread registration dates, points and levels, some never-ordered members.
 * Deterministic for a given size: every batch seeds random() itself.
 */
import { sql } from 'drizzle-orm';
import { query, type Db } from '../server/db/client.ts';
import { levels, tenants } from '../server/db/schema.ts';
import { foldText } from '../server/domain/normalize.ts';
import { DEMO_LEVELS, DOMAINS, FEMALE, MALE, SURNAMES, TAGS } from '../server/seed.ts';

export interface GenerateOptions {
  tenantId: string;
  customers: number;
  /** Rows per INSERT (one transaction each). */
  batch?: number;
  /**
   * Drop the customers table's secondary indexes while loading and build
   * them again after, from their own definitions, as bulk loaders do: one
   * sorted build beats a million incremental GIN insertions. Worth it when
   * the table is empty or small beside what is added.
   */
  rebuildIndexes?: boolean;
  onProgress?: (done: number) => void;
}

const list = (values: readonly string[]) => values.join('|');
const FIRST = [...FEMALE, ...MALE];

export async function generateCustomers(db: Db, options: GenerateOptions): Promise<void> {
  const { tenantId, customers: total } = options;
  const batch = options.batch ?? 20_000;
  await db.insert(tenants).values({ id: tenantId }).onConflictDoNothing();
  const levelRows = await db
    .insert(levels)
    .values(DEMO_LEVELS.map((l) => ({ ...l, tenantId })))
    .returning();
  const levelAt = (minPoints: number) => levelRows.find((l) => l.minPoints === minPoints)!.id;
  // Unique indexes stay: they are what the load must not break.
  const secondary = options.rebuildIndexes
    ? await query<{ name: string; definition: string }>(
        db,
        sql`select indexname as name, indexdef as definition from pg_indexes i join pg_class c on c.relname = i.indexname
            join pg_index x on x.indexrelid = c.oid where i.tablename = 'customers' and not x.indisunique`,
      )
    : [];
  for (const index of secondary) await db.execute(sql.raw(`drop index ${index.name}`));

  for (let start = 1; start <= total; start += batch) {
    const end = Math.min(total, start + batch - 1);
    await db.transaction(async (tx) => {
      await tx.execute(sql`select setseed(${(start % 1_000_003) / 1_000_003})`);
      await tx.execute(sql`
        with lists as (
          select string_to_array(${list(FIRST)}, '|') f, string_to_array(${list(FIRST.map(foldText))}, '|') ff,
                 string_to_array(${list(SURNAMES)}, '|') s, string_to_array(${list(SURNAMES.map(foldText))}, '|') sf,
                 string_to_array(${list(DOMAINS)}, '|') d, string_to_array(${list(TAGS)}, '|') t
        ), picks as (
          select g,
                 1 + floor(random() * ${FIRST.length})::int fi,
                 1 + floor(random() * ${SURNAMES.length})::int s1,
                 1 + floor(random() * ${SURNAMES.length})::int s2,
                 1 + floor(random() * ${DOMAINS.length})::int di,
                 1 + floor(random() * ${TAGS.length})::int ti,
                 random() r_status, random() r_reg, random() r_order, random() r_points, random() r_life, random() r_flag
          from generate_series(${start}::int, ${end}::int) g
        ), people as (
          select picks.*, floor(power(r_points, 3) * 8000)::int points,
                 floor(power(r_points, 3) * 8000)::int + floor(r_life * 3000)::int lifetime,
                 '+346' || lpad(g::text, 8, '0') phone,
                 lpad(g::text, 8, '0') || substr('TRWAGMYFPDXBNJZSQVHLCKE', g % 23 + 1, 1) dni
          from picks
        )
        insert into customers (
          tenant_id, number, first_name, last_name, email, email_subscribed, phones, phone_numbers, id_type, id_number,
          search_id_number, search_name, sort_name, share_code, registered_at, status, points, lifetime_points, level_id,
          orders_count, total_spent, last_order_at, vip, bad, tags, city
        )
        select ${tenantId}, 1000 + g, f[fi], s[s1] || ' ' || s[s2],
               ff[fi] || '.' || sf[s1] || g || '@' || d[di], r_flag < 0.6,
               jsonb_build_array(jsonb_build_object('number', phone, 'label', 'móvil')), array[phone], 'national_id', dni,
               dni, ff[fi] || ' ' || sf[s1] || ' ' || sf[s2], sf[s1] || ' ' || sf[s2] || ' ' || ff[fi],
               'B' || lpad(g::text, 9, '0'),
               timestamptz '2026-11-01' - r_reg * interval '1500 days',
               case when r_status < 0.85 then 'active' when r_status < 0.92 then 'inactive' when r_status < 0.95 then 'disabled' else 'removed' end,
               points, lifetime,
               case when lifetime >= 5000 then ${levelAt(5000)}::uuid when lifetime >= 2000 then ${levelAt(2000)}::uuid
                    when lifetime >= 500 then ${levelAt(500)}::uuid else ${levelAt(0)}::uuid end,
               case when r_order < 0.3 then 0 else 1 + floor(r_order * 20)::int end,
               case when r_order < 0.3 then 0 else floor(r_order * 250000)::bigint end,
               case when r_order < 0.3 then null else timestamptz '2026-11-01' - r_order * interval '700 days' end,
               r_flag < 0.04, r_flag > 0.99, case when r_flag < 0.5 then array[t[ti]] else '{}'::text[] end,
               'Madrid'
        from people, lists`);
    });
    options.onProgress?.(end);
  }
  if (secondary.length) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
      for (const index of secondary) await tx.execute(sql.raw(index.definition));
    });
  }
  await db.execute(sql`update tenants set last_customer_number = ${1000 + total} where id = ${tenantId}`);
  // What autovacuum does after a bulk load: GIN indexes merge their pending lists, which scans would otherwise read whole.
  await db.execute(sql`vacuum analyze customers`);
}

/**
 * Near-duplicates of every `every`-th generated customer, the way they turn
 * up in a real programme: the same person signed up again with the same
 * phone, without the second surname, email or id number. Numbered after the
 * generated ones; answers how many were added.
 */
export async function generateDuplicates(db: Db, options: { tenantId: string; customers: number; every?: number }): Promise<number> {
  const { tenantId, customers: total } = options;
  const every = options.every ?? 50;
  await db.execute(sql`
    insert into customers (
      tenant_id, number, first_name, last_name, phones, phone_numbers, search_name, sort_name, share_code,
      registered_at, status, level_id, city
    )
    select tenant_id, ${1000 + total} + row_number() over (order by number), first_name, split_part(last_name, ' ', 1),
           phones, phone_numbers, regexp_replace(search_name, ' [^ ]+$', ''), regexp_replace(sort_name, '^([^ ]+) [^ ]+ ', '\\1 '),
           'D' || lpad(number::text, 9, '0'), registered_at + interval '200 days', 'active', level_id, city
    from customers
    where tenant_id = ${tenantId} and number between 1001 and ${1000 + total} and number % ${every} = 0`);
  const added = Math.floor(total / every);
  await db.execute(sql`update tenants set last_customer_number = ${1000 + total + added} where id = ${tenantId}`);
  await db.execute(sql`analyze customers`);
  return added;
}
