/**
 * Issue #15, item 14: a merge's record can be read (GET /merges/:id, with
 * customers:merge), and once the survivor is erased its merged-away ids
 * answer 404 like the survivor, not a 301 to a 404.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();
type Api = Awaited<ReturnType<typeof newTenant>>['api'];

/** Ana (primary) and her old record Anita, with a note, a tag and points; merged. */
async function mergedPair(api: Api) {
  const primary = (await api('POST', '/customers', { body: { firstName: 'Ana', lastName: 'Ruiz', email: 'ana@example.com' } })).body;
  const source = (await api('POST', '/customers', { body: { firstName: 'Anita', lastName: 'Ruiz', tags: ['tienda-centro'], city: 'Sevilla' } })).body;
  assert.equal((await api('POST', `/customers/${source.id}/notes`, { body: { body: 'Prefiere <b>llamadas</b>' } })).status, 201);
  assert.equal((await api('POST', `/customers/${source.id}/points`, { body: { delta: 30, reason: 'Bienvenida' } })).status, 201);
  const merged = await api('POST', `/customers/${primary.id}/merge`, { body: { sourceIds: [source.id], fieldChoices: { city: source.id }, confirm: true } });
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
  return { primary, source, mergeId: merged.body.mergeId as string };
}

describe('GET /merges/:id', () => {
  it('answers the merge with the snapshot of every source as it was', async () => {
    const { api } = await newTenant(ctx, { name: 'Lucía Admin' });
    const { primary, source, mergeId } = await mergedPair(api);
    const res = await api('GET', `/merges/${mergeId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const record = res.body;
    assert.equal(record.id, mergeId);
    assert.equal(record.primaryId, primary.id);
    assert.deepEqual(record.sourceIds, [source.id]);
    assert.equal(record.fieldChoices.city, source.id);
    assert.equal(record.moves.notes, 1);
    assert.equal(record.actor.name, 'Lucía Admin');
    assert.equal(record.snapshots.length, 1);
    const [snapshot] = record.snapshots;
    assert.equal(snapshot.customer.id, source.id);
    assert.equal(snapshot.customer.firstName, 'Anita');
    assert.equal(snapshot.customer.points, 30, 'as it was before the merge');
    assert.deepEqual(snapshot.customer.tags, ['tienda-centro']);
    assert.deepEqual(snapshot.leftOut, { phones: [], tags: [] });
    assert.equal(snapshot.notes.length, 1);
    assert.equal(snapshot.notes[0].body, 'Prefiere <b>llamadas</b>');
    assert.equal(typeof snapshot.notes[0].author.name, 'string');
    assert.ok(snapshot.ledgerEntryIds.length >= 1);
    assert.ok(snapshot.eventIds.length >= 1);
    assert.equal((await api('GET', `/merges/${mergeId.toUpperCase()}`)).body.id, mergeId, 'an id in capitals finds it too');
  });

  it('is 404 for an unknown id or another tenant’s merge, 403 without customers:merge, 401 without a token', async () => {
    const owner = await newTenant(ctx);
    const { mergeId } = await mergedPair(owner.api);
    const other = await newTenant(ctx);
    const foreign = await other.api('GET', `/merges/${mergeId}`);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'not_found');
    assert.equal((await owner.api('GET', '/merges/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await owner.api('GET', '/merges/not-a-uuid')).status, 422);
    const agent = await newTenant(ctx, { tenantId: owner.tenantId, role: 'agent', perms: ['customers:read', 'customers:write', 'customers:delete'] });
    const refused = await agent.api('GET', `/merges/${mergeId}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const merger = await newTenant(ctx, { tenantId: owner.tenantId, role: 'agent', perms: ['customers:merge'] });
    assert.equal((await merger.api('GET', `/merges/${mergeId}`)).status, 200);
    assert.equal((await owner.api('GET', `/merges/${mergeId}`, { token: null })).status, 401);
  });

  it('is documented in the OpenAPI document', async () => {
    const res = await ctx.app.request('/api/openapi.json');
    const doc = (await res.json()) as any;
    const get = doc.paths['/api/v1/merges/{id}']?.get ?? doc.paths['/merges/{id}']?.get;
    assert.ok(get, `paths: ${Object.keys(doc.paths).filter((p) => p.includes('merge')).join(', ')}`);
    assert.deepEqual(Object.keys(get.responses).sort(), ['200', '401', '403', '404', '422', '429']);
    assert.ok(doc.components.schemas.MergeRecord);
    assert.ok(doc.components.schemas.MergeSnapshot);
  });
});

describe('a merged-away id after the survivor is erased', () => {
  it('answers 404, not a 301 to a 404, and the record keeps no personal data', async () => {
    const { api } = await newTenant(ctx);
    const { primary, source, mergeId } = await mergedPair(api);
    assert.equal((await api('GET', `/customers/${source.id}`)).status, 301, 'before the erasure it leads to the survivor');
    assert.equal((await api('POST', `/customers/${primary.id}/erase`)).status, 200);
    const read = await api('GET', `/customers/${source.id}`);
    assert.equal(read.status, 404, `${read.status} ${read.headers.get('location') ?? ''}`);
    assert.equal(read.body.error.code, 'not_found');
    assert.equal((await api('GET', `/customers/${primary.id}`)).status, 404);
    const points = await api('POST', `/customers/${source.id}/points`, { body: { delta: 5, reason: 'Tarde' } });
    assert.equal(points.status, 404, 'other calls on it are 404 too, not customer_merged pointing at an erased customer');
    const record = await api('GET', `/merges/${mergeId}`);
    assert.equal(record.status, 200);
    assert.deepEqual(record.body.snapshots, []);
    assert.ok(!JSON.stringify(record.body).includes('Anita'));
  });
});
