/**
 * Computed styles of elements inside (or outside) the components, to show
 * that a host's global CSS changes nothing inside them and theirs nothing
 * outside.
 */
import type { Page } from 'playwright-core';

/** Pieces of every component, addressed through their shadow roots (Playwright's CSS pierces open ones). */
export const INNER_ELEMENTS = [
  'member-list #search',
  'member-list [part~="row"]',
  'member-list [part~="row"] .primary-text',
  'customer-card h2',
  'customer-card .number',
  'customer-card [part~="edit-button"]',
  'customer-card [part~="metrics"]',
  'customer-card [part~="section"]',
  'points-manager .figure.balance .big',
  'points-manager #pm-amount',
  'points-manager [part~="adjust-button"]',
  'points-manager [part~="ledger-row"] td',
];

/** Properties a global stylesheet could plausibly change, by inheritance or by matching. */
const PROPERTIES = [
  'color',
  'background-color',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant-caps',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-transform',
  'text-align',
  'text-indent',
  'text-decoration-line',
  'cursor',
  'box-sizing',
  'display',
  'height',
  'margin-top',
  'padding-top',
  'padding-left',
  'border-top-width',
  'border-top-style',
  'outline-style',
];

/** Styles at rest: no pointer over anything, nothing focused. */
export async function computedStyles(page: Page, selectors: string[]): Promise<Record<string, Record<string, string>>> {
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    (active as HTMLElement | null)?.blur();
  });
  const styles: Record<string, Record<string, string>> = {};
  for (const selector of selectors) {
    // A virtualised list renders rows only while it is on screen.
    await page.locator(selector.split(' ')[0]).scrollIntoViewIfNeeded();
    styles[selector] = await page
      .locator(selector)
      .first()
      .evaluate((el, properties) => {
        const style = getComputedStyle(el);
        return Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
      }, PROPERTIES);
  }
  return styles;
}
