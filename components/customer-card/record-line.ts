/**
 * The card's record line, under its figures: when the customer was created
 * and last changed, and buttons that ask the host to show their orders or
 * history (a `customer-view-request` event the host routes: a tab, a page).
 */
import { css, html } from 'lit';
import type { Customer } from '../api/types.ts';
import type { CustomerView } from '../events.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { renderTime } from '../shared/formatting.ts';
import { icon } from '../shared/icons.ts';

export function renderRecordLine(c: Customer, format: Formatter, open: (view: CustomerView) => void) {
  const t = format.t.record;
  return html`<div class="record" part="record">
    <p class="record-dates muted">${t.created(format.date(c.createdAt))} · ${t.updated('')}${renderTime(c.updatedAt, format)}</p>
    <div class="record-links" role="group" aria-label=${t.label}>
      <button type="button" class="btn ghost small" data-view="orders" @click=${() => open('orders')}>${icon('cart')}${t.viewOrders}</button>
      <button type="button" class="btn ghost small" data-view="history" @click=${() => open('history')}>${icon('clock')}${t.viewHistory}</button>
    </div>
  </div>`;
}

export const recordStyles = css`
  .record {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 4px 12px;
    padding: 6px 24px;
    border-bottom: 1px solid var(--clientela-border);
    font-size: 0.88em;
  }
  .record-links {
    display: flex;
    gap: 4px;
    margin-right: -10px;
  }
  .record-links .btn {
    color: var(--clientela-accent);
  }
`;
