/**
 * Finding and merging duplicates (SPEC §5, Merge rules): the likely
 * duplicates of a customer, the preview of a merge, and the merge itself,
 * which is irreversible and needs customers:merge.
 */
import type { ClientelaClient } from './client.ts';
import type { Customer, Page } from './types.ts';

/** What a list of duplicates shows of each customer: enough to tell them apart. */
export interface MergeCandidate {
  id: string;
  number: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phones: Array<{ number: string; label: string | null }>;
  city?: string | null;
  points: number;
  status: string;
}

export interface DuplicateSuggestion {
  customer: MergeCandidate;
  /** 0–1: how likely the two are one person. */
  score: number;
  /** The fields that make them look alike: email, phone, idNumber, name, birthday… */
  reasons: string[];
}

export interface MergeBlocker {
  code: string;
  customerId: string | null;
  message: string;
}

export interface MergeConflict {
  field: string;
  /** Every involved customer's value, the primary's first; null where empty. */
  values: Array<{ customerId: string; value: unknown }>;
  /** Whose value the merge would take without a choice. */
  chosen?: string;
}

export interface MergePreview {
  blockers: MergeBlocker[];
  conflicts: MergeConflict[];
  moves: Record<'orders' | 'ledgerEntries' | 'notes' | 'events' | 'tags' | 'phones', number>;
  after: { points: number; lifetimePoints: number; levelId: string | null };
}

export interface MergeResult {
  customer: Customer;
  mergeId: string;
  moves: MergePreview['moves'];
}

/** At most this many sources in one merge. */
export const MAX_SOURCES = 10;

const path = (id: string) => `/customers/${encodeURIComponent(id)}`;

export async function listDuplicates(client: ClientelaClient, id: string, signal?: AbortSignal): Promise<DuplicateSuggestion[]> {
  const { data } = await client.request<Page<DuplicateSuggestion>>('GET', `${path(id)}/duplicates`, { query: { limit: 20 }, signal });
  return data.items;
}

export async function previewMerge(client: ClientelaClient, id: string, sourceIds: string[], signal?: AbortSignal): Promise<MergePreview> {
  const { data } = await client.request<MergePreview>('POST', `${path(id)}/merge/preview`, { body: { sourceIds }, signal });
  return data;
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
  const { data } = await client.request<MergeResult>('POST', `${path(id)}/merge`, {
    body: { sourceIds, fieldChoices, confirm: true },
    headers: { 'Idempotency-Key': key },
  });
  return data;
}
