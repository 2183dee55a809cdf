/**
 * The demo page's frame, as `npm start` serves it: the user, language and
 * theme switches change what the components show, and the event panel lists
 * what the page received. (demo.test.ts has the components working together.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPage, startEnvironment, type Environment } from './environment.ts';
import { arrangeDuplicates } from './scenario.ts';

let env: Environment;
before(async () => {
  env = await startEnvironment({ hosts: false });
});
after(async () => {
  await env?.close();
});

test('the demo back office: all five components, the user, language and theme switches, and the events panel', async () => {
  const [customer] = await arrangeDuplicates(env.demoApi, 'demo');
  const { context, page, problems } = await openPage(env.browser, `${env.demoApi.origin}/?locale=en`);
  for (const tag of ['clientela-provider', 'member-list', 'customer-card', 'points-manager', 'customer-history', 'merge-dialog']) {
    assert.equal(await page.locator(tag).count(), 1, `<${tag}> is on the page`);
  }
  await page.locator('.event-empty', { hasText: 'Nothing yet' }).waitFor();

  // Picking a member opens them; the panel shows the event the page received.
  await page.locator('member-list #search').fill(customer.lastName!);
  await page.locator(`member-list [part~="row"][data-id="${customer.id}"]`).click();
  const card = page.locator('customer-card');
  await card.locator('h2', { hasText: customer.lastName! }).waitFor();
  const picked = page.locator('#events li[data-type="customer-select"]').first();
  assert.match((await picked.textContent()) ?? '', new RegExp(`<member-list>.*#${customer.number} Rocío ${customer.lastName}`));
  assert.equal(await page.locator('.event-empty').isVisible(), false);

  // Points from the points tab reach the panel too.
  await page.locator('#tab-points').click();
  await page.locator('points-manager #pm-amount').fill('40');
  await page.locator('points-manager #pm-reason').fill('Demo visit');
  await page.locator('points-manager [part~="adjust-button"]').click();
  await page.locator('#events li[data-type="points-changed"]', { hasText: 'balance: 40' }).waitFor();
  await page.locator('#tab-profile').click();

  // The admin may remove and merge; the agent may neither.
  await card.locator('[data-action="remove"]').waitFor();
  await page.locator('#user').selectOption('agent');
  await page.locator('#whoami', { hasText: 'Carlos Ruiz' }).waitFor();
  await card.locator('[data-action="remove"]').waitFor({ state: 'detached' });
  await page.locator('#merge-button').click();
  await page.locator('merge-dialog [part~="dialog"] [part~="state"]', { hasText: /permission/i }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#user').selectOption('admin');
  await card.locator('[data-action="remove"]').waitFor();

  // Language: the host's frame and the components switch together.
  await page.locator('#locale').selectOption('es');
  await page.locator('h1', { hasText: 'Clientes' }).waitFor();
  await card.locator('[part~="edit-button"]', { hasText: 'Editar' }).waitFor();

  // Theme: the provider's tokens swap the components' palette.
  const surface = () => card.locator('[part~="card"]').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(await surface(), 'rgb(255, 255, 255)');
  await page.locator('#theme').selectOption('dark');
  assert.equal(await page.locator('clientela-provider').getAttribute('theme'), 'dark');
  assert.equal(await surface(), 'rgb(17, 24, 39)');

  assert.deepEqual(problems, []);
  await context.close();
});
