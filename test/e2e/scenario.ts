/**
 * What an admin does in every host, step by step through the components'
 * own UI, each step checked on the page, in the events the host received
 * and on the server. `tag` turns a default tag name into the one the host
 * registered.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { Customer } from '../../components/api/types.ts';
import type { ApiClient } from './environment.ts';

export interface HostPage {
  page: Page;
  api: ApiClient;
  tag: (name: string) => string;
}

/** Text of a locator with whitespace collapsed. */
async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until the host's event panel lists an event of this type, and answers its text. */
export async function hostReceived(page: Page, type: string, source: string): Promise<string> {
  const item = page.locator(`#host-events li[data-type="${type}"][data-source="${source}"]`).first();
  await item.waitFor();
  return textOf(item);
}

/** Two customers a person would call duplicates: same name, same email, one with a phone. */
export async function arrangeDuplicates(api: ApiClient, label: string): Promise<[Customer, Customer]> {
  const unique = `${label}${Date.now().toString(36)}`;
  const fields = { firstName: 'Rocío', lastName: `Embebida ${unique}`, email: `rocio.${unique}@example.com` };
  const primary = await api.createCustomer({ ...fields, city: 'Sevilla' });
  const duplicate = await api.createCustomer({ ...fields, phones: [{ number: '+34 612 345 678', label: 'mobile' }] });
  return [primary, duplicate];
}

/** Finds the customer with the list's search and picks the row; the card shows them. */
export async function loadCustomer({ page, tag }: HostPage, customer: Customer) {
  const list = page.locator(tag('member-list'));
  await list.locator('#search').fill(customer.lastName!);
  await list.locator(`[part~="row"][data-id="${customer.id}"]`).click();
  const card = page.locator(tag('customer-card'));
  await card.locator('h2', { hasText: `${customer.firstName} ${customer.lastName}` }).waitFor();
  assert.equal(await textOf(card.locator('.number')), `#${customer.number}`);
  assert.match(await hostReceived(page, 'customer-select', tag('member-list')), new RegExp(customer.id));
}

/** Edits the city in the card and saves; the card, the host and the server agree. */
export async function editCustomer({ page, api, tag }: HostPage, customer: Customer, city: string) {
  const card = page.locator(tag('customer-card'));
  await card.locator('[part~="edit-button"]').click();
  await card.locator('#field-city').fill(city);
  await card.locator('form.profile button[type="submit"]').click();
  await card.locator('[part~="edit-button"]').waitFor();
  await card.locator('[part~="profile"]', { hasText: city }).waitFor();
  assert.match(await hostReceived(page, 'customer-saved', tag('customer-card')), /"changed":\["city"\]|saved city/);
  assert.equal((await api.customer(customer.id)).city, city);
}

/** Adds points with a reason; the balance, the ledger, the host and the server agree. */
export async function addPoints({ page, api, tag }: HostPage, customer: Customer, points: number, reason: string) {
  const manager = page.locator(tag('points-manager'));
  await manager.locator('#pm-amount').fill(String(points));
  await manager.locator('#pm-reason').fill(reason);
  await manager.locator('[part~="adjust-button"]').click();
  await manager.locator('[part~="ledger-row"]', { hasText: reason }).waitFor();
  await manager.locator('.figure.balance .big', { hasText: String(points) }).waitFor();
  assert.match(await hostReceived(page, 'points-changed', tag('points-manager')), new RegExp(`"balance":${points}|balance ${points}`));
  const stored = await api.customer(customer.id);
  assert.equal(stored.points, points);
}

/**
 * Opens the merge dialog from the host's button, picks the suggested
 * duplicate, confirms with the customer's number and merges; the duplicate's
 * id then answers 301 to the customer that stays.
 */
export async function mergeDuplicate({ page, api, tag }: HostPage, primary: Customer, duplicate: Customer) {
  await page.locator('#open-merge').click();
  const dialog = page.locator(`${tag('merge-dialog')} [part~="dialog"]`);
  await dialog.locator(`[part~="candidate"] input#md-c-${duplicate.id}`).check();
  await dialog.locator('.dialog-actions .btn.primary').click();
  await dialog.locator('#md-confirm').fill(`#${primary.number}`);
  await dialog.locator('[part~="merge-button"]:not([disabled])').click();
  await dialog.locator('[part~="result"]').waitFor();
  assert.match(await hostReceived(page, 'customers-merged', tag('merge-dialog')), new RegExp(duplicate.id));
  const gone = await api.call('GET', `/customers/${duplicate.id}`);
  assert.equal(gone.status, 301);
  assert.match(gone.headers.get('location') ?? '', new RegExp(primary.id));
  await dialog.locator('.dialog-actions .btn:not(.primary)').click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The history shows the merge, the points and the edit, newest first, with the edit's before and after and who made it. */
export async function readHistory({ page, tag }: HostPage, duplicate: Customer, edit: { from: string; to: string; by: string }) {
  const history = page.locator(tag('customer-history'));
  const merged = history.locator('[part~="event"][data-type="customer.merged"]');
  await merged.waitFor();
  assert.match(await textOf(merged), new RegExp(`#${duplicate.number}`));
  const types = await history.locator('[part~="event"]').evaluateAll((events) => events.map((e) => e.getAttribute('data-type')));
  const order = ['customer.merged', 'points.changed', 'customer.updated', 'customer.created'].map((type) => types.indexOf(type));
  assert.ok(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1])), `newest first, all there: ${types.join(', ')}`);
  const edited = history.locator('[part~="event"][data-type="customer.updated"]').first();
  assert.equal(await textOf(edited.locator('.from')), edit.from);
  assert.equal(await textOf(edited.locator('.to')), edit.to);
  assert.match(await textOf(edited), new RegExp(`by ${edit.by}`));
}
