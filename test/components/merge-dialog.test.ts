import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import type { MergeCandidate } from '../../components/api/merge.ts';
import type { Customer } from '../../components/api/types.ts';
import type { CustomerSelectEvent, CustomersMergedEvent, MergeRequestEvent } from '../../components/events.ts';
import type { MergeDialog } from '../../components/merge-dialog/merge-dialog.ts';
import type { PointsManager } from '../../components/points-manager/points-manager.ts';
import { $, $$, api, mount, newCustomer, text, tokenFor, type, waitFor } from './helpers.ts';

/** Two customers that look like one person: same name, email and phone. */
async function pair(extra: Record<string, unknown> = {}) {
  const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const phone = `+3461${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const shared = { firstName: 'Dolores', lastName: `Fusión ${unique}`, phones: [{ number: phone, label: 'móvil' }] };
  const primary = await newCustomer({ ...shared, email: `dolores.${unique}@example.com`, city: null });
  const source = await newCustomer({ ...shared, email: `lola.${unique}@example.com`, city: 'Zamora', birthday: '1971-05-04', ...extra });
  return { primary, source };
}

async function openDialog(primary: Customer, options: Parameters<typeof mount>[1] = {}) {
  const { element, provider } = await mount<MergeDialog>(html`<merge-dialog customer-id=${primary.id}></merge-dialog>`, options);
  element.show();
  await waitFor(element, 'dialog[open] .dialog-body');
  return { element, provider };
}

async function pick(element: MergeDialog, source: Customer) {
  const box = (await waitFor(element, `#md-c-${source.id}`, `the candidate #${source.number}`)) as HTMLInputElement;
  box.click();
  await element.updateComplete;
}

async function review(element: MergeDialog) {
  $$(element, '.dialog-actions .btn.primary').pop()!.click();
  await waitFor(element, '.review .moves, .review .blockers, .review .state.error');
}

/**
 * Sets the picked sources straight into the dialog's private state: for picks its
 * screen never offers (past the limit, the primary itself, ids that do not exist).
 */
function forcePick(element: MergeDialog, picked: Array<[string, MergeCandidate]>) {
  (element as unknown as { selected: Map<string, MergeCandidate> }).selected = new Map(picked);
}

const mergeButton = (element: MergeDialog) => $(element, '[part~="merge-button"]') as HTMLButtonElement;

async function confirmWith(element: MergeDialog, value: string) {
  type($(element, '#md-confirm')!, value);
  await element.updateComplete;
}

describe('<merge-dialog>', () => {
  it('says plainly that merging needs customers:merge, to an agent', async () => {
    const { primary } = await pair();
    const { element } = await openDialog(primary, { user: 'agent', locale: 'en' });
    const message = $(element, '.state.error')!;
    expect(text(message)).to.contain('customers:merge');
    expect($(element, '.candidates')).to.equal(null);
    await expect(element).to.be.accessible();
  });

  it('suggests duplicates with score and reasons, and finds others by #number', async () => {
    const { primary, source } = await pair();
    const other = await newCustomer();
    const { element } = await openDialog(primary);
    await pick(element, source);
    const item = $(element, `#md-c-${source.id}`)!.closest('.candidate')!;
    expect(text(item.querySelector('.score'))).to.match(/^coincide un \d{2}(,\d)? %$/);
    expect([...item.querySelectorAll('.reason')].map((r) => text(r))).to.include.members(['Teléfono', 'Nombre']);
    type($(element, '#md-search')!, `#${other.number}`);
    await pick(element, other);
    expect(text($(element, '.selection [role="status"]'))).to.equal('Elegidos para fusionar: 2 de 10');
    expect($$(element, '.chips .tag').map((t) => text(t))).to.have.length(2);
    await expect(element).to.be.accessible();
    $$(element, '.chips .tag button').pop()!.click();
    await element.updateComplete;
    expect(text($(element, '.selection [role="status"]'))).to.equal('Elegidos para fusionar: 1 de 10');
  });

  it('allows at most 10 sources', async () => {
    const { primary, source } = await pair();
    const { element } = await openDialog(primary, { locale: 'en' });
    await waitFor(element, `#md-c-${source.id}`);
    forcePick(element, Array.from({ length: 10 }, (_, i) => [`fake-${i}`, { ...source, id: `fake-${i}`, number: 900000 + i }]));
    await element.updateComplete;
    expect(($(element, `#md-c-${source.id}`) as HTMLInputElement).disabled).to.equal(true);
    expect(text($(element, '.selection .hint'))).to.equal('A merge takes at most 10 customers at a time.');
  });

  it('shows conflicting fields side by side, the primary preselected, an empty value never chosen, and merges with the choices made', async () => {
    const { primary, source } = await pair();
    const third = await newCustomer({ firstName: 'Dolores', lastName: source.lastName, city: 'Teruel' });
    const { element } = await openDialog(primary, { locale: 'en' });
    await pick(element, source);
    type($(element, '#md-search')!, `#${third.number}`);
    await pick(element, third);
    await review(element);
    const rows = $$(element, '.conflicts tbody tr');
    const row = (label: string) => rows.find((r) => text(r.querySelector('th')) === label)!;
    const radios = (label: string) => [...row(label).querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect($$(element, '.conflicts thead th').map((th) => text(th))).to.deep.equal(['Field', `#${primary.number} stays`, `#${source.number}`, `#${third.number}`]);
    // Email: every one filled, the primary's preselected.
    expect(radios('Email').map((r) => r.checked)).to.deep.equal([true, false, false]);
    // City: the primary has none, so the first source's is kept and the empty one cannot be picked.
    expect(radios('City').map((r) => [r.checked, r.disabled])).to.deep.equal([
      [false, true],
      [true, false],
      [false, false],
    ]);
    expect(text(row('City'))).to.contain('(empty)').and.contain('Zamora').and.contain('Teruel');
    // Birthday: one value only, nothing to choose.
    expect(row('Birthday')).to.equal(undefined);
    expect(text($(element, '.moves'))).to.contain('Orders moved');
    expect(text($(element, '.after'))).to.match(/^After the merge: 0 points, 0 lifetime points, level \S+\.$/);
    expect(text($(element, '[part~="warning"]'))).to.contain('This cannot be undone').and.contain(`#${source.number}`).and.contain(`#${third.number}`);
    radios('Email')[1].click();
    radios('City')[2].click();
    await element.updateComplete;
    expect(mergeButton(element).disabled).to.equal(true);
    await confirmWith(element, String(primary.number + 1));
    expect(text($(element, '#md-confirm-hint'))).to.equal('That is not the number of the customer that stays.');
    expect(mergeButton(element).disabled).to.equal(true);
    await confirmWith(element, `#${primary.number}`);
    expect(mergeButton(element).disabled).to.equal(false);
    await expect(element).to.be.accessible();

    const merged = oneEvent(element, 'customers-merged') as Promise<CustomersMergedEvent>;
    mergeButton(element).click();
    const event = await merged;
    expect(event.detail.customerId).to.equal(primary.id);
    expect(event.detail.sourceIds).to.deep.equal([source.id, third.id]);
    expect(event.detail.mergeId).to.match(/^[0-9a-f-]{36}$/);
    expect(event.detail.customer.email).to.equal(source.email);
    const result = await waitFor(element, '[part~="result"]');
    expect(text(result)).to.contain(`2 customers were merged into #${primary.number}`);
    await expect(element).to.be.accessible();

    const stored = await api<Customer>('GET', `/customers/${primary.id}`);
    expect(stored.data.email).to.equal(source.email);
    expect(stored.data.city).to.equal('Teruel');
    expect(stored.data.birthday).to.equal('1971-05-04');
    const gone = await api<Customer>('GET', `/customers/${source.id}`);
    expect(gone.data.id).to.equal(primary.id);

    const select = oneEvent(element, 'customer-select') as Promise<CustomerSelectEvent>;
    $(element, '[part~="survivor-link"]')!.click();
    expect((await select).detail.customerId).to.equal(primary.id);
    expect(element.open).to.equal(false);
  });

  it('lets the host veto the merge with merge-request, and nothing changes', async () => {
    const { primary, source } = await pair();
    const { element } = await openDialog(primary, { locale: 'en' });
    await pick(element, source);
    await review(element);
    await confirmWith(element, String(primary.number));
    element.addEventListener('merge-request', (e: MergeRequestEvent) => e.preventDefault(), { once: true });
    const request = oneEvent(element, 'merge-request') as Promise<MergeRequestEvent>;
    mergeButton(element).click();
    const asked = await request;
    expect(asked.cancelable).to.equal(true);
    expect(asked.detail).to.deep.equal({ customerId: primary.id, sourceIds: [source.id] });
    expect(text(await waitFor(element, '.form-error'))).to.equal('This page stopped the merge. Nothing was changed.');
    expect((await api<Customer>('GET', `/customers/${source.id}`)).data.id).to.equal(source.id);
  });

  it('shows the server’s 403 when the merge is refused for want of permission', async () => {
    const { primary, source } = await pair();
    const { element } = await openDialog(primary, { locale: 'en' });
    await pick(element, source);
    await review(element);
    await confirmWith(element, String(primary.number));
    const agent = await tokenFor('agent');
    const original = window.fetch;
    // The token behind the page lost the permission after the preview: the server has the last word.
    window.fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('/merge') && init.method === 'POST') {
        const headers = new Headers(init.headers);
        headers.set('Authorization', `Bearer ${agent}`);
        return original(input, { ...init, headers });
      }
      return original(input, init);
    };
    try {
      mergeButton(element).click();
      const error = await waitFor(element, '.form-error');
      expect(text(error)).to.equal('You do not have permission to merge customers. Nothing was changed.');
      expect(error.getAttribute('role')).to.equal('alert');
    } finally {
      window.fetch = original;
    }
    expect((await api<Customer>('GET', `/customers/${source.id}`)).data.id).to.equal(source.id);
    expect(mergeButton(element).disabled).to.equal(false);
  });

  it('shows each blocker the server finds, and does not let the merge start', async () => {
    const { primary, source } = await pair();
    const { source: erasedSource } = await pair();
    const { source: mergedAway } = await pair();
    const { element } = await openDialog(primary);
    await waitFor(element, `#md-c-${source.id}`);
    const fake = '00000000-0000-4000-8000-000000000000';
    forcePick(element, [
      [primary.id, { ...primary }],
      [erasedSource.id, { ...erasedSource }],
      [mergedAway.id, { ...mergedAway }],
      [fake, { ...source, id: fake, number: 999999 }],
    ]);
    expect((await api('POST', `/customers/${erasedSource.id}/erase`, {})).status).to.equal(200);
    const survivor = await newCustomer();
    expect((await api('POST', `/customers/${survivor.id}/merge`, { sourceIds: [mergedAway.id], confirm: true })).status).to.equal(200);
    await review(element);
    const blockers = await waitFor(element, '[part~="blockers"]');
    expect(blockers.getAttribute('role')).to.equal('alert');
    const codes = [...blockers.querySelectorAll('li')].map((li) => li.dataset.code);
    expect(codes).to.include.members(['self', 'erased', 'merged', 'not_found']);
    expect(text(blockers)).to.contain('Esta fusión no se puede hacer').and.contain(`#${mergedAway.number}`).and.contain('ya se fusionó con otro cliente.');
    expect($(element, '#md-confirm')).to.equal(null);
    expect(mergeButton(element).disabled).to.equal(true);
    await expect(element).to.be.accessible();
  });

  it('blocks a merge whose points would not fit one balance', async () => {
    const { primary, source } = await pair();
    for (const customer of [primary, source]) {
      const order = { customerId: customer.id, externalId: `BIG-${customer.number}`, total: 150_000_000_000, currency: 'EUR', status: 'completed', items: [], placedAt: new Date().toISOString() };
      expect((await api('POST', '/orders', order)).status).to.equal(201);
    }
    const { element } = await openDialog(primary, { locale: 'en' });
    await pick(element, source);
    await review(element);
    const blockers = await waitFor(element, '[part~="blockers"]');
    expect([...blockers.querySelectorAll('li')].map((li) => li.dataset.code)).to.deep.equal(['points_limit']);
    expect(text(blockers)).to.contain('more points than one customer can');
  });

  it('says which tags and phones the primary cannot take (limits 50 and 10): they stay in the merge record', async () => {
    const tags = (prefix: string) => Array.from({ length: 30 }, (_, i) => `${prefix}${i}`);
    const { primary, source } = await pair({ tags: tags('y') });
    expect((await api('PATCH', `/customers/${primary.id}`, { tags: tags('x') }, { 'If-Match': '"1"' })).status).to.equal(200);
    const { element } = await openDialog(primary, { locale: 'en' });
    await pick(element, source);
    await review(element);
    const leftOut = await waitFor(element, '[part~="left-out"]');
    expect(text(leftOut)).to.contain('10 tags');
    expect(text(leftOut)).to.contain('y20');
    expect(text(leftOut)).to.contain('merge record');
    await expect(element).to.be.accessible();
  });

  it('updates the preview when a source is merged elsewhere meanwhile, and refuses the stale merge', async () => {
    const { primary, source } = await pair();
    const { element } = await openDialog(primary, { locale: 'en' });
    await pick(element, source);
    await review(element);
    await confirmWith(element, String(primary.number));
    const other = await newCustomer();
    expect((await api('POST', `/customers/${other.id}/merge`, { sourceIds: [source.id], confirm: true })).status).to.equal(200);
    if (!mergeButton(element).disabled) mergeButton(element).click();
    const blockers = await waitFor(element, '[part~="blockers"]', 'the blocker after the change');
    expect(text(blockers)).to.contain('was already merged into another customer.');
    expect(mergeButton(element).disabled).to.equal(true);
  });

  it('retries a merge whose answer was lost with the same Idempotency-Key', async () => {
    const { primary, source } = await pair();
    const { element } = await openDialog(primary, { locale: 'en' });
    await pick(element, source);
    await review(element);
    await confirmWith(element, String(primary.number));
    const original = window.fetch;
    const keys: string[] = [];
    window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const response = await original(input, init);
      if (String(input).endsWith('/merge') && init.method === 'POST') {
        keys.push(new Headers(init.headers).get('Idempotency-Key') ?? '');
        if (keys.length === 1) throw new TypeError('Failed to fetch');
      }
      return response;
    };
    try {
      mergeButton(element).click();
      expect(text(await waitFor(element, '.form-error'))).to.contain('cannot be reached');
      mergeButton(element).click();
      await waitFor(element, '[part~="result"]');
    } finally {
      window.fetch = original;
    }
    expect(keys).to.have.length(2);
    expect(keys[1]).to.equal(keys[0]);
  });

  it('is keyboard usable: focus moves into the dialog and each step, Escape closes it and gives focus back', async () => {
    const { primary, source } = await pair();
    const { element } = await mount<MergeDialog>(html`<div><button id="opener">Open</button><merge-dialog customer-id=${primary.id}></merge-dialog></div>`);
    const wrapper = element;
    const dialog = wrapper.querySelector('merge-dialog')!;
    const opener = wrapper.querySelector<HTMLButtonElement>('#opener')!;
    opener.addEventListener('click', () => dialog.show());
    opener.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(dialog, 'dialog[open]');
    await waitUntil(() => dialog.shadowRoot!.activeElement?.id === 'md-title', 'focus moves to the title');
    const box = (await waitFor(dialog, `#md-c-${source.id}`)) as HTMLInputElement;
    box.focus();
    await sendKeys({ press: 'Space' });
    await waitUntil(() => box.checked);
    $$(dialog, '.dialog-actions .btn.primary').pop()!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.shadowRoot!.activeElement?.id === 'md-step-title', 'focus moves to the review step');
    await waitFor(dialog, '#md-confirm');
    $(dialog, '#md-confirm')!.focus();
    await sendKeys({ type: String(primary.number) });
    await waitUntil(() => !(($(dialog, '[part~="merge-button"]') as HTMLButtonElement).disabled));
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'Escape closes the dialog');
    expect(document.activeElement).to.equal(opener);
    expect((await api<Customer>('GET', `/customers/${source.id}`)).data.id).to.equal(source.id);
  });

  it('brings the merge to the other components on the page without a reload', async () => {
    const { primary, source } = await pair();
    expect((await api('POST', `/customers/${source.id}/points`, { delta: 70, reason: 'Saldo de la ficha duplicada' })).status).to.equal(201);
    const { element } = await mount<HTMLElement>(
      html`<div>
        <points-manager customer-id=${primary.id}></points-manager>
        <merge-dialog customer-id=${primary.id}></merge-dialog>
      </div>`,
      { locale: 'en' },
    );
    const manager = element.querySelector('points-manager') as PointsManager;
    const dialog = element.querySelector('merge-dialog') as MergeDialog;
    await waitFor(manager, '.figures');
    expect(text($(manager, '.figure.balance'))).to.contain('0');
    dialog.show();
    await pick(dialog, source);
    await review(dialog);
    await confirmWith(dialog, String(primary.number));
    mergeButton(dialog).click();
    await waitFor(dialog, '[part~="result"]');
    await waitUntil(() => text($(manager, '.figure.balance')).includes('70'), 'the merged balance arrives live', { timeout: 10_000 });
    await waitUntil(() => $$(manager, 'tbody tr').some((r) => text(r).includes('Merged in')), 'the merge entry arrives live');
  });
});
