/**
 * Erasure for privacy requests (SPEC §5): irreversible. The customer's
 * personal data goes from its row, from every customer merged into it (the
 * same person's old records), from note bodies, from history event data,
 * from ledger reasons, from merge snapshots, from the name dictionary (words
 * no one else bears) and from replayable answers. What
 * stays is what the books need: ids, numbers, amounts, orders and who did
 * what. One `customer.erased` event, without personal data, records it.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import { query, type Tx } from '../db/client.ts';
import { customers, idempotencyKeys, ledgerEntries, merges, notes, type CustomerRow } from '../db/schema.ts';
import { newShareCode, requireCustomer } from './customers.ts';
import { recordEvent } from './history.ts';

/** The customer and every record merged into it, however many merges ago. */
async function sameIdentity(tx: Tx, tenantId: string, id: string): Promise<string[]> {
  const rows = await query<{ id: string }>(
    tx,
    sql`with recursive merged(id, hops) as (
          select ${id}::uuid, 0
          union all
          select c.id, merged.hops + 1 from customers c join merged on c.tenant_id = ${tenantId} and c.merged_into = merged.id
          where merged.hops < 20
        )
        select distinct id from merged`,
  );
  return rows.map((r) => r.id);
}

/** Everything a row says about the person, blanked. */
const blankPerson = {
  firstName: null,
  lastName: null,
  email: null,
  emailSubscribed: false,
  phones: [],
  phoneNumbers: [],
  idType: null,
  idNumber: null,
  externalId: null,
  gender: null,
  city: null,
  birthday: null,
  address: null,
  registrationCode: null,
  custom: {},
  tags: [],
  vip: false,
  bad: false,
  assignedUserId: null,
  personalDiscount: null,
  legal: null,
  searchName: '',
  sortName: '',
  searchIdNumber: null,
} satisfies Partial<typeof customers.$inferInsert>;

/**
 * Keeps an event's numbers and flags (points, versions, counts) and the names
 * of edited fields; drops every text and value that could describe the person.
 */
const anonymisedEventData = sql`(
  select coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
  from jsonb_each(events.data) e
  where jsonb_typeof(e.value) in ('number', 'boolean')
) || case when jsonb_typeof(events.data -> 'changes') = 'array' then jsonb_build_object('changes', (
  select coalesce(jsonb_agg(jsonb_build_object('field', c -> 'field')), '[]'::jsonb)
  from jsonb_array_elements(events.data -> 'changes') c
)) else '{}'::jsonb end`;

/** Erases a live customer, under its row lock; answers the erased row. */
export async function eraseCustomer(tx: Tx, tenantId: string, customerId: string, actor: Actor): Promise<CustomerRow> {
  const row = await requireCustomer(tx, tenantId, customerId, { lock: true });
  const ids = await sameIdentity(tx, tenantId, row.id);
  const named = await tx
    .select({ words: customers.nameWords })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)));
  const words = [...new Set(named.flatMap((r) => r.words))].filter(Boolean);

  for (const id of ids) {
    await tx
      .update(customers)
      .set({
        ...blankPerson,
        shareCode: newShareCode(),
        erasedAt: sql`now()`,
        version: sql`${customers.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
  }
  await tx
    .update(notes)
    .set({ body: '', deletedAt: sql`coalesce(${notes.deletedAt}, now())`, deletedBy: sql`coalesce(${notes.deletedBy}, ${actor.id})` })
    .where(and(eq(notes.tenantId, tenantId), inArray(notes.customerId, ids)));
  await tx
    .update(ledgerEntries)
    .set({ reason: null })
    .where(and(eq(ledgerEntries.tenantId, tenantId), inArray(ledgerEntries.customerId, ids)));
  await tx.execute(
    sql`update events set data = ${anonymisedEventData} where tenant_id = ${tenantId} and customer_id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`,
  );
  await tx
    .update(merges)
    .set({ snapshots: [] })
    .where(and(eq(merges.tenantId, tenantId), inArray(merges.primaryId, ids)));
  // A rare surname is personal data too: the dictionary forgets words no other customer bears.
  if (words.length) {
    await tx.execute(sql`delete from name_dictionary d where d.tenant_id = ${tenantId}
      and d.word in (${sql.join(words.map((w) => sql`${w}`), sql`, `)})
      and not exists (select 1 from customers c where c.tenant_id = ${tenantId} and c.name_words @> array[d.word])`);
  }
  // Stored answers of Idempotency-Key retries may hold the customer as it was (a note, a ledger reason).
  await tx.delete(idempotencyKeys).where(
    and(eq(idempotencyKeys.tenantId, tenantId), sql`${idempotencyKeys.customerIds} && ${`{${ids.join(',')}}`}::uuid[]`),
  );

  const [erased] = await tx.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, row.id)));
  await recordEvent(tx, {
    tenantId,
    type: 'customer.erased',
    actor,
    customerId: row.id,
    version: erased.version,
    data: { number: row.number, recordsErased: ids.length },
  });
  return erased;
}
