/** Demo mode only (never mounted in production): short-lived tokens for the seeded tenant. */
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSIONS, signToken, type Permission } from '../auth.ts';
import { DEMO_TENANT } from '../seed.ts';
import { bodyErrors, errors, jsonBody, jsonContent, router } from './openapi.ts';

export const DEMO_USERS = {
  admin: { id: 'demo-admin', name: 'Lucía Fernández', role: 'admin', perms: [...PERMISSIONS] as Permission[] },
  agent: {
    id: 'demo-agent',
    name: 'Carlos Ruiz',
    role: 'agent',
    perms: ['customers:read', 'customers:write', 'points:write', 'orders:write'] as Permission[],
  },
} as const;

const SessionResponse = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), name: z.string(), role: z.string(), perms: z.array(z.string()) }),
  tenantId: z.string(),
});

export const demoRoutes = router().openapi(
  createRoute({
    method: 'post',
    path: '/session',
    operationId: 'createDemoSession',
    summary: 'Demo mode: a short-lived token for the demo admin or agent (no token needed)',
    request: {
      body: jsonBody(z.strictObject({ user: z.enum(['admin', 'agent']) }).openapi('DemoSessionRequest'), {
        admin: { summary: 'Sign in as the demo admin', value: { user: 'admin' } },
      }),
    },
    responses: { 200: jsonContent(SessionResponse, 'A token for an hour'), ...bodyErrors, ...errors(422) },
  }),
  async (c) => {
    const { user } = c.req.valid('json');
    const profile = DEMO_USERS[user];
    const token = await signToken(c.var.config.jwtSecret, {
      sub: profile.id,
      name: profile.name,
      tid: DEMO_TENANT,
      role: profile.role,
      perms: profile.perms,
    });
    return c.json({ token, user: { ...profile, perms: [...profile.perms] }, tenantId: DEMO_TENANT }, 200);
  },
);
