/**
 * The customer calls the components make, on top of the typed client. GETs
 * go through `rpc` (typed by the routes); writes whose bodies the server
 * validates in its domain send the server's own input types.
 */
import type { InferRequestType } from 'hono/client';
import { idempotencyKey, type ClientelaClient } from './client.ts';
import type { Customer, CustomerCreate, CustomerPatch, CustomerStatus, Page } from './types.ts';

export interface CustomerRecord {
  customer: Customer;
  /** The strong ETag to send back as If-Match. */
  etag: string;
}

export const etagFor = (customer: Pick<Customer, 'version'>) => `"${customer.version}"`;

export type ListQuery = InferRequestType<ClientelaClient['rpc']['customers']['$get']>['query'];
export type CustomerListItem = Omit<Customer, 'duplicateHints'>;

export async function getCustomer(client: ClientelaClient, id: string, signal?: AbortSignal): Promise<CustomerRecord> {
  return record(await client.rpc.customers[':id'].$get({ param: { id } }, { init: { signal } }));
}

export async function listCustomers(client: ClientelaClient, query: ListQuery, signal?: AbortSignal): Promise<Page<CustomerListItem>> {
  const response = await client.rpc.customers.$get({ query }, { init: { signal } });
  return response.json();
}

/** Sends only the given fields, guarded by If-Match (a stale ETag answers 412 with the current record). */
export async function patchCustomer(client: ClientelaClient, id: string, patch: CustomerPatch, etag: string): Promise<CustomerRecord> {
  const { data, etag: next } = await client.request<Customer>('PATCH', `/customers/${encodeURIComponent(id)}`, {
    body: patch,
    headers: { 'If-Match': etag },
  });
  return { customer: data, etag: next ?? etagFor(data) };
}

export async function createCustomer(client: ClientelaClient, body: CustomerCreate, key = idempotencyKey()): Promise<CustomerRecord> {
  const { data, etag } = await client.request<Customer>('POST', '/customers', { body, headers: { 'Idempotency-Key': key } });
  return { customer: data, etag: etag ?? etagFor(data) };
}

export type StatusChange = Exclude<CustomerStatus, 'removed'>;

async function record(response: Response): Promise<CustomerRecord> {
  const customer = (await response.json()) as Customer;
  return { customer, etag: response.headers.get('ETag') ?? etagFor(customer) };
}

/** Deactivates, blocks or reactivates, with the reason kept in the history; If-Match guards it. */
export async function changeStatus(client: ClientelaClient, id: string, status: StatusChange, reason: string, etag?: string): Promise<CustomerRecord> {
  const response = await client.rpc.customers[':id'].status.$post({ param: { id }, json: { status, reason }, header: { 'if-match': etag } });
  return record(response);
}

/** Removes from the programme (status `removed`, points forfeited; nothing erased), with the reason kept in the history. */
export async function removeCustomer(client: ClientelaClient, id: string, reason = ''): Promise<CustomerRecord> {
  return record(await client.rpc.customers[':id'].$delete({ param: { id }, json: { reason: reason || null } }));
}

/** Assigns the account manager, or unassigns with null (an admin, or the user assigned now). */
export async function setAssignee(client: ClientelaClient, id: string, userId: string | null, etag?: string): Promise<CustomerRecord> {
  return record(await client.rpc.customers[':id'].assignee.$put({ param: { id }, json: { userId }, header: { 'if-match': etag } }));
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
