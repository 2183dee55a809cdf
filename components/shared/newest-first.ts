/**
 * Brings a newest-first list (a ledger, a timeline) up to date after a live
 * change without losing the pages already scrolled: the entries of a fresh
 * first page that are not shown yet go on top.
 */
import type { Page } from '../api/types.ts';
import type { PagedQuery } from './paged-query.ts';

/** False when the first page holds nothing already shown (the gap may be wider than a page): reload instead. */
export function addNewest<Q, T extends { id: string }>(list: PagedQuery<Q, T>, page: Page<T>): boolean {
  const shown = new Set(list.items.map((item) => item.id));
  const known = page.items.findIndex((item) => shown.has(item.id));
  if (known < 0 && (list.items.length > 0 || page.nextCursor !== null)) return false;
  const fresh = known < 0 ? page.items : page.items.slice(0, known);
  for (const item of [...fresh].reverse()) list.prepend(item);
  return true;
}
