/**
 * The kit never fires a window `error` or `unhandledrejection`: hosts hook
 * error trackers and framework listeners (Angular's
 * provideBrowserGlobalErrorListeners) to those, and a notice on every page
 * load is an error report on every page load. Every component loads at once,
 * the list holds 10,000 rows, scrolls, filters, and the page goes from a
 * desktop width to a phone's and back.
 */
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { html } from 'lit';
import type { CustomerListItem } from '../../components/api/customers.ts';
import type { Page } from '../../components/api/types.ts';
import type { MemberList } from '../../components/member-list/member-list.ts';
import { $, $$, api, mount, newCustomer, text, type, waitFor, waitUntil } from './helpers.ts';
import { pushOrder } from './order-helpers.ts';

const ROWS = 10_000;

/** Everything the window reports while `run` runs, heard before any other listener. */
async function windowErrors(run: () => Promise<void>): Promise<string[]> {
  const heard: string[] = [];
  const onError = (e: ErrorEvent) => heard.push(`error: ${e.message}`);
  const onRejection = (e: PromiseRejectionEvent) => heard.push(`unhandledrejection: ${String(e.reason)}`);
  window.addEventListener('error', onError, true);
  window.addEventListener('unhandledrejection', onRejection, true);
  try {
    await run();
  } finally {
    window.removeEventListener('error', onError, true);
    window.removeEventListener('unhandledrejection', onRejection, true);
  }
  return heard;
}

/**
 * Answers the list's requests with `ROWS` members made from one real one, in
 * one page, so the test measures the browser, not the server; searches
 * filter them by name. Every other request goes to the server.
 */
function tenThousandMembers(model: CustomerListItem) {
  const members: CustomerListItem[] = Array.from({ length: ROWS }, (_, i) => ({
    ...model,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    number: 100_000 + i,
    firstName: i % 7 ? 'Lucía' : 'Íñigo',
    lastName: `Fila ${i}`,
    email: `fila.${i}@example.com`,
  }));
  const original = window.fetch;
  window.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (!/\/api\/v1\/customers$/.test(url.pathname) || (init?.method ?? 'GET') !== 'GET') return original(input, init);
    const q = url.searchParams.get('q')?.toLowerCase();
    const page: Page<CustomerListItem> = { items: q ? members.filter((m) => `${m.firstName} ${m.lastName}`.toLowerCase().includes(q)) : members, nextCursor: null };
    return new Response(JSON.stringify(page), { headers: { 'Content-Type': 'application/json' } });
  };
  return () => (window.fetch = original);
}

const frames = async (count: number) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
};

describe('window errors', () => {
  it('none while every component loads, the list holds 10,000 rows, scrolls, filters and the page resizes', async () => {
    await setViewport({ width: 1280, height: 900 });
    const customer = await newCustomer();
    await pushOrder(customer.id, '2026-01-10T10:00:00Z', [{ name: 'Zapatillas', category: 'Calzado', price: 7_500 }]);
    await pushOrder(customer.id, '2026-02-20T10:00:00Z', [{ name: 'Café', category: 'Alimentación', price: 900 }]);
    const model = (await api<Page<CustomerListItem>>('GET', '/customers?limit=1')).data.items[0];
    const restore = tenThousandMembers(model);
    try {
      const heard = await windowErrors(async () => {
        const { provider } = await mount<HTMLElement>(
          html`<member-list></member-list>
            <customer-card customer-id=${customer.id}></customer-card>
            <points-manager customer-id=${customer.id}></points-manager>
            <customer-history customer-id=${customer.id}></customer-history>
            <customer-orders customer-id=${customer.id}></customer-orders>
            <customer-insights customer-id=${customer.id}></customer-insights>
            <merge-dialog customer-id=${customer.id} open></merge-dialog>`,
        );
        const list = provider.querySelector<MemberList>('member-list')!;
        await waitFor(list, '.row[data-index="0"]');
        expect(text($(list, '.footer'))).to.contain('10.000');
        await waitFor(provider.querySelector('customer-card')!, '.card');
        await waitFor(provider.querySelector('customer-insights')!, '[id$="-chart"] canvas', 'a chart');
        await waitFor(provider.querySelector('points-manager')!, '.balance, [part~="balance"], .state');
        await waitFor(provider.querySelector('merge-dialog')!, 'dialog[open]');
        provider.querySelector<HTMLElement & { open: boolean }>('merge-dialog')!.open = false;
        list.scrollIntoView();

        const scroller = $(list, '.rows')!;
        for (const fraction of [0.1, 0.5, 0.9, 1, 0.3, 0]) {
          scroller.scrollTop = fraction * (scroller.scrollHeight - scroller.clientHeight);
          await frames(3);
        }
        const row = Number($$(list, '.rows .row').at(-1)?.dataset.index ?? 0);
        expect(row).to.be.greaterThan(0);

        type($(list, '#search')!, 'Íñigo');
        await waitUntil(() => $$(list, '.rows .row').every((r) => text(r.querySelector('.primary-text')).startsWith('Íñigo')), 'only Íñigo');
        scroller.scrollTop = scroller.scrollHeight;
        await frames(3);
        type($(list, '#search')!, '');
        await waitUntil(() => $$(list, '.rows .row').some((r) => text(r.querySelector('.primary-text')).startsWith('Lucía')), 'everyone again');

        for (const width of [360, 1280, 360, 1280]) {
          await setViewport({ width, height: 900 });
          await frames(6);
        }
        await waitFor(list, '.row[data-index]');
        await frames(10);
      });
      expect(heard).to.deep.equal([]);
    } finally {
      restore();
      await setViewport({ width: 800, height: 600 });
    }
  });
});
