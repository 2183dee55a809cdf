import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import type { CustomerInsights } from '../../components/customer-insights/customer-insights.ts';
import { $, $$, api, mount, newCustomer, spyFetch, text, type, waitFor, waitUntil } from './helpers.ts';
import { pushOrder } from './order-helpers.ts';

async function mountInsights(customerId: string, options: Parameters<typeof mount>[1] = {}) {
  const { element } = await mount<CustomerInsights>(html`<customer-insights customer-id=${customerId}></customer-insights>`, options);
  await waitFor(element, '.tiles, .state.empty, .state.error');
  return element;
}

const tile = (element: Element, metric: string) => text($(element, `[data-metric="${metric}"] dd`));
const tableRows = (element: Element, panel: string) =>
  $$(element, `#ci-${panel}-table tbody tr`).map((row) => [...row.querySelectorAll('th, td')].map((cell) => text(cell)));

/** A customer with three completed orders over two months and a refunded one. */
async function shopper() {
  const customer = await newCustomer();
  await pushOrder(customer.id, '2026-01-10T10:00:00Z', [{ name: 'Zapatillas', category: 'Calzado', price: 7_500 }, { name: 'Café', category: 'Alimentación', price: 900, quantity: 2 }]);
  await pushOrder(customer.id, '2026-01-20T10:00:00Z', [{ name: 'Aceite', category: 'Alimentación', price: 1_200 }]);
  await pushOrder(customer.id, '2026-03-05T10:00:00Z', [{ name: 'Libro', category: 'Libros', price: 2_000 }]);
  const refunded = await pushOrder(customer.id, '2026-03-06T10:00:00Z', [{ name: 'Altavoz', category: 'Electrónica', price: 9_000 }]);
  await api('POST', '/orders', { ...refunded, status: 'refunded' });
  return customer;
}

describe('<customer-insights>', () => {
  it('shows the tiles, the top categories and both charts with their tables, completed orders only', async () => {
    const customer = await shopper();
    const element = await mountInsights(customer.id);
    expect(tile(element, 'orders-count')).to.equal('3');
    expect(tile(element, 'total-spent')).to.equal('125,00 €');
    expect(tile(element, 'average-order')).to.equal('41,67 €');
    expect(tile(element, 'first-order')).to.equal('10 ene 2026');
    expect(tile(element, 'last-order')).to.equal('5 mar 2026');
    expect(tableRows(element, 'categories')).to.deep.equal([
      ['Calzado', '1', '1', '75,00 €'],
      ['Alimentación', '2', '3', '30,00 €'],
      ['Libros', '1', '1', '20,00 €'],
    ]);
    const months = tableRows(element, 'spend');
    expect(months.slice(0, 3)).to.deep.equal([
      ['enero de 2026', '2', '105,00 €'],
      ['febrero de 2026', '0', '0,00 €'],
      ['marzo de 2026', '1', '20,00 €'],
    ]);
    // The refund's points were earned and taken back: earned counts when credited (today), the reversal is not spending.
    const points = tableRows(element, 'points');
    expect(points.at(-1)!.slice(1)).to.deep.equal(['215', '0']);
    // uPlot arrives on its own and draws on a canvas, hidden from assistive tech (the tables speak for it).
    await waitFor(element, '#ci-spend-chart canvas', 'the spend chart');
    await waitFor(element, '#ci-points-chart canvas', 'the points chart');
    expect($(element, '#ci-spend-chart')!.getAttribute('aria-hidden')).to.equal('true');
    expect($(element, '#ci-spend-table')!.classList.contains('visually-hidden')).to.equal(true);
    await expect(element).to.be.accessible();
  });

  it('filters every figure by one date range, and refuses an end before the start', async () => {
    const customer = await shopper();
    const element = await mountInsights(customer.id, { locale: 'en' });
    expect(tile(element, 'orders-count')).to.equal('3');
    const spy = spyFetch();
    try {
      type($(element, '#ci-from')!, '2026-03-01');
      type($(element, '#ci-to')!, '2026-03-31');
      await waitUntil(() => tile(element, 'orders-count') === '1', 'only March is counted');
      expect(tile(element, 'total-spent')).to.equal('€20.00');
      expect(tableRows(element, 'categories')).to.deep.equal([['Libros', '1', '1', '€20.00']]);
      const request = spy.calls.filter((c) => c.url.includes('/insights')).at(-1)!;
      const query = new URL(request.url, location.href).searchParams;
      expect([query.get('from'), query.get('to')]).to.deep.equal(['2026-03-01', '2026-03-31']);
      type($(element, '#ci-to')!, '2026-02-01');
      const error = await waitFor(element, '#ci-range-error');
      expect(text(error)).to.equal('The end date is before the start date.');
      expect($(element, '#ci-from')!.getAttribute('aria-invalid')).to.equal('true');
      await expect(element).to.be.accessible();
      $(element, '.clear')!.click();
      await waitUntil(() => tile(element, 'orders-count') === '3', 'all time again');
    } finally {
      spy.restore();
    }
  });

  it('shows a chart’s table instead of the chart from the keyboard', async () => {
    const customer = await shopper();
    const element = await mountInsights(customer.id, { locale: 'en', theme: 'dark' });
    const button = $(element, '[data-table="spend"]')!;
    expect(text(button)).to.equal('Show as table');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !$(element, '#ci-spend-table')!.classList.contains('visually-hidden'), 'the table shows');
    expect(text(button)).to.equal('Show as chart');
    expect(($(element, '.panel-spend .visual') as HTMLElement).hidden).to.equal(true);
    expect(text($(element, '#ci-spend-table caption'))).to.equal('Spend per month');
    await expect(element).to.be.accessible();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(element, '#ci-spend-table')!.classList.contains('visually-hidden'), 'the chart is back');
  });

  it('follows a pushed order live', async () => {
    const customer = await shopper();
    const element = await mountInsights(customer.id);
    expect(tile(element, 'orders-count')).to.equal('3');
    await pushOrder(customer.id, '2026-04-02T10:00:00Z', [{ name: 'Esterilla', category: 'Deportes', price: 2_500 }]);
    await waitUntil(() => tile(element, 'orders-count') === '4', 'the new order counts');
    expect(tile(element, 'total-spent')).to.equal('150,00 €');
  });

  it('says when a customer has bought nothing', async () => {
    const customer = await newCustomer();
    const element = await mountInsights(customer.id);
    expect(text($(element, '.state.empty'))).to.contain('Este cliente todavía no ha comprado nada.');
    await expect(element).to.be.accessible();
  });
});
