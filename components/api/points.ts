/**
 * A member's standing (SPEC §5): the points ledger, manual adds and
 * deductions, and the level set by hand. Each change carries an
 * Idempotency-Key, so a retry of the same change is applied once.
 */
import type { InferResponseType } from 'hono/client';
import type { z } from '@hono/zod-openapi';
import type { LedgerEntrySchema } from '../../server/routes/schemas.ts';
import { type ClientelaClient } from './client.ts';
import { etagFor, type CustomerRecord } from './customers.ts';
import type { Customer, Page } from './types.ts';

export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;
export type LedgerKind = LedgerEntry['kind'];
export type PointsChangeResult = InferResponseType<ClientelaClient['rpc']['customers'][':id']['points']['$post'], 201>;

export interface PointsChange {
  /** Positive adds, negative deducts. */
  delta: number;
  reason: string;
}

export type LevelAssignment = { levelId: string; locked: true } | { locked: false };

const path = (id: string) => `/customers/${encodeURIComponent(id)}`;

export async function listLedger(client: ClientelaClient, id: string, cursor: string | null, limit: number, signal?: AbortSignal): Promise<Page<LedgerEntry>> {
  const response = await client.rpc.customers[':id'].points.$get(
    { param: { id }, query: { limit: String(limit), cursor: cursor ?? undefined } },
    { init: { signal } },
  );
  return response.json();
}

/** Adds or deducts; `key` names this one change, so sending it again never applies it twice. */
export async function changePoints(client: ClientelaClient, id: string, change: PointsChange, key: string): Promise<PointsChangeResult> {
  const { data } = await client.request<PointsChangeResult>('POST', `${path(id)}/points`, { body: change, headers: { 'Idempotency-Key': key } });
  return data;
}

/** Assigns a level by hand and locks it, or returns the member to automatic progression. */
export async function setLevel(client: ClientelaClient, id: string, assignment: LevelAssignment): Promise<CustomerRecord> {
  const { data, etag } = await client.request<Customer>('PUT', `${path(id)}/level`, { body: assignment });
  return { customer: data, etag: etag ?? etagFor(data) };
}
