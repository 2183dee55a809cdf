/**
 * Property-based fuzzing of every operation in /api/openapi.json: a few
 * thousand generated requests, schema-shaped or broken on purpose, sent in
 * one random interleaving to the app on a real database. For every answer:
 * no 5xx; a status the document lists (or a transport-level 400/413/415);
 * an error body in the spec's shape; and a rejected request (4xx) left the
 * tenant's rows exactly as they were. Another tenant's rows never change.
 *
 * FUZZ_REQUESTS (default 2500) and FUZZ_SEED (default fixed, so CI runs are
 * reproducible; "random" for a new one) steer the run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { newTenant, useTestApp } from '../server/helpers.ts';
import { assertErrorBody, fingerprint, openApiDoc, operationKey, operations, recordCount, send, type Sent } from './helpers.ts';
import { requestFor, type FuzzRequest, type Pools } from './request-arbitraries.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS || 2500);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED || 20_240_611);
/**
 * Answers any JSON API may give before a route sees the request (a path id
 * of `..` leads the URL to another route, which may not take the method).
 */
const TRANSPORT_STATUSES = [400, 405, 413, 415];

const ctx = useTestApp();

describe('fuzzing every endpoint from its OpenAPI schema', () => {
  it('never answers 5xx, answers errors in the spec’s shape, and rejected requests change nothing', async () => {
    const db = ctx.database.db;
    const fuzzed = await newTenant(ctx, { sub: 'fuzz-admin', name: 'Fuzz Admin' });
    const bystander = await newTenant(ctx);
    const pools = await arrange(fuzzed.api);
    const other = await arrange(bystander.api);
    const bystanderBefore = await fingerprint(db, bystander.tenantId);

    const doc = await openApiDoc(ctx.app);
    const ops = operations(doc);
    const statuses = new Map<string, Map<number, number>>();
    const undocumented = new Set<string>();
    let baseline: string | null = null;
    let sent = 0;
    let rejected = 0;
    let brokenOnPurpose = 0;

    const check = async (req: FuzzRequest) => {
      const headers: Record<string, string> = { authorization: `Bearer ${fuzzed.token}`, ...req.headers };
      if (req.currentEtagOf) {
        const current = await send(ctx.app, 'GET', `/api/v1/customers/${req.currentEtagOf}`, { headers: { authorization: headers.authorization } });
        const etag = current.headers.get('etag');
        if (etag) headers['if-match'] = etag;
      }
      baseline ??= await fingerprint(db, fuzzed.tenantId);
      const t0 = Date.now();
      const timer = setInterval(() => console.log('SLOW', Date.now() - t0, req.op.method, req.url.slice(0, 300), JSON.stringify(req.headers), String(req.body).slice(0, 500)), 20000);
      const answer = await send(ctx.app, req.op.method, req.url, { headers, body: req.body }).finally(() => clearInterval(timer));
      sent += 1;
      if (req.intent === 'broken') brokenOnPurpose += 1;
      const key = operationKey(req.op);
      const perOp = statuses.get(key) ?? new Map<number, number>();
      perOp.set(answer.status, (perOp.get(answer.status) ?? 0) + 1);
      statuses.set(key, perOp);
      const context = `${req.op.method} ${req.url.slice(0, 200)} ${JSON.stringify(req.headers)} ${String(req.body).slice(0, 300)} → ${answer.status} ${answer.text.slice(0, 300)}`;

      if (process.env.DBG && answer.status >= 400 && answer.status !== 500 && req.intent === 'valid-ish') console.log('DBG', context.slice(0, 600));
      assert.ok(answer.status < 500, context);
      if (![...req.op.statuses, ...TRANSPORT_STATUSES].includes(answer.status)) undocumented.add(`${key} → ${answer.status}`);
      if (answer.status >= 400) {
        assertErrorBody(answer, context);
        rejected += 1;
        assert.equal(await fingerprint(db, fuzzed.tenantId), baseline, `a rejected request changed stored data: ${context}`);
      } else {
        baseline = null;
        learn(pools, req, answer);
      }
    };

    // New members are what most other operations aim at: ask for them more often than erasures use them up.
    const weightOf = (op: (typeof ops)[number]) => (operationKey(op) === 'POST /api/v1/customers' ? 4 : 1);
    const anyRequest = fc.oneof(...ops.map((op) => ({ weight: weightOf(op), arbitrary: requestFor(doc, op, pools) })));
    await fc.assert(fc.asyncProperty(anyRequest, check), {
      numRuns: REQUESTS,
      seed: SEED,
      endOnFailure: true,
    });

    assert.equal(await fingerprint(db, bystander.tenantId), bystanderBefore, 'another tenant’s rows changed');
    assert.ok(other.customers.length > 0);
    for (const [key, counts] of [...statuses].sort()) console.log(`  ${key}: ${[...counts].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    assert.deepEqual([...undocumented].sort(), [], 'statuses the OpenAPI document does not list');
    const neverAccepted = ops.filter((op) => ![...(statuses.get(operationKey(op))?.keys() ?? [])].some((s) => s < 300)).map(operationKey);
    assert.deepEqual(neverAccepted, [], 'operations the fuzzer never got a 2xx from (it only tested their refusals)');

    console.log(`fuzz seed ${SEED}`);
    recordCount('requests fuzzed', sent);
    recordCount('fuzzed requests broken on purpose', brokenOnPurpose);
    recordCount('fuzzed requests rejected (4xx) with data unchanged', rejected);
    recordCount('operations fuzzed', ops.length);
  });
});

type Api = Awaited<ReturnType<typeof newTenant>>['api'];

/** A tenant with something to aim at: customers (some alike), notes, levels, custom fields. */
async function arrange(api: Api): Promise<Pools> {
  const pools: Pools = { customers: [], notes: [], levels: [], merges: [], customFields: [], currency: 'EUR' };
  const fields = [
    { key: 'socio', label: 'Socio', type: 'text' },
    { key: 'visitas', label: 'Visitas', type: 'integer' },
    { key: 'talla', label: 'Talla', type: 'enum', options: ['S', 'M', 'L'] },
    { key: 'alta', label: 'Alta', type: 'date' },
    { key: 'club', label: 'Club', type: 'boolean' },
  ];
  for (const field of fields) {
    const res = await api('POST', '/custom-fields', { body: field });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    pools.customFields.push(field);
  }
  for (const [name, minPoints] of [['Bronce', 0], ['Plata', 500]] as const) {
    const res = await api('POST', '/levels', { body: { name, minPoints } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    pools.levels.push(res.body.id);
  }
  const people = [
    { firstName: 'José', lastName: 'Núñez', email: 'jose.nunez@example.com', phones: [{ number: '+34 612 345 678' }] },
    { firstName: 'Jose', lastName: 'Nuñez', email: 'jose.nunez@example.com' },
    { firstName: 'María', lastName: 'García', phones: [{ number: '612 345 678' }], tags: ['vip'] },
    { firstName: 'Lucía', lastName: 'Fernández', idType: 'national_id', idNumber: '12345678Z' },
    { firstName: 'Lucia', lastName: 'Fernandez', idType: 'national_id', idNumber: '12.345.678-Z' },
    { firstName: 'Carlos', email: 'carlos@example.com', custom: { socio: 'oro', visitas: 3 } },
  ];
  for (const person of people) {
    const res = await api('POST', '/customers', { body: person });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    pools.customers.push(res.body.id);
    const note = await api('POST', `/customers/${res.body.id}/notes`, { body: { body: `<b>Nota</b> de ${person.firstName}` } });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    pools.notes.push({ customerId: res.body.id, noteId: note.body.id });
    assert.equal((await api('POST', `/customers/${res.body.id}/points`, { body: { delta: 800, reason: 'Saldo inicial' } })).status, 201);
  }
  // A merge of two others, so GET /merges/:id has a record to find.
  const [kept, gone] = await Promise.all(['Pilar', 'Pili'].map(async (firstName) => (await api('POST', '/customers', { body: { firstName, lastName: 'Ortega' } })).body.id));
  const merged = await api('POST', `/customers/${kept}/merge`, { body: { sourceIds: [gone], confirm: true } });
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
  pools.merges.push(merged.body.mergeId);
  return pools;
}

/** What the fuzzer created becomes a target too; what it erased, removed, merged away or deleted no longer is. */
function learn(pools: Pools, req: FuzzRequest, answer: Sent) {
  const id = req.url.split(/[/?]/)[4];
  const drop = <T>(list: T[], gone: (item: T) => boolean) => list.splice(0, list.length, ...list.filter((item) => !gone(item)));
  switch (operationKey(req.op)) {
    case 'POST /api/v1/customers':
      pools.customers.push(answer.body.id);
      break;
    case 'POST /api/v1/customers/{id}/notes':
      pools.notes.push({ customerId: id, noteId: answer.body.id });
      break;
    case 'DELETE /api/v1/customers/{id}/notes/{noteId}':
      drop(pools.notes, (n) => req.url.includes(n.noteId));
      break;
    case 'POST /api/v1/customers/{id}/erase':
    case 'DELETE /api/v1/customers/{id}':
      drop(pools.customers, (c) => c === id);
      break;
    case 'POST /api/v1/customers/{id}/merge': {
      const sources = new Set<string>(JSON.parse(req.body!).sourceIds);
      drop(pools.customers, (c) => sources.has(c));
      drop(pools.notes, (n) => sources.has(n.customerId));
      pools.merges.push(answer.body.mergeId);
      break;
    }
    case 'POST /api/v1/levels':
      pools.levels.push(answer.body.id);
      break;
    case 'DELETE /api/v1/levels/{id}':
      drop(pools.levels, (l) => l === id);
      break;
    case 'POST /api/v1/custom-fields':
      pools.customFields.push(answer.body);
      break;
    case 'PATCH /api/v1/custom-fields/{key}':
      pools.customFields.splice(0, pools.customFields.length, ...pools.customFields.map((f) => (f.key === answer.body.key ? answer.body : f)));
      break;
    case 'DELETE /api/v1/custom-fields/{key}':
      drop(pools.customFields, (f) => f.key === decodeURIComponent(id));
      break;
    case 'PATCH /api/v1/settings':
      pools.currency = answer.body.currency;
      break;
  }
}
