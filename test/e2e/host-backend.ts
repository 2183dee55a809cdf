/**
 * The host platform's backend minting Clientela tokens for its signed-in
 * admins, written as docs/embedding.md tells a host developer to: HS256 with
 * the server's JWT_SECRET, the host's shop as the tenant, short-lived.
 */
import { SignJWT } from 'jose';

/** The host's own tenant: not the demo's, so the hosts start from an empty programme of their own. */
export const HOST_TENANT = 'shop-acme-e2e';

/** The host platform's roles, mapped to Clientela's permissions (null: role "admin", everything). */
const PERMISSIONS: Record<'owner' | 'support', string[] | null> = {
  owner: null,
  support: ['customers:read', 'customers:write', 'points:write'],
};

/** The name the history shows for what the host's admin did. */
export const HOST_ADMIN_NAME = 'Marta Acme';

const USERS = {
  owner: { id: 'acme-17', displayName: HOST_ADMIN_NAME },
  support: { id: 'acme-42', displayName: 'Jon Soporte' },
};

export type HostRole = keyof typeof USERS;

export function mintToken(secret: string, role: HostRole): Promise<string> {
  const perms = PERMISSIONS[role];
  return new SignJWT({
    name: USERS[role].displayName,
    tid: HOST_TENANT,
    role: perms ? role : 'admin',
    ...(perms ? { perms } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(USERS[role].id)
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(new TextEncoder().encode(secret));
}
