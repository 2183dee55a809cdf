/**
 * The demo page as a developer first sees it: the five components on one
 * customer. Points added in the points tab reach the card and the history
 * without a reload; the merge dialog merges a duplicate, and the survivor's
 * balance, history and the list follow. test/run.mjs builds the demo and
 * passes CLIENTELA_URL; alone, this file starts its own server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BROWSER_ARGS, ensureBrowser } from '../../scripts/browser.mjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Customer } from '../../components/api/types.ts';
import { startServer } from '../server-process.mjs';

let origin = process.env.CLIENTELA_URL ?? '';
let browser: Browser;
let stop = async () => {};

before(async () => {
  if (!origin) {
    const dataDir = mkdtempSync(join(tmpdir(), 'clientela-demo-e2e-'));
    const server = await startServer({ dataDir, seedCustomers: 50 });
    origin = server.url;
    stop = async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  browser = await chromium.launch({
    executablePath: ensureBrowser(),
    args: BROWSER_ARGS,
  });
});

after(async () => {
  await browser?.close();
  await stop();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const session = (await (await fetch(`${origin}/api/demo/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"user":"admin"}' })).json()) as {
    token: string;
  };
  const response = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

/** Two records of one person, the second with points of its own. */
async function duplicates(): Promise<[Customer, Customer]> {
  const unique = Date.now().toString(36);
  const shared = { firstName: 'Inmaculada', lastName: `Demo ${unique}`, phones: [{ number: `+3469${unique.slice(-7).replace(/\D/g, '1').padStart(7, '2')}`, label: 'móvil' }] };
  const primary = await api<Customer>('POST', '/customers', { ...shared, email: `inma.${unique}@example.com` });
  const source = await api<Customer>('POST', '/customers', { ...shared, email: `inmaculada.${unique}@example.com`, city: 'Huesca' });
  await api('POST', `/customers/${source.id}/points`, { delta: 70, reason: 'Saldo de la ficha duplicada' });
  return [primary, source];
}

function watchProblems(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  return problems;
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name });

test('the demo shows card, points, history, list and merge working together on one customer', async () => {
  const [primary, source] = await duplicates();
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const problems = watchProblems(page);
  await page.goto(`${origin}/?customer=${primary.id}`);
  await page.locator('customer-card h2').filter({ hasText: 'Inmaculada' }).waitFor();

  await tab(page, 'Puntos').click();
  const points = page.locator('points-manager');
  await points.locator('#pm-amount').fill('25');
  await points.locator('#pm-reason').fill('Bienvenida en la demo');
  await points.locator('[part~="adjust-button"]').click();
  await points.locator('.figure.balance .big', { hasText: '25' }).waitFor();

  // The card heard of the change through the live stream.
  await tab(page, 'Ficha').click();
  await page.locator('customer-card .metric', { hasText: 'Puntos' }).first().filter({ hasText: '25' }).waitFor();

  await tab(page, 'Historial').click();
  await page.locator('customer-history .event .summary').first().filter({ hasText: '+25 puntos · Ajuste' }).waitFor();

  await page.getByRole('button', { name: 'Fusionar duplicados' }).click();
  const dialog = page.locator('merge-dialog dialog[open]');
  await dialog.locator(`#md-c-${source.id}`).check();
  await dialog.getByRole('button', { name: 'Revisar la fusión' }).click();
  await dialog.locator('#md-confirm').fill(String(primary.number));
  await dialog.locator('[part~="merge-button"]').click();
  await dialog.locator('[part~="result"]').waitFor();
  await dialog.locator('[part~="survivor-link"]').click();
  await dialog.waitFor({ state: 'detached' });

  assert.equal(await tab(page, 'Ficha').getAttribute('aria-selected'), 'true');
  await page.locator('customer-card .metric', { hasText: 'Puntos' }).first().filter({ hasText: '95' }).waitFor();
  await tab(page, 'Historial').click();
  await page.locator('customer-history .event .summary', { hasText: `#${source.number}` }).first().waitFor();
  await tab(page, 'Puntos').click();
  await points.locator('.figure.balance .big', { hasText: '95' }).waitFor();

  // The source left every list; its number now finds the survivor.
  await page.locator('member-list #search').fill(`#${source.number}`);
  const rowIds = () => page.locator('member-list .row[data-id]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id));
  await page.waitForFunction(
    (id) => {
      const rows = [...document.querySelector('member-list')!.shadowRoot!.querySelectorAll<HTMLElement>('.row[data-id]')];
      return rows.length === 1 && rows[0].dataset.id === id;
    },
    primary.id,
    { timeout: 10_000 },
  );
  assert.deepEqual(await rowIds(), [primary.id]);

  assert.deepEqual(problems, []);
  await page.close();
});
