#!/usr/bin/env node
/**
 * Screenshots of <customer-orders> and <customer-insights> on the demo page,
 * to look at: light and dark, Spanish and English, a 360 px panel and a
 * 1280 px page, for the seeded first member (two years of shopping).
 * Usage: node test/screenshots-purchases.mjs <base-url> <out-dir>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, browserOrExit } from '../scripts/browser.mjs';

const [base = 'http://localhost:3000', out = 'screenshots'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });

const session = await (await fetch(`${base}/api/demo/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"user":"admin"}' })).json();
const found = await (await fetch(`${base}/api/v1/customers?q=%231001&limit=1`, { headers: { Authorization: `Bearer ${session.token}` } })).json();
const customerId = found.items[0].id;

const browser = await chromium.launch({ executablePath: browserOrExit(), args: BROWSER_ARGS });

/** The component alone across the viewport: a 360 px panel, or a full page. */
const COMPONENT_ONLY = '.shell { display: block !important } .sidebar, .topbar, member-list, .detail-bar, .event-log { display: none !important } .workspace { display: block !important; padding: 0 !important }';

async function open(page, url) {
  await page.goto(url);
  await page.addStyleTag({ content: COMPONENT_ONLY });
}

async function waitDeep(page, host, selector) {
  await page.waitForFunction(([h, s]) => document.querySelector(h)?.shadowRoot?.querySelector(s), [host, selector], { timeout: 30_000 });
}

try {
  for (const width of [360, 1280]) {
    for (const theme of ['light', 'dark']) {
      for (const locale of ['es', 'en']) {
        const name = `${width}-${theme}-${locale}`;
        const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
        page.on('console', (m) => m.type() === 'error' && console.log(`[${name}] console: ${m.text()}`));
        page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));

        await open(page, `${base}/?theme=${theme}&locale=${locale}&customer=${customerId}&tab=orders`);
        await waitDeep(page, 'customer-orders', '.order');
        await page.evaluate(() => document.querySelector('customer-orders').shadowRoot.querySelector('.order .toggle').click());
        await waitDeep(page, 'customer-orders', '.items table');
        await page.waitForTimeout(200);
        await page.locator('customer-orders').screenshot({ path: join(out, `orders-${name}.png`) });
        if (theme === 'light' && locale === 'es') {
          // Refunds: struck through, points taken back.
          await page.evaluate(() => {
            const select = document.querySelector('customer-orders').shadowRoot.querySelector('#co-status');
            select.value = 'refunded';
            select.dispatchEvent(new Event('change'));
          });
          await waitDeep(page, 'customer-orders', '.order.status-refunded');
          await page.waitForTimeout(200);
          await page.locator('customer-orders').screenshot({ path: join(out, `orders-refunded-${name}.png`) });
        }

        await open(page, `${base}/?theme=${theme}&locale=${locale}&customer=${customerId}&tab=insights`);
        await waitDeep(page, 'customer-insights', '#ci-spend-chart canvas');
        await page.waitForTimeout(400);
        await page.locator('customer-insights').screenshot({ path: join(out, `insights-${name}.png`) });
        if (width === 360 && theme === 'light') {
          await page.evaluate(() => document.querySelector('customer-insights').shadowRoot.querySelector('[data-table="spend"]').click());
          await page.waitForTimeout(200);
          await page.locator('customer-insights').screenshot({ path: join(out, `insights-table-${name}.png`) });
        }
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
}
