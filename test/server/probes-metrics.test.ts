/**
 * The operator's view of the HTTP surface: /readyz (SPEC §2), /metrics
 * after known traffic, X-Request-Id on every response, and what a shutdown
 * changes for requests and event streams.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/client.ts';
import { EventHub } from '../../server/events/hub.ts';
import { startPeriodicJob } from '../../server/jobs.ts';
import { Lifecycle } from '../../server/lifecycle.ts';
import { createLogger } from '../../server/logger.ts';
import { Metrics } from '../../server/metrics.ts';
import { call, freshPostgresDatabase, newTenantId, tokenFor, useTestApp } from './helpers.ts';

const ctx = useTestApp();
const METRICS_TOKEN = 'scrape-token-0123456789';
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** An app on the test database with its own metrics, lifecycle and hub. */
function ownApp(overrides: Partial<typeof ctx.config> = {}) {
  const metrics = new Metrics();
  const lifecycle = new Lifecycle();
  const events = new EventHub(ctx.database, { heartbeatMs: 60_000 });
  cleanups.push(() => events.close());
  const config = { ...ctx.config, metricsToken: METRICS_TOKEN, ...overrides };
  const logged: Array<{ level: string; msg: string; route?: string; status?: number }> = [];
  const logger = createLogger({ level: 'info', json: true, destination: { write: (line: string) => void logged.push(JSON.parse(line)) } });
  const app = createApp({ database: ctx.database, config, metrics, lifecycle, events, logger });
  return { app, metrics, lifecycle, events, logged };
}

async function scrape(app: ReturnType<typeof createApp>, token = METRICS_TOKEN) {
  const res = await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample line, e.g. `http_requests_total{method="GET",route="/x",status="200"}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v) && Object.keys(found).length === Object.keys(labels).length) return Number(match[3]);
  }
  return 0;
}

/** An open event stream as raw text, read until `until` shows up. */
async function openStream(app: ReturnType<typeof createApp>, token: string) {
  const res = await app.request('/api/v1/events', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    res,
    async readUntil(pattern: RegExp) {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    async readToEnd() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}

describe('GET /readyz', () => {
  it('is ready when the database answers and every migration is applied', async () => {
    const res = await call(ctx.app, 'GET', '/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ready' });
  });

  it('is not ready on a database without the migrations, nor once the database is gone', async () => {
    let databaseUrl: string | null = null;
    if (ctx.databaseUrl) {
      const fresh = await freshPostgresDatabase(process.env.TEST_DATABASE_URL!);
      cleanups.push(fresh.drop);
      databaseUrl = fresh.url;
    }
    const bare = await openDatabase({ databaseUrl, dataDir: 'memory://', max: 2 });
    const app = createApp({ database: bare, config: ctx.config });
    const pending = await call(app, 'GET', '/readyz');
    assert.equal(pending.status, 503);
    assert.deepEqual(pending.body, { status: 'not ready', reason: 'migrations pending' });
    await bare.close();
    const gone = await call(app, 'GET', '/readyz');
    assert.equal(gone.status, 503);
    assert.deepEqual(gone.body, { status: 'not ready', reason: 'database unavailable' });
    // Liveness is another question: the process is alive, its database is not.
    assert.equal((await call(app, 'GET', '/healthz')).status, 503);
  });

  it('turns 503 the moment a shutdown begins, and every answer then closes its connection', async () => {
    const { app, lifecycle, logged } = ownApp();
    const before = await app.request('/readyz');
    assert.equal(before.status, 200);
    assert.equal(before.headers.get('connection'), null);
    lifecycle.beginShutdown();
    const res = await call(app, 'GET', '/readyz');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { status: 'not ready', reason: 'shutting down' });
    assert.equal(res.headers.get('connection'), 'close');
    // A probe answered "not ready" on purpose is a warning in the log, not an error alert on every deploy.
    assert.deepEqual(logged.filter((l) => l.route === '/readyz').map((l) => [l.level, l.msg, l.status]), [
      ['info', 'request', 200],
      ['warn', 'request', 503],
    ]);
    // Requests still arriving on open connections are answered, not refused.
    const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const created = await call(app, 'POST', '/api/v1/customers', { token, body: { firstName: 'Tardía' } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('connection'), 'close');
  });
});

describe('event streams at shutdown', () => {
  it('end with a retry hint when the server shuts down, and are counted while open', async () => {
    const { app, lifecycle, events, metrics } = ownApp();
    const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const stream = await openStream(app, token);
    await stream.readUntil(/event: ready/);
    assert.equal(sample(await scrape(app), 'clientela_sse_connections'), 1);
    lifecycle.beginShutdown();
    await events.close();
    const text = await stream.readToEnd();
    const tail = text.slice(text.lastIndexOf('event: ready'));
    assert.match(tail, /\nretry: (\d+)\n\n$/, `the stream's end: ${JSON.stringify(tail)}`);
    const retry = Number(/retry: (\d+)\n\n$/.exec(tail)![1]);
    assert.ok(retry >= 500 && retry <= 2500, `retry ${retry} ms`);
    assert.equal(sample(await metrics.registry.metrics(), 'clientela_sse_connections'), 0);
  });

  it('are no longer counted once their client leaves', async () => {
    const { app, metrics } = ownApp();
    const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const stream = await openStream(app, token);
    await stream.readUntil(/event: ready/);
    await stream.close();
    for (let i = 0; i < 50 && sample(await metrics.registry.metrics(), 'clientela_sse_connections') !== 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(sample(await metrics.registry.metrics(), 'clientela_sse_connections'), 0);
  });
});

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, with latency histograms', async () => {
    const { app } = ownApp();
    const tenantId = newTenantId();
    const token = await tokenFor({ tenantId, role: 'admin' });
    const ids: string[] = [];
    for (const firstName of ['Ana', 'Bea', 'Carla']) {
      const res = await call(app, 'POST', '/api/v1/customers', { token, body: { firstName } });
      assert.equal(res.status, 201);
      ids.push(res.body.id);
    }
    for (const id of ids.slice(0, 2)) assert.equal((await call(app, 'GET', `/api/v1/customers/${id}`, { token })).status, 200);
    assert.equal((await call(app, 'GET', '/api/v1/customers/00000000-0000-4000-8000-000000000000', { token })).status, 404);
    assert.equal((await call(app, 'GET', `/api/v1/customers/${ids[0]}`)).status, 401);
    assert.equal((await call(app, 'POST', '/api/v1/customers', { token, body: { firstName: 'X', email: 'not an email' } })).status, 422);
    assert.equal((await call(app, 'GET', '/api/v1/no-such-thing', { token })).status, 404);

    const text = await scrape(app);
    const byId = '/api/v1/customers/:id';
    assert.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/api/v1/customers', status: '201' }), 3);
    assert.equal(sample(text, 'http_requests_total', { method: 'POST', route: '/api/v1/customers', status: '422' }), 1);
    assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: byId, status: '200' }), 2);
    assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: byId, status: '404' }), 1);
    assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: byId, status: '401' }), 1);
    assert.equal(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: byId }), 4);
    assert.equal(sample(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/customers' }), 4);
    assert.ok(sample(text, 'http_request_duration_seconds_sum', { method: 'GET', route: byId }) > 0);
    // Every request above has been answered: in flight is the scrape alone.
    assert.equal(sample(text, 'http_requests_in_flight'), 1);
    assert.equal(sample(text, 'http_request_duration_seconds_bucket', { le: '+Inf', method: 'GET', route: byId }), 4);
    // The raw paths never become labels: neither ids nor unknown paths.
    for (const id of ids) assert.ok(!text.includes(id), `id ${id} in the metrics`);
    assert.ok(!text.includes('no-such-thing'));
    // Node's own process metrics.
    assert.ok(sample(text, 'process_resident_memory_bytes') > 0);
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
    assert.match(text, /^clientela_sse_connections 0$/m);
  });

  it('shows background jobs by kind and state', async () => {
    const { app, metrics } = ownApp();
    let finish!: () => void;
    const job = startPeriodicJob({
      kind: 'test_job',
      intervalMs: 3_600_000,
      runAtStart: true,
      run: () => new Promise<void>((resolve) => (finish = resolve)),
      logger: createLogger({ level: 'silent', json: true }),
      metrics,
    });
    const running = await scrape(app);
    assert.equal(sample(running, 'clientela_jobs', { kind: 'test_job', state: 'running' }), 1);
    assert.equal(sample(running, 'clientela_jobs', { kind: 'test_job', state: 'waiting' }), 0);
    finish();
    await new Promise((r) => setImmediate(r));
    const idle = await scrape(app);
    assert.equal(sample(idle, 'clientela_jobs', { kind: 'test_job', state: 'running' }), 0);
    assert.equal(sample(idle, 'clientela_jobs', { kind: 'test_job', state: 'waiting' }), 1);
    assert.equal(sample(idle, 'clientela_job_runs_total', { kind: 'test_job', outcome: 'succeeded' }), 1);
    await job.stop();
    assert.equal(sample(await scrape(app), 'clientela_jobs', { kind: 'test_job', state: 'waiting' }), 0);
  });

  it('answers only the METRICS_TOKEN bearer; without a token it is open in demo mode and off in production', async () => {
    const { app } = ownApp();
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const res = await call(app, 'GET', '/metrics', { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401, `authorization ${authorization}`);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    }
    const demo = ownApp({ metricsToken: null }).app;
    assert.equal((await demo.request('/metrics')).status, 200);
    const production = ownApp({ metricsToken: null, production: true, demo: false }).app;
    assert.equal((await production.request('/metrics')).status, 404);
  });
});

describe('X-Request-Id', () => {
  it('is on every response, and a sane incoming one is kept', async () => {
    const { app } = ownApp({ metricsToken: null });
    const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const auth = { authorization: `Bearer ${token}` };
    const requests: Array<[string, string, RequestInit?]> = [
      ['GET', '/healthz'],
      ['GET', '/readyz'],
      ['GET', '/metrics'],
      ['GET', '/api/openapi.json'],
      ['GET', '/api/v1/customers', { headers: auth }],
      ['GET', '/api/v1/customers'],
      ['GET', '/api/v1/customers/nope', { headers: auth }],
      ['DELETE', '/api/v1/customers', { headers: auth }],
      ['POST', '/api/v1/customers', { headers: { ...auth, 'content-type': 'application/json' }, body: '{"firstName": 1}' }],
      ['POST', '/api/v1/customers', { headers: { ...auth, 'content-type': 'application/json' }, body: '{' }],
      ['GET', '/nowhere'],
    ];
    for (const [method, path, init] of requests) {
      const res = await app.request(path, { method, ...init });
      await res.arrayBuffer();
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, `${method} ${path} (${res.status})`);
    }
    const kept = await app.request('/healthz', { headers: { 'x-request-id': 'edge-7f3a_01=' } });
    assert.equal(kept.headers.get('x-request-id'), 'edge-7f3a_01=');
    for (const bad of ['a'.repeat(65), 'two words', 'x\u00e9', '<script>']) {
      const res = await app.request('/healthz', { headers: { 'x-request-id': bad } });
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, `incoming ${JSON.stringify(bad)} is replaced`);
    }
    const stream = await openStream(app, token);
    assert.match(stream.res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'the event stream');
    await stream.close();
  });
});
