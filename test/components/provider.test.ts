import { expect, fixture } from '@open-wc/testing';
import { html } from 'lit';
import { ClientelaClient } from '../../components/api/client.ts';
import { clientContext, liveContext, sessionContext } from '../../components/context.ts';
import type { CustomerCard } from '../../components/customer-card/customer-card.ts';
import type { ClientelaProvider } from '../../components/provider/clientela-provider.ts';
import type { MemberList } from '../../components/member-list/member-list.ts';
import { $, newCustomer, provided, spyFetch, text, tokenFor, waitFor, waitUntil } from './helpers.ts';

/** A token function as a host writes one: each call asks the host's backend (here the demo session) for a token. */
const tokenFunction = (user: 'admin' | 'agent') => async () => {
  const response = await fetch('/api/demo/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user }) });
  return ((await response.json()) as { token: string }).token;
};

/** A token naming another tenant (unsigned: the provider reads claims, the server checks signatures). */
function otherTenantToken() {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const exp = Math.floor(Date.now() / 1000) + 600;
  return `${part({ alg: 'HS256' })}.${part({ sub: 'demo-admin', name: 'Otra', tid: 'otra-tienda', role: 'admin', perms: [], exp })}.firma`;
}

describe('<clientela-provider>', () => {
  it('gives its components the client, the session from the token and the locale', async () => {
    const customer = await newCustomer();
    const token = await tokenFor('agent');
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider locale="en" .token=${token}><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`,
    );
    const card = provider.querySelector('customer-card') as CustomerCard;
    expect(provided(card, clientContext)).to.be.instanceOf(ClientelaClient);
    const session = provided(card, sessionContext);
    expect(session?.user.name).to.equal('Carlos Ruiz');
    expect(session?.isAdmin).to.equal(false);
    expect(session?.perms.has('customers:write')).to.equal(true);
    await waitFor(card, '.card');
    expect(text($(card, '.metrics'))).to.contain('Lifetime points');
  });

  it('lets go of its event stream as soon as it leaves the page, and opens it again when it comes back', async () => {
    const customer = await newCustomer();
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider .token=${await tokenFor('admin')}><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`,
    );
    const card = provider.querySelector('customer-card') as CustomerCard;
    const stream = provided(card, liveContext)!;
    await waitUntil(() => stream.live, 'the stream opens');
    const parent = provider.parentElement!;
    provider.remove();
    await null; // the provider's check runs once its components have unsubscribed, not a second later
    expect(stream.live).to.equal(false);
    parent.append(provider);
    await waitUntil(() => stream.live, 'the stream opens again');
  });

  it('falls back to the page language when it has no locale', async () => {
    const customer = await newCustomer();
    const token = await tokenFor('admin');
    const wrapper = await fixture(
      html`<div lang="en"><clientela-provider .token=${token}><customer-card customer-id=${customer.id}></customer-card></clientela-provider></div>`,
    );
    const card = wrapper.querySelector('customer-card')!;
    await waitFor(card, '.card');
    expect(text($(card, '[part~="edit-button"]'))).to.equal('Edit');
  });

  it('asks getToken() again once on a 401 and carries on with the new token', async () => {
    const customer = await newCustomer();
    const good = await tokenFor('admin');
    const asked: number[] = [];
    const getToken = () => {
      asked.push(Date.now());
      return asked.length === 1 ? 'not-a-valid-token' : good;
    };
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider locale="es" .getToken=${getToken}><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`,
    );
    const card = provider.querySelector('customer-card')!;
    await waitFor(card, '.card');
    expect(asked.length).to.equal(2);
    expect(text($(card, 'h2'))).to.contain('Prueba');
  });

  it('shows the error when the fresh token is refused too', async () => {
    const customer = await newCustomer();
    let asked = 0;
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider locale="en" .getToken=${() => (asked++, 'still-bad')}><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`,
    );
    const card = provider.querySelector('customer-card')!;
    const error = await waitFor(card, '.state.error');
    expect(asked).to.equal(2);
    expect(text(error)).to.contain('session has expired');
    expect(error.getAttribute('role')).to.equal('alert');
    await expect(card).to.be.accessible();
  });

  it('holds requests made before the host sets the token, then sends them signed', async () => {
    const customer = await newCustomer();
    const token = await tokenFor('admin');
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider locale="en"><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`,
    );
    const card = provider.querySelector('customer-card')!;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(card.shadowRoot!.querySelector('.state.error')).to.equal(null);
    provider.token = token;
    await waitFor(card, '.card');
    expect(text($(card, 'h2'))).to.contain('Prueba');
  });

  it('tells plainly when a component has no provider around it', async () => {
    const card = await fixture<CustomerCard>(html`<customer-card customer-id="x"></customer-card>`);
    const message = await waitFor(card, '.state.error');
    expect(text(message)).to.contain('clientela-provider');
    await expect(card).to.be.accessible();
    const list = await fixture(html`<member-list lang="es"></member-list>`);
    expect(text(await waitFor(list, '.state.error'))).to.contain('necesita un <clientela-provider>');
    await expect(list).to.be.accessible();
  });

  it('keeps its session and data through new token functions for the same user, and starts over for another', async () => {
    const customer = await newCustomer();
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider locale="en" .getToken=${tokenFunction('admin')}
        ><customer-card customer-id=${customer.id}></customer-card><member-list></member-list
      ></clientela-provider>`,
    );
    const card = provider.querySelector('customer-card') as CustomerCard;
    const list = provider.querySelector('member-list') as MemberList;
    // Rows are drawn only where the list is on screen.
    list.scrollIntoView();
    await waitFor(card, '.card');
    await waitFor(list, '.row[data-index="0"]');
    const client = provided(card, clientContext);
    const session = provided(card, sessionContext);
    const spy = spyFetch();
    try {
      // What Angular's [getToken]="tokenSource()" does: a new function on every change detection.
      for (let i = 0; i < 10; i++) {
        provider.getToken = tokenFunction('admin');
        await provider.updateComplete;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      await spy.settled();
      expect(spy.calls.filter((c) => c.url.includes('/api/demo/session')).length).to.be.at.most(1);
      expect(spy.calls.filter((c) => c.url.includes('/api/v1/')).map((c) => c.url)).to.deep.equal([], 'nothing reloads');
      expect(provided(card, clientContext)).to.equal(client);
      expect(provided(card, sessionContext)).to.equal(session);

      // Another user of the same tenant: everything starts over, as that user.
      provider.getToken = tokenFunction('agent');
      await waitUntil(() => provided(card, sessionContext)?.user.name === 'Carlos Ruiz', 'the agent’s session');
      expect(provided(card, clientContext)).not.to.equal(client);
      await waitUntil(() => spy.calls.some((c) => c.url.includes(`/api/v1/customers/${customer.id}`)), 'the card reloads');
      await waitUntil(() => spy.calls.some((c) => /\/api\/v1\/customers\?/.test(c.url)), 'the list reloads');
      await waitFor(card, '.card');

      // Another tenant: everything starts over too (and here the server refuses the unsigned token).
      const agentClient = provided(card, clientContext);
      const before = spy.calls.length;
      provider.getToken = () => otherTenantToken();
      await waitUntil(() => provided(card, sessionContext)?.tenantId === 'otra-tienda', 'the other tenant’s session');
      expect(provided(card, clientContext)).not.to.equal(agentClient);
      await waitUntil(() => spy.calls.slice(before).some((c) => c.url.includes(`/api/v1/customers/${customer.id}`)), 'the card reloads');
      expect(text(await waitFor(card, '.state.error'))).to.contain('session has expired');
    } finally {
      spy.restore();
    }
  });

  it('keeps its session through a new token property for the same user', async () => {
    const customer = await newCustomer();
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider locale="en" .token=${await tokenFunction('admin')()}><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`,
    );
    const card = provider.querySelector('customer-card') as CustomerCard;
    await waitFor(card, '.card');
    const client = provided(card, clientContext);
    const spy = spyFetch();
    try {
      provider.token = await tokenFunction('admin')();
      await provider.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(spy.calls.filter((c) => c.url.includes('/api/v1/'))).to.deep.equal([]);
      expect(provided(card, clientContext)).to.equal(client);
      provider.token = await tokenFunction('agent')();
      await waitUntil(() => provided(card, sessionContext)?.user.name === 'Carlos Ruiz', 'the agent’s session');
      expect(provided(card, clientContext)).not.to.equal(client);
    } finally {
      spy.restore();
    }
  });
});
