/**
 * Idempotency-Key (SPEC §4). The key is claimed inside the transaction that
 * does the work, so a retry racing the first attempt waits on the key's row
 * and then replays its answer: applied once, even across server instances.
 * A failed attempt rolls its claim back, so a retry tries again.
 */
import { createHash } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Db, Tx } from './db/client.ts';
import { idempotencyKeys } from './db/schema.ts';
import type { AppEnv } from './env.ts';
import { ApiError, invalid } from './errors.ts';

export const IDEMPOTENCY_TTL_HOURS = 24;

export interface Answer<T, S extends number = number> {
  status: S;
  body: T;
  headers?: Record<string, string>;
  /** The customers the answer is about ([] for none): an erasure of one of them deletes the stored answer. */
  customerIds: string[];
}

function requestHash(scope: string, body: unknown): string {
  return createHash('sha256').update(scope).update('\u0000').update(JSON.stringify(body ?? null)).digest('hex');
}

/** Runs `work` in a transaction, at most once per Idempotency-Key of the tenant. */
export async function idempotent<T, S extends number>(
  c: Context<AppEnv>,
  body: unknown,
  work: (tx: Tx) => Promise<Answer<T, S>>,
): Promise<Answer<T, S> & { replayed: boolean }> {
  const db: Db = c.var.db;
  const key = c.req.header('idempotency-key');
  if (key === undefined) return { ...(await db.transaction((tx) => work(tx))), replayed: false };
  if (key.length < 1 || key.length > 255) throw invalid('Idempotency-Key', 'Must be 1–255 characters.');
  const tenantId = c.var.auth.tenantId;
  const scope = `${c.req.method} ${c.req.path}`;
  const hash = requestHash(scope, body);
  return db.transaction(async (tx) => {
    const where = and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key));
    // A key older than the window is forgotten.
    await tx.delete(idempotencyKeys).where(and(where, lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`)));
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ tenantId, key, scope, requestHash: hash, status: 0, response: {} })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (!claimed.length) {
      const [existing] = await tx.select().from(idempotencyKeys).where(where);
      if (!existing || existing.requestHash !== hash) {
        throw new ApiError(422, 'validation_failed', 'This Idempotency-Key was already used with a different request.', {
          details: [{ path: 'Idempotency-Key', message: 'Already used with a different request.' }],
        });
      }
      return { status: existing.status as S, body: existing.response as T, customerIds: existing.customerIds, replayed: true };
    }
    const answer = await work(tx);
    await tx.update(idempotencyKeys).set({ status: answer.status, response: answer.body as object, customerIds: answer.customerIds }).where(where);
    return { ...answer, replayed: false };
  });
}

export function purgeIdempotencyKeys(db: Db) {
  return db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`));
}
