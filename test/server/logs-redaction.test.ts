/**
 * What reaches the log: one JSON line per request with reqId, method,
 * route, status, ms and tenant, and never a person's email, phone, name, an
 * id number, an address, a note, a points reason, nor a token. Personal
 * values go through every write route the OpenAPI document lists (valid
 * bodies where the flow allows, and a bag of them everywhere), through
 * search queries and the event stream's access_token; then the captured
 * log is searched for each of them, in the forms a leak would take.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createApp } from '../../server/app.ts';
import { createLogger, safeError } from '../../server/logger.ts';
import { call, newTenantId, tokenFor, useTestApp, TEST_SECRET } from './helpers.ts';

const ctx = useTestApp();

const PERSON = {
  firstName: 'Eulalia',
  lastName: 'Quintanilla-Zubiaurre',
  email: 'eulalia.qz@correo-privado.es',
  phone: '+34 612 345 678',
  idNumber: 'Y7654321K',
  street: 'Calle del Secreto 42',
  note: 'Confidencial: prefiere que no la llamen por la tarde',
  reason: 'Compensación por la queja del martes',
  secondName: 'Filomena',
};

/** Each value, and the forms it takes once normalised or encoded, that must never appear. */
function forbidden(token: string): string[] {
  return [
    PERSON.firstName, PERSON.lastName, 'Quintanilla', 'Zubiaurre', PERSON.email, 'eulalia.qz', 'correo-privado',
    '612345678', '612 345 678', '+34612345678', PERSON.idNumber, 'Secreto', 'Confidencial', 'prefiere que no',
    'Compensación', 'Compensaci', 'queja del martes', PERSON.secondName, token, token.split('.')[2], TEST_SECRET,
    encodeURIComponent(PERSON.email), encodeURIComponent(PERSON.lastName),
  ];
}

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', json: true, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}

/** The personal values under every key a write body might have. */
const bag = {
  firstName: PERSON.firstName, lastName: PERSON.lastName, name: PERSON.secondName, email: PERSON.email,
  phones: [{ number: PERSON.phone, label: PERSON.secondName }], phone: PERSON.phone, idNumber: PERSON.idNumber,
  address: { line1: PERSON.street }, body: PERSON.note, note: PERSON.note, reason: PERSON.reason, text: PERSON.note,
  user: PERSON.secondName, label: PERSON.lastName, key: PERSON.firstName.toLowerCase(), status: PERSON.note,
  externalId: PERSON.email, sourceIds: [PERSON.email], delta: 5, assignedUserId: PERSON.email, custom: { x: PERSON.note },
};

describe('logs', () => {
  it('carry no personal value or token, whatever goes through the write routes', async () => {
    const { logger, lines } = capture();
    const app = createApp({ database: ctx.database, config: ctx.config, logger });
    const tenantId = newTenantId();
    const token = await tokenFor({ tenantId, role: 'admin', name: PERSON.secondName, sub: 'user-logs' });
    const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      call(app, method, `/api/v1${path}`, { token, body, headers });

    // A valid flow, so the values reach the domain, the history and the events.
    const created = await api('POST', '/customers', {
      firstName: PERSON.firstName, lastName: PERSON.lastName, email: PERSON.email,
      phones: [{ number: PERSON.phone, label: 'móvil' }], idNumber: PERSON.idNumber, address: { line1: PERSON.street, city: 'Bilbao' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    const twin = await api('POST', '/customers', { firstName: PERSON.firstName, lastName: PERSON.lastName, email: PERSON.email });
    assert.equal(twin.status, 201);
    const statuses: Record<string, number> = {};
    const record = (what: string, status: number) => (statuses[what] = status);
    record('PATCH customer', (await api('PATCH', `/customers/${id}`, { firstName: PERSON.secondName, notes: undefined }, { 'if-match': `"${created.body.version}"` })).status);
    const note = await api('POST', `/customers/${id}/notes`, { body: PERSON.note });
    record('POST note', note.status);
    record('POST points', (await api('POST', `/customers/${id}/points`, { delta: 25, reason: PERSON.reason })).status);
    record('POST order', (await api('POST', '/orders', { customerId: id, externalId: 'ord-1', total: 1999, currency: 'EUR', status: 'completed', placedAt: new Date().toISOString(), items: [{ sku: null, name: PERSON.note, category: null, quantity: 1, price: 1999 }] })).status);
    record('merge preview', (await api('POST', `/customers/${id}/merge/preview`, { sourceIds: [twin.body.id] })).status);
    record('merge', (await api('POST', `/customers/${id}/merge`, { sourceIds: [twin.body.id], confirm: true })).status);
    record('search', (await api('GET', `/customers?q=${encodeURIComponent(PERSON.lastName)}`)).status);
    record('search by email', (await api('GET', `/customers?q=${encodeURIComponent(PERSON.email)}`)).status);
    record('DELETE note', (await api('DELETE', `/customers/${id}/notes/${note.body.id}`)).status);
    for (const [what, status] of Object.entries(statuses)) assert.ok(status < 300, `${what} answered ${status}`);

    // Every write route in the OpenAPI document, with the bag of values, valid or not.
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    let writes = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const method of Object.keys(operations).filter((m) => m !== 'get')) {
        const path = template.replace('{noteId}', note.body.id).replace(/\{[^}]+\}/g, id);
        await call(app, method.toUpperCase(), path, { token, body: bag });
        await call(app, method.toUpperCase(), path, { token, rawBody: `{"email": "${PERSON.email}", "firstName": `, headers: { 'content-type': 'application/json' } });
        writes += 1;
      }
    }
    assert.ok(writes >= 15, `only ${writes} write operations in the OpenAPI document`);
    record('erase', (await api('POST', `/customers/${id}/erase`, { confirm: true })).status);

    // The token in the query (EventSource's way) and a bad token in the header.
    const stream = await app.request(`/api/v1/events?access_token=${encodeURIComponent(token)}`);
    assert.equal(stream.status, 200);
    await stream.body!.cancel();
    await call(app, 'GET', `/api/v1/customers/${id}`, { headers: { authorization: `Bearer ${token}x` } });

    const log = lines.join('');
    for (const value of forbidden(token)) {
      assert.ok(!log.includes(value), `the log holds ${JSON.stringify(value)}:\n${lines.find((l) => l.includes(value))}`);
    }

    // One line per request, each with what an operator needs.
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' || l.msg === 'request failed');
    assert.ok(requests.length >= writes * 2 + 10, `${requests.length} request lines`);
    for (const line of requests) {
      assert.match(line.reqId, /^[0-9a-f-]{36}$/);
      assert.equal(typeof line.route, 'string');
      assert.equal(typeof line.status, 'number');
      assert.equal(typeof line.ms, 'number');
      assert.ok(['info', 'error'].includes(line.level));
    }
    const create = requests.find((l) => l.method === 'POST' && l.route === '/api/v1/customers' && l.status === 201);
    assert.ok(create, 'the create line');
    assert.equal(create.tenant, tenantId);
    assert.ok(requests.some((l) => l.route === '/api/v1/customers/:id/notes/:noteId' && l.method === 'DELETE'), 'routes are patterns');
    assert.ok(!requests.some((l) => l.route.includes(id)), 'no raw ids as routes');
  });

  it('keep a failing query\'s parameters and PostgreSQL\'s detail out of error lines', async () => {
    const { logger, lines } = capture();
    const err = await ctx.database.db.execute(sql`select ${PERSON.email}::int, ${PERSON.lastName}::uuid`).then(
      () => assert.fail('the query should fail'),
      (e: unknown) => e,
    );
    // Drizzle's message carries the parameters; the cause's names the bad value.
    assert.ok(String((err as Error).message).includes(PERSON.email) || String((err as Error & { cause?: Error }).cause?.message).includes(PERSON.email));
    logger.error({ err, reqId: 'r1' }, 'request failed');
    const detailed = Object.assign(new Error('duplicate key value violates unique constraint "customers_email_key"'), {
      code: '23505',
      detail: `Key (tenant_id, email)=(t1, ${PERSON.email}) already exists.`,
      parameters: [PERSON.email, PERSON.phone],
    });
    logger.error({ err: detailed }, 'request failed');
    logger.info({ email: PERSON.email, customer: { firstName: PERSON.firstName, phones: [PERSON.phone] }, headers: { authorization: 'Bearer x' } }, 'careless line');
    const log = lines.join('');
    for (const value of forbidden('no.token.here')) assert.ok(!log.includes(value), `the log holds ${JSON.stringify(value)}:\n${log}`);
    const [first, second] = lines.map((l) => JSON.parse(l));
    assert.match(first.err.message, /params: \[redacted\]/);
    assert.ok(first.err.stack.includes('    at '), 'stack frames are kept');
    assert.equal(second.err.code, '23505');
    assert.match(second.err.message, /customers_email_key/, 'constraint names are kept');
    assert.deepEqual(safeError('a string'), { type: 'string' });
  });
});
