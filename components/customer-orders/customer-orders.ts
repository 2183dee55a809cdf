/**
 * <customer-orders customer-id="…">: what a customer bought, newest first:
 * each order with its status (refunded and cancelled ones marked, and not
 * counted as spend), its total in the order's own currency and the points it
 * earned or gave back; a row opens to its items. A status filter; older
 * orders load as the list scrolls; an order the shop pushes, or a refund,
 * arrives live from the event stream.
 *
 * @csspart card - The whole component
 * @csspart filters - The status filter
 * @csspart orders - The list of orders
 * @csspart order - One order
 * @csspart items - An order's items, once opened
 * @csspart load-more - The button that loads older orders
 * @csspart loading - Beside `state`: while loading
 * @csspart empty - Beside `state`: nothing to show
 * @csspart error - Beside `state`: what went wrong, with a retry
 * @csspart state - Loading, error and empty states
 * @cssprop --clientela-orders-height - Height of the list before it scrolls (default 560px)
 */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ClientelaClient } from '../api/client.ts';
import type { LiveEvent } from '../api/event-stream.ts';
import { listOrders, type Order, type OrderStatus } from '../api/purchases.ts';
import { Announcer } from '../shared/announcer.ts';
import { renderEmpty, renderError, renderLoading } from '../shared/async-state.ts';
import { ClientelaElement } from '../shared/clientela-element.ts';
import { InfiniteScroll } from '../shared/infinite-scroll.ts';
import { LiveUpdates } from '../shared/live-updates.ts';
import { addNewest } from '../shared/newest-first.ts';
import { PagedQuery } from '../shared/paged-query.ts';
import { styles } from './customer-orders.styles.ts';
import { ORDER_STATUS_LIST, renderOrder } from './order-row.ts';

type Query = { client: ClientelaClient; id: string; status: OrderStatus | '' };

export class CustomerOrders extends ClientelaElement {
  static override styles = styles;

  /** The customer whose orders are shown (their id). */
  @property({ attribute: 'customer-id', reflect: true }) customerId = '';
  /** Orders per request (1–200). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;

  @state() private status: OrderStatus | '' = '';
  @state() private expanded: ReadonlySet<string> = new Set();
  private readonly announcer = new Announcer(this);

  private readonly orders = new PagedQuery<Query, Order>(this, (q, cursor, signal) => listOrders(q.client, q.id, q.status, cursor, this.pageSize, signal), 0);

  constructor() {
    super();
    new InfiniteScroll(this, {
      target: '[part~="load-more"]',
      scroller: '.orders-scroll',
      length: () => this.orders.items.length,
      onEnd: () => this.orders.loadMore(),
    });
    new LiveUpdates(this, () => [this.customerId], (event) => this.onLive(event));
  }

  private query(): Query | null {
    if (!this.client || !this.customerId) return null;
    return { client: this.client, id: this.customerId, status: this.status };
  }

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('customerId')) this.expanded = new Set();
    if (changed.has('client') || changed.has('customerId') || changed.has('status')) {
      const query = this.query();
      if (query) this.orders.set(query, { immediate: true });
    }
  }

  /** Reads the orders again from the newest. */
  reload() {
    this.orders.reload();
  }

  private onLive(event: LiveEvent) {
    // Filtered by status, a change may take an order out of the list: read it again.
    if (event.kind === 'reset' || this.status) this.reload();
    else void this.refreshHead();
  }

  /** New orders go on top and changed ones (a refund) change in place, keeping what was scrolled. */
  private async refreshHead() {
    if (!this.orders.loaded) return;
    try {
      const page = await this.orders.peekFirst();
      if (!page) return;
      const before = new Map(this.orders.items.map((o) => [o.id, o.updatedAt]));
      for (const order of page.items) if (before.has(order.id)) this.orders.replace((o) => o.id === order.id, order);
      if (!addNewest(this.orders, page)) return this.reload();
      const touched = page.items.filter((o) => before.get(o.id) !== o.updatedAt).length;
      if (touched) this.announcer.announce(this.i18n.t.orders.newOrders(touched));
    } catch {
      this.reload();
    }
  }

  private toggle(id: string) {
    const next = new Set(this.expanded);
    if (!next.delete(id)) next.add(id);
    this.expanded = next;
  }

  private renderFilters() {
    const t = this.i18n.t.orders;
    return html`<div class="filters" part="filters">
      <div class="field">
        <label for="co-status">${t.status}</label>
        <select id="co-status" @change=${(e: Event) => (this.status = (e.target as HTMLSelectElement).value as OrderStatus | '')}>
          <option value="" ?selected=${!this.status}>${t.allStatuses}</option>
          ${ORDER_STATUS_LIST.map((s) => html`<option value=${s} ?selected=${this.status === s}>${t.statuses[s]}</option>`)}
        </select>
      </div>
    </div>`;
  }

  private renderList() {
    const t = this.i18n.t;
    const list = this.orders;
    if (list.error && !list.items.length) return renderError(list.error, t, () => list.reload());
    if (!list.loaded || list.loading === 'first') return renderLoading(t);
    if (!list.items.length) return this.status ? renderEmpty(t.orders.emptyFiltered) : renderEmpty(t.orders.empty, t.orders.emptyHint);
    return html`<div class="orders-scroll" role="region" tabindex="0" aria-labelledby="co-title">
      <ul class="orders" part="orders">
        ${list.items.map((order) => renderOrder(order, this.i18n.format, this.expanded.has(order.id), () => this.toggle(order.id)))}
      </ul>
      ${list.error
        ? renderError(list.error, t, () => list.retryMore())
        : list.hasMore
          ? html`<button type="button" class="btn ghost more" part="load-more" ?disabled=${list.loading !== 'idle'} @click=${() => list.loadMore()}>
              ${list.loading === 'more' ? t.orders.loadingMore : t.orders.loadMore}
            </button>`
          : nothing}
    </div>`;
  }

  protected override render() {
    if (!this.client) return this.renderNoProvider();
    const t = this.i18n.t;
    if (!this.customerId) return html`<div class="card placeholder" part="card">${renderEmpty(t.card.noneSelected, t.card.noneSelectedHint)}</div>`;
    return html`<div class="card" part="card" aria-busy=${this.orders.loading === 'idle' ? 'false' : 'true'}>
        <header class="header"><h2 id="co-title">${t.orders.title}</h2>${this.renderFilters()}</header>
        ${this.renderList()}
      </div>
      ${this.announcer.render()}`;
  }
}
