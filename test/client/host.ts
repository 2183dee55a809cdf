/**
 * A host's back office calling Clientela through a client generated from
 * /api/openapi.json (openapi-typescript for the types, openapi-fetch for the
 * calls): the core flow, typed end to end with no cast. docs/api.md shows
 * this file; test/client/generated-client.test.ts type-checks it with
 * `tsc --strict` and runs it against a real server.
 */
import createClient from 'openapi-fetch';
import type { paths } from './generated/clientela.ts';

export async function coreFlow(baseUrl: string, token: string) {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
  const fail = (step: string, error: { error: { code: string; message: string } } | undefined): never => {
    throw new Error(`${step}: ${error?.error.code} ${error?.error.message}`);
  };

  // A new member. The Idempotency-Key makes a retry after a lost answer safe: it is applied once.
  const created = await api.POST('/api/v1/customers', {
    params: { header: { 'Idempotency-Key': crypto.randomUUID() } },
    body: { firstName: 'Ana', lastName: 'García', email: 'ana.garcia@example.com', phones: [{ number: '612 345 678' }] },
  });
  const ana = created.data ?? fail('create', created.error);

  // 150 points by hand, with a reason; the same key again would not add them twice.
  const points = await api.POST('/api/v1/customers/{id}/points', {
    params: { path: { id: ana.id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
    body: { delta: 150, reason: 'Welcome bonus' },
  });
  const standing = points.data ?? fail('points', points.error);

  // An edit names the version it was made on: If-Match with the ETag last read (412 if someone was faster).
  const read = await api.GET('/api/v1/customers/{id}', { params: { path: { id: ana.id } } });
  const etag = read.response.headers.get('ETag') ?? fail('read', read.error);
  const patched = await api.PATCH('/api/v1/customers/{id}', {
    params: { path: { id: ana.id }, header: { 'if-match': etag } },
    body: { city: 'Madrid', tags: ['newsletter'] },
  });
  const edited = patched.data ?? fail('patch', patched.error);

  // Search, the ledger and the history, one page each.
  const search = await api.GET('/api/v1/customers', { params: { query: { q: 'garcia', limit: 20 } } });
  const found = search.data ?? fail('search', search.error);
  const ledger = await api.GET('/api/v1/customers/{id}/points', { params: { path: { id: ana.id }, query: { limit: 10 } } });
  const entries = ledger.data ?? fail('ledger', ledger.error);
  const history = await api.GET('/api/v1/customers/{id}/history', { params: { path: { id: ana.id }, query: { types: 'customer.updated,points.changed' } } });
  const events = history.data ?? fail('history', history.error);

  // The same person registered twice: preview the merge, then merge (irreversible, so confirm: true).
  const twin = await api.POST('/api/v1/customers', { body: { firstName: 'Ana', email: 'ANA.GARCIA@example.com' } });
  const source = twin.data ?? fail('create twin', twin.error);
  const previewed = await api.POST('/api/v1/customers/{id}/merge/preview', { params: { path: { id: ana.id } }, body: { sourceIds: [source.id] } });
  const preview = previewed.data ?? fail('preview', previewed.error);
  const mergedAnswer = await api.POST('/api/v1/customers/{id}/merge', {
    params: { path: { id: ana.id }, header: { 'Idempotency-Key': crypto.randomUUID() } },
    body: { sourceIds: [source.id], confirm: true },
  });
  const merged = mergedAnswer.data ?? fail('merge', mergedAnswer.error);

  return {
    customerId: ana.id,
    balance: standing.balance,
    city: edited.city,
    version: edited.version,
    found: found.items.map((c) => c.id),
    ledger: entries.items.map((e) => ({ kind: e.kind, delta: e.delta, actor: e.actor?.name ?? null })),
    history: events.items.map((e) => e.type),
    blockers: preview.blockers.length,
    mergedPoints: merged.customer.points,
    mergeId: merged.mergeId,
  };
}
