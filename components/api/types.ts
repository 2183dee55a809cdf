/**
 * The shapes the components exchange with the server, as the OpenAPI
 * document describes them (components/api/openapi.ts, generated from the
 * server's own zod schemas by scripts/api-types.ts). The host's declarations
 * stop there: nothing of the server, zod or hono. The calls themselves stay
 * typed by the routes (client.ts), so a change on the server that the
 * document does not follow breaks the build here, not at run time.
 */
import type { components } from './openapi.ts';

type Schemas = components['schemas'];

export type Customer = Schemas['Customer'];
/** The body of POST /customers, as its route takes it. */
export type CustomerCreate = Schemas['CustomerCreate'];
/** The body of PATCH /customers/{id}: only the fields that change. */
export type CustomerPatch = Schemas['CustomerPatch'];
export type CustomerStatus = Customer['status'];
export type Phone = Customer['phones'][number];
export type DuplicateHint = Customer['duplicateHints'][number];
export type LevelSummary = NonNullable<Customer['level']>;

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
