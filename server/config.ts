/**
 * The environment, read and checked once at start. Anything wrong stops the
 * start with a ConfigError whose message is one line naming the variable.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  jwtSecret: string;
  /** Optional JWKS URL for hosts that sign with asymmetric keys. */
  jwksUrl: string | null;
  /** Origins allowed to call the API from a browser (CORS); empty: same origin only. */
  corsOrigins: string[];
  production: boolean;
  demo: boolean;
  seed: boolean;
  seedCustomers: number;
  /** How often the expiry sweep runs, in ms; 0 turns it off. */
  sweepIntervalMs: number;
  /** Requests a minute per user (tenant and subject) and server instance; 0 turns the limit off. */
  rateLimitPerMinute: number;
  logLevel: LogLevel;
  /** How long requests in flight may take to finish once a shutdown begins. */
  shutdownGraceMs: number;
  /** Bearer token GET /metrics asks for; null: open in demo mode, off in production. */
  metricsToken: string | null;
  /** Apply migrations at start (MIGRATE=0: a separate `npm run migrate` does). */
  migrate: boolean;
}

export class ConfigError extends Error {}

const MIN_SECRET_BYTES = 32;

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function flagFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1 or 0 (true or false), got ${JSON.stringify(raw)}`);
}

/** Names what is wrong without echoing the URL: it usually holds a password. */
function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string | null {
  const raw = env.DATABASE_URL;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  if (!url.hostname && !url.searchParams.get('host')) throw new ConfigError('DATABASE_URL names no host');
  if (url.port && !/^\d+$/.test(url.port)) throw new ConfigError('DATABASE_URL has a port that is not a number');
  return raw;
}

function logLevelFromEnv(env: NodeJS.ProcessEnv): LogLevel {
  const raw = env.LOG_LEVEL;
  if (!raw) return 'info';
  const level = raw.toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`);
  return level;
}

/** Where the data lives: all `npm run migrate` needs. */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'databaseUrl' | 'dataDir' | 'logLevel' | 'production'> {
  return {
    databaseUrl: databaseUrlFromEnv(env),
    dataDir: resolve(env.DATA_DIR || './.data'),
    logLevel: logLevelFromEnv(env),
    production: env.NODE_ENV === 'production',
  };
}

/**
 * In demo mode a secret is generated once and kept in DATA_DIR, so tokens
 * survive restarts; production refuses to start without JWT_SECRET.
 */
function demoSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const base = loadDatabaseConfig(env);
  const { production } = base;
  const config: Omit<Config, 'jwtSecret'> = {
    ...base,
    port: intFromEnv(env, 'PORT', 3000, 0, 65535),
    jwksUrl: env.JWKS_URL || null,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    demo: !production,
    seed: flagFromEnv(env, 'SEED', true),
    seedCustomers: intFromEnv(env, 'SEED_CUSTOMERS', 500, 0, 2_000_000),
    sweepIntervalMs: intFromEnv(env, 'SWEEP_INTERVAL_MS', 60 * 60 * 1000, 0, 7 * 24 * 3600 * 1000),
    rateLimitPerMinute: intFromEnv(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    shutdownGraceMs: intFromEnv(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 10 * 60 * 1000),
    metricsToken: env.METRICS_TOKEN || null,
    migrate: flagFromEnv(env, 'MIGRATE', true),
  };
  if (config.jwksUrl && !/^https?:\/\//.test(config.jwksUrl)) throw new ConfigError('JWKS_URL must be an http:// or https:// URL');
  if (production && config.metricsToken && config.metricsToken.length < 16) {
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters long in production');
  }
  let jwtSecret = env.JWT_SECRET ?? '';
  if (!jwtSecret) {
    if (production) {
      throw new ConfigError('JWT_SECRET is required when NODE_ENV=production: set it to the secret your host backend signs tokens with');
    }
    // Last: everything else is checked before DATA_DIR is written to.
    jwtSecret = demoSecret(config.dataDir);
  }
  if (production && Buffer.byteLength(jwtSecret) < MIN_SECRET_BYTES) {
    throw new ConfigError(`JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long in production`);
  }
  return { ...config, jwtSecret };
}
