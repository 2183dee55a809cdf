/**
 * A list fetched page by page for a query that changes as someone types:
 * debounced, each new query aborts the one in flight, and an answer that
 * arrives for anything but the latest query is dropped, so a slow, stale
 * answer never overwrites a newer one. Shared by every searchable list.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isAbort } from '../api/api-error.ts';
import type { Page } from '../api/types.ts';

export type Fetcher<Q, T> = (query: Q, cursor: string | null, signal: AbortSignal) => Promise<Page<T>>;

export class PagedQuery<Q, T> implements ReactiveController {
  items: T[] = [];
  nextCursor: string | null = null;
  /** `first`: the first page of a query is on its way; `more`: a following page. */
  loading: 'idle' | 'first' | 'more' = 'idle';
  error: unknown = null;
  /** True once a first page for the current query has arrived. */
  loaded = false;

  private query: Q | null = null;
  private generation = 0;
  private controller: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fetcher: Fetcher<Q, T>,
    private readonly debounceMs = 250,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  get hasMore(): boolean {
    return this.nextCursor !== null;
  }

  /** Starts a new query, after the debounce unless `immediate`. */
  set(query: Q, { immediate = false } = {}) {
    this.query = query;
    clearTimeout(this.timer);
    if (immediate) void this.fetch(true);
    else this.timer = setTimeout(() => void this.fetch(true), this.debounceMs);
  }

  /** Fetches the current query again from its first page. */
  reload() {
    if (this.query !== null) void this.fetch(true);
  }

  loadMore() {
    if (this.loading === 'idle' && this.nextCursor && !this.error) void this.fetch(false);
  }

  /** Asks again for the page that failed (loadMore stays quiet after a failure, so scrolling does not hammer). */
  retryMore() {
    if (this.loading === 'idle' && this.nextCursor) void this.fetch(false);
  }

  /**
   * The current query's first page, read without touching the list (a live refresh merges it). Null when
   * the query changed or the list reloaded meanwhile: an answer for a filter no longer shown is dropped.
   */
  async peekFirst(): Promise<Page<T> | null> {
    const { query, generation } = this;
    if (query === null) return null;
    const page = await this.fetcher(query, null, new AbortController().signal);
    return generation === this.generation && query === this.query ? page : null;
  }

  /** Puts an item in front (a member just created) or takes one out, without refetching. */
  prepend(item: T) {
    this.items = [item, ...this.items];
    this.host.requestUpdate();
  }

  replace(match: (item: T) => boolean, next: T | null) {
    this.items = next === null ? this.items.filter((i) => !match(i)) : this.items.map((i) => (match(i) ? next : i));
    this.host.requestUpdate();
  }

  private async fetch(first: boolean) {
    if (this.query === null) return;
    const generation = first ? ++this.generation : this.generation;
    if (first) this.controller?.abort();
    const controller = first ? (this.controller = new AbortController()) : this.controller ?? (this.controller = new AbortController());
    this.loading = first ? 'first' : 'more';
    this.error = null;
    this.host.requestUpdate();
    try {
      const page = await this.fetcher(this.query, first ? null : this.nextCursor, controller.signal);
      if (generation !== this.generation) return;
      this.items = first ? page.items : [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
      this.loaded = true;
    } catch (err) {
      if (generation !== this.generation || isAbort(err)) return;
      this.error = err;
    }
    this.loading = 'idle';
    this.host.requestUpdate();
  }
}
