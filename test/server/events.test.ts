import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createApp, type App } from '../../server/app.ts';
import { query } from '../../server/db/client.ts';
import { events, tenants } from '../../server/db/schema.ts';
import { nextEventSeqs, recordEvent, type NewEvent } from '../../server/domain/history.ts';
import { EventHub, type EventHubOptions } from '../../server/events/hub.ts';
import { call, newTenant, onPostgres, tokenFor, useTestApp } from './helpers.ts';
import { SseReader } from './sse.ts';

const ctx = useTestApp();

interface Served {
  app: App;
  hub: EventHub;
}
const served: Served[] = [];

/** An app over the test database with its own hub, closed after the file. */
function serve(options: Partial<EventHubOptions> = {}): Served {
  const hub = new EventHub(ctx.database, { heartbeatMs: 60_000, ...options });
  const s = { app: createApp({ database: ctx.database, config: ctx.config, events: hub }), hub };
  served.push(s);
  return s;
}

async function open(app: App, token: string, options: { query?: string; headers?: Record<string, string>; bearer?: boolean } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  let path = '/api/v1/events';
  if (options.bearer === false) path += `?access_token=${encodeURIComponent(token)}`;
  else headers.authorization = `Bearer ${token}`;
  if (options.query) path += (path.includes('?') ? '&' : '?') + options.query;
  return app.request(path, { headers });
}

/** Opens a stream and waits for its `ready` event, so later changes are surely seen. */
async function subscribe(app: App, token: string, options: Parameters<typeof open>[2] = {}) {
  const res = await open(app, token, options);
  if (res.status !== 200) assert.fail(`GET /events answered ${res.status}: ${await res.text()}`);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const stream = new SseReader(res);
  const before: Array<Awaited<ReturnType<SseReader['next']>>> = [];
  const ready = await stream.until((f) => {
    before.push(f);
    return f.event === 'ready';
  }, 'the ready event');
  return { stream, ready, opening: before.slice(0, -1) };
}

/** Records an event of the tenant (which comes into being first, as a token naming it would make it). */
async function record(tenantId: string, customerId: string | null = null, version = 1) {
  await ctx.database.db.insert(tenants).values({ id: tenantId }).onConflictDoNothing();
  const event: NewEvent = { tenantId, type: 'customer.updated', actor: null, customerId, version };
  return ctx.database.db.transaction((tx) => recordEvent(tx, event));
}

describe('GET /events', () => {
  let main: Served;
  before(() => {
    main = serve();
  });
  after(async () => {
    for (const s of served) await s.hub.close();
  });

  it('streams the tenant’s changes with their ids, type, customer and version', async () => {
    const { token, api } = await newTenant(ctx);
    const { stream, ready } = await subscribe(main.app, token);
    try {
      assert.match(ready.id ?? '', /^\d+$/);
      const created = await api('POST', '/customers', { body: { firstName: 'Inés', email: 'ines@example.com' } });
      assert.equal(created.status, 201);
      const first = await stream.nextChange();
      assert.equal(first.data.type, 'customer.created');
      assert.equal(first.data.customerId, created.body.id);
      assert.equal(first.data.version, 1);
      assert.ok(!Number.isNaN(Date.parse(first.data.at)));
      assert.deepEqual(Object.keys(first.data).sort(), ['at', 'customerId', 'type', 'version']);
      assert.ok(Number(first.id) > Number(ready.id));

      const patched = await api('PATCH', `/customers/${created.body.id}`, {
        body: { city: 'Sevilla' },
        headers: { 'if-match': created.headers.get('etag')! },
      });
      assert.equal(patched.status, 200);
      const second = await stream.nextChange();
      assert.equal(second.data.type, 'customer.updated');
      assert.equal(second.data.version, 2);
      assert.ok(Number(second.id) > Number(first.id));
    } finally {
      await stream.close();
    }
  });

  it('never carries another tenant’s events', async () => {
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    const { stream } = await subscribe(main.app, a.token);
    try {
      const other = await b.api('POST', '/customers', { body: { firstName: 'Otro' } });
      assert.equal(other.status, 201);
      const mine = await a.api('POST', '/customers', { body: { firstName: 'Mío' } });
      // Notifications arrive in commit order: had b's leaked, it would come first.
      const change = await stream.nextChange();
      assert.equal(change.data.customerId, mine.body.id);
    } finally {
      await stream.close();
    }
  });

  it('does not announce a change whose transaction rolled back', async () => {
    const { tenantId, token } = await newTenant(ctx);
    const { stream } = await subscribe(main.app, token);
    try {
      const ghost = '00000000-0000-4000-8000-000000000001';
      await assert.rejects(
        ctx.database.db.transaction(async (tx) => {
          await recordEvent(tx, { tenantId, type: 'customer.updated', actor: null, customerId: ghost, version: 2 });
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      const real = await record(tenantId, '00000000-0000-4000-8000-000000000002');
      const change = await stream.nextChange();
      assert.equal(change.id, String(real.seq));
      assert.equal(change.data.customerId, real.customerId);
    } finally {
      await stream.close();
    }
  });

  it('takes the token from ?access_token= on this path only', async () => {
    const { token } = await newTenant(ctx);
    const { stream } = await subscribe(main.app, token, { bearer: false });
    await stream.close();
    const elsewhere = await call(main.app, 'GET', `/api/v1/customers?access_token=${token}`);
    assert.equal(elsewhere.status, 401);
  });

  it('401 without a valid token, 403 without customers:read, 422 for a malformed Last-Event-ID', async () => {
    const none = await call(main.app, 'GET', '/api/v1/events');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
    const expired = await tokenFor({ ttlSeconds: -5 });
    assert.equal((await open(main.app, expired, { bearer: false })).status, 401);
    const noRead = await tokenFor({ tenantId: 't_noread', role: 'agent', perms: ['points:write'] });
    const forbidden = await call(main.app, 'GET', '/api/v1/events', { token: noRead });
    assert.equal(forbidden.status, 403);
    const { token } = await newTenant(ctx);
    const header = await call(main.app, 'GET', '/api/v1/events', { token, headers: { 'last-event-id': 'abc' } });
    assert.equal(header.status, 422);
    assert.equal(header.body.error.details[0].path, 'last-event-id');
    const query = await call(main.app, 'GET', '/api/v1/events?lastEventId=-1', { token });
    assert.equal(query.status, 422);
    assert.equal(query.body.error.details[0].path, 'lastEventId');
    assert.equal(main.hub.count(), 0, 'no stream left open by refused requests');
  });

  it('replays what was missed after Last-Event-ID, of this tenant only, then goes live', async () => {
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    const seen = await record(a.tenantId, null, 1);
    const missed = [];
    for (let i = 2; i <= 4; i++) {
      missed.push(await record(a.tenantId, null, i));
      await record(b.tenantId, null, i);
    }
    const { stream, opening } = await subscribe(main.app, a.token, { headers: { 'last-event-id': String(seen.seq) } });
    try {
      assert.deepEqual(
        opening.filter((f) => f?.event === 'change').map((f) => [f!.id, f!.data.version]),
        missed.map((e) => [String(e.seq), e.version]),
      );
      const live = await record(a.tenantId, null, 5);
      const next = await stream.nextChange();
      assert.equal(next.id, String(live.seq));
    } finally {
      await stream.close();
    }
  });

  it('resumes from ?lastEventId= too, and the Last-Event-ID header wins over it', async () => {
    const { tenantId, token } = await newTenant(ctx);
    const first = await record(tenantId, null, 1);
    const second = await record(tenantId, null, 2);
    const third = await record(tenantId, null, 3);
    const byQuery = await subscribe(main.app, token, { query: `lastEventId=${first.seq}` });
    await byQuery.stream.close();
    assert.deepEqual(byQuery.opening.filter((f) => f?.event === 'change').map((f) => f!.id), [String(second.seq), String(third.seq)]);
    const both = await subscribe(main.app, token, { query: `lastEventId=${first.seq}`, headers: { 'last-event-id': String(second.seq) } });
    await both.stream.close();
    assert.deepEqual(both.opening.filter((f) => f?.event === 'change').map((f) => f!.id), [String(third.seq)]);
  });

  it('sends a reset for an id the tenant never gave, a gap beyond the window, or too many missed events', async () => {
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    for (let i = 0; i < 3; i++) await record(b.tenantId);
    const mine = await record(a.tenantId);
    const unknown = await subscribe(main.app, a.token, { headers: { 'last-event-id': String(mine.seq + 2) } });
    await unknown.stream.close();
    const reset = unknown.opening.find((f) => f?.event === 'reset');
    assert.deepEqual(reset?.data, { reason: 'unknown_id' });
    assert.equal(reset?.id, String(mine.seq), 'the reset moves the client to the latest position');
    assert.equal(unknown.opening.filter((f) => f?.event === 'change').length, 0);

    const [old] = await ctx.database.db
      .insert(events)
      .values({ tenantId: a.tenantId, seq: await nextEventSeqs(ctx.database.db, a.tenantId, 1), type: 'customer.updated', at: new Date(Date.now() - 25 * 3600 * 1000) })
      .returning();
    const stale = await subscribe(main.app, a.token, { headers: { 'last-event-id': String(old.seq) } });
    await stale.stream.close();
    assert.deepEqual(stale.opening.find((f) => f?.event === 'reset')?.data, { reason: 'gap_too_long' });

    const small = serve({ replayLimit: 3 });
    const start = await record(a.tenantId);
    for (let i = 0; i < 4; i++) await record(a.tenantId);
    const many = await subscribe(small.app, a.token, { headers: { 'last-event-id': String(start.seq) } });
    await many.stream.close();
    assert.deepEqual(many.opening.find((f) => f?.event === 'reset')?.data, { reason: 'gap_too_long' });
  });

  it('a fresh stream starts at 0 on a tenant without events, and 0 resumes from its start', async () => {
    const { tenantId, token } = await newTenant(ctx);
    const fresh = await subscribe(main.app, token);
    await fresh.stream.close();
    assert.equal(fresh.ready.id, '0');
    const first = await record(tenantId);
    const resumed = await subscribe(main.app, token, { headers: { 'last-event-id': '0' } });
    await resumed.stream.close();
    assert.deepEqual(resumed.opening.filter((f) => f?.event === 'change').map((f) => f!.id), [String(first.seq)]);
  });

  it('ends the stream with `expired` when the token expires', async () => {
    const token = await tokenFor({ tenantId: `t_exp_${Date.now()}`, role: 'admin', ttlSeconds: 2 });
    const { stream } = await subscribe(main.app, token);
    const rest = await stream.rest();
    assert.equal(rest.at(-1)?.event, 'expired');
    assert.equal((await open(main.app, token)).status, 401);
  });

  it('sends heartbeats on an idle stream', async () => {
    const beating = serve({ heartbeatMs: 50 });
    const { token } = await newTenant(ctx);
    const { stream } = await subscribe(beating.app, token);
    try {
      const beat = await stream.until((f) => f.event === 'comment', 'a heartbeat');
      assert.equal(beat.data, 'heartbeat');
    } finally {
      await stream.close();
    }
  });

  it('caps the open streams per tenant with 429, and frees a slot when a client leaves', async () => {
    const capped = serve({ maxStreamsPerTenant: 2 });
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    const one = await subscribe(capped.app, a.token);
    const two = await subscribe(capped.app, a.token);
    const otherTenant = await subscribe(capped.app, b.token);
    try {
      const third = await open(capped.app, a.token);
      assert.equal(third.status, 429);
      assert.equal((await third.json()).error.code, 'rate_limited');
      assert.ok(third.headers.get('retry-after'));
      assert.equal(capped.hub.count(a.tenantId), 2);
      await one.stream.close();
      assert.equal(capped.hub.count(a.tenantId), 1);
      const again = await subscribe(capped.app, a.token);
      await again.stream.close();
    } finally {
      await two.stream.close();
      await otherTenant.stream.close();
    }
    assert.equal(capped.hub.count(), 0);
  });

  it('gives each user a share of the tenant’s streams, so one reader cannot lock the others out', async () => {
    const shared = serve();
    const admin = await newTenant(ctx);
    const reader = await tokenFor({ tenantId: admin.tenantId, sub: 'reader', role: 'agent', perms: ['customers:read'] });
    const opened = [];
    try {
      for (let i = 0; i < shared.hub.options.maxStreamsPerUser; i++) opened.push(await subscribe(shared.app, reader));
      const over = await open(shared.app, reader);
      assert.equal(over.status, 429);
      const body = await over.json();
      assert.equal(body.error.code, 'rate_limited');
      assert.match(body.error.message, /you already have/i);
      assert.ok(shared.hub.options.maxStreamsPerUser < shared.hub.options.maxStreamsPerTenant);
      opened.push(await subscribe(shared.app, admin.token));
      assert.equal(shared.hub.count(admin.tenantId), shared.hub.options.maxStreamsPerUser + 1);
      await opened.shift()!.stream.close();
      opened.push(await subscribe(shared.app, reader));
    } finally {
      for (const o of opened) await o.stream.close();
    }
  });

  it('numbers each tenant’s events on its own, in history cursors and stream ids alike, so none shows another’s activity', async () => {
    const quiet = await newTenant(ctx);
    const busy = await newTenant(ctx);
    const id = (await quiet.api('POST', '/customers', { body: { firstName: 'Tranquila' } })).body.id;
    const { stream } = await subscribe(main.app, quiet.token);
    const ids: number[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        for (let k = 0; k < 3; k++) assert.equal((await busy.api('POST', '/customers', { body: { firstName: `Ruidosa ${i}${k}` } })).status, 201);
        assert.equal((await quiet.api('POST', `/customers/${id}/notes`, { body: { body: `Nota ${i}` } })).status, 201);
        ids.push(Number((await stream.nextChange()).id));
      }
    } finally {
      await stream.close();
    }
    assert.deepEqual(ids, [2, 3, 4, 5], 'the quiet tenant’s first event was 1, its customer.created');
    const page = await quiet.api('GET', `/customers/${id}/history?limit=1`);
    assert.deepEqual(JSON.parse(Buffer.from(page.body.nextCursor, 'base64url').toString()), [5]);
  });

  it('drops a consumer that does not keep up, and the others get every event', async () => {
    const bounded = serve({ queueLimit: 5 });
    const { tenantId, token } = await newTenant(ctx);
    const slow = await subscribe(bounded.app, token);
    const fast = await subscribe(bounded.app, token);
    try {
      const written = [];
      for (let i = 1; i <= 30; i++) {
        written.push(await record(tenantId, null, i));
        // The fast reader keeps up; the slow one never reads again.
        const change = await fast.stream.nextChange();
        assert.equal(change.id, String(written.at(-1)!.seq));
      }
      assert.equal(bounded.hub.count(tenantId), 1, 'the slow stream was dropped');
      const slowFrames = await slow.stream.rest();
      assert.ok(slowFrames.filter((f) => f.event === 'change').length < written.length, 'and its stream was ended');
    } finally {
      await slow.stream.close();
      await fast.stream.close();
    }
  });

  it('ends every stream cleanly when the hub closes, and refuses new ones', async () => {
    const closing = serve();
    const { token } = await newTenant(ctx);
    const { stream } = await subscribe(closing.app, token);
    await closing.hub.close();
    assert.deepEqual(await stream.rest(), []);
    const late = await open(closing.app, token);
    assert.equal(late.status, 503);
    await late.body?.cancel();
  });

  it('is documented in the OpenAPI document as text/event-stream', async () => {
    const doc = await call(main.app, 'GET', '/api/openapi.json');
    const route = doc.body.paths['/api/v1/events']?.get;
    assert.ok(route, 'GET /api/v1/events is documented');
    assert.ok(route.responses['200'].content['text/event-stream']);
    assert.ok(route.responses['429']);
    assert.ok(route.parameters.some((p: { name: string }) => p.name === 'last-event-id'));
  });

  it('delivers at commit, in the order of the ids: a change recorded meanwhile waits for the open one', { skip: !onPostgres && 'needs two connections' }, async () => {
    const { tenantId, token } = await newTenant(ctx);
    const { stream } = await subscribe(main.app, token);
    try {
      let meanwhile: ReturnType<typeof record> | undefined;
      const first = await ctx.database.db.transaction(async (tx) => {
        const row = await recordEvent(tx, { tenantId, type: 'customer.updated', actor: null, customerId: null, version: 1 });
        meanwhile = record(tenantId, null, 2);
        // The other change waits for this transaction's hold on the tenant's ids…
        for (;;) {
          const [waiting] = await query(ctx.database.db, sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
          if (waiting) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        return row;
      });
      const second = await meanwhile!;
      assert.equal(second.seq, first.seq + 1, '…and takes the next id once it committed');
      assert.equal((await stream.nextChange()).id, String(first.seq));
      assert.equal((await stream.nextChange()).id, String(second.seq));
    } finally {
      await stream.close();
    }
  });

  it('ends its streams when the LISTEN connection was lost, so their clients replay the gap', { skip: !onPostgres && 'PGlite runs in the process' }, async () => {
    const { tenantId, token } = await newTenant(ctx);
    const { stream, ready } = await subscribe(main.app, token);
    await ctx.database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`,
    );
    assert.deepEqual(await stream.rest(), [], 'the stream ends once LISTEN is back');
    const missed = await record(tenantId);
    const again = await subscribe(main.app, token, { headers: { 'last-event-id': ready.id! } });
    try {
      assert.deepEqual(again.opening.filter((f) => f?.event === 'change').map((f) => f!.id), [String(missed.seq)]);
      const live = await record(tenantId);
      assert.equal((await again.stream.nextChange()).id, String(live.seq), 'and live events flow again');
    } finally {
      await again.stream.close();
    }
  });
});
