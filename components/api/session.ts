/** Reads the session from a JWT's claims (SPEC §3). The signature is the server's business; this only tells the UI what to hide. */
import type { Session } from './types.ts';

export function sessionFromToken(token: string | null | undefined): Session | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
    if (typeof claims.sub !== 'string') return null;
    const role = typeof claims.role === 'string' ? claims.role : null;
    const perms = Array.isArray(claims.perms) ? claims.perms.filter((p): p is string => typeof p === 'string') : [];
    return {
      user: { id: claims.sub, name: typeof claims.name === 'string' ? claims.name : claims.sub },
      tenantId: typeof claims.tid === 'string' ? claims.tid : '',
      role,
      perms: new Set(perms),
      isAdmin: role === 'admin',
    };
  } catch {
    return null;
  }
}

/** Whether two sessions are the same user of the same tenant (the data they see is the same). */
export function sameIdentity(a: Session | null, b: Session | null): boolean {
  return a !== null && b !== null && a.tenantId === b.tenantId && a.user.id === b.user.id;
}

/** Whether two sessions are the same identity with the same name, role and permissions. */
export function sameSession(a: Session | null, b: Session | null): boolean {
  if (a === null || b === null) return a === b;
  return sameIdentity(a, b) && a.user.name === b.user.name && a.role === b.role && a.perms.size === b.perms.size && [...a.perms].every((p) => b.perms.has(p));
}
