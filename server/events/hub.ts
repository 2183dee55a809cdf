/**
 * The live-event hub: one LISTEN per process on the channel recordEvent()
 * notifies inside each change's transaction, fanned out to the open streams
 * of that tenant. PostgreSQL delivers the NOTIFY on commit to every instance
 * listening, so streams served by any instance see every committed change.
 *
 * Each stream gets a bounded queue: the hub only appends to it, so a consumer
 * that does not keep up fills its own queue and is dropped (it reconnects
 * with Last-Event-ID and catches up from the history) without slowing anyone.
 */
import type { Database } from '../db/client.ts';
import { EVENTS_CHANNEL, type Announcement } from '../domain/history.ts';
import { ApiError } from '../errors.ts';

export interface EventHubOptions {
  /** Open streams one tenant may hold on this instance; beyond it: 429. */
  maxStreamsPerTenant: number;
  /**
   * Open streams one user may hold on this instance, well below the
   * tenant's: a single reader cannot take every slot and lock the others out.
   */
  maxStreamsPerUser: number;
  /** Events waiting for one stream before it is dropped as too slow. */
  queueLimit: number;
  /** A comment line keeps idle connections (and proxies) alive this often. */
  heartbeatMs: number;
  /** Reconnecting streams get at most this many missed events, else a reset. */
  replayLimit: number;
  /** …and only events this recent, else a reset. */
  replayWindowMs: number;
}

export const DEFAULT_EVENT_OPTIONS: EventHubOptions = {
  maxStreamsPerTenant: 100,
  maxStreamsPerUser: 10,
  queueLimit: 1000,
  heartbeatMs: 15_000,
  replayLimit: 1000,
  replayWindowMs: 24 * 60 * 60 * 1000,
};

const tooMany = (message: string) => new ApiError(429, 'rate_limited', message, {}, { 'Retry-After': '5' });

/** Why a subscription ended. */
export type EndReason = 'client_closed' | 'too_slow' | 'token_expired' | 'shutdown' | 'resync';

/** What a stream waits for: announcements, a quiet period, or the end. */
export type Delivery = { kind: 'events'; events: Announcement[] } | { kind: 'idle' } | { kind: 'ended'; reason: EndReason };

export class Subscription {
  private queue: Announcement[] = [];
  private wake: (() => void) | null = null;
  private reason: EndReason | null = null;
  private readonly endListeners: Array<(reason: EndReason) => void> = [];

  constructor(
    readonly tenantId: string,
    readonly userId: string,
    private readonly queueLimit: number,
    private readonly detach: (subscription: Subscription) => void,
  ) {}

  deliver(announcement: Announcement): void {
    if (this.reason) return;
    if (this.queue.length >= this.queueLimit) {
      this.end('too_slow');
      return;
    }
    this.queue.push(announcement);
    this.wake?.();
  }

  /** Ends the subscription once; queued events are discarded. */
  end(reason: EndReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.queue = [];
    this.detach(this);
    this.wake?.();
    for (const listener of this.endListeners) listener(reason);
  }

  onEnd(listener: (reason: EndReason) => void): void {
    if (this.reason) listener(this.reason);
    else this.endListeners.push(listener);
  }

  /** Everything queued so far, or 'idle' after idleMs without any, or the end. */
  async next(idleMs: number): Promise<Delivery> {
    if (!this.reason && this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, idleMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
    if (this.reason) return { kind: 'ended', reason: this.reason };
    if (this.queue.length === 0) return { kind: 'idle' };
    const events = this.queue;
    this.queue = [];
    return { kind: 'events', events };
  }
}

export class EventHub {
  readonly options: EventHubOptions;
  private readonly byTenant = new Map<string, Set<Subscription>>();
  private listening: Promise<() => Promise<void>> | null = null;
  private closed = false;

  constructor(
    private readonly database: Database,
    options: Partial<EventHubOptions> = {},
  ) {
    this.options = { ...DEFAULT_EVENT_OPTIONS, ...options };
  }

  /** Open streams, per tenant or in all. */
  count(tenantId?: string): number {
    if (tenantId !== undefined) return this.byTenant.get(tenantId)?.size ?? 0;
    let total = 0;
    for (const set of this.byTenant.values()) total += set.size;
    return total;
  }

  /**
   * A new subscription for a user of the tenant, once the process listens.
   * Throws 429 beyond the user's share or the tenant's cap, 503 after close().
   */
  async subscribe(tenantId: string, userId: string): Promise<Subscription> {
    await this.listen();
    if (this.closed) throw new ApiError(503, 'unavailable', 'The server is shutting down; reconnect shortly.', {}, { 'Retry-After': '1' });
    const set = this.byTenant.get(tenantId) ?? new Set<Subscription>();
    const mine = [...set].filter((s) => s.userId === userId).length;
    if (mine >= this.options.maxStreamsPerUser) {
      throw tooMany(`You already have ${mine} open event streams on this server; close one or share a connection.`);
    }
    if (set.size >= this.options.maxStreamsPerTenant) {
      throw tooMany(`This tenant already has ${set.size} open event streams on this server; close one or share a connection.`);
    }
    const subscription = new Subscription(tenantId, userId, this.options.queueLimit, (s) => this.detach(s));
    set.add(subscription);
    this.byTenant.set(tenantId, set);
    return subscription;
  }

  /** Ends every stream and stops listening; safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    this.endAll('shutdown');
    const listening = this.listening;
    this.listening = null;
    if (!listening) return;
    try {
      const unlisten = await listening;
      await unlisten();
    } catch {
      // The connection may already be gone: nothing is left to undo.
    }
  }

  private listen(): Promise<unknown> {
    if (this.closed) return Promise.resolve();
    if (!this.listening) {
      // Notifications sent while the LISTEN connection was down are lost: ending
      // the streams makes their clients reconnect and replay from the history.
      const attempt = this.database.listen(EVENTS_CHANNEL, (payload) => this.dispatch(payload), () => this.endAll('resync'));
      // A failed LISTEN is retried by the next stream instead of being remembered.
      attempt.catch(() => {
        if (this.listening === attempt) this.listening = null;
      });
      this.listening = attempt;
    }
    return this.listening;
  }

  private dispatch(payload: string): void {
    let announcement: Announcement;
    try {
      announcement = JSON.parse(payload) as Announcement;
    } catch {
      return;
    }
    const set = this.byTenant.get(announcement.tenantId);
    if (!set) return;
    for (const subscription of [...set]) subscription.deliver(announcement);
  }

  private endAll(reason: EndReason): void {
    for (const set of [...this.byTenant.values()]) {
      for (const subscription of [...set]) subscription.end(reason);
    }
  }

  private detach(subscription: Subscription): void {
    const set = this.byTenant.get(subscription.tenantId);
    if (!set) return;
    set.delete(subscription);
    if (set.size === 0) this.byTenant.delete(subscription.tenantId);
  }
}
