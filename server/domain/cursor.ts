/**
 * Opaque keyset cursors: the last row's sort values, base64url-encoded JSON.
 * A cursor comes back from the client, so whatever it decodes to is checked
 * value by value before any of it reaches SQL: a damaged or forged cursor
 * is a 422 naming `cursor`, never a database error.
 */
import { invalid } from '../errors.ts';
import { storable } from '../input-guard.ts';

export type CursorCheck = (value: unknown) => boolean;

/** Sort values as the lists write them: text, a position in an order, an id, an instant. */
export const cursorValue = {
  text: ((v) => typeof v === 'string' && v.length <= 1000 && storable(v)) as CursorCheck,
  integer: ((v) => Number.isSafeInteger(v)) as CursorCheck,
  position: ((v) => Number.isSafeInteger(v) && (v as number) >= 0) as CursorCheck,
  score: ((v) => typeof v === 'number' && Number.isFinite(v)) as CursorCheck,
  uuid: ((v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) as CursorCheck,
  /**
   * An instant in UTC as the lists write it (`2024-05-01T10:00:00.123456Z`):
   * a real calendar date of years 0001–9999. JavaScript also reads offsets
   * like +23:59, six-digit years and 30 February, which PostgreSQL refuses.
   */
  instant: ((v) => {
    if (typeof v !== 'string') return false;
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/.exec(v);
    if (!m) return false;
    const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  }) as CursorCheck,
  /** Exactly this value (a cursor's tag, such as the sort it belongs to). */
  is: (expected: unknown): CursorCheck => (v) => v === expected,
  nullOr: (check: CursorCheck): CursorCheck => (v) => v === null || check(v),
};

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export const badCursor = (why = 'The cursor is not valid; start again from the first page.') => invalid('cursor', why);

/** The cursor's values, one per check, each passing its check; null without a cursor. */
export function decodeCursor(cursor: string | undefined, checks: CursorCheck[], why?: string): unknown[] | null {
  if (!cursor) return null;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor(why);
  }
  if (!Array.isArray(values) || values.length !== checks.length || !checks.every((check, i) => check(values[i]))) throw badCursor(why);
  return values;
}

/** Takes limit+1 rows: the extra one only tells whether there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, map: (row: R) => T, keyOf: (row: R) => unknown[]) {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items: items.map(map), nextCursor };
}
