/**
 * The customer calls the components make, on the typed client: paths,
 * bodies and answers are the server's route types (`rpc`).
 */
import type { InferRequestType } from 'hono/client';
import { etagOf } from '../../server/contract/etag.ts';
import { idempotencyKey, type ClientelaClient } from './client.ts';
import type { Customer, CustomerCreate, CustomerPatch, CustomerStatus, Page } from './types.ts';

export interface CustomerRecord {
  customer: Customer;
  /** The strong ETag to send back as If-Match. */
  etag: string;
}

export type ListQuery = InferRequestType<ClientelaClient['rpc']['customers']['$get']>['query'];
export type CustomerListItem = Omit<Customer, 'duplicateHints'>;

/** The customer, or for a merged-away id its survivor. */
export async function getCustomer(client: ClientelaClient, id: string, signal?: AbortSignal): Promise<CustomerRecord> {
  const response = await client.rpc.customers[':id'].$get({ param: { id } }, { init: { signal } });
  // A merged-away id answers 301 and fetch follows it: what is read is always the survivor's 200.
  return readRecord(response as Extract<typeof response, { status: 200 }>);
}

export async function listCustomers(client: ClientelaClient, query: ListQuery, signal?: AbortSignal): Promise<Page<CustomerListItem>> {
  const response = await client.rpc.customers.$get({ query }, { init: { signal } });
  return response.json();
}

/** Sends only the given fields, guarded by If-Match (a stale ETag answers 412 with the current record). */
export async function patchCustomer(client: ClientelaClient, id: string, patch: CustomerPatch, etag: string): Promise<CustomerRecord> {
  return readRecord(await client.rpc.customers[':id'].$patch({ param: { id }, json: patch, header: { 'if-match': etag } }));
}

export async function createCustomer(client: ClientelaClient, body: CustomerCreate, key = idempotencyKey()): Promise<CustomerRecord> {
  return readRecord(await client.rpc.customers.$post({ json: body }, { headers: { 'Idempotency-Key': key } }));
}

export type StatusChange = Exclude<CustomerStatus, 'removed'>;

/** A customer answer with the ETag to send back as If-Match. */
export async function readRecord(response: { json(): Promise<Customer>; headers: Headers }): Promise<CustomerRecord> {
  const customer = await response.json();
  return { customer, etag: response.headers.get('ETag') ?? etagOf(customer) };
}

/** Deactivates, blocks or reactivates, with the reason kept in the history; If-Match guards it. */
export async function changeStatus(client: ClientelaClient, id: string, status: StatusChange, reason: string, etag?: string): Promise<CustomerRecord> {
  const response = await client.rpc.customers[':id'].status.$post({ param: { id }, json: { status, reason }, header: { 'if-match': etag } });
  return readRecord(response);
}

/** Removes from the programme (status `removed`, points forfeited; nothing erased), with the reason kept in the history. */
export async function removeCustomer(client: ClientelaClient, id: string, reason = ''): Promise<CustomerRecord> {
  return readRecord(await client.rpc.customers[':id'].$delete({ param: { id }, json: { reason: reason || null } }));
}

/** Assigns the account manager, or unassigns with null (an admin, or the user assigned now). */
export async function setAssignee(client: ClientelaClient, id: string, userId: string | null, etag?: string): Promise<CustomerRecord> {
  return readRecord(await client.rpc.customers[':id'].assignee.$put({ param: { id }, json: { userId }, header: { 'if-match': etag } }));
}

/** The customer's latest history event, to say who changed it. */
export async function latestEvent(client: ClientelaClient, id: string) {
  const response = await client.rpc.customers[':id'].history.$get({ param: { id }, query: { limit: '1' } });
  const page = await response.json();
  return page.items[0] ?? null;
}

/** A short, human name for a customer: "Ana García", else the email, else "#1042". */
export function displayName(customer: Pick<Customer, 'firstName' | 'lastName' | 'email' | 'number' | 'phones'>): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ').trim();
  return name || customer.email || customer.phones[0]?.number || `#${customer.number}`;
}

export function initials(customer: Pick<Customer, 'firstName' | 'lastName' | 'email'>): string {
  const letters = [customer.firstName, customer.lastName].map((part) => part?.trim()[0] ?? '').join('');
  return (letters || customer.email?.[0] || '?').toUpperCase();
}
