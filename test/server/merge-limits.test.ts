import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { merges } from '../../server/db/schema.ts';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();
const phones = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ number: `+34 6123456${String(from + i).padStart(2, '0')}` }));
const tags = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('merging phones and tags', () => {
  it('keeps the primary within 10 phones and 50 tags; the rest stay in the snapshot, and the preview says so', async () => {
    const { api, tenantId } = await newTenant(ctx);
    const primary = (await api('POST', '/customers', { body: { firstName: 'Ana', phones: phones(0, 8), tags: tags('p', 45) } })).body;
    const source = (await api('POST', '/customers', { body: { firstName: 'Ana', phones: [...phones(6, 2), ...phones(20, 5)], tags: [...tags('p', 3), ...tags('s', 9)] } })).body;
    assert.ok(primary.id && source.id);

    const preview = await api('POST', `/customers/${primary.id}/merge/preview`, { body: { sourceIds: [source.id] } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.moves.phones, 2);
    assert.equal(preview.body.moves.tags, 5);
    assert.deepEqual(preview.body.leftOut, {
      phones: ['+34612345622', '+34612345623', '+34612345624'],
      tags: ['s5', 's6', 's7', 's8'],
    });

    const merged = await api('POST', `/customers/${primary.id}/merge`, { body: { sourceIds: [source.id], confirm: true } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    const customer = merged.body.customer;
    assert.equal(customer.phones.length, 10);
    assert.deepEqual(customer.phones.slice(8).map((p: any) => p.number), ['+34612345620', '+34612345621']);
    assert.equal(customer.tags.length, 50);
    assert.deepEqual(customer.tags.slice(45), ['s0', 's1', 's2', 's3', 's4']);

    // The survivor can still be edited: it holds no more than the edit form accepts.
    const edit = await api('PATCH', `/customers/${primary.id}`, { body: { tags: customer.tags, phones: customer.phones }, headers: { 'if-match': merged.headers.get('etag') ?? `"${customer.version}"` } });
    assert.equal(edit.status, 200, JSON.stringify(edit.body));

    const [record] = await ctx.database.db.select().from(merges).where(eq(merges.tenantId, tenantId));
    const snapshot = (record.snapshots as any[])[0];
    assert.deepEqual(snapshot.leftOut, { phones: ['+34612345622', '+34612345623', '+34612345624'], tags: ['s5', 's6', 's7', 's8'] });
    assert.equal(snapshot.customer.phones.length, 7, 'the source’s whole record is kept');
  });

  it('leaves nothing out when everything fits', async () => {
    const { api } = await newTenant(ctx);
    const primary = (await api('POST', '/customers', { body: { firstName: 'Eva', phones: phones(0, 1), tags: ['a'] } })).body;
    const source = (await api('POST', '/customers', { body: { firstName: 'Eva', phones: phones(1, 1), tags: ['b'] } })).body;
    const preview = await api('POST', `/customers/${primary.id}/merge/preview`, { body: { sourceIds: [source.id] } });
    assert.deepEqual(preview.body.leftOut, { phones: [], tags: [] });
  });
});
