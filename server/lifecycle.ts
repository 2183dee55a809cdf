/**
 * Readiness and the shutdown drain. `/readyz` is 200 while the database
 * answers and holds every migration this code ships; from the moment a
 * shutdown begins it is 503, every response asks its client to close the
 * connection, and event streams ended by the shutdown carry a retry hint
 * so their clients reconnect soon, to another instance.
 */
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { sql } from 'drizzle-orm';
import { migrationsApplied, type Database } from './db/client.ts';
import type { Logger } from './logger.ts';

/** Clients reconnect after a random wait in this range, so a fleet does not return all at once. */
const RECONNECT_MS = [500, 2500] as const;

export class Lifecycle {
  private stopping = false;

  get shuttingDown(): boolean {
    return this.stopping;
  }

  beginShutdown(): void {
    this.stopping = true;
  }
}

export function readinessHandler(database: Database, lifecycle: Lifecycle) {
  // Once every migration is there it stays there: later probes only ask the database to answer.
  let migrated = false;
  const notReady = (c: Context, reason: string) => c.json({ status: 'not ready', reason }, 503, { 'Cache-Control': 'no-store' });
  return async (c: Context) => {
    if (lifecycle.shuttingDown) return notReady(c, 'shutting down');
    try {
      if (migrated) await database.db.execute(sql`select 1`);
      else migrated = await migrationsApplied(database);
    } catch {
      return notReady(c, 'database unavailable');
    }
    if (!migrated) return notReady(c, 'migrations pending');
    return c.json({ status: 'ready' }, 200, { 'Cache-Control': 'no-store' });
  };
}

export function drainOnShutdown(lifecycle: Lifecycle): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (lifecycle.shuttingDown) c.header('Connection', 'close');
    if (c.res.body && c.res.headers.get('content-type')?.startsWith('text/event-stream')) {
      c.res = new Response(c.res.body.pipeThrough(retryHintAtShutdown(lifecycle)), c.res);
    }
  };
}

function retryHintAtShutdown(lifecycle: Lifecycle): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    flush(controller) {
      if (!lifecycle.shuttingDown) return;
      const [min, max] = RECONNECT_MS;
      const wait = min + Math.floor(Math.random() * (max - min));
      controller.enqueue(new TextEncoder().encode(`retry: ${wait}\n\n`));
    },
  });
}

/**
 * How long keep-alive connections idle at shutdown may still bring one more
 * request (answered, with Connection: close) before they are closed. Closing
 * them at once, as http.Server#close does, resets requests a client (or a
 * proxy's pool) has already sent on them but the server has not read yet.
 */
const IDLE_DRAIN_MS = 1000;

/**
 * Stops accepting connections and waits for the requests in flight, at most
 * `graceMs`; then cuts what is left. Answers how many connections were cut.
 */
export function closeServer(server: Server, graceMs: number, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    let cut = 0;
    const idle = setTimeout(() => server.closeIdleConnections(), Math.min(IDLE_DRAIN_MS, graceMs));
    const grace = setTimeout(() => {
      server.getConnections((_err, open) => {
        cut = open;
        if (open) logger.warn({ connections: open, graceMs }, 'shutdown grace over: closing the connections still open');
        server.closeAllConnections();
      });
    }, graceMs);
    // net.Server's close, not http.Server's: it stops listening without closing idle connections at once (see IDLE_DRAIN_MS).
    NetServer.prototype.close.call(server, () => {
      clearTimeout(idle);
      clearTimeout(grace);
      resolve(cut);
    });
  });
}
