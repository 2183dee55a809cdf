/**
 * GET /metrics in Prometheus text format (prom-client): requests by route
 * pattern, requests in flight, open event streams, background jobs, and Node's own process
 * metrics. Each app owns a registry, so tests and benches can hold several.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { errorBody } from './errors.ts';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request (to the first byte of a stream), by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Requests begun (headers read) and not yet answered: what a shutdown drain waits for. */
  readonly inFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests whose headers have been read and whose answer has not begun',
    registers: [this.registry],
  });
  /** Current background jobs by kind and state (running, waiting). */
  readonly jobs = new Gauge({
    name: 'clientela_jobs',
    help: 'Background jobs of this instance by kind and state',
    labelNames: ['kind', 'state'] as const,
    registers: [this.registry],
  });
  readonly jobRuns = new Counter({
    name: 'clientela_job_runs_total',
    help: 'Finished runs of background jobs by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly streamCounters: Array<() => number> = [];

  constructor() {
    const counters = this.streamCounters;
    new Gauge({
      name: 'clientela_sse_connections',
      help: 'Event streams (GET /api/v1/events) open on this instance',
      registers: [this.registry],
      collect() {
        this.set(counters.reduce((sum, count) => sum + count(), 0));
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts an event hub's open streams in clientela_sse_connections. */
  countStreams(count: () => number): void {
    this.streamCounters.push(count);
  }
}

/**
 * The scrape endpoint. With a token it answers only `Authorization: Bearer
 * <token>`; without one it is open in demo mode and absent in production.
 */
export function metricsHandler(metrics: Metrics, options: { token: string | null; production: boolean }) {
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : null;
  return async (c: Context) => {
    if (expected) {
      const given = Buffer.from(c.req.header('authorization') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return c.json(errorBody('unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.'), 401, { 'WWW-Authenticate': 'Bearer' });
      }
    } else if (options.production) {
      return c.json(errorBody('not_found', 'Metrics are off: set METRICS_TOKEN to turn them on.'), 404);
    }
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
  };
}
