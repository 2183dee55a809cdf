/**
 * The shapes the components exchange with the server, derived from the
 * server's own zod schemas and route types (type-only imports: erased at
 * build), so a change on the server breaks the build here, not at run time.
 */
import type { z } from '@hono/zod-openapi';
import type { InferRequestType } from 'hono/client';
import type { CustomerSchema } from '../../server/routes/schemas.ts';
import type { ClientelaClient } from './client.ts';

export type Customer = z.infer<typeof CustomerSchema>;
/** The body of POST /customers, as its route takes it. */
export type CustomerCreate = InferRequestType<ClientelaClient['rpc']['customers']['$post']>['json'];
/** The body of PATCH /customers/{id}: only the fields that change. */
export type CustomerPatch = InferRequestType<ClientelaClient['rpc']['customers'][':id']['$patch']>['json'];
export type CustomerStatus = Customer['status'];
export type Phone = Customer['phones'][number];
export type DuplicateHint = Customer['duplicateHints'][number];
export type LevelSummary = NonNullable<Customer['level']>;

export { CUSTOMER_STATUSES } from '../../server/contract/limits.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Who is signed in, read from the token's claims (the server checks them; the UI only hides what would fail). */
export interface Session {
  user: { id: string; name: string };
  tenantId: string;
  role: string | null;
  perms: ReadonlySet<string>;
  isAdmin: boolean;
}

export type Permission =
  | 'customers:read'
  | 'customers:write'
  | 'customers:delete'
  | 'customers:merge'
  | 'points:write'
  | 'levels:admin'
  | 'orders:write'
  | 'settings:admin';

export const can = (session: Session | null | undefined, perm: Permission) =>
  Boolean(session && (session.isAdmin || session.perms.has(perm)));
