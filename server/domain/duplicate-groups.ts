/**
 * GET /duplicates: groups of likely duplicates across the tenant, strongest
 * first, with every cost bounded whatever the tenant looks like (20,000
 * namesakes once made one 26 MB group and blocked the process for seconds):
 * - minScore has a floor: below it pairs share too little to be worth a look;
 * - a group holds at most what one merge takes (a primary and its sources).
 *   Pairs join customers strongest first (Kruskal); a pair that would make
 *   a group too large is left out, so a chain of lookalikes splits along
 *   its weakest links instead of becoming one group;
 * - a page stops growing at MAX_PAGE_BYTES of JSON;
 * - the scoring gives the event loop a turn every few milliseconds, one
 *   tenant's computation runs at a time per process, concurrent callers
 *   share it, and a caller waits at most WAIT_MS (then 503 with
 *   Retry-After: the computation carries on and its result is cached);
 * - what is cached is compact (ids and typed arrays of scored pairs, not
 *   customers) and the cache has a memory budget.
 * The cache is keyed by a fingerprint of the tenant's customers and
 * dismissals that every instance reads from the database, so none serves
 * groups of data that has changed.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { DuplicateCandidate } from '../contract/customer.ts';
import { MAX_MERGE_SOURCES } from '../contract/limits.ts';
import { query, type Tx } from '../db/client.ts';
import { customers } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import { candidatePairs } from './duplicate-blocking.ts';
import { compareProfiles, DUPLICATE_REASONS, profileOf, type DuplicateReason } from './duplicate-score.ts';
import {
  dismissedPairs,
  loadCandidates,
  pageStart,
  pairKey,
  serializeCandidate,
  summaryColumns,
  type CandidateRow,
  type DuplicateListOptions,
} from './duplicates.ts';
import { encodeCursor } from './cursor.ts';
import { live } from './customers.ts';

/** The lowest minScore of GET /duplicates: a shared common name scores about 0.38, a shared city alone far less. */
export const MIN_GROUP_SCORE = 0.3;
/** One merge takes a primary and MAX_MERGE_SOURCES sources: a larger group could not be merged as one. */
export const MAX_GROUP_SIZE = MAX_MERGE_SOURCES + 1;
/** A page of groups ends before its JSON passes this size (it always holds at least one group). */
export const MAX_PAGE_BYTES = 256 * 1024;
/** How long a caller waits for groups being computed before being told to retry. */
const WAIT_MS = 10_000;
const RETRY_AFTER_SECONDS = 5;
/** What the cache may hold, across tenants, by the estimate of TenantPairs.bytes. */
const CACHE_BYTES = 64 * 1024 * 1024;
/** Work between two turns of the event loop. */
const SLICE_MS = 8;
const LOAD_CHUNK = 500;
/** Groups whose members are loaded in one query while a page fills. */
const LOAD_GROUPS = 25;
/** Thresholds whose groups are kept with a tenant's pairs. */
const GROUPINGS = 4;

export interface DuplicatePair {
  customerIds: [string, string];
  score: number;
  reasons: DuplicateReason[];
}

export interface DuplicateGroup {
  customers: DuplicateCandidate[];
  /** The weakest link holding the group together: every pair of its spanning tree scores at least this. */
  score: number;
  reasons: DuplicateReason[];
  /** The scored pairs within the group at or above minScore. */
  pairs: DuplicatePair[];
}

/** A tenant's scored pairs at or above MIN_GROUP_SCORE, strongest first, in typed arrays. */
export interface TenantPairs {
  ids: string[];
  numbers: Int32Array;
  a: Int32Array;
  b: Int32Array;
  /** Scores in thousandths (they are rounded to three decimals). */
  milli: Uint16Array;
  /** One bit per DUPLICATE_REASONS entry. */
  reasons: Uint8Array;
  /** The groups at the last few thresholds asked for, by threshold in thousandths. */
  groupings: Map<number, RankedGroup[]>;
  bytes: number;
}

/**
 * Values computed per key at a version, kept while the version holds, within
 * a memory budget (least recently used out first; a value larger than the
 * whole budget is answered but not kept). Concurrent callers of one key and
 * version share one computation, and computations run one at a time.
 */
export class GroupCache<V extends { bytes: number }> {
  private readonly entries = new Map<string, { version: string; value: V }>();
  private readonly running = new Map<string, { version: string; value: Promise<V> }>();
  private queue: Promise<unknown> = Promise.resolve();
  bytes = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string, version: string, compute: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit?.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return Promise.resolve(hit.value);
    }
    const pending = this.running.get(key);
    if (pending?.version === version) return pending.value;
    const value = this.queue.then(compute);
    this.queue = value.catch(() => undefined);
    this.running.set(key, { version, value });
    value
      .then((v) => this.keep(key, version, v), () => undefined)
      .then(() => {
        if (this.running.get(key)?.value === value) this.running.delete(key);
      });
    return value;
  }

  private keep(key: string, version: string, value: V) {
    this.drop(key);
    if (value.bytes > this.maxBytes) return;
    while (this.bytes + value.bytes > this.maxBytes) this.drop(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    this.bytes += value.bytes;
  }

  private drop(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.value.bytes;
  }
}

const cache = new GroupCache<TenantPairs>(CACHE_BYTES);

/** Gives the event loop a turn whenever SLICE_MS of work has run since the last one. */
function slicer() {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

/** Changes whenever anything the groups depend on changes: any write bumps a customer's version. */
async function fingerprintOf(tx: Tx, tenantId: string): Promise<string> {
  const [row] = await query<Record<string, string | number>>(
    tx,
    sql`select count(*) as n, count(*) filter (where merged_into is null and erased_at is null) as live, coalesce(sum(version), 0) as versions,
          (select count(*) from duplicate_dismissals d where d.tenant_id = ${tenantId}) as dismissed
        from customers where tenant_id = ${tenantId}`,
  );
  return [row.n, row.live, row.versions, row.dismissed].join('/');
}

/** Every live customer of the tenant, in keyset chunks small enough not to hold up other requests. */
async function liveCustomers(tx: Tx, tenantId: string): Promise<CandidateRow[]> {
  const rows: CandidateRow[] = [];
  for (;;) {
    const after = rows.length ? rows[rows.length - 1].id : null;
    const chunk = await tx
      .select(summaryColumns)
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), live, after ? gt(customers.id, after) : undefined))
      .orderBy(asc(customers.id))
      .limit(LOAD_CHUNK);
    rows.push(...chunk);
    if (chunk.length < LOAD_CHUNK) return rows;
  }
}

const reasonBits = (reasons: DuplicateReason[]) => reasons.reduce((bits, r) => bits | (1 << DUPLICATE_REASONS.indexOf(r)), 0);
const reasonsOf = (bits: number) => DUPLICATE_REASONS.filter((_, i) => bits & (1 << i));

/** Scores the tenant's candidate pairs (duplicate-blocking.ts), keeping those at or above the floor. */
async function scorePairs(tx: Tx, tenantId: string): Promise<TenantPairs> {
  const pause = slicer();
  const rows = await liveCustomers(tx, tenantId);
  const dismissed = await dismissedPairs(tx, tenantId);
  const profiles = [];
  for (const row of rows) {
    profiles.push(profileOf(row));
    await pause();
  }
  const found: Array<{ a: number; b: number; milli: number; reasons: number }> = [];
  for (const [a, b] of candidatePairs(profiles)) {
    await pause();
    if (dismissed.has(pairKey(rows[a].id, rows[b].id))) continue;
    const { score, reasons } = compareProfiles(profiles[a], profiles[b]);
    if (score >= MIN_GROUP_SCORE) found.push({ a, b, milli: Math.round(score * 1000), reasons: reasonBits(reasons) });
  }
  found.sort((x, y) => y.milli - x.milli || x.a - y.a || x.b - y.b);
  const ids = rows.map((r) => r.id);
  return {
    ids,
    numbers: Int32Array.from(rows, (r) => r.number),
    a: Int32Array.from(found, (f) => f.a),
    b: Int32Array.from(found, (f) => f.b),
    milli: Uint16Array.from(found, (f) => f.milli),
    reasons: Uint8Array.from(found, (f) => f.reasons),
    groupings: new Map(),
    // Strings of 36 characters with their overhead, the typed arrays, room for the groupings, and slack.
    bytes: ids.length * (100 + 4 + GROUPINGS * 40) + found.length * (11 + GROUPINGS * 4) + 1024,
  };
}

interface RankedGroup {
  members: number[];
  /** Indexes into the pair arrays. */
  pairs: number[];
  milli: number;
  reasons: number;
  firstNumber: number;
}

/** The groups at minScore, remembered for the last few thresholds asked for. */
function groupsAt(pairs: TenantPairs, minScore: number): RankedGroup[] {
  const floor = Math.round(minScore * 1000);
  let groups = pairs.groupings.get(floor);
  if (!groups) {
    groups = groupPairs(pairs, floor);
    if (pairs.groupings.size >= GROUPINGS) pairs.groupings.delete(pairs.groupings.keys().next().value!);
  }
  pairs.groupings.delete(floor);
  pairs.groupings.set(floor, groups);
  return groups;
}

/**
 * Groups at a threshold in thousandths: pairs join customers strongest
 * first, unless the group would grow beyond MAX_GROUP_SIZE; a group's score
 * is its weakest joining pair. Strongest group first, then the oldest
 * customer.
 */
function groupPairs(pairs: TenantPairs, floor: number): RankedGroup[] {
  const n = pairs.ids.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const size = new Int32Array(n).fill(1);
  const weakest = new Uint16Array(n).fill(1000);
  const reasons = new Uint8Array(n);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  let usable = 0;
  while (usable < pairs.milli.length && pairs.milli[usable] >= floor) usable++;
  for (let e = 0; e < usable; e++) {
    const ra = find(pairs.a[e]);
    const rb = find(pairs.b[e]);
    if (ra === rb || size[ra] + size[rb] > MAX_GROUP_SIZE) continue;
    parent[rb] = ra;
    size[ra] += size[rb];
    weakest[ra] = Math.min(weakest[ra], weakest[rb], pairs.milli[e]);
    reasons[ra] |= reasons[rb] | pairs.reasons[e];
  }
  const groups = new Map<number, RankedGroup>();
  for (let e = 0; e < usable; e++) {
    const root = find(pairs.a[e]);
    if (root !== find(pairs.b[e])) continue;
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { members: [], pairs: [], milli: weakest[root], reasons: reasons[root], firstNumber: Infinity }));
    group.pairs.push(e);
  }
  for (const [root, group] of groups) {
    const members = new Set<number>();
    for (const e of group.pairs) members.add(pairs.a[e]).add(pairs.b[e]);
    group.members = [...members].sort((x, y) => pairs.numbers[x] - pairs.numbers[y]);
    group.firstNumber = pairs.numbers[group.members[0]];
    groups.set(root, group);
  }
  return [...groups.values()].sort((x, y) => y.milli - x.milli || x.firstNumber - y.firstNumber);
}

/** Waits for `work` at most `waitMs`; then 503, while the work carries on for the next caller. */
async function withinWait<T>(work: Promise<T>, waitMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ApiError(503, 'unavailable', 'The duplicate groups of this programme are still being computed; retry in a few seconds.', {}, {
            'Retry-After': String(RETRY_AFTER_SECONDS),
          }),
        ),
      waitMs,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function duplicateGroups(tx: Tx, tenantId: string, options: DuplicateListOptions, waitMs = WAIT_MS) {
  const fingerprint = await fingerprintOf(tx, tenantId);
  const pairs = await withinWait(cache.get(tenantId, fingerprint, () => scorePairs(tx, tenantId)), waitMs);
  const ranked = groupsAt(pairs, options.minScore);
  const start = pageStart(ranked, options.cursor, (g) => [g.milli / 1000, g.firstNumber]);
  const end = Math.min(ranked.length, start + options.limit);
  const items: DuplicateGroup[] = [];
  let bytes = 0;
  let last = start - 1;
  // Members are loaded a batch of groups at a time: a page usually fills its bytes long before its limit.
  for (let at = start; at < end && last === at - 1; at += LOAD_GROUPS) {
    const batch = ranked.slice(at, Math.min(end, at + LOAD_GROUPS));
    const rows = new Map((await loadCandidates(tx, tenantId, batch.flatMap((g) => g.members.map((i) => pairs.ids[i])))).map((r) => [r.id, r]));
    for (const [k, group] of batch.entries()) {
      const item = serializeGroup(pairs, group, rows);
      const size = Buffer.byteLength(JSON.stringify(item)) + 1;
      if (at + k > start && bytes + size > MAX_PAGE_BYTES - 1024) break;
      bytes += size;
      last = at + k;
      if (item.customers.length >= 2) items.push(item);
    }
  }
  const more = last + 1 < ranked.length;
  return { items, nextCursor: more && last >= start ? encodeCursor([ranked[last].milli / 1000, ranked[last].firstNumber]) : null };
}

/** A group as answered; a customer merged or erased since the fingerprint was read is left out. */
function serializeGroup(pairs: TenantPairs, group: RankedGroup, rows: Map<string, CandidateRow>): DuplicateGroup {
  const members = group.members.map((i) => rows.get(pairs.ids[i])).filter((r) => r !== undefined);
  const present = new Set(members.map((r) => r.id));
  return {
    customers: members.map(serializeCandidate),
    score: group.milli / 1000,
    reasons: reasonsOf(group.reasons),
    pairs: group.pairs
      .map((e): DuplicatePair => ({ customerIds: [pairs.ids[pairs.a[e]], pairs.ids[pairs.b[e]]], score: pairs.milli[e] / 1000, reasons: reasonsOf(pairs.reasons[e]) }))
      .filter((p) => p.customerIds.every((id) => present.has(id))),
  };
}
