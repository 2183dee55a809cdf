import { ContextProvider } from '@lit/context';
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import type { LedgerEntry } from '../../components/api/points.ts';
import type { Level } from '../../components/api/reference.ts';
import type { Customer, Page } from '../../components/api/types.ts';
import { sessionContext } from '../../components/context.ts';
import type { PointsChangedEvent } from '../../components/events.ts';
import type { PointsManager } from '../../components/points-manager/points-manager.ts';
import { $, $$, api, mount, newCustomer, provided, spyFetch, text, type, waitFor } from './helpers.ts';

async function addPoints(customerId: string, delta: number, reason: string) {
  const { status, data } = await api<{ balance: number }>('POST', `/customers/${customerId}/points`, { delta, reason });
  expect(status, JSON.stringify(data)).to.equal(201);
  return data;
}

const ledgerOf = async (customerId: string) => (await api<Page<LedgerEntry>>('GET', `/customers/${customerId}/points?limit=200`)).data.items;
const customerOf = async (customerId: string) => (await api<Customer>('GET', `/customers/${customerId}`)).data;

async function mountManager(customerId: string, options: Parameters<typeof mount>[1] = {}, pageSize = 50) {
  const { element, provider } = await mount<PointsManager>(html`<points-manager customer-id=${customerId} page-size=${pageSize}></points-manager>`, options);
  await waitFor(element, '.figures');
  await waitFor(element, '.ledger table, .ledger .state.empty');
  return { element, provider };
}

/** Fills the form as a person would and submits it with the button. */
function fill(element: PointsManager, direction: 'add' | 'deduct', amount: string, reason: string) {
  $(element, `input[name="pm-direction"][value="${direction}"]`)!.click();
  type($(element, '#pm-amount')!, amount);
  type($(element, '#pm-reason')!, reason);
}

const submit = (element: PointsManager) => $(element, '[part~="adjust-button"]')!.click();

describe('<points-manager>', () => {
  it('shows balance, lifetime points, level with progress to the next, and the ledger, in Spanish', async () => {
    const customer = await newCustomer();
    await addPoints(customer.id, 320, 'Bienvenida al programa');
    const { element } = await mountManager(customer.id);
    const figures = text($(element, '.figures'));
    expect(figures).to.contain('Saldo').and.contain('320').and.contain('Puntos acumulados');
    expect(figures).to.contain('Bronce');
    const bar = $(element, '[role="progressbar"]')!;
    expect(Number(bar.getAttribute('aria-valuenow'))).to.equal(64);
    expect(text($(element, '.progress-text'))).to.equal('Faltan 180 puntos acumulados para llegar a Plata');
    const rows = $$(element, 'tbody tr');
    expect(rows).to.have.length(1);
    expect(text(rows[0])).to.contain('Ajuste').and.contain('Bienvenida al programa').and.contain('+320').and.contain('por Lucía Fernández');
    expect(rows[0].querySelector('time')?.getAttribute('title')).to.match(/\d{4}/);
    await expect(element).to.be.accessible();
  });

  it('adds points with a reason: one request with an Idempotency-Key, the new balance, the entry on top, and points-changed', async () => {
    const customer = await newCustomer();
    await addPoints(customer.id, 40, 'Saldo inicial');
    const { element } = await mountManager(customer.id, { locale: 'en' });
    const spy = spyFetch();
    try {
      fill(element, 'add', '25', 'Goodwill for a late parcel');
      const changed = oneEvent(element, 'points-changed') as Promise<PointsChangedEvent>;
      submit(element);
      const event = await changed;
      expect(event.detail).to.deep.equal({ customerId: customer.id, delta: 25, balance: 65, lifetimePoints: 65 });
      expect(event.bubbles && event.composed).to.equal(true);
      const posts = spy.calls.filter((c) => c.method === 'POST');
      expect(posts).to.have.length(1);
      expect(posts[0].headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{36}$/);
      expect(posts[0].body).to.deep.equal({ delta: 25, reason: 'Goodwill for a late parcel' });
    } finally {
      spy.restore();
    }
    await element.updateComplete;
    expect(text($(element, '.figure.balance'))).to.contain('65');
    expect(text($$(element, 'tbody tr')[0])).to.contain('Goodwill for a late parcel').and.contain('+25');
    expect(($(element, '#pm-amount') as HTMLInputElement).value).to.equal('');
    await waitUntil(() => text($(element, '[role="status"][aria-live]')).includes('25 points added. New balance: 65.'));
    expect((await customerOf(customer.id)).points).to.equal(65);
  });

  it('refuses a deduction beyond the balance plainly, next to the amount, and changes nothing', async () => {
    const customer = await newCustomer();
    await addPoints(customer.id, 30, 'Saldo inicial');
    const { element } = await mountManager(customer.id);
    fill(element, 'deduct', '50', 'Canje de un cupón');
    await element.updateComplete;
    expect(text($(element, '[part~="adjust-button"]'))).to.equal('Restar puntos');
    submit(element);
    const error = await waitFor(element, '#pm-amount-error');
    expect(text(error)).to.equal('No hay puntos suficientes: el saldo es 30. No se ha restado nada.');
    expect(error.getAttribute('role')).to.equal('alert');
    const amount = $(element, '#pm-amount')!;
    expect(amount.getAttribute('aria-invalid')).to.equal('true');
    expect(amount.getAttribute('aria-describedby')).to.equal('pm-amount-error');
    await waitUntil(() => element.shadowRoot!.activeElement === amount, 'focus moves to the amount');
    expect((await customerOf(customer.id)).points).to.equal(30);
    expect(await ledgerOf(customer.id)).to.have.length(1);
    expect(text($(element, '.figure.balance'))).to.contain('30');
    await expect(element).to.be.accessible();
  });

  it('checks the amount and the reason before asking the server', async () => {
    const customer = await newCustomer();
    const { element } = await mountManager(customer.id, { locale: 'en' });
    const spy = spyFetch();
    try {
      fill(element, 'add', '0', '  ');
      submit(element);
      await waitFor(element, '#pm-reason-error');
      expect(text($(element, '#pm-amount-error'))).to.equal('Enter a whole number of points from 1 to 1,000,000.');
      expect(text($(element, '#pm-reason-error'))).to.equal('Give a reason: it is saved in the ledger.');
      expect(spy.calls.filter((c) => c.method === 'POST')).to.have.length(0);
      type($(element, '#pm-amount')!, '12');
      await element.updateComplete;
      expect($(element, '#pm-amount-error')).to.equal(null);
    } finally {
      spy.restore();
    }
  });

  it('applies a double-clicked change once', async () => {
    const customer = await newCustomer();
    const { element } = await mountManager(customer.id);
    const spy = spyFetch();
    try {
      fill(element, 'add', '10', 'Doble clic');
      submit(element);
      submit(element);
      await waitUntil(() => $$(element, 'tbody tr').length === 1, 'the entry shows');
      expect(spy.calls.filter((c) => c.method === 'POST')).to.have.length(1);
    } finally {
      spy.restore();
    }
    expect(await ledgerOf(customer.id)).to.have.length(1);
    expect((await customerOf(customer.id)).points).to.equal(10);
  });

  it('retries a change whose answer was lost with the same Idempotency-Key, so it is applied once', async () => {
    const customer = await newCustomer();
    const { element } = await mountManager(customer.id, { locale: 'en' });
    const original = window.fetch;
    const keys: string[] = [];
    let lose = true;
    window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const response = await original(input, init);
      if ((init.method ?? 'GET') === 'POST') {
        keys.push(new Headers(init.headers).get('Idempotency-Key') ?? '');
        if (lose) {
          lose = false;
          throw new TypeError('Failed to fetch');
        }
      }
      return response;
    };
    try {
      fill(element, 'add', '15', 'Reintento');
      submit(element);
      const error = await waitFor(element, '.adjust .form-error');
      expect(text(error)).to.contain('cannot be reached');
      submit(element);
      await waitUntil(() => ($(element, '#pm-amount') as HTMLInputElement).value === '', 'the retry succeeds and clears the form');
    } finally {
      window.fetch = original;
    }
    expect(keys).to.have.length(2);
    expect(keys[1]).to.equal(keys[0]);
    expect(await ledgerOf(customer.id)).to.have.length(1);
    expect($$(element, 'tbody tr')).to.have.length(1);
    expect((await customerOf(customer.id)).points).to.equal(15);
    // A new change afterwards is a new key.
    fill(element, 'add', '15', 'Reintento');
    submit(element);
    await waitUntil(() => $$(element, 'tbody tr').length === 2, 'the second entry shows');
    expect(await ledgerOf(customer.id)).to.have.length(2);
  });

  it('is usable by keyboard: choose deduct, type, submit with Enter', async () => {
    const customer = await newCustomer();
    await addPoints(customer.id, 100, 'Saldo inicial');
    const { element } = await mountManager(customer.id);
    $(element, 'input[name="pm-direction"][value="add"]')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await element.updateComplete;
    expect(($(element, 'input[value="deduct"]') as HTMLInputElement).checked).to.equal(true);
    $(element, '#pm-amount')!.focus();
    await sendKeys({ type: '40' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Canje en tienda' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text($(element, '.figure.balance')).includes('60'), 'the balance drops to 60');
    expect(text($$(element, 'tbody tr')[0])).to.contain('−40').and.contain('Canje en tienda');
  });

  it('sets a level by hand, locked, and returns it to automatic progression', async () => {
    const customer = await newCustomer();
    const levels = (await api<{ items: Level[] }>('GET', '/levels')).data.items.sort((a, b) => a.minPoints - b.minPoints);
    const gold = levels[2];
    const { element } = await mountManager(customer.id, { locale: 'en' });
    expect(text($(element, '.mode'))).to.contain('Automatic');
    const select = $(element, '#pm-level') as HTMLSelectElement;
    select.value = gold.id;
    $(element, '[part~="lock-button"]')!.click();
    await waitUntil(() => text($(element, '.mode')).includes('locked'), 'the level shows as locked');
    expect(text($(element, '.figures'))).to.contain(gold.name).and.contain('set by hand');
    let stored = await customerOf(customer.id);
    expect(stored.levelId).to.equal(gold.id);
    expect(stored.levelLocked).to.equal(true);
    await expect(element).to.be.accessible();
    $(element, '[part~="unlock-button"]')!.click();
    await waitUntil(() => text($(element, '.mode')).includes('Automatic'), 'the level is automatic again');
    stored = await customerOf(customer.id);
    expect(stored.levelLocked).to.equal(false);
    expect(stored.levelId).to.equal(levels[0].id);
    expect($(element, '[part~="unlock-button"]')).to.equal(null);
  });

  it('says where merged points came from: "from #N", in English and Spanish', async () => {
    const primary = await newCustomer();
    const source = await newCustomer();
    await addPoints(source.id, 250, 'Compra en tienda');
    expect((await api('POST', `/customers/${primary.id}/merge`, { sourceIds: [source.id], confirm: true })).status).to.equal(200);
    const { element } = await mountManager(primary.id, { locale: 'en' });
    const row = () => $$(element, '[part~="ledger-row"]').find((r) => text(r).includes('Compra en tienda'));
    await waitUntil(() => row(), 'the merged entry');
    expect(text(row()!.querySelector('.reason'))).to.contain(`from #${source.number}`);
    const spanish = (await mountManager(primary.id, { locale: 'es' })).element;
    await waitUntil(() => $$(spanish, '[part~="ledger-row"]').some((r) => text(r.querySelector('.reason')).includes(`de #${source.number}`)), 'in Spanish');
  });

  it('loads older ledger entries as the list scrolls, and with the button', async () => {
    const customer = await newCustomer();
    for (let i = 1; i <= 7; i += 1) await addPoints(customer.id, i, `Movimiento ${i}`);
    const { element } = await mountManager(customer.id, {}, 3);
    await waitUntil(() => $$(element, 'tbody tr').length >= 6, 'the next pages load while the end is in view');
    const more = $(element, '[part~="load-more"]');
    if (more) {
      more.click();
      await waitUntil(() => $$(element, 'tbody tr').length === 7);
    }
    await waitUntil(() => !$(element, '[part~="load-more"]'), 'no more to load');
    const reasons = $$(element, 'tbody tr .reason').map((r) => text(r));
    expect(reasons).to.deep.equal([7, 6, 5, 4, 3, 2, 1].map((i) => `Movimiento ${i}`));
  });

  it('follows changes made elsewhere: another admin’s deduction shows without a reload', async () => {
    const customer = await newCustomer();
    await addPoints(customer.id, 90, 'Saldo inicial');
    const { element } = await mountManager(customer.id);
    await addPoints(customer.id, -35, 'Canje en otra caja');
    await waitUntil(() => text($(element, '.figure.balance')).includes('55'), 'the new balance arrives live', { timeout: 10_000 });
    await waitUntil(() => $$(element, 'tbody tr').length === 2, 'the entry arrives live');
    expect(text($$(element, 'tbody tr')[0])).to.contain('Canje en otra caja').and.contain('−35');
  });

  it('keeps a removed member’s points read-only, and hides the tools from those without points:write', async () => {
    const customer = await newCustomer();
    expect((await api('DELETE', `/customers/${customer.id}`)).status).to.equal(200);
    const { element } = await mountManager(customer.id, { locale: 'en' });
    expect(text($(element, '.adjust .note'))).to.contain('cannot change');
    expect(($(element, '[part~="adjust-button"]') as HTMLButtonElement).disabled).to.equal(true);
    await expect(element).to.be.accessible();
    // Someone who may only read signs in: a nearer provider of the session speaks for the page's.
    const scope = document.createElement('div');
    const session = new ContextProvider(scope, { context: sessionContext, initialValue: provided(element, sessionContext) ?? null });
    element.replaceWith(scope);
    scope.append(element);
    session.setValue({ ...session.value!, isAdmin: false, role: 'viewer', perms: new Set(['customers:read']) });
    await element.updateComplete;
    expect($(element, '.adjust')).to.equal(null);
    expect($(element, '#pm-level')).to.equal(null);
    expect(text($(element, '.read-only'))).to.equal('You can see the points but not change them.');
  });

  it('shows the server’s error with a retry when the customer cannot be loaded', async () => {
    const { element } = await mount<PointsManager>(html`<points-manager customer-id="00000000-0000-4000-8000-000000000000"></points-manager>`, { locale: 'en' });
    const error = await waitFor(element, '.state.error');
    expect(text(error)).to.contain('does not exist');
    expect(text(error.querySelector('button'))).to.equal('Try again');
    await expect(element).to.be.accessible();
  });
});
