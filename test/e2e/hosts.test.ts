/**
 * Clientela embedded in nine kinds of host page, each driven like an admin
 * would: find a customer, edit them, add points, merge their duplicate and
 * read the history. Every host must get there without a script error, a
 * console error or a CSP violation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openPage, startEnvironment, type Environment } from './environment.ts';
import { HOST_ADMIN_NAME } from './host-backend.ts';
import { addPoints, arrangeDuplicates, editCustomer, loadCustomer, mergeDuplicate, readHistory, type HostPage } from './scenario.ts';
import { computedStyles, INNER_ELEMENTS } from './styles.ts';

let env: Environment;
before(async () => {
  env = await startEnvironment();
});
after(async () => {
  await env?.close();
});

/** Runs the admin's whole visit on a host page and answers the page for host-specific checks. */
async function visit(path: string, label: string, prefix = '') {
  const opened = await openPage(env.browser, env.hostUrl + path);
  const host: HostPage = { page: opened.page, api: env.api, tag: (name) => prefix + name };
  const [customer, duplicate] = await arrangeDuplicates(env.api, label);
  await loadCustomer(host, customer);
  await editCustomer(host, customer, `Jerez ${label}`);
  await addPoints(host, customer, 150, `Welcome gift (${label})`);
  await mergeDuplicate(host, customer, duplicate);
  await readHistory(host, duplicate, { from: 'Sevilla', to: `Jerez ${label}`, by: HOST_ADMIN_NAME });
  return { ...opened, host, customer };
}

describe('hosts', () => {
  test('a plain HTML page with the single-file bundle', async () => {
    const { context, problems } = await visit('/plain/', 'plain');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test("a plain HTML page with an import map: `import 'clientela/define'` without a bundler", async () => {
    const { context, problems } = await visit('/importmap/', 'importmap');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a React app using the wrappers, events as typed props', async () => {
    const { context, page, problems } = await visit('/react-app/', 'react');
    assert.equal(await page.locator('#root clientela-provider').count(), 1);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a Svelte 5 app: properties and on<event> attributes, the tags registered before mount()', async () => {
    const { context, page, problems } = await visit('/svelte-app/', 'svelte');
    assert.equal(await page.locator('#app clientela-provider').count(), 1);
    const attributes = await page.evaluate(() => document.querySelector('clientela-provider')!.getAttributeNames());
    assert.ok(!attributes.includes('gettoken'), `the token function is a property, not an attribute: ${attributes.join(', ')}`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a Vue 3 app: isCustomElement, properties bound with .prop, @customer-select', async () => {
    const { context, page, problems } = await visit('/vue-app/', 'vue');
    assert.equal(await page.locator('#app clientela-provider').count(), 1);
    const attributes = await page.evaluate(() => document.querySelector('clientela-provider')!.getAttributeNames());
    assert.ok(!attributes.some((name) => name.toLowerCase().includes('token')), `the token function is a property, not an attribute: ${attributes.join(', ')}`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('an Angular app: zoneless, strict templates, clientela/angular, global error listeners', async () => {
    const { context, page, problems, customer } = await visit('/angular-app/', 'angular');
    assert.equal(await page.locator('app-root clientela-provider').count(), 1);
    const attributes = await page.evaluate(() => document.querySelector('clientela-provider')!.getAttributeNames());
    assert.ok(!attributes.some((name) => name.toLowerCase().includes('token')), `the token function is a property, not an attribute: ${attributes.join(', ')}`);

    // `[getToken]="tokenSource()"` handed a new function for the same admin: one token request each, no reload.
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
    for (let i = 0; i < 3; i++) {
      await Promise.all([page.waitForResponse('**/admin/clientela-token'), page.locator('#refresh-sign-in').click()]);
    }
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
    assert.deepEqual(requests, Array(3).fill('POST /admin/clientela-token'), 'no component reloaded');
    await page.locator('customer-card h2', { hasText: `${customer.firstName} ${customer.lastName}` }).waitFor();

    // `@if` takes the card, the points and the history out and puts them back: they show the customer again, no error.
    await page.locator('#toggle-details').click();
    await page.locator('customer-card').waitFor({ state: 'detached' });
    await page.locator('#toggle-details').click();
    await page.locator('customer-card h2', { hasText: `${customer.firstName} ${customer.lastName}` }).waitFor();
    await page.locator('points-manager .balance').waitFor();
    await page.locator('customer-history .timeline').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a page under a strict Content-Security-Policy', async () => {
    const { context, page, problems, customer } = await visit('/csp/', 'csp');
    // The orders and the charts (uPlot, inside the bundle) under the same policy: a pushed order shows in both.
    const order = { customerId: customer.id, externalId: `CSP-${Date.now()}`, total: 4_500, currency: 'EUR', status: 'completed', placedAt: '2026-05-04T10:00:00Z', items: [{ name: 'Lámpara', category: 'Hogar', quantity: 1, price: 4_500 }] };
    assert.equal((await env.api.call('POST', '/orders', order)).status, 201);
    await page.locator('customer-orders .order', { hasText: order.externalId }).waitFor();
    await page.locator('customer-insights #ci-spend-chart canvas').waitFor();
    await page.locator('customer-insights #ci-categories-table', { hasText: 'Hogar' }).waitFor({ state: 'attached' });
    const response = await page.request.get(env.hostUrl + '/csp/');
    assert.match(response.headers()['content-security-policy'], /script-src 'self'; style-src 'self'/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a host whose aggressive global CSS stays out of the components, and theirs out of the host', async () => {
    const { context, page, problems, customer } = await visit('/css/', 'css');
    assert.deepEqual(problems, []);

    const plain = await openPage(env.browser, env.hostUrl + '/plain/');
    await loadCustomer({ page: plain.page, api: env.api, tag: (name) => name }, await env.api.customer(customer.id));
    const inHostileHost = await computedStyles(page, INNER_ELEMENTS);
    const inPlainHost = await computedStyles(plain.page, INNER_ELEMENTS);
    assert.deepEqual(inHostileHost, inPlainHost);
    await plain.context.close();

    const hostOwn = ['.host-own h2', '.host-own button', '.host-own td'];
    const withKit = await computedStyles(page, hostOwn);
    const alone = await openPage(env.browser, env.hostUrl + '/css/?without-kit');
    assert.deepEqual(withKit, await computedStyles(alone.page, hostOwn));
    assert.equal(withKit['.host-own button']['background-color'], 'rgb(255, 105, 180)', 'the host theme applies to its own button');
    await alone.context.close();
    assert.equal(await page.evaluate(() => document.adoptedStyleSheets.length + document.querySelectorAll('style').length), 0);
    await context.close();
  });

  test('the classes registered under other tag names, beside a library that owns <customer-card>', async () => {
    const { context, page, problems } = await visit('/renamed/', 'renamed', 'acme-');
    assert.equal(await page.locator('#legacy-card').textContent(), 'Legacy CRM customer card');
    const defaults = await page.evaluate(() =>
      ['clientela-provider', 'member-list', 'points-manager'].filter((tag) => customElements.get(tag) !== undefined),
    );
    assert.deepEqual(defaults, [], 'importing the classes registers no default tag');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
