/**
 * The live changes of the tenant, for every component on the page over one
 * shared connection (GET /events, Server-Sent Events). Components subscribe
 * to one customer or to '*', and get each change once, in order of arrival;
 * a `reset` tells every subscriber to reload what it shows, because the
 * server could not replay everything missed while disconnected.
 *
 * EventSource reconnects by itself with Last-Event-ID after a network drop.
 * When it gives up (a refused token, the per-tenant cap, a restart) or the
 * token expires, this opens a new one with a fresh token and `lastEventId`,
 * so nothing is missed either way.
 *
 * When the page is hidden for navigation (`pagehide`), the connection closes:
 * a page kept in the back/forward cache would otherwise hold one of the
 * browser's six connections to the server open, and a few such pages stall
 * every other request to it. It reopens from `lastEventId` if the page is
 * shown again (`pageshow`).
 */

/** What a subscriber receives. */
export type LiveEvent =
  | {
      kind: 'change';
      /** The event's position; increasing, unique. */
      id: number;
      /** A history event type: `customer.updated`, `points.changed`, … */
      type: string;
      customerId: string | null;
      /** The customer's version after the change, to skip what is already shown. */
      version: number | null;
      at: string;
    }
  | { kind: 'reset' };

export type LiveListener = (event: LiveEvent) => void;

/** What the stream needs of the API client: where, and a token (fresh on demand). */
export interface EventStreamSource {
  readonly apiBase: string;
  currentToken(): Promise<string | null>;
  refreshToken(): Promise<string | null>;
}

export interface EventStreamOptions {
  /** How long the connection outlives its last subscriber (components re-render). */
  lingerMs?: number;
  /** First and longest wait before opening a new connection after a refusal. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Ids remembered to skip the few events a replay may repeat. */
const SEEN_IDS = 512;

export class EventStream {
  private readonly listeners = new Map<string, Set<LiveListener>>();
  private source: EventSource | null = null;
  private lastEventId: string | null = null;
  private readonly seen = new Set<number>();
  private backoffMs: number;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private lingerTimer: ReturnType<typeof setTimeout> | null = null;
  private opening = false;
  private hidden = false;
  private readonly options: Required<EventStreamOptions>;
  private readonly onPageHide = () => {
    this.hidden = true;
    this.disconnect();
  };
  private readonly onPageShow = () => {
    this.hidden = false;
    if (this.listeners.size > 0 && !this.source && !this.opening) void this.open();
  };

  constructor(
    private readonly api: EventStreamSource,
    options: EventStreamOptions = {},
  ) {
    this.options = { lingerMs: 1000, minBackoffMs: 1000, maxBackoffMs: 30_000, ...options };
    this.backoffMs = this.options.minBackoffMs;
  }

  /** True while a connection is open and past its opening replay. */
  get live(): boolean {
    return this.source?.readyState === EventSource.OPEN;
  }

  /**
   * Calls `listener` for every change of `customerId` ('*': of any customer)
   * and on every reset. Answers the unsubscribe function.
   */
  subscribe(customerId: string, listener: LiveListener): () => void {
    let set = this.listeners.get(customerId);
    if (!set) this.listeners.set(customerId, (set = new Set()));
    set.add(listener);
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.watchPage(true);
    if (!this.source && !this.opening && !this.reopenTimer && !this.hidden) void this.open();
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(customerId) === set) this.listeners.delete(customerId);
      if (this.listeners.size === 0 && !this.lingerTimer) {
        this.lingerTimer = setTimeout(() => {
          this.lingerTimer = null;
          if (this.listeners.size === 0) this.disconnect();
        }, this.options.lingerMs);
      }
    };
  }

  /** Closes the connection now if nobody listens, rather than after the linger (the provider left the page). */
  releaseIfIdle(): void {
    if (this.listeners.size > 0) return;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.disconnect();
  }

  /** Closes the connection and forgets every subscriber. */
  close(): void {
    this.listeners.clear();
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.disconnect();
  }

  private watchPage(on: boolean): void {
    if (typeof window === 'undefined') return;
    const method = on ? 'addEventListener' : 'removeEventListener';
    window[method]('pagehide', this.onPageHide);
    window[method]('pageshow', this.onPageShow);
  }

  private disconnect(): void {
    if (this.listeners.size === 0) this.watchPage(false);
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    this.source?.close();
    this.source = null;
  }

  private async open(refresh = false): Promise<void> {
    this.opening = true;
    let token: string | null = null;
    try {
      token = refresh ? await this.api.refreshToken() : await this.api.currentToken();
    } catch {
      // No token for now: retried after the backoff like any refusal.
    } finally {
      this.opening = false;
    }
    if (this.listeners.size === 0 || this.source || this.hidden) return;
    if (!token) {
      this.scheduleReopen();
      return;
    }
    const url = new URL(`${this.api.apiBase}/events`, globalThis.location?.href);
    url.searchParams.set('access_token', token);
    if (this.lastEventId !== null) url.searchParams.set('lastEventId', this.lastEventId);
    const source = new EventSource(url.href);
    this.source = source;

    source.addEventListener('ready', (event) => {
      this.track(event as MessageEvent);
      this.backoffMs = this.options.minBackoffMs;
    });
    source.addEventListener('change', (event) => this.onChange(event as MessageEvent));
    source.addEventListener('reset', (event) => {
      this.track(event as MessageEvent);
      this.seen.clear();
      this.emit(null, { kind: 'reset' });
    });
    source.addEventListener('expired', () => this.replace(source, 0));
    source.addEventListener('error', () => {
      // CONNECTING: EventSource retries by itself. CLOSED: it gave up (a refusal); we take over.
      if (source.readyState === EventSource.CLOSED) this.replace(source, this.backoffMs);
    });
  }

  /** Drops `source` and opens another with a fresh token after `delayMs`. */
  private replace(source: EventSource, delayMs: number): void {
    if (this.source !== source) return;
    source.close();
    this.source = null;
    if (delayMs > 0) this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
    this.scheduleReopen(delayMs, true);
  }

  private scheduleReopen(delayMs = this.backoffMs, refresh = true): void {
    if (this.reopenTimer || this.listeners.size === 0 || this.hidden) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      void this.open(refresh);
    }, delayMs);
  }

  private track(event: MessageEvent): void {
    if (event.lastEventId) this.lastEventId = event.lastEventId;
  }

  private onChange(event: MessageEvent): void {
    this.track(event);
    const id = Number(event.lastEventId);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (this.seen.size > SEEN_IDS) this.seen.delete(this.seen.values().next().value as number);
    const data = JSON.parse(event.data as string) as { type: string; customerId: string | null; version: number | null; at: string };
    this.emit(data.customerId, { kind: 'change', id, ...data });
  }

  /** To the customer's subscribers and the '*' ones; a reset (customerId null) to all. */
  private emit(customerId: string | null, event: LiveEvent): void {
    const targets =
      customerId === null && event.kind === 'reset'
        ? [...this.listeners.values()]
        : [this.listeners.get('*'), customerId === null ? undefined : this.listeners.get(customerId)];
    for (const set of targets) {
      for (const listener of [...(set ?? [])]) {
        try {
          listener(event);
        } catch (err) {
          // One component's failure must not keep the others from their updates.
          console.error(err);
        }
      }
    }
  }
}
