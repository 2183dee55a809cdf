/**
 * Finding and merging duplicates (SPEC §5, Merge rules): the likely
 * duplicates of a customer, the preview of a merge, and the merge itself,
 * which is irreversible and needs customers:merge.
 */
import type { InferResponseType } from 'hono/client';
import type { ClientelaClient } from './client.ts';

type CustomerRoutes = ClientelaClient['rpc']['customers'][':id'];

export type DuplicateSuggestion = InferResponseType<CustomerRoutes['duplicates']['$get'], 200>['items'][number];
export type MergePreview = InferResponseType<CustomerRoutes['merge']['preview']['$post'], 200>;
export type MergeBlocker = MergePreview['blockers'][number];
export type MergeConflict = MergePreview['conflicts'][number];
export type MergeResult = InferResponseType<CustomerRoutes['merge']['$post'], 200>;

/** What the dialog shows of a customer to pick: a suggested duplicate or a search result. */
export type MergeCandidate = Pick<DuplicateSuggestion['customer'], 'id' | 'number' | 'firstName' | 'lastName' | 'email' | 'phones' | 'city'>;

export async function listDuplicates(client: ClientelaClient, id: string, signal?: AbortSignal): Promise<DuplicateSuggestion[]> {
  const response = await client.rpc.customers[':id'].duplicates.$get({ param: { id }, query: { limit: '20' } }, { init: { signal } });
  return (await response.json()).items;
}

export async function previewMerge(client: ClientelaClient, id: string, sourceIds: string[], signal?: AbortSignal): Promise<MergePreview> {
  const response = await client.rpc.customers[':id'].merge.preview.$post({ param: { id }, json: { sourceIds } }, { init: { signal } });
  return response.json();
}

/**
 * Merges the sources into the primary. `key` names this one merge, so a
 * retry after a lost answer never merges twice.
 */
export async function mergeCustomers(
  client: ClientelaClient,
  id: string,
  sourceIds: string[],
  fieldChoices: Record<string, string>,
  key: string,
): Promise<MergeResult> {
  const response = await client.rpc.customers[':id'].merge.$post(
    { param: { id }, json: { sourceIds, fieldChoices, confirm: true } },
    { headers: { 'Idempotency-Key': key } },
  );
  return response.json();
}
