/**
 * <customer-history customer-id="…">: everything that happened to a
 * customer, newest first: edits as field: before → after, status, points,
 * levels, orders, notes, merges; who did it and when (relative, the exact
 * time on hover). Filters by type and date range; older events load as the
 * list scrolls; new ones arrive live from the event stream.
 *
 * @csspart card - The whole component
 * @csspart filters - The type and date filters
 * @csspart timeline - The list of events
 * @csspart event - One event
 * @csspart load-more - The button that loads older events
 * @csspart loading - Beside `state`: while loading
 * @csspart empty - Beside `state`: nothing to show
 * @csspart error - Beside `state`: what went wrong, with a retry
 * @csspart state - Loading, error and empty states
 * @cssprop --clientela-history-height - Height of the timeline before it scrolls (default 560px)
 */
import { Task, initialState } from '@lit/task';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ClientelaClient } from '../api/client.ts';
import type { LiveEvent } from '../api/event-stream.ts';
import { listHistory, type HistoryEvent, type HistoryFilter } from '../api/history.ts';
import { listCustomFields } from '../api/reference.ts';
import { Announcer } from '../shared/announcer.ts';
import { renderEmpty, renderError, renderLoading } from '../shared/async-state.ts';
import { ClientelaElement } from '../shared/clientela-element.ts';
import { renderTime } from '../shared/formatting.ts';
import { icon } from '../shared/icons.ts';
import { InfiniteScroll } from '../shared/infinite-scroll.ts';
import { LiveUpdates } from '../shared/live-updates.ts';
import { addNewest } from '../shared/newest-first.ts';
import { PagedQuery } from '../shared/paged-query.ts';
import { styles } from './customer-history.styles.ts';
import { CATEGORIES, categoryOf, describeEvent, iconOf, type Category } from './event-view.ts';

interface Filters {
  category: Category | '';
  from: string;
  to: string;
}

type Query = { client: ClientelaClient; id: string; filter: HistoryFilter };

export class CustomerHistory extends ClientelaElement {
  static override styles = styles;

  /** The customer whose history is shown (their id). */
  @property({ attribute: 'customer-id', reflect: true }) customerId = '';
  /** Events per request (1–200). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  @state() private filters: Filters = { category: '', from: '', to: '' };

  private readonly events = new PagedQuery<Query, HistoryEvent>(this, (q, cursor, signal) => listHistory(q.client, q.id, q.filter, cursor, this.pageSize, signal), 0);

  private readonly announcer = new Announcer(this);
  private readonly customFields = new Task(this, {
    args: () => [this.client] as const,
    task: async ([client]) => (client ? listCustomFields(client).catch(() => []) : initialState),
  });

  constructor() {
    super();
    new InfiniteScroll(this, {
      target: '[part~="load-more"]',
      scroller: '.timeline-scroll',
      length: () => this.events.items.length,
      onEnd: () => this.events.loadMore(),
    });
    new LiveUpdates(this, () => [this.customerId], (event) => this.onLive(event));
  }

  private get rangeError(): boolean {
    const { from, to } = this.filters;
    return Boolean(from && to && from > to);
  }

  private query(): Query | null {
    if (!this.client || !this.customerId || this.rangeError) return null;
    const { category, from, to } = this.filters;
    return { client: this.client, id: this.customerId, filter: { types: category ? CATEGORIES[category] : [], from, to } };
  }

  protected override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('client') || changed.has('customerId') || changed.has('filters')) {
      const query = this.query();
      if (query) this.events.set(query, { immediate: true });
    }
  }

  /** Reads the history again from the newest event. */
  reload() {
    this.events.reload();
  }

  private setFilter(change: Partial<Filters>) {
    this.filters = { ...this.filters, ...change };
  }

  private onLive(event: LiveEvent) {
    if (event.kind === 'reset') this.reload();
    else void this.refreshHead();
  }

  /** Puts events that happened since on top, keeping what was scrolled. */
  private async refreshHead() {
    if (!this.events.loaded) return;
    const before = this.events.items.length;
    try {
      const page = await this.events.peekFirst();
      if (!page) return;
      if (!addNewest(this.events, page)) {
        this.events.reload();
        return;
      }
    } catch {
      this.events.reload();
      return;
    }
    const added = this.events.items.length - before;
    if (added > 0) this.announcer.announce(this.i18n.t.history.newActivity(added));
  }

  private renderFilters() {
    const t = this.i18n.t.history;
    const f = this.filters;
    const filtered = f.category || f.from || f.to;
    return html`<div class="filters" part="filters" role="group" aria-label=${t.filters}>
      <div class="field">
        <label for="ch-type">${t.type}</label>
        <select id="ch-type" @change=${(e: Event) => this.setFilter({ category: (e.target as HTMLSelectElement).value as Category | '' })}>
          <option value="" ?selected=${!f.category}>${t.allTypes}</option>
          ${(Object.keys(CATEGORIES) as Category[]).map((c) => html`<option value=${c} ?selected=${f.category === c}>${t.categories[c]}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="ch-from">${t.from}</label>
        <input
          id="ch-from"
          type="date"
          .value=${f.from}
          max=${f.to || nothing}
          aria-invalid=${this.rangeError ? 'true' : 'false'}
          aria-describedby=${this.rangeError ? 'ch-range-error' : nothing}
          @change=${(e: Event) => this.setFilter({ from: (e.target as HTMLInputElement).value })}
        />
      </div>
      <div class="field">
        <label for="ch-to">${t.to}</label>
        <input id="ch-to" type="date" .value=${f.to} min=${f.from || nothing} @change=${(e: Event) => this.setFilter({ to: (e.target as HTMLInputElement).value })} />
      </div>
      ${filtered
        ? html`<button type="button" class="btn ghost small clear" @click=${() => this.setFilter({ category: '', from: '', to: '' })}>${t.clear}</button>`
        : nothing}
      ${this.rangeError ? html`<p class="field-error range-error" id="ch-range-error" role="alert">${t.badRange}</p>` : nothing}
    </div>`;
  }

  private renderEvent(event: HistoryEvent) {
    const format = this.i18n.format;
    const t = format.t.history;
    const view = describeEvent(event, format, this.customFields.value ?? []);
    return html`<li class="event cat-${categoryOf(event.type)}" part="event" data-type=${event.type}>
      <span class="marker" aria-hidden="true">${icon(iconOf(event.type))}</span>
      <div class="body">
        <p class="summary">${view.summary}</p>
        ${view.details}
        <p class="meta">${event.actor ? t.by(event.actor.name) : t.by(t.system)} · ${renderTime(event.at, format)}</p>
      </div>
    </li>`;
  }

  private renderTimeline() {
    const t = this.i18n.t;
    const list = this.events;
    if (this.rangeError) return nothing;
    if (list.error && !list.items.length) return renderError(list.error, t, () => list.reload());
    if (!list.loaded || list.loading === 'first') return renderLoading(t);
    if (!list.items.length) {
      const f = this.filters;
      return f.category || f.from || f.to ? renderEmpty(t.history.emptyFiltered, t.history.emptyFilteredHint) : renderEmpty(t.history.emptyTimeline);
    }
    return html`<div class="timeline-scroll" role="region" tabindex="0" aria-labelledby="ch-title">
      <ol class="timeline" part="timeline">
        ${list.items.map((event) => this.renderEvent(event))}
      </ol>
      ${list.error
        ? renderError(list.error, t, () => list.retryMore())
        : list.hasMore
          ? html`<button type="button" class="btn ghost more" part="load-more" ?disabled=${list.loading !== 'idle'} @click=${() => list.loadMore()}>
              ${list.loading === 'more' ? t.history.loadingMore : t.history.loadMore}
            </button>`
          : nothing}
    </div>`;
  }

  protected override render() {
    if (!this.client) return this.renderNoProvider();
    const t = this.i18n.t;
    if (!this.customerId) return html`<div class="card placeholder" part="card">${renderEmpty(t.card.noneSelected, t.card.noneSelectedHint)}</div>`;
    return html`<div class="card" part="card" aria-busy=${this.events.loading === 'idle' ? 'false' : 'true'}>
        <header class="header"><h2 id="ch-title">${t.history.title}</h2></header>
        ${this.renderFilters()} ${this.renderTimeline()}
      </div>
      ${this.announcer.render()}`;
  }
}
