/**
 * A per-user rate limit: a token bucket for each token's tenant and subject
 * (so minting fresh tokens does not reset it), holding `perMinute` requests
 * and refilled at `perMinute` a minute. Beyond it: 429 `rate_limited` with
 * Retry-After.
 *
 * Per instance, deliberately: the buckets live in this process's memory, so
 * behind N instances a user gets up to N × the limit. A PostgreSQL-backed
 * window would make every API call a write on one hot row per user, for a
 * limit that exists to stop runaway clients rather than to meter usage
 * (docs/reliability.md has the measurements).
 */
import { createMiddleware } from 'hono/factory';
import type { AuthEnv } from './auth.ts';
import { ApiError } from './errors.ts';

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiter {
  /** Takes one request from the key's bucket; answers 0 when allowed, else the seconds to wait. */
  take(key: string): number;
  readonly size: number;
}

export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();
  const refill = (bucket: Bucket, time: number) => Math.min(perMinute, bucket.tokens + (time - bucket.at) * perMs);

  /** Forgets buckets that have filled up again: a full bucket is the same as none. */
  function sweep(time: number) {
    lastSweep = time;
    for (const [key, bucket] of buckets) if (refill(bucket, time) >= perMinute) buckets.delete(key);
  }

  return {
    take(key) {
      const time = now();
      if (time - lastSweep > 60_000) sweep(time);
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: time };
      bucket.tokens = refill(bucket, time);
      bucket.at = time;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
    get size() {
      return buckets.size;
    },
  };
}

/** Mounted after authentication; `perMinute` 0 turns the limit off. */
export function rateLimit(perMinute: number) {
  const limiter = perMinute > 0 ? createRateLimiter(perMinute) : null;
  return createMiddleware<AuthEnv>(async (c, next) => {
    if (limiter) {
      const { tenantId, user } = c.get('auth');
      const wait = limiter.take(`${tenantId}\u0000${user.id}`);
      if (wait) {
        throw new ApiError(429, 'rate_limited', `Too many requests: at most ${perMinute} a minute. Retry in ${wait} s.`, {}, { 'Retry-After': String(wait) });
      }
    }
    await next();
  });
}
