import { expect, waitUntil } from '@open-wc/testing';
import { EventStream, type LiveEvent } from '../../components/api/event-stream.ts';
import { api, newCustomer, tokenFor } from './helpers.ts';

function source(token: () => Promise<string>, refreshed: () => Promise<string> = token) {
  return { apiBase: '/api/v1', currentToken: token, refreshToken: refreshed };
}

async function rename(customerId: string, city: string) {
  const current = await api('GET', `/customers/${customerId}`);
  const patched = await api('PATCH', `/customers/${customerId}`, { city }, { 'If-Match': current.etag! });
  expect(patched.status).to.equal(200);
}

describe('EventStream', () => {
  let stream: EventStream | null = null;
  afterEach(() => {
    stream?.close();
    stream = null;
  });

  it('brings a customer’s changes to its subscribers, and every change to "*"', async () => {
    const watched = await newCustomer();
    const other = await newCustomer();
    stream = new EventStream(source(() => tokenFor('admin')));
    const mine: LiveEvent[] = [];
    const all: LiveEvent[] = [];
    stream.subscribe(watched.id, (e) => mine.push(e));
    stream.subscribe('*', (e) => all.push(e));
    await waitUntil(() => stream!.live, 'the stream opens', { timeout: 10_000 });

    await rename(other.id, 'Cádiz');
    await rename(watched.id, 'Lugo');
    await waitUntil(() => mine.length >= 1 && all.length >= 2, 'both changes arrive', { timeout: 10_000 });
    expect(mine).to.have.length(1);
    const change = mine[0];
    expect(change.kind).to.equal('change');
    if (change.kind !== 'change') return;
    expect(change.type).to.equal('customer.updated');
    expect(change.customerId).to.equal(watched.id);
    expect(change.version).to.equal(watched.version + 1);
    const ids = all.map((e) => (e.kind === 'change' ? e.customerId : null));
    expect(ids).to.include.members([watched.id, other.id]);
  });

  it('stops delivering after unsubscribe, and closes the connection once nobody listens', async () => {
    const customer = await newCustomer();
    stream = new EventStream(source(() => tokenFor('admin')), { lingerMs: 50 });
    const got: LiveEvent[] = [];
    const stillListening: LiveEvent[] = [];
    const unsubscribe = stream.subscribe(customer.id, (e) => got.push(e));
    const unsubscribeOther = stream.subscribe(customer.id, (e) => stillListening.push(e));
    await waitUntil(() => stream!.live, 'the stream opens', { timeout: 10_000 });
    unsubscribe();
    await rename(customer.id, 'Soria');
    await waitUntil(() => stillListening.length === 1, 'the remaining subscriber gets the change', { timeout: 10_000 });
    expect(got).to.have.length(0);
    unsubscribeOther();
    await waitUntil(() => !stream!.live, 'the connection closes', { timeout: 10_000 });
  });

  it('lets go of its connection when the page is hidden, and catches up when it is shown again', async () => {
    const customer = await newCustomer();
    stream = new EventStream(source(() => tokenFor('admin')));
    const got: LiveEvent[] = [];
    stream.subscribe(customer.id, (e) => got.push(e));
    await waitUntil(() => stream!.live, 'the stream opens', { timeout: 10_000 });
    await rename(customer.id, 'Toledo');
    await waitUntil(() => got.length === 1, 'the first change arrives', { timeout: 10_000 });
    // A page going into the back/forward cache must not keep one of the browser's six connections to the server.
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(stream.live).to.equal(false);
    await rename(customer.id, 'Ávila');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await waitUntil(() => got.length === 2, 'the change made while hidden arrives', { timeout: 10_000 });
    expect(got.map((e) => e.kind === 'change' && e.version)).to.deep.equal([customer.version + 1, customer.version + 2]);
  });

  it('opens a new connection with a fresh token when the server refuses one', async () => {
    const customer = await newCustomer();
    let refreshed = 0;
    stream = new EventStream(
      source(
        async () => 'not-a-valid-token',
        async () => {
          refreshed += 1;
          return tokenFor('admin');
        },
      ),
      { minBackoffMs: 20 },
    );
    const got: LiveEvent[] = [];
    stream.subscribe(customer.id, (e) => got.push(e));
    await waitUntil(() => stream!.live, 'the stream opens with the fresh token', { timeout: 10_000 });
    expect(refreshed).to.equal(1);
    await rename(customer.id, 'Teruel');
    await waitUntil(() => got.length === 1, 'the change arrives', { timeout: 10_000 });
  });
});
