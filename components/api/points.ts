/**
 * A member's standing (SPEC §5): the points ledger, manual adds and
 * deductions, and the level set by hand. Each change carries an
 * Idempotency-Key, so a retry of the same change is applied once.
 */
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { z } from '@hono/zod-openapi';
import type { LedgerEntrySchema } from '../../server/routes/schemas.ts';
import { type ClientelaClient } from './client.ts';
import { readRecord, type CustomerRecord } from './customers.ts';
import type { Page } from './types.ts';

type StandingRoutes = ClientelaClient['rpc']['customers'][':id'];

export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;
export type LedgerKind = LedgerEntry['kind'];
/** A manual change: a positive delta adds, a negative one deducts; `kind` tells a redemption. */
export type PointsChange = InferRequestType<StandingRoutes['points']['$post']>['json'];
export type PointsChangeResult = InferResponseType<StandingRoutes['points']['$post'], 201>;
/** A level by hand (`locked: true` with its id) or back to automatic progression (`locked: false`). */
export type LevelAssignment = InferRequestType<StandingRoutes['level']['$put']>['json'];

export async function listLedger(client: ClientelaClient, id: string, cursor: string | null, limit: number, signal?: AbortSignal): Promise<Page<LedgerEntry>> {
  const response = await client.rpc.customers[':id'].points.$get(
    { param: { id }, query: { limit: String(limit), cursor: cursor ?? undefined } },
    { init: { signal } },
  );
  return response.json();
}

/** Adds or deducts; `key` names this one change, so sending it again never applies it twice. */
export async function changePoints(client: ClientelaClient, id: string, change: PointsChange, key: string): Promise<PointsChangeResult> {
  const response = await client.rpc.customers[':id'].points.$post({ param: { id }, json: change }, { headers: { 'Idempotency-Key': key } });
  return response.json();
}

/** Assigns a level by hand and locks it, or returns the member to automatic progression. */
export async function setLevel(client: ClientelaClient, id: string, assignment: LevelAssignment): Promise<CustomerRecord> {
  return readRecord(await client.rpc.customers[':id'].level.$put({ param: { id }, json: assignment }));
}
