/**
 * <points-manager customer-id="…">: a member's balance, lifetime points and
 * level with the progress to the next one; add or deduct with a reason;
 * a level set by hand (locked) or automatic; the ledger, newest first,
 * loaded as it scrolls. Follows the live event stream, so changes made
 * elsewhere (another component, another admin, an order) show at once.
 *
 * @fires points-changed - Points were added or deducted here.
 * @fires customer-saved - The level was set by hand or returned to automatic.
 * @csspart card - The whole component
 * @csspart figures - Balance, lifetime points and level
 * @csspart progress - The progress to the next level
 * @csspart adjust-form - The add or deduct form
 * @csspart adjust-button - Its submit button
 * @csspart level-panel - The manual level controls
 * @csspart lock-button - Assign and lock a level
 * @csspart unlock-button - Return to automatic progression
 * @csspart ledger - The ledger section
 * @csspart ledger-scroll - The ledger's scrolling area
 * @csspart ledger-row - One ledger entry
 * @csspart load-more - The button that loads older entries
 * @csspart loading - Beside `state`: while loading
 * @csspart empty - Beside `state`: nothing to show
 * @csspart error - Beside `state`: what went wrong, with a retry
 * @csspart state - Loading, error and empty states
 * @cssprop --clientela-ledger-height - Height of the ledger before it scrolls (default 420px)
 */
import { Task, initialState } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { pointsBlocked } from '../../server/contract/limits.ts';
import type { ClientelaClient } from '../api/client.ts';
import { getCustomer, type CustomerRecord } from '../api/customers.ts';
import type { LiveEvent } from '../api/event-stream.ts';
import { listLedger, type LedgerEntry, type PointsChange, type PointsChangeResult } from '../api/points.ts';
import { listLevels, type Level } from '../api/reference.ts';
import type { Customer } from '../api/types.ts';
import { levelChip } from '../customer-card/card-header.ts';
import { CustomerSavedEvent, PointsChangedEvent } from '../events.ts';
import { Announcer } from '../shared/announcer.ts';
import { renderAsync, renderEmpty } from '../shared/async-state.ts';
import { ClientelaElement } from '../shared/clientela-element.ts';
import { InfiniteScroll } from '../shared/infinite-scroll.ts';
import { LiveUpdates } from '../shared/live-updates.ts';
import { addNewest } from '../shared/newest-first.ts';
import { PagedQuery } from '../shared/paged-query.ts';
import { LevelPanel } from './level-panel.ts';
import { renderLedger } from './ledger-table.ts';
import { PointsForm } from './points-form.ts';
import { styles } from './points-manager.styles.ts';

/** What one read of the member's standing brings. */
interface Standing {
  customer: Customer;
  levels: Level[];
}

export class PointsManager extends ClientelaElement {
  static override styles = styles;

  /** The customer whose points are shown (their id). */
  @property({ attribute: 'customer-id', reflect: true }) customerId = '';
  /** Ledger entries per request (1–200). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  /** The member on screen: the last read, or the answer of a change made here since. */
  @state() private customer: Customer = null as unknown as Customer;
  /** The read whose customer is on screen. */
  private shownStanding: Standing | undefined;

  private readonly standing = new Task(this, {
    args: () => [this.client, this.customerId] as const,
    task: async ([client, id]: readonly [ClientelaClient | undefined, string], { signal }): Promise<Standing | typeof initialState> => {
      if (!client || !id) return initialState;
      const [record, levels] = await Promise.all([getCustomer(client, id, signal), listLevels(client).catch(() => [])]);
      return { customer: record.customer, levels };
    },
  });

  private readonly announcer = new Announcer(this);
  private readonly form = new PointsForm(this, {
    customer: () => this.customer,
    onChanged: (result, change) => this.pointsChanged(result, change),
  });
  private readonly levelPanel = new LevelPanel(this, {
    customer: () => this.customer,
    levels: () => this.levels,
    onChanged: (record) => this.levelChanged(record),
  });

  private readonly ledger = new PagedQuery<{ client: ClientelaClient; id: string }, LedgerEntry>(
    this,
    (q, cursor, signal) => listLedger(q.client, q.id, cursor, this.pageSize, signal),
    0,
  );

  constructor() {
    super();
    new InfiniteScroll(this, {
      target: '[part~="load-more"]',
      scroller: '.ledger-scroll',
      length: () => this.ledger.items.length,
      onEnd: () => this.ledger.loadMore(),
    });
    new LiveUpdates(this, () => [this.customerId], (event) => this.onLive(event));
  }

  /** Reads the standing and the ledger again from the server. */
  reload() {
    this.ledger.reload();
    return this.standing.run();
  }

  private get format() {
    return this.i18n.format;
  }
  private get levels(): Level[] {
    return this.shownStanding?.levels ?? [];
  }

  protected override willUpdate(changed: PropertyValues) {
    super.willUpdate(changed);
    if ((changed.has('client') || changed.has('customerId')) && this.client && this.customerId) {
      this.ledger.set({ client: this.client, id: this.customerId }, { immediate: true });
    }
    const read = this.standing.value;
    if (read && read !== this.shownStanding) {
      this.shownStanding = read;
      this.customer = read.customer;
    }
  }

  private onLive(event: LiveEvent) {
    if (event.kind === 'reset') {
      void this.reload();
      return;
    }
    // Notes and dismissals carry no version: they never move points or levels.
    if (event.version === null || (this.customer && event.version <= this.customer.version)) return;
    void this.standing.run();
    void this.refreshLedgerHead();
  }

  /** Puts entries written elsewhere on top of the ledger, keeping what was scrolled. */
  private async refreshLedgerHead() {
    if (!this.ledger.loaded) return;
    try {
      const page = await this.ledger.peekFirst();
      if (page && !addNewest(this.ledger, page)) this.ledger.reload();
    } catch {
      this.ledger.reload();
    }
  }

  private pointsChanged(result: PointsChangeResult, change: PointsChange) {
    const c = this.customer;
    this.customer = {
      ...c,
      points: result.balance,
      lifetimePoints: result.lifetimePoints,
      level: result.level,
      levelId: result.level?.id ?? null,
      version: result.version,
    };
    if (!this.ledger.items.some((e) => e.id === result.entry.id)) this.ledger.prepend(result.entry);
    const t = this.i18n.t.points;
    const amount = this.format.number(Math.abs(change.delta));
    const balance = this.format.number(result.balance);
    this.announcer.announce(change.delta > 0 ? t.added(amount, balance) : t.deducted(amount, balance));
    this.dispatchEvent(
      new PointsChangedEvent({ customerId: c.id, delta: result.entry.delta, balance: result.balance, lifetimePoints: result.lifetimePoints }),
    );
  }

  private levelChanged(record: CustomerRecord) {
    this.customer = record.customer;
    const t = this.i18n.t.points;
    this.announcer.announce(record.customer.levelLocked && record.customer.level ? t.levelSet(record.customer.level.name) : t.levelUnlocked);
    this.dispatchEvent(new CustomerSavedEvent({ customer: record.customer, changed: ['levelId', 'levelLocked'] }));
  }

  private renderFigures() {
    const c = this.customer;
    const format = this.format;
    const t = format.t.points;
    return html`<dl class="figures" part="figures">
      <div class="figure balance">
        <dt>${t.balance}</dt>
        <dd><span class="big">${format.number(c.points)}</span> <span class="unit">${t.unit}</span></dd>
      </div>
      <div class="figure">
        <dt>${t.lifetime}</dt>
        <dd>${format.number(c.lifetimePoints)}</dd>
      </div>
      <div class="figure">
        <dt>${t.level}</dt>
        <dd>${c.level ? levelChip(c.level, c.levelLocked, t.levelManual) : html`<span class="muted">${t.noLevel}</span>`}</dd>
      </div>
    </dl>`;
  }

  private renderManager() {
    const t = this.i18n.t.points;
    const blocked = pointsBlocked(this.customer.status);
    return html`<section class="card" part="card" aria-labelledby="pm-title" aria-busy=${this.form.busy || this.levelPanel.busy ? 'true' : 'false'}>
      <header class="header">
        <h2 id="pm-title">${t.title}</h2>
      </header>
      ${this.renderFigures()} ${this.levelPanel.renderProgress()}
      <div class="tools">
        ${this.can('points:write') ? this.form.render(blocked) : html`<p class="note read-only">${t.readOnly}</p>`} ${this.levelPanel.render(blocked)}
      </div>
      <div class="ledger" part="ledger">${renderLedger(this.ledger, this.format)}</div>
    </section>`;
  }

  protected override render() {
    if (!this.client) return this.renderNoProvider();
    const t = this.i18n.t;
    if (!this.customerId) return html`<div class="card placeholder" part="card">${renderEmpty(t.card.noneSelected, t.card.noneSelectedHint)}</div>`;
    return html`${renderAsync(this.standing, t, { complete: () => (this.customer ? this.renderManager() : nothing) })}
      ${this.announcer.render()}`;
  }
}
