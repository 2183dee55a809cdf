import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTenant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

describe('PUT /customers/:id/assignee', () => {
  it('accepts only a user of the tenant (one GET /users lists), else 422 naming userId', async () => {
    const boss = await newTenant(ctx, { sub: 'boss', name: 'Jefa' });
    const id = (await boss.api('POST', '/customers', { body: { firstName: 'Ana' } })).body.id;
    const stranger = await newTenant(ctx, { sub: 'elsewhere', name: 'De otro' });
    assert.equal((await stranger.api('GET', '/users')).status, 200, 'a user of another tenant');
    for (const userId of ['nobody', 'elsewhere']) {
      const refused = await boss.api('PUT', `/customers/${id}/assignee`, { body: { userId } });
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.deepEqual(refused.body.error.details.map((d: any) => d.path), ['userId']);
    }
    assert.equal((await boss.api('GET', `/customers/${id}`)).body.assignedUserId, null, 'nothing stored');
    const agent = await newTenant(ctx, { tenantId: boss.tenantId, sub: 'agent-1', name: 'Agente', role: 'agent', perms: ['customers:read'] });
    const known = (await agent.api('GET', '/users')).status === 200 && (await boss.api('GET', '/users')).body.items.map((u: any) => u.id);
    assert.ok(known && known.includes('agent-1'));
    const assigned = await boss.api('PUT', `/customers/${id}/assignee`, { body: { userId: 'agent-1' } });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
    assert.equal(assigned.body.assignedUserId, 'agent-1');
    assert.equal((await boss.api('PUT', `/customers/${id}/assignee`, { body: { userId: null } })).status, 200);
  });
});
