/**
 * GET /customers/:id/insights (SPEC §7): what a customer bought and how their
 * points moved, computed by SQL from the orders, their items and the ledger.
 * Spend is completed orders only (refunded and cancelled ones are not
 * spend), by placedAt, in the programme's currency: orders recorded
 * in another one (before the programme changed it) are not added to it but
 * counted apart in `otherCurrencies`, so no figure mixes two currencies.
 * Points: `pointsEarned` is what the ledger credited in the month (orders and
 * positive adjustments), `pointsSpent` what it debited as redemptions and
 * manual deductions; expiry, forfeits, reversals and merges are neither.
 *
 * Four small aggregates over one customer's rows (the orders and ledger
 * indexes start with tenant and customer), run side by side. Categories,
 * the costly one (every item of every order), read the months the range
 * covers whole from order_category_months, which triggers keep equal to the
 * items (migration 0009), and only the partial months at its ends from the
 * items themselves.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type Tx } from '../db/client.ts';
import { getTenant, requireCustomer } from './customers.ts';

/** How many categories the answer lists, by spend. */
export const TOP_CATEGORIES = 7;

export interface InsightsRange {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  before?: Date;
}

export interface Insights {
  currency: string;
  metrics: {
    ordersCount: number;
    totalSpent: number;
    averageOrder: number;
    firstOrderAt: string | null;
    lastOrderAt: string | null;
    lastInteractionAt: string | null;
  };
  categories: Array<{ category: string | null; orders: number; quantity: number; spent: number }>;
  monthly: Array<{ month: string; orders: number; spent: number; pointsEarned: number; pointsSpent: number }>;
  otherCurrencies: Array<{ currency: string; orders: number; spent: number }>;
}

const ISO = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

type OrderMonth = { currency: string; month: string; orders: number; spent: number; first: string; last: string };
type CategoryRow = { category: string | null; orders: number; quantity: number; spent: number };
type PointsMonth = { month: string; earned: number; spent: number };

export async function customerInsights(tx: Tx, tenantId: string, customerId: string, range: InsightsRange): Promise<Insights> {
  await requireCustomer(tx, tenantId, customerId);
  const placed = within(sql`o.placed_at`, range);
  const completed = sql`o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.status = 'completed' and ${placed}`;
  const [tenant, orderMonths, categories, pointsMonths] = await Promise.all([
    getTenant(tx, tenantId),
    query<OrderMonth>(
      tx,
      sql`select m.currency, to_char(m.month, 'YYYY-MM') as month, m.orders, m.spent,
            to_char(m.first at time zone 'UTC', ${ISO}) as first, to_char(m.last at time zone 'UTC', ${ISO}) as last
          from (
            select o.currency, date_trunc('month', o.placed_at at time zone 'UTC') as month, count(*)::int as orders,
              sum(o.total)::float8 as spent, min(o.placed_at) as first, max(o.placed_at) as last
            from orders o where ${completed} group by 1, 2
          ) m`,
    ),
    query<CategoryRow>(
      tx,
      sql`select c.category, sum(c.orders)::int as orders, sum(c.quantity)::float8 as quantity, sum(c.spent)::float8 as spent
          from (${sql.join(categorySources(tenantId, customerId, range), sql` union all `)}) c
          group by c.category order by spent desc, c.category nulls last limit ${TOP_CATEGORIES}`,
    ),
    query<PointsMonth>(
      tx,
      sql`select to_char(p.month, 'YYYY-MM') as month, p.earned, p.spent
          from (
            select date_trunc('month', l.created_at at time zone 'UTC') as month,
              coalesce(sum(l.delta) filter (where l.delta > 0), 0)::float8 as earned,
              coalesce(-sum(l.delta) filter (where l.delta < 0), 0)::float8 as spent
            from ledger_entries l
            where l.tenant_id = ${tenantId} and l.customer_id = ${customerId} and l.kind in ('earn', 'adjust', 'redeem')
              and ${within(sql`l.created_at`, range)}
            group by 1
          ) p`,
    ),
  ]);

  const currency = tenant.currency;
  const counted = orderMonths.filter((m) => m.currency === currency);
  const ordersCount = sum(counted, (m) => m.orders);
  const totalSpent = sum(counted, (m) => m.spent);
  const others = new Map<string, { currency: string; orders: number; spent: number }>();
  for (const m of orderMonths.filter((m) => m.currency !== currency)) {
    const entry = others.get(m.currency) ?? { currency: m.currency, orders: 0, spent: 0 };
    entry.orders += m.orders;
    entry.spent += m.spent;
    others.set(m.currency, entry);
  }
  return {
    currency,
    metrics: {
      ordersCount,
      totalSpent,
      averageOrder: ordersCount ? Math.round(totalSpent / ordersCount) : 0,
      firstOrderAt: extreme(counted.map((m) => m.first), -1),
      lastOrderAt: extreme(counted.map((m) => m.last), 1),
      // Interactions (contact-centre cases, SPEC §8) are not recorded yet: none to report.
      lastInteractionAt: null,
    },
    categories: categories.map((c) => ({ category: c.category, orders: c.orders, quantity: c.quantity, spent: c.spent })),
    monthly: monthlyRows(counted, pointsMonths),
    otherCurrencies: [...others.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/**
 * The rows the categories add up: the rollup's for the months the range
 * covers whole, and each partial month at its ends summed from the items,
 * one row per order and category (so an order counts once in a category).
 */
function categorySources(tenantId: string, customerId: string, range: InsightsRange): SQL[] {
  const currency = sql`(select t.currency from tenants t where t.id = ${tenantId})`;
  const { months, edges } = splitByMonth(range);
  const sources = edges.map(
    (edge) => sql`select i.category, 1 as orders, sum(i.quantity) as quantity, sum(i.quantity * i.price) as spent
      from orders o join order_items i on i.tenant_id = o.tenant_id and i.order_id = o.id
      where o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.status = 'completed' and o.currency = ${currency}
        and ${within(sql`o.placed_at`, edge)}
      group by i.category, i.order_id`,
  );
  if (months) {
    const where = [
      sql`r.tenant_id = ${tenantId} and r.customer_id = ${customerId} and r.currency = ${currency}`,
      months.from ? sql`r.month >= ${months.from}::date` : null,
      months.before ? sql`r.month < ${months.before}::date` : null,
    ].filter((c): c is SQL => c !== null);
    sources.push(sql`select r.category, r.orders, r.quantity, r.spent from order_category_months r where ${sql.join(where, sql` and `)}`);
  }
  return sources;
}

/**
 * The months (UTC, first days) a range covers whole, from inclusive and
 * before exclusive, or null for none; and the spans of partial months at its
 * ends. Without a bound the months run on to that side.
 */
export function splitByMonth(range: InsightsRange): { months: { from?: string; before?: string } | null; edges: InsightsRange[] } {
  const { from, before } = range;
  const wholeFrom = from && (monthStart(from, 0).getTime() === from.getTime() ? from : monthStart(from, 1));
  const wholeBefore = before && monthStart(before, 0);
  // Past December 9999 there is no month to read (nor an instant PostgreSQL takes).
  const none = wholeFrom && (wholeBefore ? wholeFrom >= wholeBefore : wholeFrom.getUTCFullYear() > 9999);
  if (none) return { months: null, edges: [range] };
  const edges: InsightsRange[] = [];
  if (from && wholeFrom && from < wholeFrom) edges.push({ from, before: wholeFrom });
  if (before && wholeBefore && wholeBefore < before) edges.push({ from: wholeBefore, before });
  const day = (d: Date | undefined) => d?.toISOString().slice(0, 10);
  return { months: { from: day(wholeFrom), before: day(wholeBefore) }, edges };
}

/** The first instant of the month of `at`, `add` months on (setUTCFullYear: Date.UTC reads years 0–99 as 1900–1999). */
function monthStart(at: Date, add: number): Date {
  const start = new Date(0);
  start.setUTCFullYear(at.getUTCFullYear(), at.getUTCMonth() + add, 1);
  return start;
}

/** A condition on a timestamp column for the range; `true` without bounds. */
function within(column: SQL, range: InsightsRange): SQL {
  const bounds = [
    range.from ? sql`${column} >= ${range.from.toISOString()}::timestamptz` : null,
    range.before ? sql`${column} < ${range.before.toISOString()}::timestamptz` : null,
  ].filter((b): b is SQL => b !== null);
  return bounds.length ? sql.join(bounds, sql` and `) : sql`true`;
}

/** One row per month from the first month with activity to the last, months without any included (as zeros). */
function monthlyRows(orderMonths: OrderMonth[], pointsMonths: PointsMonth[]): Insights['monthly'] {
  const byMonth = new Map<string, Insights['monthly'][number]>();
  const row = (month: string) => {
    let entry = byMonth.get(month);
    if (!entry) byMonth.set(month, (entry = { month, orders: 0, spent: 0, pointsEarned: 0, pointsSpent: 0 }));
    return entry;
  };
  for (const m of orderMonths) {
    const entry = row(m.month);
    entry.orders += m.orders;
    entry.spent += m.spent;
  }
  for (const p of pointsMonths) {
    if (!p.earned && !p.spent) continue;
    const entry = row(p.month);
    entry.pointsEarned += p.earned;
    entry.pointsSpent += p.spent;
  }
  const months = [...byMonth.keys()].sort();
  if (!months.length) return [];
  const rows: Insights['monthly'] = [];
  for (let month = months[0]; month <= months[months.length - 1]; month = nextMonth(month)) rows.push(row(month));
  return rows;
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

function sum<T>(rows: T[], of: (row: T) => number): number {
  return rows.reduce((total, row) => total + of(row), 0);
}

/** The earliest (-1) or latest (1) of ISO instants of one format, which sort as strings. */
function extreme(values: string[], direction: 1 | -1): string | null {
  if (!values.length) return null;
  return values.reduce((a, b) => ((b > a) === (direction === 1) ? b : a));
}
