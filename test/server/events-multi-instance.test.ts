/**
 * SPEC §2: the server is stateless. Two server processes on one PostgreSQL:
 * a change made through one reaches the event streams served by the other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from '../server-process.mjs';
import { freshPostgresDatabase, newTenantId, onPostgres, TEST_SECRET, tokenFor } from './helpers.ts';
import { SseReader } from './sse.ts';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('live events across server instances', { skip: !onPostgres && 'needs PostgreSQL (TEST_DATABASE_URL)' }, () => {
  let one: Server;
  let two: Server;
  let dataDir: string;
  let drop: () => Promise<void>;

  before(async () => {
    const fresh = await freshPostgresDatabase(process.env.TEST_DATABASE_URL!);
    drop = fresh.drop;
    dataDir = mkdtempSync(join(tmpdir(), 'clientela-events-'));
    const env = { DATABASE_URL: fresh.url, JWT_SECRET: TEST_SECRET, SEED: '0' };
    // One after the other: the first applies the migrations.
    one = await startServer({ dataDir, env });
    two = await startServer({ dataDir, env });
  });

  after(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function subscribe(server: Server, token: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}/api/v1/events?access_token=${encodeURIComponent(token)}`, { headers });
    if (res.status !== 200) assert.fail(`GET /events answered ${res.status}: ${await res.text()}`);
    const stream = new SseReader(res);
    const ready = await stream.until((f) => f.event === 'ready', 'the ready event');
    return { stream, ready };
  }

  function api(server: Server, token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('a change made through one instance reaches a stream on the other', async () => {
    const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const { stream } = await subscribe(one, token);
    try {
      const started = performance.now();
      const created = await api(two, token, 'POST', '/customers', { firstName: 'Ramón', email: 'ramon@example.es' });
      assert.equal(created.status, 201);
      const answered = performance.now();
      const customer = await created.json();
      const event = await stream.nextChange();
      const received = performance.now();
      assert.equal(event.data.type, 'customer.created');
      assert.equal(event.data.customerId, customer.id);
      console.log(
        `# cross-instance latency: ${(received - started).toFixed(1)} ms from the request, ${(received - answered).toFixed(1)} ms after its answer`,
      );

      const patched = await api(two, token, 'PATCH', `/customers/${customer.id}`, { city: 'Bilbao' }, { 'if-match': created.headers.get('etag')! });
      assert.equal(patched.status, 200);
      const update = await stream.nextChange();
      assert.equal(update.data.type, 'customer.updated');
      assert.equal(update.data.customerId, customer.id);
      assert.equal(update.data.version, 2);
    } finally {
      await stream.close();
    }
  });

  it('keeps tenants apart across instances', async () => {
    const mine = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const theirs = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const { stream } = await subscribe(two, mine);
    try {
      assert.equal((await api(one, theirs, 'POST', '/customers', { firstName: 'Ajena' })).status, 201);
      const own = await (await api(one, mine, 'POST', '/customers', { firstName: 'Propia' })).json();
      // Notifications arrive in commit order: had the other tenant's leaked, it would come first.
      assert.equal((await stream.nextChange()).data.customerId, own.id);
    } finally {
      await stream.close();
    }
  });

  it('a stream reconnecting to the other instance with Last-Event-ID gets what it missed', async () => {
    const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const first = await subscribe(one, token);
    const created = await (await api(one, token, 'POST', '/customers', { firstName: 'Lola' })).json();
    const seen = await first.stream.nextChange();
    await first.stream.close();
    const missed = await api(one, token, 'POST', `/customers/${created.id}/points`, { delta: 50, reason: 'Bienvenida' });
    assert.equal(missed.status, 201);

    const res = await fetch(`${two.url}/api/v1/events?access_token=${encodeURIComponent(token)}`, { headers: { 'last-event-id': seen.id! } });
    const stream = new SseReader(res);
    try {
      const replayed = await stream.nextChange();
      assert.equal(replayed.data.type, 'points.changed');
      assert.equal(replayed.data.customerId, created.id);
      assert.ok(Number(replayed.id) > Number(seen.id));
    } finally {
      await stream.close();
    }
  });

  it('a shutdown ends open streams cleanly', async () => {
    const token = await tokenFor({ tenantId: newTenantId(), role: 'admin' });
    const { stream } = await subscribe(two, token);
    await two.stop();
    assert.deepEqual(await stream.rest(), []);
  });
});
