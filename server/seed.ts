/**
 * The demo tenant: levels, custom fields and realistic Spanish-speaking
 * customers with orders, ledgers that sum to their balances, notes, and a
 * few deliberate duplicates. Deterministic: the same SEED_CUSTOMERS gives the
 * same data. Bulk inserts, not the API, so thousands take seconds.
 */
import { count, eq } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import {
  customFields,
  customers,
  events,
  ledgerEntries,
  levels,
  notes,
  orderItems,
  orders,
  tenants,
  type Phone,
} from './db/schema.ts';
import { normalizePhone } from './domain/customer-input.ts';
import { derivedColumns, newShareCode } from './domain/customers.ts';
import { nextEventSeqs } from './domain/history.ts';
import { seededRandom, type SeededRandom } from './random.ts';
import { purchaseHistory } from './seed-purchases.ts';

export const DEMO_TENANT = 'demo';

export const FEMALE = ['María', 'Lucía', 'Carmen', 'Sofía', 'Valentina', 'Camila', 'Ana', 'Isabel', 'Paula', 'Martina', 'Ximena', 'Guadalupe', 'Renata', 'Elena', 'Inés', 'Begoña', 'Nuria', 'Mónica', 'Rocío', 'Verónica', 'Daniela', 'Andrea', 'Claudia', 'Lourdes', 'Julia'];
export const MALE = ['José', 'Juan', 'Javier', 'Alejandro', 'Andrés', 'Sebastián', 'Mateo', 'Diego', 'Santiago', 'Nicolás', 'Ángel', 'Jesús', 'Raúl', 'Óscar', 'Iñaki', 'Joaquín', 'Martín', 'Pablo', 'Álvaro', 'Fernando', 'Luis', 'Miguel', 'Tomás', 'Rubén', 'Héctor'];
export const SURNAMES = ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso', 'Gutiérrez', 'Navarro', 'Torres', 'Domínguez', 'Vázquez', 'Ramos', 'Gil', 'Ramírez', 'Serrano', 'Blanco', 'Suárez', 'Castillo', 'Ortiz', 'Rubio', 'Marín', 'Núñez', 'Ibáñez', 'Peña', 'Castañeda', 'Echeverría', 'Zúñiga'];
const PLACES = [
  { country: 'ES', cities: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Málaga', 'Bilbao', 'Zaragoza', 'A Coruña', 'Córdoba', 'Cádiz'], mobile: () => `+34 6${digits(8)}` },
  { country: 'MX', cities: ['Ciudad de México', 'Guadalajara', 'Monterrey', 'Puebla', 'Mérida', 'Querétaro'], mobile: () => `+52 55 ${digits(4)} ${digits(4)}` },
  { country: 'CO', cities: ['Bogotá', 'Medellín', 'Cali', 'Barranquilla', 'Cartagena'], mobile: () => `+57 3${pick('0123')}${digits(1)} ${digits(7)}` },
  { country: 'AR', cities: ['Buenos Aires', 'Córdoba', 'Rosario', 'Mendoza', 'La Plata'], mobile: () => `+54 9 11 ${digits(4)}-${digits(4)}` },
] as const;
const STREETS = ['Calle Mayor', 'Avenida de la Constitución', 'Calle de Alcalá', 'Paseo de Gracia', 'Calle Real', 'Avenida Insurgentes', 'Carrera 7', 'Avenida Corrientes', 'Calle San Martín', 'Plaza de España'];
export const DOMAINS = ['gmail.com', 'hotmail.com', 'yahoo.es', 'outlook.com', 'correo.mx', 'telefonica.net'];
const NOTES = [
  '<p>Prefiere que la llamen por la tarde.</p>',
  '<p>Cliente habitual de la tienda de <strong>Centro</strong>; pidió factura a nombre de la empresa.</p>',
  '<p>Reclamó un pedido retrasado. Se le ofreció <em>envío gratis</em> en la próxima compra.</p>',
  '<ul><li>Alergia a los frutos secos</li><li>Talla M</li></ul>',
  '<p>Interesada en el programa de <a href="https://example.com/socios">socios</a>.</p>',
];
export const TAGS = ['newsletter', 'mayorista', 'online', 'tienda', 'evento-2025', 'reclamación', 'cumpleaños'];

let r = seededRandom(1);
/** Purchases draw from their own stream, so the people stay who they are when the shopping changes. */
let shopping: SeededRandom = seededRandom(1_000_003);
const digits = (n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');
const pick = (chars: string) => chars[r.int(0, chars.length - 1)];

export const DEMO_LEVELS = [
  { name: 'Bronce', minPoints: 0, color: '#b0793b', benefits: '5 % de descuento en tu cumpleaños' },
  { name: 'Plata', minPoints: 500, color: '#9aa3ad', benefits: 'Envío gratis y 5 % de descuento' },
  { name: 'Oro', minPoints: 2000, color: '#d4a017', benefits: 'Envío gratis, 10 % de descuento y preventas' },
  { name: 'Platino', minPoints: 5000, color: '#5b6f8a', benefits: 'Todo lo de Oro, gestor personal y eventos privados' },
];

function ascii(value: string) {
  return value.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** Seeds the demo tenant when it has no customers yet; answers how many were added. */
export async function seedDemo(db: Db, total: number, seed = 1): Promise<number> {
  await db.insert(tenants).values({ id: DEMO_TENANT }).onConflictDoNothing();
  const [{ n }] = await db.select({ n: count() }).from(customers).where(eq(customers.tenantId, DEMO_TENANT));
  if (n > 0) return 0;
  r = seededRandom(seed);
  shopping = seededRandom(seed + 1_000_003);
  return db.transaction(async (tx) => {
    const tenantId = DEMO_TENANT;
    const levelRows = await tx
      .insert(levels)
      .values(DEMO_LEVELS.map((l) => ({ ...l, tenantId })))
      .onConflictDoNothing()
      .returning();
    const levelFor = (lifetime: number) =>
      [...levelRows].sort((a, b) => b.minPoints - a.minPoints).find((l) => lifetime >= l.minPoints)?.id ?? null;
    await tx
      .insert(customFields)
      .values([
        { tenantId, key: 'preferredStore', label: 'Tienda preferida', type: 'enum', options: ['Centro', 'Norte', 'Online'], position: 1 },
        { tenantId, key: 'shirtSize', label: 'Talla de camiseta', type: 'enum', options: ['XS', 'S', 'M', 'L', 'XL'], position: 2 },
        { tenantId, key: 'children', label: 'Número de hijos', type: 'integer', position: 3 },
        { tenantId, key: 'anniversary', label: 'Fecha de aniversario', type: 'date', position: 4 },
        { tenantId, key: 'marketingNotes', label: 'Notas de marketing', type: 'text', position: 5 },
      ])
      .onConflictDoNothing();

    const now = Date.UTC(2026, 10, 1);
    const day = 86_400_000;
    const people = Array.from({ length: total }, (_, i) => makePerson(i, now, day));
    addDeliberateDuplicates(people);

    const batchSize = 500;
    for (let start = 0; start < people.length; start += batchSize) {
      const batch = people.slice(start, start + batchSize);
      const rows = await tx
        .insert(customers)
        .values(
          batch.map((p, k) => ({
            ...p.customer,
            tenantId,
            number: 1001 + start + k,
            shareCode: newShareCode(),
            points: p.purchases.balance,
            lifetimePoints: p.purchases.lifetime,
            levelId: levelFor(p.purchases.lifetime),
            ...orderMetrics(p.purchases.orders),
            ...derivedColumns({ ...p.customer, phones: p.customer.phones }),
          })),
        )
        .returning({ id: customers.id, version: customers.version, registeredAt: customers.registeredAt });
      const orderValues: Array<typeof orders.$inferInsert> = [];
      const itemValues: Array<typeof orderItems.$inferInsert & { externalId: string }> = [];
      const ledgerValues: Array<typeof ledgerEntries.$inferInsert & { orderRef: string | null }> = [];
      const noteValues: Array<typeof notes.$inferInsert> = [];
      const eventValues: Array<Omit<typeof events.$inferInsert, 'seq'>> = [];
      batch.forEach((p, k) => {
        const { id } = rows[k];
        eventValues.push({ tenantId, type: 'customer.created', at: rows[k].registeredAt, actorId: 'seed', actorName: 'Importación', customerId: id, version: 1, data: { number: 1001 + start + k } });
        for (const { items, updatedAt, ...o } of p.purchases.orders) {
          orderValues.push({ ...o, tenantId, customerId: id, currency: 'EUR', createdAt: o.placedAt, updatedAt });
          items.forEach((item, position) => itemValues.push({ ...item, tenantId, orderId: '', position, externalId: o.externalId }));
        }
        for (const entry of p.purchases.ledger) ledgerValues.push({ ...entry, tenantId, customerId: id, actorId: 'system', actorName: 'Sistema' });
        p.notes.forEach((body, j) => noteValues.push({ tenantId, customerId: id, body, authorId: 'demo-admin', authorName: 'Lucía Fernández', createdAt: new Date(now - (j + 1) * 7 * day) }));
      });
      const orderIds = new Map<string, string>();
      for (let i = 0; i < orderValues.length; i += 2000) {
        const inserted = await tx.insert(orders).values(orderValues.slice(i, i + 2000)).returning({ id: orders.id, externalId: orders.externalId });
        for (const o of inserted) orderIds.set(o.externalId, o.id);
      }
      const items = itemValues.map(({ externalId, ...item }) => ({ ...item, orderId: orderIds.get(externalId)! }));
      for (let i = 0; i < items.length; i += 2000) await tx.insert(orderItems).values(items.slice(i, i + 2000));
      const ledger = ledgerValues.map(({ orderRef, ...entry }) => ({ ...entry, orderId: orderRef ? orderIds.get(orderRef) : null }));
      for (let i = 0; i < ledger.length; i += 2000) await tx.insert(ledgerEntries).values(ledger.slice(i, i + 2000));
      if (noteValues.length) await tx.insert(notes).values(noteValues);
      const firstSeq = await nextEventSeqs(tx, tenantId, eventValues.length);
      await tx.insert(events).values(eventValues.map((event, k) => ({ ...event, seq: firstSeq + k })));
    }
    await tx.update(tenants).set({ lastCustomerNumber: 1000 + people.length }).where(eq(tenants.id, tenantId));
    return people.length;
  });
}

function makePerson(i: number, now: number, day: number) {
  const female = r.chance(0.52);
  const firstName = r.pick(female ? FEMALE : MALE);
  const lastName = r.chance(0.7) ? `${r.pick(SURNAMES)} ${r.pick(SURNAMES)}` : r.pick(SURNAMES);
  const place = r.pick(PLACES);
  const city = r.pick(place.cities);
  // The first member, whom the demo opens, has been with the programme long enough for two years of shopping.
  const registeredAt = new Date(now - (i === 0 ? 800 : r.int(1, 3 * 365)) * day);
  const email = r.chance(0.9) ? `${ascii(firstName)}.${ascii(lastName.split(' ')[0])}${r.int(1, 999)}@${r.pick(DOMAINS)}` : null;
  const phones: Phone[] = [];
  const mobile = r.chance(0.85) ? normalizePhone(place.mobile(), place.country) : null;
  if (mobile) phones.push({ number: mobile, label: 'móvil' });
  const work = r.chance(0.1) ? normalizePhone(`91${digits(7)}`, 'ES') : null;
  if (work && work !== mobile) phones.push({ number: work, label: 'trabajo' });
  const birthYear = r.int(1945, 2005);
  return {
    customer: {
      firstName,
      lastName,
      email,
      emailSubscribed: r.chance(0.6),
      phones,
      gender: female ? 'female' : 'male',
      city,
      birthday: r.chance(0.8) ? `${birthYear}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}` : null,
      idType: r.chance(0.6) ? 'national_id' : null as string | null,
      idNumber: null as string | null,
      address: r.chance(0.7)
        ? { line1: `${r.pick(STREETS)}, ${r.int(1, 200)}`, city, postalCode: String(r.int(10000, 52999)), country: place.country }
        : null,
      registeredAt,
      registrationCode: r.chance(0.3) ? `ALTA-${r.int(100, 999)}` : null,
      status: r.chance(0.9) ? 'active' : r.pick(['inactive', 'disabled']),
      tags: TAGS.filter(() => r.chance(0.12)),
      vip: r.chance(0.06),
      bad: r.chance(0.02),
      custom: r.chance(0.5) ? { preferredStore: r.pick(['Centro', 'Norte', 'Online']), shirtSize: r.pick(['S', 'M', 'L']) } : {},
      store: r.pick(['Centro', 'Norte', 'Online']),
      createdAt: registeredAt,
      updatedAt: registeredAt,
    },
    purchases: shoppingOf(i, registeredAt.getTime(), now, day),
    notes: r.chance(0.25) ? [r.pick(NOTES)] : [],
  };
}

/**
 * Two years of shopping at most (never before joining): a fifth of the
 * members buy nothing, most now and then, some every few weeks, a few (the
 * first member among them, whom the demo opens) all the time.
 */
function shoppingOf(i: number, registeredAt: number, now: number, day: number) {
  const from = Math.max(registeredAt, now - 730 * day);
  const span = (now - day - from) / (730 * day);
  const habit = i === 0 ? 70 : shopping.chance(0.2) ? 0 : shopping.chance(0.65) ? shopping.int(1, 8) : shopping.chance(0.85) ? shopping.int(10, 30) : shopping.int(40, 80);
  const count = Math.round(habit * Math.max(0, span));
  return purchaseHistory(shopping, { prefix: `PED-${String(i + 1).padStart(6, '0')}`, count, from, to: now - day });
}

/** The customer's denormalised metrics: completed orders only, as domain/orders.ts keeps them. */
function orderMetrics(list: Array<{ status: string; total: number; placedAt: Date }>) {
  const completed = list.filter((o) => o.status === 'completed');
  return {
    ordersCount: completed.length,
    totalSpent: completed.reduce((s, o) => s + o.total, 0),
    lastOrderAt: completed.length ? new Date(Math.max(...completed.map((o) => o.placedAt.getTime()))) : null,
  };
}

/** A handful of people entered twice, the way it happens at a till. */
function addDeliberateDuplicates(people: ReturnType<typeof makePerson>[]) {
  const count = Math.min(8, Math.floor(people.length / 20));
  for (let d = 0; d < count; d++) {
    const original = people[d * 7];
    const copy = people[people.length - 1 - d];
    const variant = d % 4;
    copy.customer.firstName = original.customer.firstName;
    copy.customer.lastName = original.customer.lastName;
    copy.customer.birthday = original.customer.birthday;
    copy.customer.city = original.customer.city;
    if (variant === 0) copy.customer.email = original.customer.email;
    if (variant === 1 && original.customer.phones[0]) copy.customer.phones = [{ ...original.customer.phones[0], label: 'casa' }];
    if (variant === 2) copy.customer.lastName = (original.customer.lastName ?? '').replace(/z$/, 's').replace(/á/g, 'a');
    if (variant === 3) copy.customer.lastName = (original.customer.lastName ?? '').split(' ')[0];
    copy.customer.idNumber = null;
  }
  // Spanish DNI numbers for those marked with a national id.
  people.forEach((p, i) => {
    if (p.customer.idType === 'national_id' && !p.customer.idNumber) {
      const n = 10_000_000 + ((i * 7919) % 89_999_999);
      p.customer.idNumber = `${n}${'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}`;
    }
  });
}
