import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
}

export class ConfigError extends Error {}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
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
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.DATA_DIR || './.data');
  let jwtSecret = env.JWT_SECRET ?? '';
  if (!jwtSecret) {
    if (production) {
      throw new ConfigError('JWT_SECRET is required when NODE_ENV=production: set it to the secret your host backend signs tokens with.');
    }
    jwtSecret = demoSecret(dataDir);
  }
  if (production && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters long in production.');
  }
  return {
    port: intFromEnv(env, 'PORT', 3000, 0, 65535),
    databaseUrl: env.DATABASE_URL || null,
    dataDir,
    jwtSecret,
    jwksUrl: env.JWKS_URL || null,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    production,
    demo: !production,
    seed: env.SEED !== '0' && env.SEED !== 'false',
    seedCustomers: intFromEnv(env, 'SEED_CUSTOMERS', 500, 0, 2_000_000),
    sweepIntervalMs: intFromEnv(env, 'SWEEP_INTERVAL_MS', 60 * 60 * 1000, 0, 7 * 24 * 3600 * 1000),
    rateLimitPerMinute: intFromEnv(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
  };
}
