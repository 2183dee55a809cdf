/**
 * Bearer JWT authentication and permissions (SPEC §3). The tenant comes from
 * the token only, never from the URL or the body.
 */
import { createMiddleware } from 'hono/factory';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Db } from './db/client.ts';
import { tenants, users } from './db/schema.ts';
import { forbidden, unauthorized } from './errors.ts';
import { storable } from './input-guard.ts';

export const PERMISSIONS = [
  'customers:read',
  'customers:write',
  'customers:delete',
  'customers:merge',
  'points:write',
  'levels:admin',
  'orders:write',
  'settings:admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Actor {
  id: string;
  name: string;
}

export interface Auth {
  tenantId: string;
  user: Actor;
  role: string | null;
  perms: ReadonlySet<Permission>;
  isAdmin: boolean;
  /** Seconds since the epoch when the token stops being valid. */
  exp: number;
}

export const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Claim text is stored (users) and shown: a NUL or a lone surrogate in it makes the token invalid. */
const claimText = (max: number) => z.string().max(max).refine(storable);

const claimsSchema = z.object({
  sub: claimText(128).pipe(z.string().min(1)),
  name: claimText(200).optional(),
  tid: z.string().regex(TENANT_ID),
  role: claimText(64).optional(),
  perms: z.array(claimText(64)).max(64).optional(),
  exp: z.number(),
});

export interface Verifier {
  verify(token: string): Promise<Auth>;
}

export function createVerifier(options: { secret: string; jwksUrl?: string | null }): Verifier {
  const secretKey = new TextEncoder().encode(options.secret);
  const jwks: JWTVerifyGetKey | null = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : null;
  return {
    async verify(token) {
      let payload: unknown;
      try {
        const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: string };
        if (header.alg === 'HS256' || !jwks) {
          ({ payload } = await jwtVerify(token, secretKey, { algorithms: ['HS256'], requiredClaims: ['exp'] }));
        } else {
          ({ payload } = await jwtVerify(token, jwks, { requiredClaims: ['exp'] }));
        }
      } catch (err) {
        const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
        throw unauthorized(expired ? 'The token has expired.' : 'The token is not valid.');
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw unauthorized('The token lacks valid claims (sub, tid, exp).');
      const { sub, name, tid, role, perms, exp } = claims.data;
      const isAdmin = role === 'admin';
      const granted = new Set<Permission>(
        isAdmin ? PERMISSIONS : (perms ?? []).filter((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p)),
      );
      return { tenantId: tid, user: { id: sub, name: name ?? sub }, role: role ?? null, perms: granted, isAdmin, exp };
    },
  };
}

/**
 * Tenants come into being the first time a validly signed token names them.
 * Seen tenants and users are remembered per process to spare a write per call.
 */
export function createTenantRegistry(db: Db) {
  const seenTenants = new Set<string>();
  const seenUsers = new Set<string>();
  return async function register(auth: Auth): Promise<void> {
    if (!seenTenants.has(auth.tenantId)) {
      await db.insert(tenants).values({ id: auth.tenantId }).onConflictDoNothing();
      seenTenants.add(auth.tenantId);
    }
    const userKey = `${auth.tenantId}\u0000${auth.user.id}\u0000${auth.user.name}`;
    if (!seenUsers.has(userKey)) {
      await db
        .insert(users)
        .values({ tenantId: auth.tenantId, id: auth.user.id, name: auth.user.name, role: auth.role })
        .onConflictDoUpdate({
          target: [users.tenantId, users.id],
          set: { name: auth.user.name, role: auth.role, lastSeenAt: sql`now()` },
        });
      seenUsers.add(userKey);
    }
  };
}

export type AuthEnv = { Variables: { auth: Auth; requestId: string } };

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match ? match[1] : null;
}

export function authenticate(verifier: Verifier, register: (auth: Auth) => Promise<void>) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    let token = bearerToken(c.req.header('authorization'));
    // EventSource cannot send headers: the event stream alone may take the token from the query.
    if (!token && c.req.path.endsWith('/api/v1/events')) token = c.req.query('access_token') ?? null;
    if (!token) throw unauthorized();
    const auth = await verifier.verify(token);
    await register(auth);
    c.set('auth', auth);
    await next();
  });
}

export function requirePermission(...needed: Permission[]) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const auth = c.get('auth');
    const missing = needed.filter((p) => !auth.perms.has(p));
    if (missing.length) throw forbidden(`This needs the permission ${missing.join(', ')}.`);
    await next();
  });
}

const TOKEN_TTL_SECONDS = 60 * 60;

/**
 * An HS256 token with our claims, as a host's backend signs one with the
 * shared secret (the demo session, the tests and the benchmarks sign theirs
 * here too).
 */
export async function signToken(
  secret: string,
  claims: { sub: string; name: string; tid: string; role?: string; perms?: string[] },
  ttlSeconds = TOKEN_TTL_SECONDS,
): Promise<string> {
  return new SignJWT({ name: claims.name, tid: claims.tid, role: claims.role, perms: claims.perms })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
