import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, onPostgres, useTestApp } from './helpers.ts';

const ctx = useTestApp();

// PGlite runs one statement at a time, so only a real server can race.
describe('concurrent writers on PostgreSQL', { skip: !onPostgres && 'needs TEST_DATABASE_URL' }, () => {
  it('lets exactly one of several PATCHes with the same If-Match win; the rest get 412; one event', async () => {
    const { api } = await newTenant(ctx);
    const created = await api('POST', '/customers', { body: { firstName: 'Ana' } });
    const id = created.body.id as string;
    // Ten at once stays well under the app pool's 20 connections while each waits on the row lock.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api('PATCH', `/customers/${id}`, { body: { firstName: `Ana ${i}` }, headers: { 'if-match': '"1"' } })),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, ...Array(9).fill(412)]);
    const winner = answers.find((a) => a.status === 200)!;
    for (const loser of answers.filter((a) => a.status === 412)) assert.equal(loser.body.error.current.firstName, winner.body.firstName);
    const after = await api('GET', `/customers/${id}`);
    assert.equal(after.body.version, 2);
    assert.equal(after.body.firstName, winner.body.firstName);
    const updates = await api('GET', `/customers/${id}/history?types=customer.updated`);
    assert.equal(updates.body.items.length, 1);
    assert.deepEqual(updates.body.items[0].data.changes, [{ field: 'firstName', from: 'Ana', to: winner.body.firstName }]);
  });

  it('gives concurrent new members distinct, consecutive numbers', async () => {
    const { api } = await newTenant(ctx);
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => api('POST', '/customers', { body: { firstName: `Socio ${i}` } })));
    assert.deepEqual(answers.map((a) => a.status), Array(15).fill(201));
    const numbers = answers.map((a) => a.body.number as number).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 15 }, (_, i) => numbers[0] + i));
    assert.equal(new Set(answers.map((a) => a.body.shareCode)).size, 15);
  });
});
