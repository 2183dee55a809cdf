/** One order of <customer-orders>: its summary line, a button that opens it, and its items. */
import { html, nothing } from 'lit';
import type { Order, OrderStatus } from '../api/purchases.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { icon } from '../shared/icons.ts';

export const ORDER_STATUS_LIST: readonly OrderStatus[] = ['pending', 'processing', 'completed', 'cancelled', 'refunded'];
/** Not spend: struck through and said so. */
const UNDONE: ReadonlySet<OrderStatus> = new Set(['cancelled', 'refunded']);

function renderPoints(order: Order, format: Formatter) {
  const t = format.t.orders;
  const parts = [
    order.pointsEarned ? html`<span class="earned" title=${t.pointsEarnedLong(format.number(order.pointsEarned))}>${t.pointsEarned(format.number(order.pointsEarned))}</span>` : nothing,
    order.pointsReversed ? html`<span class="reversed">${t.pointsReversed(format.number(order.pointsReversed))}</span>` : nothing,
    order.pointsUnrecovered ? html`<span class="unrecovered">${t.pointsUnrecovered(format.number(order.pointsUnrecovered))}</span>` : nothing,
  ];
  return parts.some((p) => p !== nothing) ? html`<span class="points">${parts}</span>` : nothing;
}

function renderItems(order: Order, format: Formatter) {
  const t = format.t.orders;
  if (!order.items.length) return html`<p class="muted no-items">${t.noItems}</p>`;
  const c = t.columns;
  return html`<table class="items-table">
    <caption class="visually-hidden">${t.items} · ${t.order(order.externalId)}</caption>
    <thead>
      <tr>
        <th scope="col">${c.product}</th>
        <th scope="col">${c.category}</th>
        <th scope="col" class="num">${c.quantity}</th>
        <th scope="col" class="num">${c.price}</th>
        <th scope="col" class="num">${c.subtotal}</th>
      </tr>
    </thead>
    <tbody>
      ${order.items.map(
        (item) => html`<tr>
          <td data-label=${c.product}><span><span class="product">${item.name}</span>${item.sku ? html` <span class="sku muted">${item.sku}</span>` : nothing}</span></td>
          <td data-label=${c.category}><span>${item.category ?? html`<span class="muted">${t.noCategory}</span>`}</span></td>
          <td data-label=${c.quantity} class="num">${format.number(item.quantity)}</td>
          <td data-label=${c.price} class="num">${format.money(item.price, order.currency)}</td>
          <td data-label=${c.subtotal} class="num">${format.money(item.price * item.quantity, order.currency)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

export function renderOrder(order: Order, format: Formatter, expanded: boolean, toggle: () => void) {
  const t = format.t.orders;
  const status = order.status as OrderStatus;
  const undone = UNDONE.has(status);
  const itemsId = `co-items-${order.id}`;
  return html`<li class="order status-${status} ${undone ? 'undone' : ''}" part="order" data-id=${order.id}>
    <div class="order-head">
      <button type="button" class="toggle" aria-expanded=${expanded ? 'true' : 'false'} aria-controls=${itemsId} title=${t.showItems(order.externalId)} @click=${toggle}>
        <span class="chevron" aria-hidden="true">${icon(expanded ? 'up' : 'down')}</span>
        <span class="ref">${t.order(order.externalId)}</span>
        <span class="when muted"><time datetime=${order.placedAt}>${format.date(order.placedAt)}</time> · ${t.itemCount(order.items.length)}</span>
      </button>
      <span class="badge order-status status-${status}">${t.statuses[status]}</span>
      <span class="total" title=${undone ? t.notSpend : nothing}>
        ${format.money(order.total, order.currency)}${undone ? html`<span class="visually-hidden"> (${t.notSpend})</span>` : nothing}
      </span>
      ${renderPoints(order, format)}
    </div>
    <div class="items" id=${itemsId} part="items" ?hidden=${!expanded}>${expanded ? renderItems(order, format) : nothing}</div>
  </li>`;
}
