/**
 * The programme's levels and how members move between them. A member's level
 * follows lifetimePoints (the highest level whose minPoints they reached)
 * unless it was locked by hand; every change of level or lock is a
 * `level.changed` event with its cause.
 */
import { z } from '@hono/zod-openapi';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth.ts';
import { query, type Tx } from '../db/client.ts';
import { customers, levels, type CustomerRow, type LevelRow } from '../db/schema.ts';
import { ValidationFailed, conflict, notFound } from '../errors.ts';
import { requireCustomer } from './customers.ts';
import { recordEvent, recordEvents } from './history.ts';

/** Why a member's level changed: their points, an admin's hand, or the rules themselves. */
export type LevelCause = 'points' | 'manual' | 'rule_change';

export const MAX_MIN_POINTS = 1_000_000_000;

const name = z.string().trim().min(1, { message: 'Required.' }).max(100, { message: 'At most 100 characters.' });
const minPoints = z
  .number({ message: 'Must be a whole number.' })
  .int({ message: 'Must be a whole number.' })
  .min(0, { message: 'Must be 0 or more.' })
  .max(MAX_MIN_POINTS, { message: `At most ${MAX_MIN_POINTS}.` });
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, { message: 'Use a hex colour like #d4a017.' })
  .nullable()
  .optional();
const benefits = z.string().trim().max(2000, { message: 'At most 2000 characters.' }).nullable().optional();

export const LevelCreateSchema = z.strictObject({ name, minPoints, color, benefits }).openapi('LevelCreate');
export const LevelPatchSchema = z
  .strictObject({ name: name.optional(), minPoints: minPoints.optional(), color, benefits })
  .openapi('LevelPatch');
export type LevelCreateInput = z.output<typeof LevelCreateSchema>;
export type LevelPatchInput = z.output<typeof LevelPatchSchema>;

/**
 * SQL for the automatic level of a member of `tenantId` with `lifetime`
 * lifetime points: the highest level reached, or null below every threshold.
 */
export function automaticLevelSql(tenantId: string, lifetime: SQL): SQL {
  return sql`(select lv.id from levels lv where lv.tenant_id = ${tenantId} and lv.min_points <= ${lifetime} order by lv.min_points desc limit 1)`;
}

export type LevelRef = { id: string; name: string } | null;

async function levelRefs(tx: Tx, tenantId: string, ids: Array<string | null>): Promise<Map<string, LevelRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const rows = wanted.length
    ? await tx
        .select({ id: levels.id, name: levels.name })
        .from(levels)
        .where(and(eq(levels.tenantId, tenantId), inArray(levels.id, wanted)))
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

export interface LevelChange {
  customerId: string;
  version: number;
  from: string | null;
  to: string | null;
  lifetimePoints: number;
  locked: boolean;
  lockedBefore?: boolean;
}

/** Writes one `level.changed` event per change; names are kept so history reads well after a rename. */
export async function recordLevelChanges(
  tx: Tx,
  tenantId: string,
  actor: Actor | null,
  cause: LevelCause,
  changes: LevelChange[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (!changes.length) return;
  const refs = await levelRefs(tx, tenantId, changes.flatMap((c) => [c.from, c.to]));
  const toEvent = (change: LevelChange) => ({
    tenantId,
    type: 'level.changed' as const,
    actor,
    customerId: change.customerId,
    version: change.version,
    data: {
      cause,
      from: change.from ? (refs.get(change.from) ?? { id: change.from, name: null }) : null,
      to: change.to ? (refs.get(change.to) ?? { id: change.to, name: null }) : null,
      lifetimePoints: change.lifetimePoints,
      locked: change.locked,
      ...(change.lockedBefore !== undefined && change.lockedBefore !== change.locked ? { lockedBefore: change.lockedBefore } : {}),
      ...extra,
    },
  });
  if (changes.length === 1) await recordEvent(tx, toEvent(changes[0]));
  else await recordEvents(tx, changes.map(toEvent));
}

/**
 * Moves every unlocked live member of the tenant whose level no longer
 * matches the rules, after a level was added, re-thresholded or deleted.
 * The caller holds the level rules exclusively (lockLevelRules), so every
 * writer of a member has committed before this reads, and none starts
 * until this commits: the level is computed from current lifetimePoints.
 */
export async function recomputeLevels(tx: Tx, tenantId: string, actor: Actor | null, extra: Record<string, unknown> = {}): Promise<number> {
  const stale = await query<{ id: string; level_id: string | null }>(
    tx,
    sql`select c.id, c.level_id from customers c
        where c.tenant_id = ${tenantId} and not c.level_locked and c.merged_into is null and c.erased_at is null
          and c.level_id is distinct from ${automaticLevelSql(tenantId, sql`c.lifetime_points`)}
        order by c.id for update`,
  );
  if (!stale.length) return 0;
  const changes: LevelChange[] = [];
  for (let start = 0; start < stale.length; start += 5000) {
    const chunk = stale.slice(start, start + 5000);
    const before = new Map(chunk.map((r) => [r.id, r.level_id]));
    const updated = await tx
      .update(customers)
      .set({
        levelId: sql`${automaticLevelSql(tenantId, sql`${customers.lifetimePoints}`)}`,
        version: sql`${customers.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, chunk.map((r) => r.id))))
      .returning({ id: customers.id, levelId: customers.levelId, version: customers.version, lifetimePoints: customers.lifetimePoints });
    for (const row of updated) {
      changes.push({ customerId: row.id, version: row.version, from: before.get(row.id) ?? null, to: row.levelId, lifetimePoints: row.lifetimePoints, locked: false });
    }
  }
  await recordLevelChanges(tx, tenantId, actor, 'rule_change', changes, extra);
  return changes.length;
}

/**
 * PUT /customers/:id/level: `{levelId, locked: true}` pins a level by hand;
 * `{locked: false}` returns to automatic progression and recomputes at once.
 * The row must be locked by the caller.
 */
export async function setCustomerLevel(
  tx: Tx,
  row: CustomerRow,
  actor: Actor,
  input: { locked: true; levelId: string } | { locked: false },
): Promise<CustomerRow> {
  const { tenantId } = row;
  let levelId: SQL | string;
  if (input.locked) {
    await requireLevel(tx, tenantId, input.levelId, 'levelId');
    levelId = input.levelId;
  } else {
    levelId = automaticLevelSql(tenantId, sql`${row.lifetimePoints}::integer`);
  }
  const [target] = await query<{ id: string | null }>(tx, sql`select ${levelId}::uuid as id`);
  if (target.id === row.levelId && input.locked === row.levelLocked) return row;
  const [updated] = await tx
    .update(customers)
    .set({ levelId: target.id, levelLocked: input.locked, version: sql`${customers.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, row.id)))
    .returning();
  await recordLevelChanges(tx, tenantId, actor, 'manual', [
    {
      customerId: row.id,
      version: updated.version,
      from: row.levelId,
      to: updated.levelId,
      lifetimePoints: updated.lifetimePoints,
      locked: updated.levelLocked,
      lockedBefore: row.levelLocked,
    },
  ]);
  return updated;
}

/** PUT /customers/:id/level, under the customer's row lock. */
export async function assignLevel(
  tx: Tx,
  tenantId: string,
  customerId: string,
  actor: Actor,
  assignment: { locked: true; levelId: string } | { locked: false },
): Promise<CustomerRow> {
  return setCustomerLevel(tx, await requireCustomer(tx, tenantId, customerId, { lock: true }), actor, assignment);
}

async function requireLevel(tx: Tx, tenantId: string, id: string, field: string | null): Promise<LevelRow> {
  const [level] = await tx.select().from(levels).where(and(eq(levels.tenantId, tenantId), eq(levels.id, id)));
  if (!level) throw field ? new ValidationFailed([{ path: field, message: 'No such level in this programme.' }]) : notFound('Level');
  return level;
}

export function serializeLevel(row: LevelRow, memberCount: number) {
  return {
    id: row.id,
    name: row.name,
    minPoints: row.minPoints,
    color: row.color,
    benefits: row.benefits,
    memberCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type Level = ReturnType<typeof serializeLevel>;

/** How many live members hold each level. */
async function memberCounts(tx: Tx, tenantId: string, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await tx
    .select({ levelId: customers.levelId, n: sql<number>`count(*)::int` })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.levelId, ids), sql`${customers.mergedInto} is null`, sql`${customers.erasedAt} is null`))
    .groupBy(customers.levelId);
  return new Map(rows.map((r) => [r.levelId as string, Number(r.n)]));
}

export async function listLevels(tx: Tx, tenantId: string): Promise<Level[]> {
  const rows = await tx.select().from(levels).where(eq(levels.tenantId, tenantId)).orderBy(asc(levels.minPoints));
  const counts = await memberCounts(tx, tenantId, rows.map((r) => r.id));
  return rows.map((r) => serializeLevel(r, counts.get(r.id) ?? 0));
}

export async function levelView(tx: Tx, row: LevelRow): Promise<Level> {
  const counts = await memberCounts(tx, row.tenantId, [row.id]);
  return serializeLevel(row, counts.get(row.id) ?? 0);
}

/** Names are unique regardless of case, thresholds unique: answered per field, as 422. */
async function assertDistinct(tx: Tx, tenantId: string, input: { name?: string; minPoints?: number }, exceptId: string | null) {
  const others = await tx.select().from(levels).where(eq(levels.tenantId, tenantId));
  const details = [];
  for (const other of others) {
    if (other.id === exceptId) continue;
    if (input.name !== undefined && other.name.toLowerCase() === input.name.toLowerCase()) {
      details.push({ path: 'name', message: `The level “${other.name}” already has this name.` });
    }
    if (input.minPoints !== undefined && other.minPoints === input.minPoints) {
      details.push({ path: 'minPoints', message: `The level “${other.name}” already starts at ${other.minPoints} points.` });
    }
  }
  if (details.length) throw new ValidationFailed(details);
}

/** A racing writer can still hit the unique indexes: answered like assertDistinct. */
async function distinctOrInvalid<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const cause = ((err as { cause?: unknown }).cause ?? err) as { code?: string; constraint_name?: string; constraint?: string; message?: string };
    if (cause.code !== '23505') throw err;
    const constraint = cause.constraint_name ?? cause.constraint ?? cause.message ?? '';
    const path = constraint.includes('min_points') ? 'minPoints' : 'name';
    throw new ValidationFailed([{ path, message: path === 'name' ? 'Another level already has this name.' : 'Another level already starts at this many points.' }]);
  }
}

/**
 * The tenant's level rules as a lock, held to the end of the transaction.
 * Every writer of a member (points, a new member, a merge, any edit) takes
 * it shared before the member's row lock; a change of the rules takes it
 * exclusively. A change of the rules therefore waits for the writers in
 * flight and recomputes after they committed, and a writer arriving
 * meanwhile waits and then reads the new rules: levels are right whatever
 * commits first. Exclusive holders also serialise level edits, so two
 * admins cannot both pass the distinctness check.
 */
export async function lockLevelRules(tx: Tx, tenantId: string, mode: 'shared' | 'exclusive') {
  const key = sql`hashtext(${'levels:' + tenantId})`;
  await tx.execute(mode === 'shared' ? sql`select pg_advisory_xact_lock_shared(${key})` : sql`select pg_advisory_xact_lock(${key})`);
}

export async function createLevel(tx: Tx, tenantId: string, actor: Actor, input: LevelCreateInput): Promise<{ level: LevelRow; moved: number }> {
  await lockLevelRules(tx, tenantId, 'exclusive');
  await assertDistinct(tx, tenantId, input, null);
  const [level] = await distinctOrInvalid(() =>
    tx
      .insert(levels)
      .values({ tenantId, name: input.name, minPoints: input.minPoints, color: input.color ?? null, benefits: input.benefits ?? null })
      .returning(),
  );
  const moved = await recomputeLevels(tx, tenantId, actor, { rule: { levelId: level.id, action: 'created' } });
  return { level, moved };
}

export async function updateLevel(tx: Tx, tenantId: string, actor: Actor, id: string, input: LevelPatchInput): Promise<{ level: LevelRow; moved: number }> {
  await lockLevelRules(tx, tenantId, 'exclusive');
  const current = await requireLevel(tx, tenantId, id, null);
  await assertDistinct(tx, tenantId, input, id);
  const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  if (!Object.keys(set).length) return { level: current, moved: 0 };
  const [level] = await distinctOrInvalid(() =>
    tx
      .update(levels)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(levels.tenantId, tenantId), eq(levels.id, id)))
      .returning(),
  );
  const moved =
    input.minPoints !== undefined && input.minPoints !== current.minPoints
      ? await recomputeLevels(tx, tenantId, actor, { rule: { levelId: id, action: 'threshold_changed', from: current.minPoints, to: input.minPoints } })
      : 0;
  return { level, moved };
}

/**
 * Refused while any live member holds the level (automatic or locked): the
 * admin first moves them (a manual level, or thresholds). Rows of merged-away
 * or erased customers no longer hold anything, so their stale reference is
 * cleared; the foreign key still refuses a member promoted concurrently.
 */
export async function deleteLevel(tx: Tx, tenantId: string, id: string): Promise<void> {
  await lockLevelRules(tx, tenantId, 'exclusive');
  const level = await requireLevel(tx, tenantId, id, null);
  const counts = await memberCounts(tx, tenantId, [id]);
  const holders = counts.get(id) ?? 0;
  if (holders) {
    throw conflict(`The level “${level.name}” is held by ${holders} member${holders === 1 ? '' : 's'}; move them to another level first.`, {
      memberCount: holders,
    });
  }
  await tx
    .update(customers)
    .set({ levelId: null })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.levelId, id), sql`(${customers.mergedInto} is not null or ${customers.erasedAt} is not null)`));
  try {
    await tx.delete(levels).where(and(eq(levels.tenantId, tenantId), eq(levels.id, id)));
  } catch (err) {
    const code = ((err as { cause?: { code?: string } }).cause ?? (err as { code?: string })).code;
    if (code === '23503') throw conflict(`The level “${level.name}” was just given to a member; try again.`);
    throw err;
  }
}
