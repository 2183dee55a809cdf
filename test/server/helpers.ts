/**
 * One real database per test file: PGlite in memory by default, or a fresh
 * PostgreSQL database when TEST_DATABASE_URL is set (test/run.mjs sets it from
 * DATABASE_URL). Tests isolate themselves by using their own tenant ids.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import postgres from 'postgres';
import { createApp, type App } from '../../server/app.ts';
import { PERMISSIONS, signToken } from '../../server/auth.ts';
import type { Config } from '../../server/config.ts';
import { migrate, openDatabase, type Database } from '../../server/db/client.ts';
import { contractOf } from './contract.ts';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    databaseUrl: null,
    dataDir: 'memory://',
    jwtSecret: TEST_SECRET,
    jwksUrl: null,
    corsOrigins: [],
    production: false,
    demo: true,
    seed: false,
    seedCustomers: 0,
    sweepIntervalMs: 0,
    rateLimitPerMinute: 0,
    logLevel: 'silent',
    shutdownGraceMs: 10_000,
    metricsToken: null,
    migrate: true,
    ...overrides,
  };
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** Creates a fresh database on the server of TEST_DATABASE_URL; answers its URL and a dropper. */
export async function freshPostgresDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `clientela_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

/** The migrated cluster the runner made (test/pglite-template.ts), if any: loading it skips initdb and migrations. */
function pgliteTemplate(): Blob | undefined {
  const file = process.env.PGLITE_TEMPLATE;
  return file && existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

export interface TestContext {
  database: Database;
  app: App;
  config: Config;
  databaseUrl: string | null;
}

/** Call at the top of a test file: opens, migrates and finally closes one database. */
export function useTestApp(overrides: Partial<Config> = {}): TestContext {
  const ctx = {} as TestContext;
  let drop: (() => Promise<void>) | null = null;
  before(async () => {
    let databaseUrl: string | null = null;
    if (process.env.TEST_DATABASE_URL) {
      const fresh = await freshPostgresDatabase(process.env.TEST_DATABASE_URL);
      databaseUrl = fresh.url;
      drop = fresh.drop;
    }
    ctx.config = testConfig({ databaseUrl, ...overrides });
    ctx.databaseUrl = databaseUrl;
    ctx.database = await openDatabase({ databaseUrl, dataDir: 'memory://', max: 20, pgliteTemplate: databaseUrl ? undefined : pgliteTemplate() });
    await migrate(ctx.database);
    ctx.app = createApp({ database: ctx.database, config: ctx.config });
  });
  after(async () => {
    await ctx.database?.close();
    if (drop) await drop();
  });
  return ctx;
}

export interface TokenOptions {
  tenantId?: string;
  sub?: string;
  name?: string;
  role?: string;
  perms?: string[];
  ttlSeconds?: number;
  secret?: string;
}

export const newTenantId = () => `t_${randomUUID().slice(0, 12)}`;

export function tokenFor(options: TokenOptions = {}): Promise<string> {
  return signToken(
    options.secret ?? TEST_SECRET,
    {
      sub: options.sub ?? 'user-1',
      name: options.name ?? 'Test User',
      tid: options.tenantId ?? 'tenant-test',
      role: options.role,
      perms: options.perms ?? [...PERMISSIONS],
    },
    options.ttlSeconds ?? 3600,
  );
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One HTTP call to the app, answered with its status, headers and parsed
 * JSON, after checking the answer against the served OpenAPI document
 * (contract.ts): an answer the document does not allow fails the test.
 */
export async function call<T = any>(app: App, method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.request(path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: kept as text so a test can say what it got
  }
  const answer = { status: res.status, headers: res.headers, body: parsed as T };
  (await contractOf(app)).check(method, path, answer);
  return answer;
}

/** A tenant of its own with an admin token, and a bound `api` helper. */
export async function newTenant(ctx: TestContext, tokenOptions: TokenOptions = {}) {
  const tenantId = tokenOptions.tenantId ?? newTenantId();
  const token = await tokenFor({ role: 'admin', ...tokenOptions, tenantId });
  const api = <T = any>(method: string, path: string, options: CallOptions = {}) =>
    call<T>(ctx.app, method, `/api/v1${path}`, { token, ...options });
  return { tenantId, token, api };
}
