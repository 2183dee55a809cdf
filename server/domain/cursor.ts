/** Opaque keyset cursors: the last row's sort values, base64url-encoded JSON. */
import { invalid } from '../errors.ts';

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through to the validation error
  }
  throw invalid('cursor', 'The cursor is not valid; start again from the first page.');
}

/** Takes limit+1 rows: the extra one only tells whether there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, map: (row: R) => T, keyOf: (row: R) => unknown[]) {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items: items.map(map), nextCursor };
}
