/**
 * The pieces of <customer-insights> that only render: the metric tiles, the
 * top categories as bars, and the data table behind every chart.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Insights } from '../api/purchases.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { styleProperties } from '../shared/style-properties.ts';

/** Month names through Intl: "mar 26" on an axis, "marzo de 2026" in a table. */
export function monthLabel(month: string, format: Formatter, style: 'short' | 'long'): string {
  const at = new Date(`${month}-01T12:00:00Z`);
  const options: Intl.DateTimeFormatOptions =
    style === 'short' ? { month: 'short', year: '2-digit', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(format.locale, options).format(at);
}

/** Money without cents, short ("1,2 mil €"), for axes. */
export function compactMoney(minor: number, currency: string, format: Formatter): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(format.locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(minor / 10 ** digits);
}

export function compactNumber(value: number, format: Formatter): string {
  return new Intl.NumberFormat(format.locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function renderTiles(insights: Insights, format: Formatter) {
  const t = format.t.insights;
  const m = insights.metrics;
  const money = (v: number) => format.money(v, insights.currency);
  const day = (v: string | null) => (v ? format.date(v) : t.never);
  const tiles: Array<[string, string, string]> = [
    ['orders-count', t.tiles.ordersCount, format.number(m.ordersCount)],
    ['total-spent', t.tiles.totalSpent, money(m.totalSpent)],
    ['average-order', t.tiles.averageOrder, money(m.averageOrder)],
    ['first-order', t.tiles.firstOrderAt, day(m.firstOrderAt)],
    ['last-order', t.tiles.lastOrderAt, day(m.lastOrderAt)],
  ];
  if (m.lastInteractionAt) tiles.push(['last-interaction', t.tiles.lastInteractionAt, day(m.lastInteractionAt)]);
  return html`<dl class="tiles" part="metrics">
    ${tiles.map(([key, label, value]) => html`<div class="tile" data-metric=${key}><dt>${label}</dt><dd>${value}</dd></div>`)}
  </dl>`;
}

/** The categories as horizontal bars (for the eye; the table beside them is for everyone). */
export function renderCategoryBars(insights: Insights, format: Formatter) {
  const t = format.t.insights;
  const top = Math.max(1, ...insights.categories.map((c) => c.spent));
  return html`<ol class="category-bars" aria-hidden="true">
    ${insights.categories.map(
      (c) => html`<li class="category-bar">
        <span class="category-name">${c.category ?? t.noCategory}</span>
        <span class="bar-track"><span class="bar-fill" ${styleProperties({ width: `${Math.max(2, (c.spent / top) * 100)}%` })}></span></span>
        <span class="category-value">${format.money(c.spent, insights.currency)}</span>
      </li>`,
    )}
  </ol>`;
}

export interface TableSpec {
  id: string;
  caption: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  /** Shown on screen (the person asked for the table), else only to screen readers. */
  visible: boolean;
}

export function renderTable(spec: TableSpec): TemplateResult {
  // On screen the table may scroll: a keyboard then reaches it as a named region.
  return html`<div
    class="data-table ${spec.visible ? '' : 'visually-hidden'}"
    id=${spec.id}
    role=${spec.visible ? 'region' : nothing}
    tabindex=${spec.visible ? '0' : nothing}
    aria-label=${spec.visible ? spec.caption : nothing}
  >
    <table>
      <caption>${spec.caption}</caption>
      <thead>
        <tr>${spec.columns.map((c, i) => html`<th scope="col" class=${i ? 'num' : nothing}>${c}</th>`)}</tr>
      </thead>
      <tbody>
        ${spec.rows.map(
          (row) => html`<tr>${row.map((cell, i) =>
            i ? html`<td class="num" data-label=${spec.columns[i]}>${cell}</td>` : html`<th scope="row" data-label=${spec.columns[0]}>${cell}</th>`,
          )}</tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
