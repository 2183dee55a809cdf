/** One member as a grid row, and the header row with its sortable columns. */
import { html, nothing } from 'lit';
import { displayName, initials, type CustomerListItem } from '../api/customers.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { levelChip } from '../customer-card/card-header.ts';
import { icon } from '../shared/icons.ts';

export const SORTABLE = ['name', 'level', 'points', 'status', 'registeredAt'] as const;
export type SortColumn = (typeof SORTABLE)[number];
type Column = 'name' | 'level' | 'points' | 'status' | 'registeredAt' | 'actions';
const COLUMNS: Column[] = ['name', 'level', 'points', 'status', 'registeredAt', 'actions'];

export interface RowContext {
  format: Formatter;
  activeIndex: number;
  selectedId: string | null;
  canRemove: boolean;
  askRemove(item: CustomerListItem): void;
}

export function renderRow(item: CustomerListItem, index: number, ctx: RowContext) {
  const { format } = ctx;
  const t = format.t;
  const name = displayName(item);
  const focusable = index === ctx.activeIndex ? 0 : -1;
  const subtitle = [t.card.number(item.number), item.email ?? item.phones[0]?.number].filter(Boolean).join(' · ');
  return html`<div
    class="row"
    role="row"
    part="row"
    data-index=${index}
    data-id=${item.id}
    aria-rowindex=${index + 2}
    aria-selected=${item.id === ctx.selectedId ? 'true' : 'false'}
    tabindex=${focusable}
  >
    <div role="gridcell" class="cell name">
      <span class="avatar" aria-hidden="true">${initials(item)}</span>
      <span class="name-text">
        <span class="primary-text">${name}</span>
        <span class="secondary-text">${subtitle}</span>
      </span>
    </div>
    <div role="gridcell" class="cell">${item.level ? levelChip(item.level) : html`<span class="muted">${t.common.none}</span>`}</div>
    <div role="gridcell" class="cell num">${format.number(item.points)}</div>
    <div role="gridcell" class="cell marks">
      <span class="badge status-${item.status}">${t.status[item.status]}</span>
      ${item.vip ? html`<span class="badge vip" title=${t.marks.vipLong}>${t.marks.vip}</span>` : nothing}
      ${item.bad ? html`<span class="badge bad" title=${t.marks.badLong}>${icon('flag')}<span class="visually-hidden">${t.marks.bad}</span></span>` : nothing}
    </div>
    <div role="gridcell" class="cell date muted">${format.date(item.registeredAt)}</div>
    <div role="gridcell" class="cell actions">
      ${ctx.canRemove && item.status !== 'removed'
        ? html`<button
            type="button"
            class="btn ghost icon-only small"
            tabindex=${focusable}
            aria-label=${t.list.remove(name)}
            title=${t.list.remove(name)}
            @click=${(e: Event) => {
              e.stopPropagation();
              ctx.askRemove(item);
            }}
          >
            ${icon('trash')}
          </button>`
        : nothing}
    </div>
  </div>`;
}

export interface HeaderContext {
  format: Formatter;
  sort: string;
  searching: boolean;
  setSort(column: SortColumn): void;
}

function direction(column: Column, ctx: HeaderContext): 'ascending' | 'descending' | 'none' {
  const effective = ctx.sort || (ctx.searching ? '' : '-registeredAt');
  if (effective === column) return 'ascending';
  if (effective === `-${column}`) return 'descending';
  return 'none';
}

export function renderHeaderRow(ctx: HeaderContext) {
  const t = ctx.format.t;
  return html`<div class="row head" role="row" aria-rowindex="1" part="header-row">
    ${COLUMNS.map((column) => {
      const label = t.list.columns[column];
      const sortable = (SORTABLE as readonly string[]).includes(column);
      const sort = direction(column, ctx);
      const numeric = column === 'points';
      return html`<div role="columnheader" class="cell ${numeric ? 'num' : ''}" aria-sort=${sortable ? sort : nothing}>
        ${sortable
          ? html`<button type="button" class="sort ${sort}" @click=${() => ctx.setSort(column as SortColumn)} title=${t.list.sortBy(label)}>
              ${label} ${icon(sort === 'ascending' ? 'up' : sort === 'descending' ? 'down' : 'sort')}
            </button>`
          : column === 'actions'
            ? html`<span class="visually-hidden">${label}</span>`
            : label}
      </div>`;
    })}
  </div>`;
}
