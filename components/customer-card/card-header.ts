/** The card's header (who, marks, status actions) and its strip of figures. */
import { html, nothing } from 'lit';
import { displayName, initials } from '../api/customers.ts';
import type { Customer } from '../api/types.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { icon } from '../shared/icons.ts';
import { styleProperties } from '../shared/style-properties.ts';

export type StatusAction = 'deactivate' | 'disable' | 'reactivate' | 'remove';

/** What the header shows and what its buttons ask for, given by the card at each render. */
export interface HeaderProps {
  customer: Customer;
  format: Formatter;
  editing: boolean;
  canEdit: boolean;
  canRemove: boolean;
  busy: boolean;
  startEditing(): void;
  cancelEditing(): void;
  askStatus(action: StatusAction): void;
}

/** Which status actions make sense from a status. */
export function actionsFor(status: Customer['status']): StatusAction[] {
  switch (status) {
    case 'active':
      return ['deactivate', 'disable', 'remove'];
    case 'inactive':
      return ['reactivate', 'disable', 'remove'];
    case 'disabled':
      return ['reactivate', 'remove'];
    default:
      return ['reactivate'];
  }
}

export function levelChip(level: Customer['level'], locked = false, lockedLabel = '') {
  if (!level) return nothing;
  return html`<span class="level-chip" part="level">
    <span class="swatch" ${styleProperties({ background: level.color ?? 'var(--clientela-border-strong)' })}></span>${level.name}${locked
      ? html`<span class="muted">(${lockedLabel})</span>`
      : nothing}
  </span>`;
}

export function renderHeader(props: HeaderProps) {
  const { customer: c, format } = props;
  const t = format.t;
  // Removing, and bringing back a member who is disabled (blocked for good) or removed, need customers:delete.
  const final = c.status === 'disabled' || c.status === 'removed';
  const actions = actionsFor(c.status).filter((a) => (a === 'remove' || (a === 'reactivate' && final) ? props.canRemove : props.canEdit));
  return html`<header class="header" part="header">
    <div class="avatar" aria-hidden="true">${initials(c)}</div>
    <div class="who">
      <div class="title-row">
        <h2 id="card-title">${displayName(c)}</h2>
        <span class="number">${t.card.number(c.number)}</span>
      </div>
      <div class="marks">
        <span class="badge status-${c.status}" part="status">${t.status[c.status]}</span>
        ${c.vip ? html`<span class="badge vip" title=${t.marks.vipLong}>${icon('star')}${t.marks.vip}</span>` : nothing}
        ${c.bad ? html`<span class="badge bad" title=${t.marks.badLong}>${icon('flag')}${t.marks.bad}</span>` : nothing}
        ${levelChip(c.level, c.levelLocked, t.card.levelLocked)}
        <span class="muted since">${t.card.memberSince(format.date(c.registeredAt))}</span>
      </div>
    </div>
    <div class="header-actions" role="group" aria-label=${t.card.actions}>
      ${props.canEdit && !props.editing
        ? html`<button type="button" class="btn primary" part="edit-button" @click=${() => props.startEditing()}>${icon('pencil')}${t.common.edit}</button>`
        : nothing}
      ${props.editing
        ? html`<button type="button" class="btn" @click=${() => props.cancelEditing()}>${t.common.cancel}</button>
            <button type="submit" form="profile-form" class="btn primary" ?disabled=${props.busy}>${props.busy ? t.common.saving : t.common.save}</button>`
        : actions.map(
            (action) => html`<button type="button" class="btn ${action === 'remove' ? 'danger-outline' : ''}" data-action=${action} @click=${() => props.askStatus(action)}>
              ${t.statusActions[action]}
            </button>`,
          )}
    </div>
  </header>`;
}

export function renderMetrics(c: Customer, format: Formatter) {
  const t = format.t;
  const tiles = [
    [t.fields.points, format.number(c.points)],
    [t.fields.lifetimePoints, format.number(c.lifetimePoints)],
    [t.card.metrics.ordersCount, format.number(c.metrics.ordersCount)],
    [t.card.metrics.totalSpent, format.money(c.metrics.totalSpent)],
    [t.card.metrics.averageOrder, format.money(c.metrics.averageOrder)],
    [t.card.metrics.lastOrderAt, c.metrics.lastOrderAt ? format.date(c.metrics.lastOrderAt) : t.card.metrics.never],
  ] as const;
  return html`<dl class="metrics" part="metrics">
    ${tiles.map(([label, value]) => html`<div class="metric"><dt>${label}</dt><dd>${value}</dd></div>`)}
  </dl>`;
}
