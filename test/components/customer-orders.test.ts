import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import type { CustomerCard } from '../../components/customer-card/customer-card.ts';
import type { CustomerOrders } from '../../components/customer-orders/customer-orders.ts';
import type { CustomerViewRequestEvent } from '../../components/events.ts';
import { $, $$, api, mount, newCustomer, spyFetch, text, type, waitFor, waitUntil } from './helpers.ts';
import { pushOrder } from './order-helpers.ts';

async function mountOrders(customerId: string, options: Parameters<typeof mount>[1] = {}) {
  const { element } = await mount<CustomerOrders>(html`<customer-orders customer-id=${customerId}></customer-orders>`, options);
  await waitFor(element, '.orders, .state.empty, .state.error');
  return element;
}

const refs = (element: Element) => $$(element, '.order .ref').map((e) => text(e));

describe('<customer-orders>', () => {
  it('lists orders newest first: status, money in the order’s currency, points; refunds marked as not spend', async () => {
    const customer = await newCustomer();
    const older = await pushOrder(customer.id, '2026-03-02T10:00:00Z', [{ name: 'Café de Colombia 500 g', category: 'Alimentación', price: 899, quantity: 2 }]);
    const refunded = await pushOrder(customer.id, '2026-04-10T10:00:00Z', [{ name: 'Auriculares inalámbricos', category: 'Electrónica', price: 5_990 }]);
    await api('POST', '/orders', { ...refunded, status: 'refunded' });
    const element = await mountOrders(customer.id);
    expect(refs(element)).to.deep.equal([`Pedido ${refunded.externalId}`, `Pedido ${older.externalId}`]);
    const [first, second] = $$(element, '.order');
    expect(first.classList.contains('undone')).to.equal(true);
    expect(text(first.querySelector('.order-status'))).to.equal('Devuelto');
    expect(text(first.querySelector('.total'))).to.equal('59,90 € (No cuenta como gasto)');
    expect(text(first.querySelector('.points'))).to.contain('+59 pts').and.contain('59 puntos retirados');
    expect(text(second.querySelector('.order-status'))).to.equal('Completado');
    expect(text(second.querySelector('.total'))).to.equal('17,98 €');
    expect(text(second.querySelector('.when'))).to.equal('2 mar 2026 · 1 artículo');
    await expect(element).to.be.accessible();
  });

  it('filters by status, and says when no order has it', async () => {
    const customer = await newCustomer();
    await pushOrder(customer.id, '2026-05-01T10:00:00Z', [{ name: 'Vino tinto', category: 'Bodega', price: 1_275 }]);
    await pushOrder(customer.id, '2026-05-02T10:00:00Z', [{ name: 'Cava', category: 'Bodega', price: 990 }], { status: 'pending' });
    const element = await mountOrders(customer.id, { locale: 'en' });
    expect(refs(element)).to.have.length(2);
    const spy = spyFetch();
    try {
      type($(element, '#co-status')!, 'pending');
      await waitUntil(() => refs(element).length === 1, 'only the pending order stays');
      expect(text($(element, '.order-status'))).to.equal('Pending');
      const request = spy.calls.find((c) => c.url.includes('/orders'))!;
      expect(new URL(request.url, location.href).searchParams.get('status')).to.equal('pending');
      type($(element, '#co-status')!, 'refunded');
      const empty = await waitFor(element, '.state.empty');
      expect(text(empty)).to.contain('No orders with this status.');
    } finally {
      spy.restore();
    }
  });

  it('drops a live refresh that answers after the status filter changed', async () => {
    const customer = await newCustomer();
    await pushOrder(customer.id, '2026-05-01T10:00:00Z', [{ name: 'Vino tinto', category: 'Bodega', price: 1_275 }]);
    await pushOrder(customer.id, '2026-05-02T10:00:00Z', [{ name: 'Cava', category: 'Bodega', price: 990 }], { status: 'pending' });
    const element = await mountOrders(customer.id, { locale: 'en' });
    await waitUntil(() => refs(element).length === 2, 'both orders');
    const spy = spyFetch();
    try {
      const unfiltered = (url: string) => url.includes(`/customers/${customer.id}/orders`) && !url.includes('status=');
      const release = spy.hold(unfiltered);
      // A new order arrives live: the list asks for its unfiltered first page, and that answer is late.
      await pushOrder(customer.id, '2026-05-03T10:00:00Z', [{ name: 'Vermut', category: 'Bodega', price: 1_450 }]);
      await waitUntil(() => spy.calls.some((c) => unfiltered(c.url)), 'the live refresh asks');
      type($(element, '#co-status')!, 'pending');
      await waitUntil(() => refs(element).length === 1, 'only the pending order');
      release();
      await spy.settled();
      expect(refs(element)).to.have.length(1);
      expect(text($(element, '.order-status'))).to.equal('Pending');
    } finally {
      spy.restore();
    }
  });

  it('opens an order to its items by keyboard, and closes it again', async () => {
    const customer = await newCustomer();
    await pushOrder(customer.id, '2026-06-01T10:00:00Z', [
      { name: 'Zapatillas de running', category: 'Calzado', price: 7_495 },
      { name: 'Calcetines técnicos', category: 'Deportes', price: 995, quantity: 3 },
    ]);
    const element = await mountOrders(customer.id);
    const toggle = $(element, '.order .toggle')!;
    const items = $(element, '.order .items')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(toggle.getAttribute('aria-controls')).to.equal(items.id);
    expect(items.hidden).to.equal(true);
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => toggle.getAttribute('aria-expanded') === 'true', 'the order opens');
    const rows = [...items.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((td) => text(td)));
    expect(rows).to.deep.equal([
      ['Zapatillas de running', 'Calzado', '1', '74,95 €', '74,95 €'],
      ['Calcetines técnicos', 'Deportes', '3', '9,95 €', '29,85 €'],
    ]);
    expect(items.hidden).to.equal(false);
    await expect(element).to.be.accessible();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => toggle.getAttribute('aria-expanded') === 'false', 'the order closes');
    expect(items.hidden).to.equal(true);
  });

  it('shows a pushed order and a refund live, and says so', async () => {
    const customer = await newCustomer();
    const first = await pushOrder(customer.id, '2026-07-01T10:00:00Z', [{ name: 'Libro', category: 'Libros', price: 1_890 }]);
    const element = await mountOrders(customer.id);
    expect(refs(element)).to.have.length(1);
    const second = await pushOrder(customer.id, '2026-07-05T10:00:00Z', [{ name: 'Puzle', category: 'Juguetes', price: 1_499 }]);
    await waitUntil(() => refs(element).length === 2, 'the new order arrives');
    expect(refs(element)[0]).to.equal(`Pedido ${second.externalId}`);
    await waitUntil(() => text($(element, '[role="status"]')).includes('pedido'), 'the change is announced');
    await api('POST', '/orders', { ...first, status: 'refunded' });
    await waitUntil(() => text($$(element, '.order-status')[1]) === 'Devuelto', 'the refund arrives');
    expect(refs(element)).to.have.length(2);
  });

  it('says when a customer has no orders yet', async () => {
    const customer = await newCustomer();
    const element = await mountOrders(customer.id);
    expect(text($(element, '.state.empty'))).to.contain('Todavía no hay pedidos.');
    await expect(element).to.be.accessible();
  });
});

describe('<customer-card> record line', () => {
  it('shows when the customer was created and changed, and asks the host for their orders or history', async () => {
    const customer = await newCustomer();
    const { element } = await mount<CustomerCard>(html`<customer-card customer-id=${customer.id}></customer-card>`, { locale: 'en' });
    const record = await waitFor(element, '.record');
    expect(text(record.querySelector('.record-dates'))).to.match(/^Created [A-Z][a-z]{2} \d{1,2}, \d{4} · updated (now|\d+ seconds? ago)$/);
    const requests: CustomerViewRequestEvent[] = [];
    document.addEventListener('customer-view-request', (e) => requests.push(e));
    $(element, '[data-view="orders"]')!.click();
    $(element, '[data-view="history"]')!.focus();
    await sendKeys({ press: 'Enter' });
    expect(requests.map((e) => e.detail)).to.deep.equal([
      { customerId: customer.id, view: 'orders' },
      { customerId: customer.id, view: 'history' },
    ]);
    expect(requests.every((e) => e.bubbles && e.composed)).to.equal(true);
  });
});
