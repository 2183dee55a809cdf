import { expect, fixture, oneEvent } from '@open-wc/testing';
import { html } from 'lit';
import type { Customer } from '../../components/api/types.ts';
import type { CustomerSelectEvent, MemberCreatedEvent, MemberRemovedEvent } from '../../components/events.ts';
import type { MemberList } from '../../components/member-list/member-list.ts';
import { liveContext } from '../../components/context.ts';
import type { ClientelaProvider } from '../../components/provider/clientela-provider.ts';
import { $, $$, api, mount, newCustomer, provided, spyFetch, text, type, uniqueWord, waitFor, waitUntil } from './helpers.ts';

async function list(options: Parameters<typeof mount>[1] & { pageSize?: number } = {}) {
  const { element } = await mount<MemberList>(html`<member-list page-size=${options.pageSize ?? 50}></member-list>`, options);
  // Rows are drawn only where the list is on screen, and a test may mount a second list below the first.
  element.scrollIntoView();
  await waitFor(element, '.row[data-index="0"]');
  return element;
}

const rows = (element: MemberList) => $$(element, '.rows .row');
const names = (element: MemberList) => rows(element).map((r) => text(r.querySelector('.primary-text')));
const query = (url: string) => new URL(url, location.href).searchParams;

async function search(element: MemberList, q: string) {
  type($(element, '#search')!, q);
  await waitUntil(() => !$(element, '.grid[aria-busy="true"]') && names(element).every((n) => n.includes(q.replace(/^#/, ''))), `rows for ${q}`);
}

describe('<member-list>', () => {
  it('loads the first page into an accessible grid', async () => {
    const element = await list();
    const grid = $(element, '[role="grid"]')!;
    expect($$(element, '[role="columnheader"]').length).to.equal(6);
    expect(rows(element).length).to.be.greaterThan(5);
    expect(rows(element)[0].getAttribute('aria-rowindex')).to.equal('2');
    expect(grid.getAttribute('aria-rowcount')).to.equal('-1');
    expect(text($(element, '.footer'))).to.contain('50 cargados');
    await expect(element).to.be.accessible();
  });

  it('shows loading first and an error, with retry, when the server refuses', async () => {
    const provider = await fixture<ClientelaProvider>(
      html`<clientela-provider locale="en" .getToken=${() => 'bad-token'}><member-list></member-list></clientela-provider>`,
    );
    const element = provider.querySelector('member-list')!;
    expect(text(await waitFor(element, '.state.loading'))).to.contain('Loading');
    const error = await waitFor(element, '.state.error');
    expect(text(error)).to.contain('session has expired');
    await expect(element).to.be.accessible();
  });

  it('searches as you type, once per pause, and keeps the newest answer', async () => {
    const unique = uniqueWord(12);
    const first = await newCustomer({ lastName: `${unique}a` });
    const second = await newCustomer({ lastName: `${unique}b` });
    const element = await list();
    const spy = spyFetch();
    try {
      const input = $(element, '#search')!;
      type(input, unique.slice(0, 4));
      type(input, unique.slice(0, 8));
      type(input, unique);
      await waitUntil(() => names(element).length === 2, 'two matches');
      const searches = spy.calls.filter((c) => query(c.url).has('q'));
      expect(searches.map((c) => query(c.url).get('q'))).to.deep.equal([unique]);

      // A slow answer to an older query must not replace the newer one.
      const [older, newer] = [`#${first.number}`, `#${second.number}`];
      const release = spy.hold((url) => query(url).get('q') === older);
      type(input, older);
      await waitUntil(() => spy.calls.some((c) => query(c.url).get('q') === older), 'the older request left');
      type(input, newer);
      await waitUntil(() => rows(element).length === 1 && rows(element)[0].dataset.id === second.id, 'the newer answer');
      release();
      await spy.settled();
      await element.updateComplete;
      expect(rows(element).map((r) => r.dataset.id)).to.deep.equal([second.id]);
    } finally {
      spy.restore();
    }
  });

  it('shows an empty state when nothing matches', async () => {
    const element = await list({ locale: 'en' });
    type($(element, '#search')!, 'qqqqzzzzxxxx');
    const empty = await waitFor(element, '.state.empty');
    expect(text(empty)).to.contain('No members match');
    await expect(element).to.be.accessible();
  });

  it('filters by status, VIP, tag and level', async () => {
    const tag = `t${Date.now().toString(36)}`;
    const tagged = await newCustomer({ tags: [tag], vip: true });
    await api('POST', `/customers/${tagged.id}/status`, { status: 'inactive', reason: 'prueba' });
    const element = await list();
    const spy = spyFetch();
    try {
      type($(element, '#filter-status')!, 'inactive');
      await waitUntil(() => rows(element).length && rows(element).every((r) => r.querySelector('.badge.status-inactive')), 'inactive rows');
      ($(element, '#filter-vip') as HTMLInputElement).checked = true;
      $(element, '#filter-vip')!.dispatchEvent(new Event('change'));
      type($(element, '#filter-tag')!, tag);
      await waitUntil(() => spy.calls.some((c) => query(c.url).get('tag') === tag), 'the tag filter was asked for');
      await waitUntil(() => rows(element).length === 1 && rows(element)[0].dataset.id === tagged.id, 'the tagged member');
      const last = spy.calls.map((c) => query(c.url)).find((q) => q.get('tag') === tag)!;
      expect(last.get('status')).to.equal('inactive');
      expect(last.get('vip')).to.equal('true');
      $(element, '.filters .btn')!.click();
      await waitUntil(() => rows(element).length > 1, 'filters cleared');

      const levelSelect = (await waitFor(element, '#filter-level option:nth-child(2)')).parentElement as HTMLSelectElement;
      const level = levelSelect.options[1];
      type(levelSelect, level.value);
      await waitUntil(() => query(spy.calls.at(-1)!.url).get('levelId') === level.value);
      await waitUntil(() => rows(element).length > 0 && rows(element).every((r) => text(r.querySelector('.level-chip')) === level.text), 'one level');
    } finally {
      spy.restore();
    }
  });

  it('sorts by a column and says so with aria-sort', async () => {
    const element = await list();
    const header = (label: string) => $$(element, '[role="columnheader"]').find((h) => text(h).startsWith(label))!;
    header('Puntos').querySelector('button')!.click();
    await waitUntil(() => header('Puntos').getAttribute('aria-sort') === 'descending');
    const points = () => rows(element).map((r) => Number(text(r.querySelector('.num')).replace(/\D/g, '')));
    await waitUntil(() => points().every((p, i, all) => i === 0 || all[i - 1] >= p), 'descending points');
    expect(header('Alta').getAttribute('aria-sort')).to.equal('none');
    header('Puntos').querySelector('button')!.click();
    await waitUntil(() => header('Puntos').getAttribute('aria-sort') === 'ascending');
    await waitUntil(() => points().every((p, i, all) => i === 0 || all[i - 1] <= p), 'ascending points');
    expect(header('Miembro').getAttribute('aria-sort')).to.equal('none');
  });

  it('sorts by level and by status (SPEC §5)', async () => {
    const spy = spyFetch();
    try {
      const element = await list();
      const header = (label: string) => $$(element, '[role="columnheader"]').find((h) => text(h).startsWith(label))!;
      header('Nivel').querySelector('button')!.click();
      await waitUntil(() => header('Nivel').getAttribute('aria-sort') === 'descending', 'level, highest first');
      await waitUntil(() => spy.calls.some((c) => query(c.url).get('sort') === '-level'), 'asked the server by level');
      header('Estado').querySelector('button')!.click();
      await waitUntil(() => header('Estado').getAttribute('aria-sort') === 'ascending', 'status, active first');
      await waitUntil(() => spy.calls.some((c) => query(c.url).get('sort') === 'status'), 'asked the server by status');
      const order = ['active', 'inactive', 'disabled', 'removed'];
      await waitUntil(() => rows(element).length > 0 && !$(element, '.grid[aria-busy="true"]'), 'rows by status');
      const ranks = rows(element).map((r) => order.indexOf(/status-(\w+)/.exec(r.querySelector('.badge[class*="status-"]')!.className)![1]));
      expect(ranks.every((r, i) => i === 0 || ranks[i - 1] <= r)).to.equal(true, JSON.stringify(ranks));
      expect(header('Nivel').getAttribute('aria-sort')).to.equal('none');
    } finally {
      spy.restore();
    }
  });

  it('fetches the next pages while scrolling', async () => {
    const spy = spyFetch();
    try {
      const element = await list({ pageSize: 30 });
      const loaded = () => Number(text($(element, '.footer')).split(' ')[0]);
      const scroller = $(element, '.rows')!;
      for (let page = 0; page < 3; page++) {
        const before = loaded();
        scroller.scrollTop = scroller.scrollHeight;
        await waitUntil(() => loaded() > before, `more than ${before} loaded`);
      }
      const pages = spy.calls.filter((c) => query(c.url).has('cursor'));
      expect(pages.length).to.be.at.least(3);
      expect(pages.every((c) => query(c.url).get('limit') === '30')).to.equal(true);
      expect(new Set(pages.map((c) => query(c.url).get('cursor'))).size).to.equal(pages.length);
      expect(loaded()).to.be.at.least(120);
      expect(rows(element).length).to.be.greaterThan(0).and.lessThan(60);
    } finally {
      spy.restore();
    }
  });

  it('moves through rows with the keyboard and picks one with Enter', async () => {
    const element = await list();
    const first = rows(element)[0];
    expect(first.tabIndex).to.equal(0);
    expect(rows(element)[1].tabIndex).to.equal(-1);
    first.focus();
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    await waitUntil(() => (element.shadowRoot!.activeElement as HTMLElement)?.dataset.index === '1', 'second row focused');
    const second = element.shadowRoot!.activeElement as HTMLElement;
    const picked = oneEvent(element, 'customer-select') as Promise<CustomerSelectEvent>;
    second.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    const event = await picked;
    expect(event.detail.customerId).to.equal(second.dataset.id);
    expect(event.detail.customer?.id).to.equal(second.dataset.id);
    await waitUntil(() => second.getAttribute('aria-selected') === 'true');
    second.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    await waitUntil(() => (element.shadowRoot!.activeElement as HTMLElement)?.dataset.index === '49', 'last loaded row focused');
  });

  it('adds a member through a validated dialog', async () => {
    const element = await list({ locale: 'en' });
    const opener = $(element, '[part~="new-button"]')!;
    opener.focus();
    opener.click();
    const dialog = (await waitFor(element, '#new-member[open]')) as HTMLDialogElement;
    expect(element.shadowRoot!.activeElement?.id).to.equal('nm-firstName');
    await expect(element).to.be.accessible();
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect(text(await waitFor(element, '#nm-firstName-error'))).to.equal('Give at least a name, an email or a phone.');
    type(dialog.querySelector('#nm-phone')!, '123');
    type(dialog.querySelector('#nm-firstName')!, 'Rocío');
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect(text(await waitFor(element, '#nm-phone-error'))).to.contain('phone');
    type(dialog.querySelector('#nm-phone')!, '612 345 678');
    type(dialog.querySelector('#nm-lastName')!, `Nueva ${Date.now().toString(36)}`);
    const created = oneEvent(element, 'member-created') as Promise<MemberCreatedEvent>;
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    const customer = (await created).detail.customer;
    expect(customer.firstName).to.equal('Rocío');
    expect(customer.phones[0].number).to.equal('+34612345678');
    expect(dialog.open).to.equal(false);
    await waitUntil(() => element.shadowRoot!.activeElement === opener, 'focus back on the button');
    expect(rows(element)[0].dataset.id).to.equal(customer.id);
  });

  it('asks the tenant’s required custom fields in the new-member dialog', async () => {
    const key = `club${Date.now().toString(36)}`;
    expect((await api('POST', '/custom-fields', { key, label: 'Club favorito', type: 'enum', options: ['Betis', 'Sevilla'], required: true })).status).to.equal(201);
    try {
      const element = await list({ locale: 'en' });
      $(element, '[part~="new-button"]')!.click();
      const dialog = (await waitFor(element, '#new-member[open]')) as HTMLDialogElement;
      const select = dialog.querySelector<HTMLSelectElement>(`#nm-custom-${key}`)!;
      expect(text(dialog.querySelector(`label[for="nm-custom-${key}"]`))).to.contain('Club favorito');
      await expect(element).to.be.accessible();
      type(dialog.querySelector('#nm-firstName')!, 'Macarena');
      dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      expect(text(await waitFor(element, `#nm-custom-${key}-error`))).to.equal('Required.');
      select.value = 'Betis';
      const created = oneEvent(element, 'member-created') as Promise<MemberCreatedEvent>;
      dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      expect((await created).detail.customer.custom[key]).to.equal('Betis');
    } finally {
      await api('DELETE', `/custom-fields/${key}`);
    }
  });

  it('removes a member after confirmation; an agent cannot', async () => {
    const customer = await newCustomer({ lastName: uniqueWord() });
    const element = await list();
    await search(element, customer.lastName!);
    rows(element)[0].querySelector<HTMLButtonElement>('.actions button')!.click();
    const dialog = (await waitFor(element, '#remove-member[open]')) as HTMLDialogElement;
    expect(text(dialog.querySelector('h2'))).to.contain(customer.lastName!);
    await expect(element).to.be.accessible();
    const removed = oneEvent(element, 'member-removed') as Promise<MemberRemovedEvent>;
    dialog.querySelector<HTMLButtonElement>('.btn.danger')!.click();
    const event = await removed;
    expect(event.detail.customerId).to.equal(customer.id);
    await waitUntil(() => rows(element)[0]?.querySelector('.badge.status-removed'), 'shown as removed');
    const stored = await api<Customer>('GET', `/customers/${customer.id}`);
    expect(stored.data.status).to.equal('removed');

    const agentList = await list({ user: 'agent' });
    expect($$(agentList, '.actions button').length).to.equal(0);
    expect($(agentList, '[part~="new-button"]')).to.exist;
  });

  it('updates a row changed elsewhere', async () => {
    const customer = await newCustomer({ lastName: uniqueWord() });
    const { element } = await mount<MemberList>(html`<member-list></member-list>`);
    element.scrollIntoView();
    await search(element, customer.lastName!);
    await waitUntil(() => provided(element, liveContext)?.live, 'the live stream is open');
    await api('PATCH', `/customers/${customer.id}`, { firstName: 'Cambiada' }, { 'If-Match': `"${customer.version}"` }, 'agent');
    await waitUntil(() => names(element)[0] === `Cambiada ${customer.lastName}`, 'the row follows the change');
  });

  it('speaks English and Spanish', async () => {
    const english = await list({ locale: 'en' });
    expect($$(english, '[role="columnheader"]').map(text).slice(0, 3)).to.deep.equal(['Member', 'Level', 'Points']);
    expect($(english, '#search')!.getAttribute('placeholder')).to.equal('Name, email, phone or number');
    const spanish = await list({ locale: 'es', theme: 'dark' });
    expect($$(spanish, '[role="columnheader"]').map(text).slice(0, 3)).to.deep.equal(['Miembro', 'Nivel', 'Puntos']);
    expect(text(spanish.shadowRoot!.querySelector('.rows .date'))).to.match(/^\d{1,2} [a-z]+\.? \d{4}$/);
    await expect(spanish).to.be.accessible();
  });
});
