import { expect, oneEvent } from '@open-wc/testing';
import { html } from 'lit';
import type { Customer } from '../../components/api/types.ts';
import type { CustomerCard } from '../../components/customer-card/customer-card.ts';
import { liveContext } from '../../components/context.ts';
import type { CustomerSavedEvent, CustomerSelectEvent } from '../../components/events.ts';
import { $, $$, api, mount, newCustomer, provided, spyFetch, text, type, waitFor, waitUntil } from './helpers.ts';

async function card(id: string, options: Parameters<typeof mount>[1] = {}) {
  const { element } = await mount<CustomerCard>(html`<customer-card customer-id=${id}></customer-card>`, options);
  await waitFor(element, '.card');
  return element;
}

async function edit(element: CustomerCard) {
  $(element, '[part~="edit-button"]')!.click();
  await waitFor(element, 'form.profile');
}

function save(element: CustomerCard) {
  $(element, 'form.profile button[type="submit"]')!.click();
}

describe('<customer-card>', () => {
  it('shows loading while the customer is on its way, then the profile', async () => {
    const customer = await newCustomer({ city: 'Cádiz', vip: true, tags: ['newsletter'] });
    const spy = spyFetch();
    const release = spy.hold((url) => url.endsWith(`/customers/${customer.id}`));
    try {
      const { element } = await mount<CustomerCard>(html`<customer-card customer-id=${customer.id}></customer-card>`);
      const loading = await waitFor(element, '.state.loading');
      expect(loading.getAttribute('role')).to.equal('status');
      expect(text(loading)).to.contain('Cargando');
      await expect(element).to.be.accessible();
      release();
      await waitFor(element, '.card');
      expect(text($(element, 'h2'))).to.equal(`Prueba ${customer.lastName}`);
      expect(text($(element, '.number'))).to.equal(`#${customer.number}`);
      expect(text($(element, '.badge.status-active'))).to.equal('Activo');
      expect($(element, '.badge.vip')).to.exist;
      expect(text($(element, '#section-contact')?.parentElement)).to.contain(customer.email!);
      expect(text($(element, '.profile'))).to.contain('Cádiz');
      await expect(element).to.be.accessible();
    } finally {
      spy.restore();
    }
  });

  it('says so when the customer does not exist, and offers to retry', async () => {
    const { element } = await mount<CustomerCard>(html`<customer-card customer-id="00000000-0000-4000-8000-000000000000"></customer-card>`, {
      locale: 'en',
    });
    const error = await waitFor(element, '.state.error');
    expect(text(error)).to.contain('does not exist');
    expect(error.querySelector('button')).to.exist;
    await expect(element).to.be.accessible();
  });

  it('shows an empty state when no customer is chosen', async () => {
    const { element } = await mount<CustomerCard>(html`<customer-card></customer-card>`);
    expect(text(await waitFor(element, '.state.empty'))).to.contain('Ningún cliente seleccionado');
    await expect(element).to.be.accessible();
  });

  it('saves only the changed fields with If-Match and tells the host', async () => {
    const customer = await newCustomer({ city: 'Madrid' });
    const element = await card(customer.id);
    await edit(element);
    await expect(element).to.be.accessible();
    type($(element, '#field-firstName')!, 'Inés');
    type($(element, '#field-address-city')!, 'Toledo');
    type($(element, '#field-custom-children')!, '2');
    const spy = spyFetch();
    try {
      const saved = oneEvent(element, 'customer-saved') as Promise<CustomerSavedEvent>;
      save(element);
      const event = await saved;
      const patch = spy.calls.find((c) => c.method === 'PATCH')!;
      expect(patch.body).to.deep.equal({
        firstName: 'Inés',
        address: { line1: null, line2: null, city: 'Toledo', region: null, postalCode: null, country: null },
        custom: { children: 2 },
      });
      expect(patch.headers.get('If-Match')).to.equal(`"${customer.version}"`);
      expect(event.detail.customer.firstName).to.equal('Inés');
      expect(event.detail.changed).to.have.members(['firstName', 'address', 'custom']);
      expect(event.bubbles && event.composed).to.equal(true);
    } finally {
      spy.restore();
    }
    await waitFor(element, '.profile:not(form)');
    expect(text($(element, 'h2'))).to.contain('Inés');
    const stored = await api<Customer>('GET', `/customers/${customer.id}`);
    expect(stored.data.city).to.equal('Madrid');
    expect(stored.data.custom.children).to.equal(2);
  });

  it('puts each 422 message next to its field and keeps the edit open', async () => {
    const customer = await newCustomer();
    const element = await card(customer.id, { locale: 'en' });
    await edit(element);
    type($(element, '#field-email')!, 'not-an-email');
    $(element, '.phones .btn.small')!.click();
    await element.updateComplete;
    type($(element, '#field-phones-0-number')!, '123');
    save(element);
    const emailError = await waitFor(element, '#field-email-error');
    expect(text(emailError)).to.contain('email');
    expect($(element, '#field-email')!.getAttribute('aria-invalid')).to.equal('true');
    expect($(element, '#field-email')!.getAttribute('aria-describedby')).to.equal('field-email-error');
    expect(text($(element, '#field-phones-0-number-error'))).to.contain('phone');
    expect(text($(element, '.form-error'))).to.equal('Please check 2 fields.');
    expect(element.shadowRoot!.activeElement?.id).to.equal('field-email');
    await expect(element).to.be.accessible();
    // The same messages in Spanish.
    const spanish = await card(customer.id, { locale: 'es' });
    await edit(spanish);
    type($(spanish, '#field-email')!, 'sin-arroba');
    save(spanish);
    expect(text(await waitFor(spanish, '#field-email-error'))).to.equal('No es una dirección de correo válida.');
    const stored = await api<Customer>('GET', `/customers/${customer.id}`);
    expect(stored.data.email).to.equal(customer.email);
  });

  it('on a 412 shows what changed meanwhile and can apply the same changes again', async () => {
    const customer = await newCustomer({ city: 'Madrid' });
    const element = await card(customer.id);
    await edit(element);
    type($(element, '#field-lastName')!, 'Cambiada');
    await api('PATCH', `/customers/${customer.id}`, { city: 'Sevilla' }, { 'If-Match': `"${customer.version}"` }, 'agent');
    save(element);
    const conflict = await waitFor(element, '.conflict');
    expect(text(conflict)).to.contain('Otra persona ha cambiado este cliente');
    expect(text(conflict.querySelector('tbody'))).to.contain('Apellidos');
    expect(text(conflict.querySelector('tbody'))).to.contain('Cambiada');
    expect(text(conflict)).to.contain('Ciudad');
    expect(text(conflict)).to.contain('Carlos Ruiz');
    await expect(element).to.be.accessible();
    const saved = oneEvent(element, 'customer-saved') as Promise<CustomerSavedEvent>;
    ([...conflict.querySelectorAll('button')].find((b) => b.classList.contains('primary')) as HTMLButtonElement).click();
    const event = await saved;
    expect(event.detail.customer.lastName).to.equal('Cambiada');
    expect(event.detail.customer.city).to.equal('Sevilla');
  });

  it('on a 412 can drop the edit and show the current record', async () => {
    const customer = await newCustomer({ city: 'Madrid' });
    const element = await card(customer.id, { locale: 'en' });
    await edit(element);
    type($(element, '#field-firstName')!, 'Mine');
    await api('PATCH', `/customers/${customer.id}`, { firstName: 'Theirs' }, { 'If-Match': `"${customer.version}"` });
    save(element);
    const conflict = await waitFor(element, '.conflict');
    expect(text(conflict.querySelector('td.mine'))).to.equal('Mine');
    ([...conflict.querySelectorAll('button')].find((b) => !b.classList.contains('primary')) as HTMLButtonElement).click();
    await waitUntil(() => !$(element, '.conflict') && !$(element, 'form.profile'));
    expect(text($(element, 'h2'))).to.contain('Theirs');
  });

  it('hides what the signed-in user may not do', async () => {
    const customer = await newCustomer();
    const agentCard = await card(customer.id, { user: 'agent' });
    expect($(agentCard, '[data-action="remove"]')).to.equal(null);
    expect($(agentCard, '[data-action="deactivate"]')).to.exist;
    expect($(agentCard, '#assignee-select')).to.equal(null);
    expect(text($(agentCard, '.assignee'))).to.contain('Solo un administrador');
    await expect(agentCard).to.be.accessible();
    const adminCard = await card(customer.id, { user: 'admin' });
    expect($(adminCard, '[data-action="remove"]')).to.exist;
    expect($(adminCard, '#assignee-select')).to.exist;
  });

  it('offers bringing back a disabled member only to those who may remove members', async () => {
    const customer = await newCustomer();
    await api('POST', `/customers/${customer.id}/status`, { status: 'disabled', reason: 'Fraude' }, { 'If-Match': `"${customer.version}"` });
    const agentCard = await card(customer.id, { user: 'agent' });
    await waitFor(agentCard, '.badge.status-disabled');
    expect($(agentCard, '[data-action="reactivate"]')).to.equal(null);
    const adminCard = await card(customer.id, { user: 'admin' });
    await waitFor(adminCard, '.badge.status-disabled');
    expect($(adminCard, '[data-action="reactivate"]')).to.exist;
  });

  it('lets an admin assign the account manager', async () => {
    const customer = await newCustomer();
    const element = await card(customer.id);
    const select = (await waitFor(element, '#assignee-select option[value="demo-admin"]')).parentElement as HTMLSelectElement;
    const saved = oneEvent(element, 'customer-saved') as Promise<CustomerSavedEvent>;
    type(select, 'demo-admin');
    const event = await saved;
    expect(event.detail.changed).to.deep.equal(['assignedUserId']);
    expect(event.detail.customer.assignedUserId).to.equal('demo-admin');
  });

  it('changes the status with a reason, in a dialog that keeps focus', async () => {
    const customer = await newCustomer();
    const element = await card(customer.id, { locale: 'en' });
    const button = $(element, '[data-action="deactivate"]')!;
    button.focus();
    button.click();
    const dialog = (await waitFor(element, '#status-dialog[open]')) as HTMLDialogElement;
    expect(element.shadowRoot!.activeElement?.id).to.equal('status-reason');
    await expect(element).to.be.accessible();
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect(text(await waitFor(element, '#status-reason-error'))).to.equal('Give a reason.');
    type($(element, '#status-reason')!, 'Pidió pausar su cuenta');
    const saved = oneEvent(element, 'customer-saved') as Promise<CustomerSavedEvent>;
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect((await saved).detail.customer.status).to.equal('inactive');
    await waitUntil(() => text($(element, '.badge.status-inactive')) === 'Inactive');
    expect(dialog.open).to.equal(false);
    expect($(element, '[data-action="reactivate"]')).to.exist;
  });

  it('removes from the programme after confirmation and says so', async () => {
    const customer = await newCustomer();
    const element = await card(customer.id);
    $(element, '[data-action="remove"]')!.click();
    const dialog = (await waitFor(element, '#status-dialog[open]')) as HTMLDialogElement;
    const removed = oneEvent(element, 'member-removed');
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect((await removed).detail.customerId).to.equal(customer.id);
    await waitUntil(() => $(element, '.badge.status-removed'));
  });

  it('adds a note with light formatting and deletes it after confirming', async () => {
    const customer = await newCustomer();
    const element = await card(customer.id);
    await waitFor(element, '.notes-panel .state.empty');
    const area = $(element, '#note-body') as HTMLTextAreaElement;
    area.value = 'Prefiere **recoger en tienda**\n- lunes\n- martes';
    $(element, '.note-form button[type="submit"]')!.click();
    const note = await waitFor(element, '.note');
    expect(note.querySelector('strong')?.textContent).to.equal('recoger en tienda');
    expect(note.querySelectorAll('li').length).to.equal(2);
    await expect(element).to.be.accessible();
    note.querySelector<HTMLButtonElement>('.note-meta button')!.click();
    (await waitFor(element, '.note .confirm .btn.danger')).click();
    await waitUntil(() => !$(element, '.note'));
    const stored = await api<{ items: unknown[] }>('GET', `/customers/${customer.id}/notes`);
    expect(stored.data.items).to.have.length(0);
  });

  it('points at likely duplicates next to the email and picks one on click', async () => {
    const original = await newCustomer();
    const copy = await newCustomer({ email: original.email, lastName: 'Duplicado' });
    const element = await card(copy.id);
    const hint = await waitFor(element, '.dup-hint');
    expect(text(hint)).to.contain(`#${original.number}`);
    const select = oneEvent(element, 'customer-select') as Promise<CustomerSelectEvent>;
    hint.querySelector('button')!.click();
    expect((await select).detail.customerId).to.equal(original.id);
  });

  it('speaks English and Spanish, with dates and money through Intl', async () => {
    const customer = await newCustomer({ birthday: '1990-03-05' });
    const english = await card(customer.id, { locale: 'en' });
    expect(text($(english, '[part~="edit-button"]'))).to.equal('Edit');
    expect(text($(english, '.metrics'))).to.contain('€0.00');
    expect(text($(english, '.profile'))).to.contain('Mar 5, 1990');
    const spanish = await card(customer.id, { locale: 'es' });
    expect(text($(spanish, '[part~="edit-button"]'))).to.equal('Editar');
    expect(text($(spanish, '.metrics'))).to.contain('0,00 €');
    expect(text($(spanish, '.profile'))).to.contain('5 mar 1990');
    expect($$(spanish, '.section h3').map(text)).to.include('Contacto');
  });

  it('shows a change made elsewhere without being reloaded', async () => {
    const customer = await newCustomer({ city: 'Madrid' });
    const { element } = await mount<CustomerCard>(html`<customer-card customer-id=${customer.id}></customer-card>`);
    await waitFor(element, '.card');
    await waitUntil(() => provided(element, liveContext)?.live, 'the live stream is open');
    await api('PATCH', `/customers/${customer.id}`, { firstName: 'Remota' }, { 'If-Match': `"${customer.version}"` }, 'agent');
    await waitUntil(() => text($(element, 'h2')).startsWith('Remota'), 'the remote change');
    await api('POST', `/customers/${customer.id}/notes`, { body: '<p>Nota desde otra pestaña</p>' });
    await waitUntil(() => text($(element, '.note')).includes('Nota desde otra pestaña'), 'the remote note');
  });

  it('opens the survivor for a merged-away id, with its notes', async () => {
    const survivor = await newCustomer();
    const merged = await newCustomer({ email: survivor.email });
    await api('POST', `/customers/${survivor.id}/notes`, { body: '<p>Nota del superviviente</p>' });
    const merge = await api('POST', `/customers/${survivor.id}/merge`, { sourceIds: [merged.id], fieldChoices: {}, confirm: true });
    expect(merge.status).to.equal(200);
    const element = await card(merged.id);
    expect(text($(element, '.number'))).to.equal(`#${survivor.number}`);
    await waitUntil(() => text($(element, '.note')).includes('Nota del superviviente'), 'the survivor’s notes');
  });

  it('shows loading, not the previous customer, while switching to another', async () => {
    const first = await newCustomer();
    const second = await newCustomer();
    const element = await card(first.id);
    const spy = spyFetch();
    const release = spy.hold((url) => url.endsWith(`/customers/${second.id}`));
    try {
      element.customerId = second.id;
      await waitFor(element, '.state.loading');
      expect($(element, '.card')).to.equal(null);
      release();
      await waitUntil(() => text($(element, '.number')) === `#${second.number}`, 'the second customer');
    } finally {
      spy.restore();
    }
  });

  it('is accessible in dark mode too', async () => {
    const customer = await newCustomer({ vip: true, bad: true });
    const element = await card(customer.id, { theme: 'dark' });
    await expect(element).to.be.accessible();
    await edit(element);
    await expect(element).to.be.accessible();
  });
});
