/**
 * One middleware times every request, counts it in the metrics and writes
 * its log line: reqId, method, route, status, ms, tenant. The route is the
 * pattern that matched (`/api/v1/customers/:id`), never the raw path, so
 * neither metrics nor logs grow with ids or carry what a search asked for.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from './env.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** The last matched route that is not a middleware; '*' when only middleware (static files, 404) matched. */
export function routePattern(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    if (routes[i].method !== 'ALL') return routes[i].path;
  }
  return '*';
}

export function requestTelemetry(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    metrics.inFlight.inc();
    try {
      await next();
    } finally {
      metrics.inFlight.dec();
    }
    const seconds = (performance.now() - started) / 1000;
    const { method } = c.req;
    const route = routePattern(c);
    const status = c.res.status;
    metrics.requests.inc({ method, route, status });
    metrics.requestDuration.observe({ method, route }, seconds);
    const line = {
      reqId: c.get('requestId'),
      method,
      route,
      status,
      ms: Math.round(seconds * 10_000) / 10,
      tenant: c.get('auth')?.tenantId,
    };
    // A 503 is the server's own choice (not ready, shutting down: no new event streams): a warning, not an
    // error alert on every deploy. Other 5xx are failures.
    if (status === 503) logger.warn(line, 'request');
    else if (status >= 500) logger.error({ ...line, err: c.error }, 'request failed');
    else logger.info(line, 'request');
  };
}
