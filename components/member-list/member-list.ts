/**
 * <member-list>: the programme's members, searched as you type, filtered,
 * sorted, virtualised and fetched page by page, so 100,000 members scroll
 * as smoothly as 100. Arrow keys move through rows, Enter picks one.
 *
 * @fires customer-select - A row was picked (click, Enter or Space).
 * @fires member-created - A member was added with the "new member" dialog.
 * @fires member-removed - A member was removed from the programme.
 * @csspart toolbar - Search, filters and the "new member" button
 * @csspart list - The whole component
 * @csspart new-button - The "new member" button
 * @csspart loading - Beside `state`: while loading
 * @csspart empty - Beside `state`: nothing to show
 * @csspart error - Beside `state`: what went wrong, with a retry
 * @csspart grid - The table of members
 * @csspart header-row - The column headers
 * @csspart row - One member
 * @csspart footer - How many are loaded
 * @csspart dialog - The dialogs (new member, remove)
 * @csspart state - Loading, error and empty states
 * @cssprop --clientela-list-height - Height of the list when the host does not size it (default 560px)
 */
import { provideResizeObserver } from '@lit-labs/virtualizer/polyfillLoaders/ResizeObserver.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { Task, initialState } from '@lit/task';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { CUSTOMER_STATUSES } from '../../server/contract/limits.ts';
import type { ClientelaClient } from '../api/client.ts';
import { displayName, getCustomer, listCustomers, removeCustomer, type CustomerListItem } from '../api/customers.ts';
import type { LiveEvent } from '../api/event-stream.ts';
import { listLevels } from '../api/reference.ts';
import type { Customer } from '../api/types.ts';
import { CustomerSelectEvent, MemberCreatedEvent, MemberRemovedEvent } from '../events.ts';
import { Announcer } from '../shared/announcer.ts';
import { errorMessage, renderEmpty, renderError, renderLoading } from '../shared/async-state.ts';
import { ClientelaElement } from '../shared/clientela-element.ts';
import { FrameResizeObserver } from '../shared/frame-resize-observer.ts';
import { icon } from '../shared/icons.ts';
import { LiveUpdates } from '../shared/live-updates.ts';
import { openModal } from '../shared/modal.ts';
import { PagedQuery } from '../shared/paged-query.ts';
import { styles } from './member-list.styles.ts';
import { renderHeaderRow, renderRow, type SortColumn } from './member-row.ts';
import { NewMemberDialog } from './new-member-dialog.ts';

interface Filters {
  q: string;
  status: string;
  levelId: string;
  tag: string;
  vip: boolean;
  sort: string;
}

// The virtualiser measures its rows and renders the ones that now fit inside its resize notifications, which
// the browser reports as a window error ("ResizeObserver loop…"); in the next frame it reports nothing. The
// setting is the virtualiser module's, so a host's own virtualisers sharing that module are spared it too.
provideResizeObserver(FrameResizeObserver);

/** Page keys the grid moves by (PageUp/PageDown). */
const PAGE_STEP = 10;
/** Fetch the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 15;

export class MemberList extends ClientelaElement {
  static override styles = styles;

  /** Rows per request (1–200). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;
  /** The selected customer's id; set by the host or by picking a row. */
  @property({ attribute: 'selected-id', reflect: true }) selectedId: string | null = null;

  @state() private filters: Filters = { q: '', status: '', levelId: '', tag: '', vip: false, sort: '' };
  @state() private activeIndex = 0;
  @state() private removing: CustomerListItem | null = null;
  @state() private removeError = '';
  @state() private busy = false;

  @query('.rows') private rowsElement?: HTMLElement & VirtualizerHostElement;

  private readonly members = new PagedQuery<Filters & { client: ClientelaClient }, CustomerListItem>(this, (f, cursor, signal) =>
    listCustomers(
      f.client,
      {
        q: f.q || undefined,
        status: f.status || undefined,
        levelId: f.levelId || undefined,
        tag: f.tag || undefined,
        vip: f.vip ? 'true' : undefined,
        sort: f.sort || undefined,
        limit: String(this.pageSize),
        cursor: cursor ?? undefined,
      },
      signal,
    ),
  );

  private readonly levels = new Task(this, {
    args: () => [this.client] as const,
    task: async ([client]) => (client ? listLevels(client).catch(() => []) : initialState),
  });

  private readonly announcer = new Announcer(this);
  private readonly newMember = new NewMemberDialog(this, { onCreated: (customer) => this.memberCreated(customer) });
  /** Rows follow changes made elsewhere; a reset (missed events) refetches the list. */
  private readonly live = new LiveUpdates(
    this,
    () => ['*'],
    (event) => this.onLiveEvent(event),
  );

  /** Fetches the list again from the first page (after a change made elsewhere). */
  refresh() {
    this.members.reload();
  }

  /** Shows a customer's new state in its row (after an edit elsewhere), if the row is loaded. */
  upsert(customer: Customer) {
    this.members.replace((i) => i.id === customer.id, customer);
  }

  private get t() {
    return this.i18n.t;
  }

  private onLiveEvent(event: LiveEvent) {
    if (event.kind === 'reset') return this.members.reload();
    const item = this.members.items.find((i) => i.id === event.customerId);
    if (!item || !this.client || (event.version !== null && event.version <= item.version)) return;
    getCustomer(this.client, item.id).then(
      ({ customer }) => this.upsert(customer),
      () => undefined,
    );
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('client') && this.client) this.search({}, true);
  }

  private search(change: Partial<Filters>, immediate = false) {
    this.filters = { ...this.filters, ...change };
    this.activeIndex = 0;
    if (this.client) this.members.set({ ...this.filters, client: this.client }, { immediate });
  }

  private setSort(column: SortColumn) {
    const current = this.filters.sort || (this.filters.q ? '' : '-registeredAt');
    // Name and status start A→Z and active first; the rest start highest or newest first.
    const startsAscending = column === 'name' || column === 'status';
    const next = current === column ? `-${column}` : current === `-${column}` ? column : startsAscending ? column : `-${column}`;
    this.search({ sort: next }, true);
  }

  private select(item: CustomerListItem) {
    this.selectedId = item.id;
    this.dispatchEvent(new CustomerSelectEvent({ customerId: item.id, customer: item }));
  }

  private memberCreated(customer: Customer) {
    this.members.prepend(customer);
    this.selectedId = customer.id;
    this.activeIndex = 0;
    this.announcer.announce(this.t.newMember.created(displayName(customer)));
    this.dispatchEvent(new MemberCreatedEvent({ customer }));
  }

  private askRemove(item: CustomerListItem) {
    this.removing = item;
    this.removeError = '';
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector<HTMLDialogElement>('#remove-member');
      if (dialog) openModal(dialog, dialog.querySelector<HTMLElement>('.btn:not(.danger)'));
    });
  }

  private async confirmRemove() {
    const item = this.removing;
    if (!item || !this.client) return;
    this.busy = true;
    try {
      const { customer } = await removeCustomer(this.client, item.id);
      this.renderRoot.querySelector<HTMLDialogElement>('#remove-member')?.close();
      const showsRemoved = this.filters.status === '' || this.filters.status.split(',').includes('removed');
      this.members.replace((i) => i.id === item.id, showsRemoved ? customer : null);
      this.announcer.announce(this.t.list.removed(displayName(item)));
      this.dispatchEvent(new MemberRemovedEvent({ customerId: item.id, customer }));
    } catch (err) {
      this.removeError = errorMessage(err, this.t);
    } finally {
      this.busy = false;
    }
  }

  private onRangeChanged(e: Event & { last: number }) {
    if (e.last >= this.members.items.length - PREFETCH_ROWS) this.members.loadMore();
  }

  private async focusRow(index: number) {
    const items = this.members.items;
    if (!items.length) return;
    this.activeIndex = Math.max(0, Math.min(items.length - 1, index));
    const selector = `.row[data-index="${this.activeIndex}"]`;
    await this.updateComplete;
    let row = this.renderRoot.querySelector<HTMLElement>(selector);
    if (!row) {
      // Not rendered yet: let the virtualiser scroll to it and draw it first.
      this.rowsElement?.[virtualizerRef]?.element(this.activeIndex)?.scrollIntoView({ block: 'nearest' });
      for (let frame = 0; frame < 10 && !row; frame++) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        row = this.renderRoot.querySelector<HTMLElement>(selector);
      }
    }
    row?.scrollIntoView({ block: 'nearest' });
    row?.focus();
  }

  private onRowsKeydown(e: KeyboardEvent) {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row[data-index]');
    if (!row || e.target !== row) return;
    const index = Number(row.dataset.index);
    const item = this.members.items[index];
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + PAGE_STEP,
      PageUp: index - PAGE_STEP,
      Home: 0,
      End: this.members.items.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      void this.focusRow(moves[e.key]);
    } else if ((e.key === 'Enter' || e.key === ' ') && item) {
      e.preventDefault();
      this.select(item);
    } else if (e.key === 'Delete' && item && this.can('customers:delete') && item.status !== 'removed') {
      e.preventDefault();
      this.askRemove(item);
    }
  }

  private onRowsClick(e: MouseEvent) {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.row[data-index]');
    const item = row && this.members.items[Number(row.dataset.index)];
    if (!item) return;
    this.activeIndex = Number(row.dataset.index);
    this.select(item);
  }

  private renderToolbar() {
    const t = this.t;
    const f = this.filters;
    const levels = this.levels.value ?? [];
    const filtered = f.status || f.levelId || f.tag || f.vip;
    return html`<div class="toolbar" part="toolbar" role="search">
      <div class="search">
        ${icon('search')}
        <input
          type="search"
          id="search"
          aria-label=${t.list.search}
          placeholder=${t.list.searchPlaceholder}
          .value=${f.q}
          maxlength="200"
          autocomplete="off"
          @input=${(e: Event) => this.search({ q: (e.target as HTMLInputElement).value })}
        />
      </div>
      <div class="filters" role="group" aria-label=${t.list.filters}>
        <select id="filter-level" aria-label=${t.list.level} @change=${(e: Event) => this.search({ levelId: (e.target as HTMLSelectElement).value }, true)}>
          <option value="" ?selected=${!f.levelId}>${t.list.allLevels}</option>
          ${levels.map((l) => html`<option value=${l.id} ?selected=${f.levelId === l.id}>${l.name}</option>`)}
        </select>
        <select id="filter-status" aria-label=${t.list.status} @change=${(e: Event) => this.search({ status: (e.target as HTMLSelectElement).value }, true)}>
          <option value="" ?selected=${!f.status}>${t.list.allStatuses}</option>
          ${CUSTOMER_STATUSES.map((s) => html`<option value=${s} ?selected=${f.status === s}>${t.status[s]}</option>`)}
        </select>
        <input
          id="filter-tag"
          class="tag-filter"
          aria-label=${t.list.tag}
          placeholder=${t.list.tagPlaceholder}
          .value=${f.tag}
          maxlength="50"
          @input=${(e: Event) => this.search({ tag: (e.target as HTMLInputElement).value.trim() })}
        />
        <label class="check vip-filter">
          <input id="filter-vip" type="checkbox" .checked=${f.vip} @change=${(e: Event) => this.search({ vip: (e.target as HTMLInputElement).checked }, true)} />
          ${t.list.vipOnly}
        </label>
        ${filtered
          ? html`<button type="button" class="btn ghost small" @click=${() => this.search({ status: '', levelId: '', tag: '', vip: false }, true)}>
              ${t.list.clearFilters}
            </button>`
          : nothing}
      </div>
      ${this.can('customers:write')
        ? html`<button type="button" class="btn primary new" part="new-button" @click=${() => this.newMember.open()}>${icon('plus')}${t.list.newMember}</button>`
        : nothing}
    </div>`;
  }

  /** Loading, error or empty: shown instead of rows, outside the grid (a grid may hold only rows). */
  private renderState() {
    const t = this.t;
    const m = this.members;
    if (m.error && !m.items.length) return renderError(m.error, t, () => m.reload());
    if (!m.loaded) return renderLoading(t);
    if (m.items.length) return nothing;
    const f = this.filters;
    return f.q || f.status || f.levelId || f.tag || f.vip ? renderEmpty(t.list.empty, t.list.emptyHint) : renderEmpty(t.list.emptyProgramme);
  }

  private renderRows() {
    const m = this.members;
    if (!m.loaded || !m.items.length) return nothing;
    const ctx = {
      format: this.i18n.format,
      activeIndex: this.activeIndex,
      selectedId: this.selectedId,
      canRemove: this.can('customers:delete'),
      askRemove: (item: CustomerListItem) => this.askRemove(item),
    };
    return html`<div class="rows" role="rowgroup" @rangeChanged=${this.onRangeChanged} @keydown=${this.onRowsKeydown} @click=${this.onRowsClick}>
      ${virtualize({ items: m.items, keyFunction: (item, index) => item?.id ?? `gone-${index}`, renderItem: (item, index) => (item ? renderRow(item, index, ctx) : html``), scroller: true })}
    </div>`;
  }

  private renderFooter() {
    const t = this.t;
    const m = this.members;
    return html`<div class="footer" part="footer">
      <span>${m.loaded ? t.list.loaded(this.i18n.format.number(m.items.length), m.hasMore) : nothing}</span>
      ${m.loading === 'more' ? html`<span class="loading-more" role="status"><span class="spinner" aria-hidden="true"></span>${t.list.loadingMore}</span>` : nothing}
      ${m.error && m.items.length ? renderError(m.error, t, () => m.retryMore()) : nothing}
    </div>`;
  }

  private renderRemoveDialog() {
    const t = this.t;
    const item = this.removing;
    const name = item ? displayName(item) : '';
    return html`<dialog id="remove-member" aria-labelledby="rm-title" aria-describedby="rm-body" part="dialog" @close=${() => (this.removing = null)}>
      <div class="dialog-body">
        <h2 id="rm-title">${t.list.removeTitle(name)}</h2>
        <p id="rm-body" class="muted">${t.list.removeBody}</p>
        ${this.removeError ? html`<p class="field-error" role="alert">${this.removeError}</p>` : nothing}
        <div class="dialog-actions">
          <button type="button" class="btn" @click=${() => this.renderRoot.querySelector<HTMLDialogElement>('#remove-member')?.close()}>${t.common.cancel}</button>
          <button type="button" class="btn danger" ?disabled=${this.busy} @click=${() => this.confirmRemove()}>${t.list.removeConfirm}</button>
        </div>
      </div>
    </dialog>`;
  }

  protected override render() {
    if (!this.client) return this.renderNoProvider();
    const m = this.members;
    const f = this.filters;
    return html`<section class="list" part="list" aria-label=${this.t.list.label}>
      ${this.renderToolbar()}
      <div class="table">
        <div
          class="grid"
          role="grid"
          part="grid"
          aria-label=${this.t.list.label}
          aria-rowcount=${m.hasMore ? -1 : m.items.length + 1}
          aria-busy=${m.loading === 'first' ? 'true' : 'false'}
        >
          ${renderHeaderRow({ format: this.i18n.format, sort: f.sort, searching: Boolean(f.q), setSort: (c) => this.setSort(c) })}
          ${this.renderRows()}
        </div>
        ${this.renderState()}
      </div>
      ${this.renderFooter()} ${this.newMember.render()} ${this.renderRemoveDialog()}
      ${this.announcer.render()}
    </section>`;
  }
}
