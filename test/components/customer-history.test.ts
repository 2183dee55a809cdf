import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import type { CustomerHistory } from '../../components/customer-history/customer-history.ts';
import { $, $$, api, mount, newCustomer, spyFetch, text, type, waitFor } from './helpers.ts';

async function edit(customerId: string, patch: Record<string, unknown>) {
  const current = await api('GET', `/customers/${customerId}`);
  const { status } = await api('PATCH', `/customers/${customerId}`, patch, { 'If-Match': current.etag! });
  expect(status).to.equal(200);
}

async function mountHistory(customerId: string, options: Parameters<typeof mount>[1] = {}, pageSize = 50) {
  const { element } = await mount<CustomerHistory>(html`<customer-history customer-id=${customerId} page-size=${pageSize}></customer-history>`, options);
  await waitFor(element, '.timeline, .state.empty, .state.error');
  return element;
}

const summaries = (element: Element) => $$(element, '.event .summary').map((e) => text(e));

describe('<customer-history>', () => {
  it('reads newest first: edits as field: before → after, who and when, status, points and levels', async () => {
    const customer = await newCustomer({ city: 'Córdoba', tags: ['reclamación'] });
    await edit(customer.id, { city: 'Lugo', tags: ['tienda-norte'], birthday: '1980-02-03' });
    expect((await api('POST', `/customers/${customer.id}/status`, { status: 'inactive', reason: 'Pidió una pausa' })).status).to.equal(200);
    expect((await api('POST', `/customers/${customer.id}/points`, { delta: 600, reason: 'Compensación' })).status).to.equal(201);
    const element = await mountHistory(customer.id);
    expect(summaries(element)).to.deep.equal([
      'Nivel cambiado de Bronce a Plata',
      '+600 puntos · Ajuste',
      'Estado cambiado de Activo a Inactivo',
      'Ficha editada: 3 campos',
      `Cliente #${customer.number} dado de alta`,
    ]);
    const events = $$(element, '.event');
    expect(text(events[0])).to.contain('Alcanzado por puntos acumulados');
    expect(text(events[1])).to.contain('Motivo: Compensación').and.contain('Saldo después: 600');
    expect(text(events[2])).to.contain('Motivo: Pidió una pausa');
    const changes = [...events[3].querySelectorAll('.changes li')].map((li) => text(li));
    expect(changes).to.deep.equal([
      'Ciudad: Córdoba → cambia a Lugo',
      'Fecha de nacimiento: (vacío) → cambia a 3 feb 1980',
      'Etiquetas: reclamación → cambia a tienda-norte',
    ]);
    const meta = events[3].querySelector('.meta')!;
    expect(text(meta)).to.match(/^por Lucía Fernández · (ahora|hace \d+ segundos?)$/);
    const time = meta.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.match(/^\d{4}-\d{2}-\d{2}T/);
    expect(time.getAttribute('title')).to.match(/\d{4}, \d{1,2}:\d{2}/);
    await expect(element).to.be.accessible();
  });

  it('filters by type and by date range, and says when nothing matches', async () => {
    const customer = await newCustomer();
    expect((await api('POST', `/customers/${customer.id}/points`, { delta: 20, reason: 'Bienvenida' })).status).to.equal(201);
    await edit(customer.id, { city: 'Teruel' });
    const element = await mountHistory(customer.id, { locale: 'en' });
    expect(summaries(element)).to.have.length(3);
    const spy = spyFetch();
    try {
      type($(element, '#ch-type')!, 'points');
      await waitUntil(() => summaries(element).length === 1, 'only the points event stays');
      expect(summaries(element)).to.deep.equal(['+20 points · Adjustment']);
      const request = spy.calls.find((c) => c.url.includes('/history'))!;
      expect(new URL(request.url, location.href).searchParams.get('types')).to.equal('points.changed,level.changed');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      type($(element, '#ch-from')!, tomorrow);
      const empty = await waitFor(element, '.state.empty');
      expect(text(empty)).to.contain('Nothing matches these filters.');
      type($(element, '#ch-to')!, '2020-01-01');
      const error = await waitFor(element, '#ch-range-error');
      expect(text(error)).to.equal('The start date must not be after the end date.');
      expect($(element, '#ch-from')!.getAttribute('aria-invalid')).to.equal('true');
      const before = spy.calls.length;
      await element.updateComplete;
      expect(spy.calls.length).to.equal(before);
      await expect(element).to.be.accessible();
      $(element, '.clear')!.click();
      await waitUntil(() => summaries(element).length === 3, 'every event is back');
    } finally {
      spy.restore();
    }
  });

  it('changes the type filter by keyboard', async () => {
    const customer = await newCustomer();
    await edit(customer.id, { city: 'Soria' });
    const element = await mountHistory(customer.id);
    $(element, '#ch-type')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => ($(element, '#ch-type') as HTMLSelectElement).value === 'profile', 'the first category is chosen');
    await waitUntil(() => summaries(element).length === 2);
    expect(summaries(element)).to.deep.equal(['Ficha editada: 1 campo', `Cliente #${customer.number} dado de alta`]);
  });

  it('loads older events as the list scrolls', async () => {
    const customer = await newCustomer();
    for (const city of ['Ávila', 'Burgos', 'Cuenca', 'Dénia', 'Écija', 'Ferrol']) await edit(customer.id, { city });
    const element = await mountHistory(customer.id, { locale: 'en' }, 2);
    expect(summaries(element).length).to.be.below(7);
    const scroller = $(element, '.timeline-scroll')!;
    await waitUntil(
      () => {
        scroller.scrollTop = scroller.scrollHeight;
        return summaries(element).length === 7 && !$(element, '[part~="load-more"]');
      },
      'scrolling to the end loads every page',
      { timeout: 10_000 },
    );
    const cities = $$(element, '.changes .to').map((e) => text(e));
    expect(cities).to.deep.equal(['Ferrol', 'Écija', 'Dénia', 'Cuenca', 'Burgos', 'Ávila']);
  });

  it('shows another admin’s change on top as it happens, and announces it', async () => {
    const customer = await newCustomer();
    const element = await mountHistory(customer.id, { locale: 'en' });
    expect(summaries(element)).to.deep.equal([`Customer #${customer.number} created`]);
    await api('POST', `/customers/${customer.id}/notes`, { body: 'Llamó por su pedido' });
    await waitUntil(() => summaries(element)[0] === 'Note added', 'the note arrives live', { timeout: 10_000 });
    expect(summaries(element)).to.have.length(2);
    await waitUntil(() => text($(element, '[role="status"][aria-live]')) === '1 new event in the history.');
  });

  it('reads removals and order events at a glance', async () => {
    const customer = await newCustomer();
    const order = { customerId: customer.id, externalId: `H-${customer.number}`, total: 4550, currency: 'EUR', status: 'completed', items: [], placedAt: new Date().toISOString() };
    expect((await api('POST', '/orders', order)).status).to.equal(201);
    expect((await api('DELETE', `/customers/${customer.id}`)).status).to.equal(200);
    const element = await mountHistory(customer.id, { locale: 'en' });
    const all = summaries(element);
    expect(all[0]).to.equal('Removed from the programme');
    expect(all).to.include(`Order H-${customer.number} recorded: €45.50`);
    expect(text($$(element, '.event')[0])).to.match(/\d+ points forfeited/);
  });

  it('reads a merge on the survivor: which customers, which values came from where, what moved; and the sources’ own events', async () => {
    const primary = await newCustomer({ birthday: null });
    const source = await newCustomer({ firstName: 'Prueba', birthday: '1966-06-16' });
    expect((await api('POST', `/customers/${source.id}/points`, { delta: 40, reason: 'Saldo de la duplicada' })).status).to.equal(201);
    const merged = await api('POST', `/customers/${primary.id}/merge`, { sourceIds: [source.id], fieldChoices: { email: source.id }, confirm: true });
    expect(merged.status).to.equal(200);
    const element = await mountHistory(primary.id, { locale: 'en' });
    const all = summaries(element);
    expect(all[0]).to.equal(`Customer #${source.number} merged into this one`);
    const details = [...$$(element, '.event')[0].querySelectorAll('.changes li')].map((li) => text(li));
    expect(details).to.include(`Email: ${primary.email} → changed to ${source.email} (taken from #${source.number})`);
    expect(details).to.include(`Birthday: (empty) → changed to Jun 16, 1966 (taken from #${source.number})`);
    expect(text($$(element, '.event')[0])).to.contain('Moved here: 2 ledger entries');
    expect(all).to.include.members(['+40 points · Merged in', '−40 points · Moved out', '+40 points · Adjustment', `Customer #${source.number} created`, `Customer #${primary.number} created`]);
    await expect(element).to.be.accessible();
  });

  it('shows the error with a retry for a customer that does not exist', async () => {
    const element = await mountHistory('00000000-0000-4000-8000-000000000000', { locale: 'en' });
    const error = $(element, '.state.error')!;
    expect(text(error)).to.contain('does not exist');
    await expect(element).to.be.accessible();
  });
});
