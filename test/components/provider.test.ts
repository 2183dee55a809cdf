import { expect, fixture } from '@open-wc/testing';
import { html } from 'lit';
import { ClientelaClient } from '../../components/api/client.ts';
import { clientContext, sessionContext } from '../../components/context.ts';
import type { CustomerCard } from '../../components/customer-card/customer-card.ts';
import type { ClientelaProvider } from '../../components/provider/clientela-provider.ts';
import { $, newCustomer, provided, text, tokenFor, waitFor, waitUntil } from './helpers.ts';

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
});
