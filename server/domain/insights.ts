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
 * Five queries side by side. Monthly spend and categories, which would
 * otherwise read every order and every item, read the months the range
 * covers whole from order_months and order_category_months (rollups that
 * triggers keep equal to the rows, migrations 0009 and 0010) and only the
 * partial months at its ends from the rows; the first and last orders come
 * from both ends of the orders index; the points are summed from the ledger.
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

type OrderMonth = { currency: string; month: string; orders: number; spent: number };
type CategoryRow = { category: string | null; orders: number; quantity: number; spent: number };
type PointsMonth = { month: string; earned: number; spent: number };

export async function customerInsights(tx: Tx, tenantId: string, customerId: string, range: InsightsRange): Promise<Insights> {
  await requireCustomer(tx, tenantId, customerId);
  const owner = { tenantId, customerId };
  const counted = sql`o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.status = 'completed'
    and o.currency = ${programmeCurrency(tenantId)} and ${within(sql`o.placed_at`, range)}`;
  const [tenant, orderMonths, [span], categories, pointsMonths] = await Promise.all([
    getTenant(tx, tenantId),
    query<OrderMonth>(
      tx,
      sql`select m.currency, to_char(m.month, 'YYYY-MM') as month, sum(m.orders)::int as orders, sum(m.spent)::float8 as spent
          from (${sql.join(orderMonthSources(owner, range), sql` union all `)}) m
          group by m.currency, m.month`,
    ),
    // Both ends of the orders index on (tenant, customer, placedAt): a row or two each, not every order.
    query<{ first: string | null; last: string | null }>(
      tx,
      sql`select (select to_char(o.placed_at at time zone 'UTC', ${ISO}) from orders o where ${counted} order by o.placed_at limit 1) as first,
                 (select to_char(o.placed_at at time zone 'UTC', ${ISO}) from orders o where ${counted} order by o.placed_at desc limit 1) as last`,
    ),
    query<CategoryRow>(
      tx,
      sql`select c.category, sum(c.orders)::int as orders, sum(c.quantity)::float8 as quantity, sum(c.spent)::float8 as spent
          from (${sql.join(categorySources(owner, range), sql` union all `)}) c
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
  const inCurrency = orderMonths.filter((m) => m.currency === currency);
  const ordersCount = sum(inCurrency, (m) => m.orders);
  const totalSpent = sum(inCurrency, (m) => m.spent);
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
      firstOrderAt: span.first,
      lastOrderAt: span.last,
      // Interactions (contact-centre cases, SPEC §8) are not recorded yet: none to report.
      lastInteractionAt: null,
    },
    categories: categories.map((c) => ({ category: c.category, orders: c.orders, quantity: c.quantity, spent: c.spent })),
    monthly: monthlyRows(inCurrency, pointsMonths),
    otherCurrencies: [...others.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

type Owner = { tenantId: string; customerId: string };

const programmeCurrency = (tenantId: string) => sql`(select t.currency from tenants t where t.id = ${tenantId})`;

/**
 * The rows the monthly spend adds up, in every currency (otherCurrencies
 * needs them): order_months for the months the range covers whole, and the
 * orders of the partial months at its ends.
 */
function orderMonthSources({ tenantId, customerId }: Owner, range: InsightsRange): SQL[] {
  return monthSources(
    range,
    (edge) => sql`select o.currency, date_trunc('month', o.placed_at at time zone 'UTC')::date as month, 1 as orders, o.total::numeric as spent
      from orders o where o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.status = 'completed' and ${within(sql`o.placed_at`, edge)}`,
    (months) => sql`select r.currency, r.month, r.orders, r.spent from order_months r
      where r.tenant_id = ${tenantId} and r.customer_id = ${customerId} and ${months}`,
  );
}

/**
 * The rows the categories add up, in the programme's currency:
 * order_category_months for the months the range covers whole, and the
 * items of the partial months at its ends (under two months in all)
 * summed per order and category, so an order counts once in a category.
 */
function categorySources({ tenantId, customerId }: Owner, range: InsightsRange): SQL[] {
  const currency = programmeCurrency(tenantId);
  return monthSources(
    range,
    // Lateral: each order's items by the items index. A join lets the planner hash every item of the tenant for a few weeks' orders.
    (edge) => sql`select c.category, 1 as orders, c.quantity, c.spent
      from orders o cross join lateral (
        select i.category, sum(i.quantity) as quantity, sum(i.quantity * i.price) as spent
        from order_items i where i.tenant_id = o.tenant_id and i.order_id = o.id group by i.category
      ) c
      where o.tenant_id = ${tenantId} and o.customer_id = ${customerId} and o.status = 'completed' and o.currency = ${currency}
        and ${within(sql`o.placed_at`, edge)}`,
    (months) => sql`select r.category, r.orders, r.quantity, r.spent from order_category_months r
      where r.tenant_id = ${tenantId} and r.customer_id = ${customerId} and r.currency = ${currency} and ${months}`,
  );
}

/** A rollup's rows for the whole months of the range (its `month` column is `r.month`), and raw rows for each partial month. */
function monthSources(range: InsightsRange, partial: (edge: InsightsRange) => SQL, whole: (months: SQL) => SQL): SQL[] {
  const { months, edges } = splitByMonth(range);
  const sources = edges.map(partial);
  if (months) {
    const bounds = [months.from ? sql`r.month >= ${months.from}::date` : null, months.before ? sql`r.month < ${months.before}::date` : null];
    sources.push(whole(sql.join([sql`true`, ...bounds.filter((b): b is SQL => b !== null)], sql` and `)));
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
