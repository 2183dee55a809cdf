import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, newTenant, tokenFor, useTestApp } from './helpers.ts';

const ctx = useTestApp();

async function setup() {
  const t = await newTenant(ctx, { sub: 'boss', name: 'Jefa' });
  const res = await t.api('POST', '/customers', { body: { firstName: 'Ana' } });
  assert.equal(res.status, 201);
  return { ...t, id: res.body.id as string };
}

describe('POST /customers/:id/status', () => {
  it('deactivates, disables and reactivates, each with a status_changed event and a new version', async () => {
    const { api, id } = await setup();
    const off = await api('POST', `/customers/${id}/status`, { body: { status: 'inactive', reason: 'Pidió una pausa' } });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(off.body.status, 'inactive');
    assert.equal(off.headers.get('etag'), '"2"');
    assert.equal((await api('POST', `/customers/${id}/status`, { body: { status: 'disabled' } })).body.status, 'disabled');
    assert.equal((await api('POST', `/customers/${id}/status`, { body: { status: 'active', reason: '  ' } })).body.version, 4);
    const same = await api('POST', `/customers/${id}/status`, { body: { status: 'active' } });
    assert.equal(same.body.version, 4, 'no change, no new version');
    const events = await api('GET', `/customers/${id}/history?types=customer.status_changed`);
    assert.deepEqual(
      events.body.items.map((e: any) => e.data),
      [
        { from: 'disabled', to: 'active', reason: null },
        { from: 'inactive', to: 'disabled', reason: null },
        { from: 'active', to: 'inactive', reason: 'Pidió una pausa' },
      ],
    );
    assert.deepEqual(events.body.items[0].actor, { id: 'boss', name: 'Jefa' });
    assert.equal((await api('GET', `/customers?status=active`)).body.items.length, 1);
  });

  it('sends removal to DELETE, and answers 422 for bad bodies, 412 for a stale If-Match', async () => {
    const { api, id } = await setup();
    const removed = await api('POST', `/customers/${id}/status`, { body: { status: 'removed' } });
    assert.equal(removed.status, 422);
    assert.deepEqual(removed.body.error.details.map((d: any) => d.path), ['status']);
    assert.match(removed.body.error.details[0].message, /DELETE/);
    for (const body of [{}, { status: 'paused' }, { status: 'inactive', reason: 'x'.repeat(501) }, { status: 'inactive', why: 'x' }]) {
      assert.equal((await api('POST', `/customers/${id}/status`, { body })).status, 422, JSON.stringify(body));
    }
    const stale = await api('POST', `/customers/${id}/status`, { body: { status: 'inactive' }, headers: { 'if-match': '"7"' } });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.current.status, 'active');
    assert.equal((await api('POST', `/customers/${id}/status`, { body: { status: 'inactive' }, headers: { 'if-match': '"1"' } })).status, 200);
    assert.equal((await api('GET', `/customers/${id}/history?types=customer.status_changed`)).body.items.length, 1);
  });

  it('brings back a removed or disabled member only with customers:delete', async () => {
    const { api, id, tenantId } = await setup();
    const disabled = (await api('POST', '/customers', { body: { firstName: 'Bloqueada' } })).body.id;
    assert.equal((await api('POST', `/customers/${id}/points`, { body: { delta: 10, reason: 'Saldo' } })).status, 201);
    assert.equal((await api('DELETE', `/customers/${id}`)).status, 200);
    assert.equal((await api('POST', `/customers/${disabled}/status`, { body: { status: 'disabled' } })).status, 200);
    const agent = await newTenant(ctx, { tenantId, sub: 'agent', role: 'agent', perms: ['customers:read', 'customers:write', 'points:write'] });
    for (const [member, from] of [[id, 'removed'], [disabled, 'disabled']]) {
      for (const status of ['active', 'inactive', 'disabled'].filter((s) => s !== from)) {
        const res = await agent.api('POST', `/customers/${member}/status`, { body: { status } });
        assert.equal(res.status, 403, `${from} → ${status}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.error.message, /customers:delete/);
      }
      assert.equal((await api('GET', `/customers/${member}`)).body.status, from, 'nothing changed');
    }
    const points = await agent.api('POST', `/customers/${id}/points`, { body: { delta: 5, reason: 'Vuelta' } });
    assert.equal(points.status, 409, 'a removed member’s points stay frozen');
    const back = await api('POST', `/customers/${id}/status`, { body: { status: 'active', reason: 'Volvió' } });
    assert.equal(back.status, 200);
    assert.equal(back.body.status, 'active');
    assert.equal((await agent.api('POST', `/customers/${disabled}/status`, { body: { status: 'disabled' } })).status, 200, 'no change is no bringing back');
  });

  it('answers 401, 403 without customers:write, 404 for another tenant', async () => {
    const { api, id, tenantId } = await setup();
    assert.equal((await api('POST', `/customers/${id}/status`, { body: { status: 'inactive' }, token: null })).status, 401);
    const reader = await newTenant(ctx, { tenantId, role: 'agent', perms: ['customers:read'] });
    assert.equal((await reader.api('POST', `/customers/${id}/status`, { body: { status: 'inactive' } })).status, 403);
    const other = await newTenant(ctx);
    assert.equal((await other.api('POST', `/customers/${id}/status`, { body: { status: 'inactive' } })).status, 404);
  });
});

describe('PUT /customers/:id/assignee', () => {
  it('lets an admin assign; then only the admin or the assignee may change it', async () => {
    const { api, id, tenantId } = await setup();
    const perms = ['customers:read', 'customers:write'];
    const agentToken = await tokenFor({ tenantId, sub: 'agent-1', name: 'Carlos', role: 'agent', perms });
    const otherToken = await tokenFor({ tenantId, sub: 'agent-2', name: 'Marta', role: 'agent', perms });
    const as = (token: string, userId: string | null) => call(ctx.app, 'PUT', `/api/v1/customers/${id}/assignee`, { token, body: { userId } });
    // Both agents are known users once they have called the API.
    await call(ctx.app, 'GET', '/api/v1/users', { token: agentToken });
    await call(ctx.app, 'GET', '/api/v1/users', { token: otherToken });

    const claim = await as(agentToken, 'agent-1');
    assert.equal(claim.status, 403, 'an agent cannot take an unassigned customer');
    const assigned = await api('PUT', `/customers/${id}/assignee`, { body: { userId: 'agent-1' } });
    assert.equal(assigned.status, 200);
    assert.equal(assigned.body.assignedUserId, 'agent-1');
    assert.equal((await as(otherToken, 'agent-2')).status, 403, 'nor one assigned to a colleague');
    const handed = await as(agentToken, 'agent-2');
    assert.equal(handed.status, 200, 'the assignee may hand it over');
    assert.equal((await as(agentToken, null)).status, 403, 'and then it is no longer theirs');
    const released = await as(otherToken, null);
    assert.equal(released.status, 200);
    assert.equal(released.body.assignedUserId, null);

    const events = await api('GET', `/customers/${id}/history?types=customer.assignee_changed`);
    assert.deepEqual(
      events.body.items.map((e: any) => [e.actor.id, e.data.from, e.data.to]),
      [
        ['agent-2', { id: 'agent-2', name: 'Marta' }, null],
        ['agent-1', { id: 'agent-1', name: 'Carlos' }, { id: 'agent-2', name: 'Marta' }],
        ['boss', null, { id: 'agent-1', name: 'Carlos' }],
      ],
    );
    assert.equal((await api('GET', '/customers?assignedUserId=agent-1')).body.items.length, 0);
  });

  it('answers 422 for a bad body, 412 for a stale If-Match, 404 for another tenant', async () => {
    const { api, id } = await setup();
    for (const body of [{}, { userId: '' }, { userId: 5 }, { userId: 'x'.repeat(129) }, { userId: 'a', extra: 1 }]) {
      const res = await api('PUT', `/customers/${id}/assignee`, { body });
      assert.equal(res.status, 422, JSON.stringify(body));
    }
    assert.equal((await api('PUT', `/customers/${id}/assignee`, { body: { userId: 'u1' }, headers: { 'if-match': '"9"' } })).status, 412);
    const other = await newTenant(ctx);
    assert.equal((await other.api('PUT', `/customers/${id}/assignee`, { body: { userId: 'u1' } })).status, 404);
    assert.equal((await api('GET', `/customers/${id}`)).body.assignedUserId, null);
  });
});
