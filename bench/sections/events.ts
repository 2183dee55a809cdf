/**
 * Fan-out latency of the live events: N subscribers on GET /api/v1/events of
 * one tenant (real HTTP, one connection each), then changes committed one
 * after another; for each, the time from the writer's commit returning to
 * each subscriber parsing the event. The subscribers share the process (and
 * the cores) with the server, so the figures include their own parsing.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';
import { recordEvent } from '../../server/domain/history.ts';
import { EventHub } from '../../server/events/hub.ts';
import { signToken } from '../../server/auth.ts';
import { latency, type Latency } from '../stats.ts';

export interface EventFanOutOptions {
  subscribers?: number;
  /** Changes committed, one at a time, each awaited by every subscriber. */
  rounds?: number;
}

export interface EventFanOutResult {
  database: Database['kind'];
  subscribers: number;
  rounds: number;
  /** Opening every stream, until each has its `ready` event. */
  connectMs: number;
  /** Commit returned → one subscriber has the event; over every subscriber and round. */
  perSubscriberMs: Latency;
  /** Commit returned → the last subscriber has the event; over rounds. */
  lastSubscriberMs: Latency;
}

/** Every subscriber must have the event by then, or the run is broken. */
const GIVE_UP_MS = 30_000;

/** One SSE connection: resolves waiters when a change with their id arrives. */
class Subscriber {
  private buffer = '';
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly arrived = new Map<string, number>();
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private readyResolve: (() => void) | null = null;

  async open(url: string): Promise<void> {
    const res = await fetch(url);
    if (res.status !== 200 || !res.body) throw new Error(`GET /events answered ${res.status}: ${await res.text()}`);
    this.reader = res.body.getReader();
    const ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
    void this.read();
    await ready;
  }

  arrival(id: string): Promise<number> {
    const at = this.arrived.get(id);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  async close(): Promise<void> {
    await this.reader?.cancel().catch(() => {});
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await this.reader!.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      const now = performance.now();
      this.buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        if (block.startsWith('event: ready')) this.readyResolve?.();
        if (!block.startsWith('event: change')) continue;
        const id = /\nid: (\d+)/.exec(block)?.[1];
        if (!id) continue;
        const waiter = this.waiting.get(id);
        if (waiter) {
          this.waiting.delete(id);
          waiter(now);
        } else this.arrived.set(id, now);
      }
    }
  }
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Gave up waiting for ${what}`)), GIVE_UP_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Runs on a migrated database; leaves nothing open behind it. */
export async function benchEventFanOut(database: Database, options: EventFanOutOptions = {}): Promise<EventFanOutResult> {
  const subscriberCount = options.subscribers ?? 500;
  const rounds = options.rounds ?? 20;
  const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('base64url'), SEED: '0', RATE_LIMIT_PER_MINUTE: '0' });
  const hub = new EventHub(database, { maxStreamsPerTenant: subscriberCount, maxStreamsPerUser: subscriberCount });
  const app = createApp({ database, config, events: hub });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const { port } = server.address() as AddressInfo;

  const tenantId = `bench_events_${Date.now()}`;
  const token = await signToken(config.jwtSecret, { sub: 'bench', name: 'Bench', tid: tenantId, role: 'admin' });
  const url = `http://127.0.0.1:${port}/api/v1/events?access_token=${token}`;
  const subscribers = Array.from({ length: subscriberCount }, () => new Subscriber());

  try {
    const connectStarted = performance.now();
    for (let i = 0; i < subscribers.length; i += 50) {
      await withDeadline(Promise.all(subscribers.slice(i, i + 50).map((s) => s.open(url))), 'the streams to open');
    }
    const connectMs = performance.now() - connectStarted;

    const perSubscriber: number[] = [];
    const lastSubscriber: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const row = await database.db.transaction((tx) =>
        recordEvent(tx, { tenantId, type: 'customer.updated', actor: null, customerId: null, version: round + 1 }),
      );
      const committed = performance.now();
      const arrivals = await withDeadline(Promise.all(subscribers.map((s) => s.arrival(String(row.seq)))), `event ${row.seq}`);
      const latencies = arrivals.map((at) => at - committed);
      perSubscriber.push(...latencies);
      lastSubscriber.push(Math.max(...latencies));
    }
    return {
      database: database.kind,
      subscribers: subscriberCount,
      rounds,
      connectMs: Math.round(connectMs),
      perSubscriberMs: latency(perSubscriber),
      lastSubscriberMs: latency(lastSubscriber),
    };
  } finally {
    await Promise.all(subscribers.map((s) => s.close()));
    await hub.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
