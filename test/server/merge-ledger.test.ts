import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

describe('points merged into a primary', () => {
  it('name the customer they came from in the ledger (sourceCustomerNumber)', async () => {
    const { api } = await newTenant(ctx);
    const primary = (await api('POST', '/customers', { body: { firstName: 'Ana' } })).body;
    const source = (await api('POST', '/customers', { body: { firstName: 'Ana' } })).body;
    assert.equal((await api('POST', `/customers/${source.id}/points`, { body: { delta: 300, reason: 'Bienvenida' } })).status, 201);
    assert.equal((await api('POST', `/customers/${primary.id}/merge`, { body: { sourceIds: [source.id], confirm: true } })).status, 200);
    const ledger = await api('GET', `/customers/${primary.id}/points`);
    const moved = ledger.body.items.filter((e: any) => e.sourceCustomerId === source.id);
    assert.ok(moved.length >= 1, JSON.stringify(ledger.body.items));
    for (const entry of moved) assert.equal(entry.sourceCustomerNumber, source.number);
    const own = ledger.body.items.filter((e: any) => e.sourceCustomerId === null);
    for (const entry of own) assert.equal(entry.sourceCustomerNumber, null);
  });
});
