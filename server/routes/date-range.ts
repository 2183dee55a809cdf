/**
 * `from` and `to` for the routes that filter a customer's orders and insights
 * by time: calendar days (YYYY-MM-DD, UTC), both inclusive, or ISO-8601
 * instants, as the history takes them. Parsed into the half-open range
 * [from, before) the domain queries with.
 */
import { z } from '@hono/zod-openapi';
import { isoDate, isoInstant } from '../domain/customer-input.ts';

const DAY_MS = 86_400_000;
/** The end of year 9999: PostgreSQL reads no later ISO timestamp. */
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const isDay = (v: string) => isoDate.safeParse(v).success;
const bound = z.string().refine((v) => isDay(v) || isoInstant.safeParse(v).success, {
  message: 'Use a date (YYYY-MM-DD) or an ISO-8601 timestamp.',
});

export const DateRangeQuery = {
  from: bound.optional().openapi({ format: 'date', description: 'Inclusive; a day (YYYY-MM-DD) means from its start, UTC; an ISO-8601 instant is taken too' }),
  to: bound.optional().openapi({ format: 'date', description: 'Inclusive; a day (YYYY-MM-DD) means to its end, UTC; an ISO-8601 instant is taken too' }),
};

export interface DayRange {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  before?: Date;
}

const startOf = (v: string) => new Date(isDay(v) ? `${v}T00:00:00Z` : v);
/**
 * The exclusive end of `to`: the next day for a day; a millisecond on for an
 * instant, so `to` set to an order's `placedAt` (milliseconds) keeps that
 * order although the database stores microseconds.
 */
const endOf = (v: string) => new Date(Math.min(Date.parse(isDay(v) ? `${v}T00:00:00Z` : v) + (isDay(v) ? DAY_MS : 1), LAST_INSTANT));

export function dayRange(q: { from?: string; to?: string }): DayRange {
  return { from: q.from ? startOf(q.from) : undefined, before: q.to ? endOf(q.to) : undefined };
}

/** The refinement of every query with a DateRangeQuery: the range does not end before it starts. */
export function withRangeInOrder<T extends z.ZodType<{ from?: string; to?: string }>>(schema: T) {
  return schema.refine(
    (q) => {
      const { from, before } = dayRange(q);
      return !from || !before || from < before;
    },
    { message: 'Must not be before from.', path: ['to'] },
  );
}
