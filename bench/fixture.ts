/**
 * What the sections share: a tenant of generated customers (with a few
 * near-duplicates) and an app with an admin token for it, and the same app
 * served over real HTTP on a port when a section needs sockets.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type App } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { sql } from 'drizzle-orm';
import { query, type Database } from '../server/db/client.ts';
import { signToken } from '../server/auth.ts';
import { generateCustomers, generateDuplicates } from './generate.ts';
import { timed } from './stats.ts';

export interface BenchApp {
  database: Database;
  config: Config;
  app: App;
  tenantId: string;
  token: string;
  /** GET through app.request (no sockets); throws unless 200. */
  get<T = unknown>(path: string): Promise<T>;
}

export interface LargeTenant extends BenchApp {
  /** Generated customers, near-duplicates not counted. */
  customers: number;
  duplicates: number;
  generateSeconds: number;
}

export async function benchApp(database: Database, tenantId: string): Promise<BenchApp> {
  const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('base64url'), SEED: '0', RATE_LIMIT_PER_MINUTE: '0' });
  const app = createApp({ database, config });
  const token = await signToken(config.jwtSecret, { sub: 'bench', name: 'Bench', tid: tenantId, role: 'admin' }, 24 * 3600);
  return {
    database,
    config,
    app,
    tenantId,
    token,
    async get<T>(path: string) {
      const res = await getRetrying(app, token, path);
      const body = (await res.json()) as T;
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(body)}`);
      return body;
    },
  };
}

/** A GET through the app, waited out while it answers 503 with Retry-After (GET /duplicates of a large tenant). */
export async function getRetrying(app: { request: (url: string, init: RequestInit) => Response | Promise<Response> }, token: string, path: string): Promise<Response> {
  for (;;) {
    const res = await app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status !== 503 || !retryAfter) return res;
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}

/** Generates `customers` (plus 2% near-duplicates) into a new tenant. */
export async function largeTenant(database: Database, customers: number): Promise<LargeTenant> {
  const tenantId = `bench_${Date.now()}`;
  const [duplicates, ms] = await timed(async () => {
    const [{ count }] = await query<{ count: number }>(database.db, sql`select count(*)::int as count from customers`);
    await generateCustomers(database.db, {
      tenantId,
      customers,
      rebuildIndexes: customers > 4 * Number(count),
      onProgress: (done) => process.stderr.write(`\r  generating customers: ${done.toLocaleString('en')} / ${customers.toLocaleString('en')}`),
    });
    return generateDuplicates(database.db, { tenantId, customers });
  });
  process.stderr.write(`\n  generated ${customers.toLocaleString('en')} customers and ${duplicates.toLocaleString('en')} near-duplicates in ${(ms / 1000).toFixed(1)} s\n`);
  return { ...(await benchApp(database, tenantId)), customers, duplicates, generateSeconds: Math.round(ms / 100) / 10 };
}

/** The app on a real port of 127.0.0.1 (@hono/node-server), with extra routes in front if given. */
export async function listen(app: App, extra?: (request: Request) => Response | null): Promise<{ url: string; close(): Promise<void> }> {
  // Requests still being answered when a load run stops are let finish before close() resolves.
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const fetch = async (request: Request) => {
    inFlight += 1;
    try {
      return (extra?.(request) ?? (await app.fetch(request))) as Response;
    } finally {
      inFlight -= 1;
      if (!inFlight) drained?.();
    }
  };
  const server = (await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  })) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (inFlight) await new Promise<void>((resolve) => (drained = resolve));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
