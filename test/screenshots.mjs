#!/usr/bin/env node
/**
 * Screenshots of the demo page in headless Chromium, to look at: the list
 * and the card, light and dark, Spanish and English, admin and agent.
 * Usage: node test/screenshots.mjs <base-url> <out-dir>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, browserOrExit } from '../scripts/browser.mjs';

const [base = 'http://localhost:3000', out = 'screenshots'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: browserOrExit(),
  args: BROWSER_ARGS,
});

/** Waits until a selector inside the shadow roots matches. */
async function waitDeep(page, host, selector) {
  await page.waitForFunction(([h, s]) => document.querySelector(h)?.shadowRoot?.querySelector(s), [host, selector], { timeout: 20_000 });
}

try {
  for (const theme of ['light', 'dark']) {
    for (const locale of ['es', 'en']) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
      page.on('console', (m) => m.type() === 'error' && console.log(`[${theme}/${locale}] console: ${m.text()}`));
      page.on('pageerror', (e) => console.log(`[${theme}/${locale}] page error: ${e.message}`));
      await page.goto(`${base}/?theme=${theme}&locale=${locale}`);
      await waitDeep(page, 'member-list', '.row[data-index="0"]');
      await page.screenshot({ path: join(out, `demo-${theme}-${locale}.png`) });
      await page.locator('member-list').screenshot({ path: join(out, `list-${theme}-${locale}.png`) });
      // #1001 is seeded with a duplicate (same email as the last customer) and notes.
      await page.locator('member-list #search').fill('#1001');
      await page.waitForFunction(() => document.querySelector('member-list').shadowRoot.querySelector('.row .secondary-text')?.textContent.includes('#1001'));
      await page.evaluate(() => document.querySelector('member-list').shadowRoot.querySelector('.row[data-index="0"]').click());
      await waitDeep(page, 'customer-card', '.card');
      await page.waitForTimeout(400);
      await page.locator('customer-card').screenshot({ path: join(out, `card-${theme}-${locale}.png`) });
      await page.evaluate(() => document.querySelector('customer-card').shadowRoot.querySelector('[part~="edit-button"]').click());
      await page.waitForTimeout(300);
      await page.locator('customer-card').screenshot({ path: join(out, `card-edit-${theme}-${locale}.png`) });
      await page.close();
    }
  }
  // The agent: no removal, no account manager choice.
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(`${base}/?user=agent&locale=es`);
  await waitDeep(page, 'member-list', '.row[data-index="0"]');
  await page.evaluate(() => document.querySelector('member-list').shadowRoot.querySelector('.row[data-index="2"]').click());
  await waitDeep(page, 'customer-card', '.card');
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, 'demo-agent-es.png') });

  // The 412 panel: the agent edits while the admin changes the same customer.
  await page.evaluate(() => document.querySelector('customer-card').shadowRoot.querySelector('[part~="edit-button"]').click());
  await page.waitForTimeout(200);
  await page.locator('customer-card #field-city').fill('Valencia');
  await page.evaluate(async () => {
    const card = document.querySelector('customer-card');
    const session = await (await fetch('/api/demo/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"user":"admin"}' })).json();
    const { customer } = card.record;
    await fetch(`/api/v1/customers/${customer.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json', 'If-Match': `"${customer.version}"` },
      body: JSON.stringify({ city: 'Sevilla', tags: ['vip-tienda'], registrationCode: `R${Date.now() % 100000}` }),
    });
  });
  await page.evaluate(() => document.querySelector('customer-card').shadowRoot.querySelector('#profile-form').requestSubmit());
  await waitDeep(page, 'customer-card', '.conflict');
  await page.waitForTimeout(300);
  await page.locator('customer-card').screenshot({ path: join(out, 'card-conflict-agent-es.png'), clip: undefined });

  // The "new member" dialog with a validation message.
  await page.evaluate(() => document.querySelector('member-list').shadowRoot.querySelector('[part~="new-button"]').click());
  await page.waitForTimeout(200);
  await page.evaluate(() => document.querySelector('member-list').shadowRoot.querySelector('#new-member form').requestSubmit());
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'new-member-dialog-es.png') });
  await page.close();
} finally {
  await browser.close();
}
console.log(`Screenshots in ${out}`);
