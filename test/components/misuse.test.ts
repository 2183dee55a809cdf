/**
 * A host that wires the kit wrongly hears why, once in the console and on
 * the page, instead of a silent 401 loop or a blank: a token function
 * written as an attribute (Vue's `:get-token`, Angular's `[attr.get-token]`),
 * no provider at all, a provider whose api-base is not Clientela's API, a
 * property with a dash in its name (Angular's `[customer-id]`).
 */
import { expect, fixture } from '@open-wc/testing';
import { html } from 'lit';
import type { CustomerCard } from '../../components/customer-card/customer-card.ts';
import { $, newCustomer, spyFetch, text, tokenFor, waitFor, waitUntil } from './helpers.ts';

/** Records console.error while `run` runs. */
async function consoleErrors(run: (errors: string[]) => Promise<void>) {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args.map(String).join(' '));
  try {
    await run(errors);
  } finally {
    console.error = original;
  }
}

/** Records console.warn while `run` runs. */
async function consoleWarnings(run: (warnings: string[]) => Promise<void>) {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  try {
    await run(warnings);
  } finally {
    console.warn = original;
  }
}

const GET_TOKEN_MESSAGE = 'clientela-provider: getToken must be set as a property (Vue: `:getToken.prop`, Angular: `[getToken]`)';

describe('misuse', () => {
  it('a get-token attribute is named once in the console, and the components say the page gave no token, sending nothing', async () => {
    await consoleErrors(async (errors) => {
      const customer = await newCustomer();
      const calls = spyFetch();
      try {
        // What Vue writes for :get-token="fn": the function's source as an attribute.
        const first = await fixture(
          html`<clientela-provider locale="en" get-token="async () => (await fetch('/token')).text()"
            ><customer-card customer-id=${customer.id}></customer-card><member-list></member-list
          ></clientela-provider>`,
        );
        const card = first.querySelector('customer-card')!;
        expect(text(await waitFor(card, '.state.error'))).to.contain('Not signed in: the page gave no token function');
        expect(text(await waitFor(first.querySelector('member-list')!, '.state.error'))).to.contain('Not signed in');
        // Svelte and Vue write `gettoken` when the element is not defined yet: the same mistake, not said twice.
        const second = await fixture(html`<clientela-provider locale="es" gettoken="() => token"><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`);
        expect(text(await waitFor(second.querySelector('customer-card')!, '.state.error'))).to.contain('la página no ha dado ninguna función de token');
        await expect(card).to.be.accessible();
        expect(errors).to.deep.equal([GET_TOKEN_MESSAGE]);
        expect(calls.calls.filter((c) => c.url.includes('/api/v1/'))).to.deep.equal([], 'no request goes out unsigned');
      } finally {
        calls.restore();
      }
    });
  });

  it('a token set as a property afterwards still works: the mistake is over', async () => {
    const customer = await newCustomer();
    const provider = await fixture(html`<clientela-provider locale="en" token="x"><customer-card customer-id=${customer.id}></customer-card></clientela-provider>`);
    const card = provider.querySelector('customer-card') as CustomerCard;
    await waitFor(card, '.state.error');
    (provider as HTMLElementTagNameMap['clientela-provider']).getToken = () => tokenFor('admin');
    await waitFor(card, '.card');
    expect(text($(card, 'h2'))).to.contain('Prueba');
  });

  it('a component without a provider says so on the page and, once, in the console', async () => {
    await consoleErrors(async (errors) => {
      const card = await fixture<CustomerCard>(html`<customer-card customer-id="x"></customer-card>`);
      const list = await fixture(html`<member-list></member-list>`);
      expect(text(await waitFor(card, '.state.error'))).to.contain('needs a <clientela-provider>');
      await waitUntil(() => errors.length > 0, 'the console hears it');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/^<(customer-card|member-list)>: no <clientela-provider> around it/);
      list.remove();
    });
  });

  it('a provider inside which components upgrade first is not reported', async () => {
    await consoleErrors(async (errors) => {
      const token = await tokenFor('admin');
      const customer = await newCustomer();
      const wrapper = await fixture(html`<div><customer-card customer-id=${customer.id}></customer-card></div>`);
      // The provider arrives a moment later (a framework rendering the parent after the child).
      const provider = document.createElement('clientela-provider');
      provider.token = token;
      provider.setAttribute('locale', 'en');
      const card = wrapper.querySelector('customer-card')!;
      wrapper.append(provider);
      provider.append(card);
      await waitFor(card, '.card');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(errors.filter((e) => e.includes('no <clientela-provider>'))).to.deep.equal([]);
    });
  });

  for (const [label, apiBase, answer] of [
    ['a path the host does not serve (404, not JSON)', '/nowhere/v1', null],
    ["a path on Clientela's server that is not the API (404 \"No route\")", '/api/v9', null],
    ['a single-page app that answers every path with its page (200, HTML)', '/app/api/v1', '<!doctype html><title>Acme admin</title>'],
  ] as const) {
    it(`an api-base that is ${label} is named on the page and in the console`, async () => {
      await consoleErrors(async (errors) => {
        const token = await tokenFor('admin');
        const original = window.fetch;
        if (answer) {
          window.fetch = async (input, init) =>
            String(input instanceof Request ? input.url : input).includes(apiBase)
              ? new Response(answer, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } })
              : original(input, init);
        }
        try {
          const provider = await fixture(
            html`<clientela-provider locale="en" api-base=${apiBase} .token=${token}><customer-card customer-id="c_1"></customer-card><member-list></member-list></clientela-provider>`,
          );
          const message = text(await waitFor(provider.querySelector('customer-card')!, '.state.error'));
          expect(message).to.contain(`No Clientela API answers at ${apiBase}: check the api-base of <clientela-provider>`);
          expect(text(await waitFor(provider.querySelector('member-list')!, '.state.error'))).to.contain(`No Clientela API answers at ${apiBase}`);
          const told = errors.filter((e) => e.startsWith(`clientela-provider: api-base "${apiBase}" is not Clientela's API`));
          expect(told, errors.join('\n')).to.have.length(1);
          expect(told[0]).to.match(answer ? /answered 200 \(text\/html/ : /answered 404/);
        } finally {
          window.fetch = original;
        }
      });
    });
  }

  it('a property with a dash in its name is named once in the console, with the binding that works', async () => {
    await consoleWarnings(async (warnings) => {
      const token = await tokenFor('admin');
      const customer = await newCustomer();
      // What Angular does with [customer-id]="id" and [get-token]="fn": a property literally named so, before or after upgrade.
      const render = async () => {
        const provider = document.createElement('clientela-provider') as HTMLElementTagNameMap['clientela-provider'] & Record<string, unknown>;
        provider.token = token;
        provider.setAttribute('locale', 'en');
        provider['get-token'] = () => token;
        const card = document.createElement('customer-card') as CustomerCard & Record<string, unknown>;
        card['customer-id'] = customer.id;
        card['not-a-property'] = 1;
        provider.append(card);
        await fixture(html`<div></div>`).then((parent) => parent.append(provider));
        await waitFor(card, '.card.placeholder');
        await card.updateComplete;
        await provider.updateComplete;
        return card;
      };
      const card = await render();
      await waitUntil(() => warnings.length >= 3, 'the console hears it');
      // The page can only say what the card got: nothing.
      expect(text($(card, '.card.placeholder'))).to.contain('No customer selected');
      await render();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(warnings.sort()).to.deep.equal([
        'clientela-provider: `get-token` was set as a property; bind `[getToken]` (Angular), `:getToken.prop` (Vue)',
        'customer-card: `customer-id` was set as a property; bind `[customerId]` (Angular), `:customerId.prop` (Vue) or the attribute',
        'customer-card: `not-a-property` was set as a property; <customer-card> has no property `notAProperty` (docs/components.md lists them)',
      ]);
    });
  });
});
