/**
 * createApp(deps): the whole HTTP surface. One router per resource under
 * /api/v1, chained so the app's type flows to the components' typed client.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'drizzle-orm';
import { authenticate, createTenantRegistry, createVerifier } from './auth.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { AppEnv } from './env.ts';
import { EventHub } from './events/hub.ts';
import { ApiError, errorBody, handleError } from './errors.ts';
import { inputGuard } from './input-guard.ts';
import { drainOnShutdown, Lifecycle, readinessHandler } from './lifecycle.ts';
import { errorLogger, type Logger } from './logger.ts';
import { Metrics, metricsHandler } from './metrics.ts';
import { rateLimit } from './rate-limit.ts';
import { demoRoutes } from './routes/demo.ts';
import { v1 } from './routes/v1.ts';
import { requestTelemetry } from './telemetry.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  database: Database;
  config: Config;
  /** Serves the built demo page and bundles when given. */
  staticRoot?: string | null;
  /** The live-event hub; pass one to close it on shutdown (main.ts, tests). */
  events?: EventHub;
  /** Request lines and errors go here; when not given, errors only, on stderr. */
  logger?: Logger;
  metrics?: Metrics;
  /** Readiness and the shutdown drain (main.ts begins the shutdown). */
  lifecycle?: Lifecycle;
  /** false: no request log and no request metrics (the bench's control arm). */
  telemetry?: boolean;
}

export function createApp(deps: AppDeps) {
  const { database, config } = deps;
  const verifier = createVerifier({ secret: config.jwtSecret, jwksUrl: config.jwksUrl });
  const register = createTenantRegistry(database.db);
  const events = deps.events ?? new EventHub(database);
  const metrics = deps.metrics ?? new Metrics();
  const lifecycle = deps.lifecycle ?? new Lifecycle();
  metrics.countStreams(() => events.count());

  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requestId({ limitLength: 64 }));
  if (deps.telemetry !== false) app.use('*', requestTelemetry(deps.logger ?? errorLogger(), metrics));
  app.use('*', drainOnShutdown(lifecycle));
  app.use('*', async (c, next) => {
    c.set('db', database.db);
    c.set('database', database);
    c.set('config', config);
    c.set('events', events);
    await next();
  });
  if (config.corsOrigins.length) {
    // Hosts that serve their pages from another origin than the API list it in CORS_ORIGINS.
    app.use('/api/*', cors({
      origin: config.corsOrigins,
      allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'Last-Event-ID'],
      allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
      exposeHeaders: ['ETag', 'Location', 'Retry-After'],
      maxAge: 600,
    }));
  }
  app.use('/api/*', secureHeaders({ crossOriginResourcePolicy: false }));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
      },
    }),
  );

  app.get('/healthz', async (c) => {
    try {
      await database.db.execute(sql`select 1`);
      return c.json({ status: 'ok', database: database.kind });
    } catch {
      return c.json({ status: 'unavailable', database: database.kind }, 503);
    }
  });

  app.get('/readyz', readinessHandler(database, lifecycle));
  app.get('/metrics', metricsHandler(metrics, { token: config.metricsToken, production: config.production }));

  if (config.demo) app.route('/api/demo', demoRoutes);

  app.use('/api/v1/*', authenticate(verifier, register));
  app.use('/api/v1/*', rateLimit(config.rateLimitPerMinute));
  app.use('/api/v1/*', inputGuard);
  app.route('/api/v1', v1);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Clientela API',
      version: '1.0.0',
      description: 'Customers, loyalty points, levels, duplicates and merges, history. Every call needs `Authorization: Bearer <JWT>`.',
    },
    servers: [{ url: '/' }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));

  if (deps.staticRoot) mountStatic(app, deps.staticRoot);

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length && !allowed.includes(c.req.method)) {
      return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed here.`, { allowed }), 405, {
        Allow: allowed.join(', '),
      });
    }
    return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404);
  });
  app.onError(handleError);
  return app;
}

/** Which methods some route answers on this path: wrong methods get 405, not 404. */
function allowedMethods(app: OpenAPIHono<AppEnv>, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.endsWith('*')) continue;
    const pattern = new RegExp('^' + route.path.replace(/:[^/]+/g, '[^/]+') + '/?$');
    if (pattern.test(path)) methods.add(route.method);
  }
  return [...methods];
}

function mountStatic(app: OpenAPIHono<AppEnv>, root: string) {
  // Imported lazily: tests build the app without serving files.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    const { serveStatic } = await import('@hono/node-server/serve-static');
    return serveStatic({ root, rewriteRequestPath: (p) => (p === '/' ? '/index.html' : p) })(c, next);
  });
}

export type App = ReturnType<typeof createApp>;
