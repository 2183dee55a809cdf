/**
 * <customer-insights customer-id="…">: how a customer buys and uses the
 * programme, computed by the server from orders, items and the ledger:
 * metric tiles, the top categories, spend per month and points earned and
 * spent per month. Each chart has its data table behind it: screen readers
 * read the table, and a button shows it on screen instead of the chart. One
 * date range filters everything; the figures follow live changes.
 *
 * The charts' library (uPlot) is loaded the first time a chart is drawn.
 *
 * @csspart card - The whole component
 * @csspart filters - The date range
 * @csspart metrics - The metric tiles
 * @csspart chart - Each chart's panel (categories, spend, points)
 * @csspart loading - Beside `state`: while loading
 * @csspart empty - Beside `state`: nothing to show
 * @csspart error - Beside `state`: what went wrong, with a retry
 * @csspart state - Loading, error and empty states
 * @cssprop --clientela-chart-1 - Spend bars and the first category (default: the accent colour)
 * @cssprop --clientela-chart-2 - Points earned (default: the success text colour)
 * @cssprop --clientela-chart-3 - Points spent (default: the warning text colour)
 */
import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { getInsights, type DayRange, type Insights } from '../api/purchases.ts';
import { renderAsync, renderEmpty } from '../shared/async-state.ts';
import { ClientelaElement } from '../shared/clientela-element.ts';
import { LiveUpdates } from '../shared/live-updates.ts';
import { BarChart } from './bar-chart.ts';
import { styles } from './customer-insights.styles.ts';
import { compactMoney, compactNumber, monthLabel, renderCategoryBars, renderTable, renderTiles } from './insights-views.ts';

type Panel = 'categories' | 'spend' | 'points';

export class CustomerInsights extends ClientelaElement {
  static override styles = styles;

  /** The customer whose figures are shown (their id). */
  @property({ attribute: 'customer-id', reflect: true }) customerId = '';

  @state() private range: DayRange = { from: '', to: '' };
  @state() private tablesShown: ReadonlySet<Panel> = new Set();

  private readonly spendChart = new BarChart(this);
  private readonly pointsChart = new BarChart(this);
  /** What the charts show now: drawn again only when one of these changes (a reload mid-draw renders new chart elements). */
  private drawn: { value: Insights; locale: string; tables: ReadonlySet<Panel>; spend: Element | null; points: Element | null } | null = null;

  private readonly insights = new Task(this, {
    args: () => [this.client, this.customerId, this.range.from, this.range.to, this.rangeError] as const,
    task: async ([client, id, from, to, rangeError], { signal }) => (client && id && !rangeError ? getInsights(client, id, { from, to }, signal) : initialState),
  });

  constructor() {
    super();
    new LiveUpdates(this, () => [this.customerId], () => void this.insights.run());
  }

  private get rangeError(): boolean {
    return Boolean(this.range.from && this.range.to && this.range.from > this.range.to);
  }

  /** Fetches the figures again. */
  reload() {
    void this.insights.run();
  }

  private setRange(change: Partial<DayRange>) {
    this.range = { ...this.range, ...change };
  }

  private toggleTable(panel: Panel) {
    const next = new Set(this.tablesShown);
    if (!next.delete(panel)) next.add(panel);
    this.tablesShown = next;
  }

  override updated() {
    const value = this.insights.value;
    const locale = this.i18n.locale;
    const spend = this.renderRoot.querySelector<HTMLElement>('#ci-spend-chart');
    const points = this.renderRoot.querySelector<HTMLElement>('#ci-points-chart');
    const d = this.drawn;
    if (!value || (d?.value === value && d.locale === locale && d.tables === this.tablesShown && d.spend === spend && d.points === points)) return;
    this.drawn = { value, locale, tables: this.tablesShown, spend, points };
    const format = this.i18n.format;
    const t = format.t.insights;
    const labels = value.monthly.map((m) => monthLabel(m.month, format, 'short'));
    if (spend) {
      void this.spendChart.draw(spend, {
        labels,
        series: [{ label: t.series.spent, values: value.monthly.map((m) => m.spent), color: ['--clientela-chart-1', '--clientela-accent'] }],
        tick: (v) => compactMoney(v, value.currency, format),
      });
    } else this.spendChart.clear();
    if (points) {
      void this.pointsChart.draw(points, {
        labels,
        series: [
          { label: t.series.earned, values: value.monthly.map((m) => m.pointsEarned), color: ['--clientela-chart-2', '--clientela-success-text'] },
          { label: t.series.redeemed, values: value.monthly.map((m) => -m.pointsSpent), color: ['--clientela-chart-3', '--clientela-warning-text'] },
        ],
        tick: (v) => compactNumber(Math.abs(v), format),
      });
    } else this.pointsChart.clear();
  }

  private renderRange() {
    const t = this.i18n.t.insights;
    const { from, to } = this.range;
    return html`<div class="filters" part="filters" role="group" aria-label=${t.period}>
      <div class="field">
        <label for="ci-from">${t.from}</label>
        <input
          id="ci-from"
          type="date"
          .value=${from}
          max=${to || nothing}
          aria-invalid=${this.rangeError ? 'true' : 'false'}
          aria-describedby=${this.rangeError ? 'ci-range-error' : nothing}
          @change=${(e: Event) => this.setRange({ from: (e.target as HTMLInputElement).value })}
        />
      </div>
      <div class="field">
        <label for="ci-to">${t.to}</label>
        <input id="ci-to" type="date" .value=${to} min=${from || nothing} @change=${(e: Event) => this.setRange({ to: (e.target as HTMLInputElement).value })} />
      </div>
      ${from || to ? html`<button type="button" class="btn ghost small clear" @click=${() => this.setRange({ from: '', to: '' })}>${t.allTime}</button>` : nothing}
      ${this.rangeError ? html`<p class="field-error range-error" id="ci-range-error" role="alert">${t.badRange}</p>` : nothing}
    </div>`;
  }

  private renderPanel(panel: Panel, title: string, summary: string, visual: unknown, table: { columns: string[]; rows: Array<Array<string | number>> }) {
    const t = this.i18n.t.insights;
    const shown = this.tablesShown.has(panel);
    return html`<section class="panel panel-${panel}" part="chart">
      <div class="panel-head">
        <h3 id="ci-${panel}-title">${title}</h3>
        <button type="button" class="btn ghost small" data-table=${panel} aria-controls="ci-${panel}-table" @click=${() => this.toggleTable(panel)}>
          ${shown ? t.showChart : t.showTable}
        </button>
      </div>
      <p class="summary">${summary}</p>
      <div class="visual" ?hidden=${shown}>${visual}</div>
      ${renderTable({ id: `ci-${panel}-table`, caption: title, visible: shown, ...table })}
    </section>`;
  }

  private renderFigures(value: Insights) {
    const format = this.i18n.format;
    const t = format.t.insights;
    const c = t.columns;
    const money = (v: number) => format.money(v, value.currency);
    const months = value.monthly;
    const best = months.reduce((a, m) => (m.spent > a.spent ? m : a), months[0] ?? { month: '', spent: 0 });
    const earned = months.reduce((s, m) => s + m.pointsEarned, 0);
    const spent = months.reduce((s, m) => s + m.pointsSpent, 0);
    const others = value.otherCurrencies.map((o) => `${format.number(o.orders)} × ${o.currency}: ${format.money(o.spent, o.currency)}`);
    const chart = (id: string) => html`<div class="chart" id=${id} aria-hidden="true"></div>`;
    return html`${renderTiles(value, format)}
      ${others.length ? html`<p class="note">${t.otherCurrencies(format.list(others))}</p>` : nothing}
      <div class="panels">
        ${value.categories.length
          ? this.renderPanel(
              'categories',
              t.categoriesTitle,
              t.categoriesSummary(value.categories.length, value.categories[0].category ?? t.noCategory),
              renderCategoryBars(value, format),
              {
                columns: [c.category, c.orders, c.quantity, c.spent],
                rows: value.categories.map((cat) => [cat.category ?? t.noCategory, format.number(cat.orders), format.number(cat.quantity), money(cat.spent)]),
              },
            )
          : nothing}
        ${value.metrics.ordersCount
          ? this.renderPanel('spend', t.spendTitle, t.spendSummary(months.length, money(value.metrics.totalSpent), money(best.spent), monthLabel(best.month, format, 'long')), chart('ci-spend-chart'), {
              columns: [c.month, c.orders, c.spent],
              rows: months.map((m) => [monthLabel(m.month, format, 'long'), format.number(m.orders), money(m.spent)]),
            })
          : nothing}
        ${earned || spent
          ? this.renderPanel('points', t.pointsTitle, t.pointsSummary(months.length, format.number(earned), format.number(spent)), chart('ci-points-chart'), {
              columns: [c.month, c.earned, c.redeemed],
              rows: months.map((m) => [monthLabel(m.month, format, 'long'), format.number(m.pointsEarned), format.number(m.pointsSpent)]),
            })
          : nothing}
      </div>`;
  }

  protected override render() {
    if (!this.client) return this.renderNoProvider();
    const t = this.i18n.t;
    if (!this.customerId) return html`<div class="card placeholder" part="card">${renderEmpty(t.card.noneSelected, t.card.noneSelectedHint)}</div>`;
    const filtered = Boolean(this.range.from || this.range.to);
    return html`<div class="card" part="card" aria-busy=${this.insights.status === TaskStatus.PENDING ? 'true' : 'false'}>
      <header class="header"><h2 id="ci-title">${t.insights.title}</h2>${this.renderRange()}</header>
      <div class="body">
        ${this.rangeError
          ? nothing
          : renderAsync(this.insights, t, {
              isEmpty: (v) => !v.metrics.ordersCount && !v.monthly.length && !v.otherCurrencies.length,
              empty: () => (filtered ? renderEmpty(t.insights.empty, t.insights.emptyHint) : renderEmpty(t.insights.emptyAll)),
              complete: (v) => this.renderFigures(v),
            })}
      </div>
    </div>`;
  }
}
