import { css } from 'lit';
import { stateStyles } from '../shared/async-state.ts';
import { panelStyles } from '../shared/panel-styles.ts';
import { badgeStyles, baseStyles, controlStyles } from '../shared/styles.ts';

/** The order statuses as badges: refunded and cancelled warn, in progress is accent. */
const statusBadges = css`
  .badge.status-completed {
    background: var(--clientela-success-soft);
    color: var(--clientela-success-text);
  }
  .badge.status-pending,
  .badge.status-processing {
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
  }
  .badge.status-refunded,
  .badge.status-cancelled {
    background: var(--clientela-warning-soft);
    color: var(--clientela-warning-text);
  }
`;

const orders = css`
  .header .filters {
    display: flex;
    gap: 10px;
  }
  .filters .field {
    min-width: 170px;
  }
  .orders-scroll {
    max-height: var(--clientela-orders-height, 560px);
    overflow: auto;
    padding: 0 24px 16px;
    border-top: 1px solid var(--clientela-border);
  }
  .orders {
    list-style: none;
  }
  .order + .order {
    border-top: 1px solid var(--clientela-border);
  }
  .order-head {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto auto;
    grid-template-areas: 'toggle status total' 'toggle points points';
    align-items: center;
    gap: 2px 14px;
    padding: 10px 0;
  }
  .toggle {
    grid-area: toggle;
    display: grid;
    grid-template-columns: 20px minmax(0, 1fr);
    column-gap: 8px;
    align-items: center;
    min-width: 0;
    padding: 6px 8px 6px 4px;
    margin-left: -4px;
    border: 0;
    border-radius: var(--clientela-radius-small);
    background: transparent;
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }
  .toggle:hover {
    background: var(--clientela-surface-hover);
  }
  .toggle:focus-visible {
    outline: none;
    box-shadow: 0 0 0 3px var(--clientela-focus);
  }
  .chevron {
    grid-row: span 2;
    display: grid;
    place-items: center;
    color: var(--clientela-text-muted);
  }
  .ref {
    font-weight: 650;
    overflow-wrap: anywhere;
  }
  .when {
    font-size: 0.88em;
  }
  .order-status {
    grid-area: status;
    justify-self: end;
  }
  .total {
    grid-area: total;
    justify-self: end;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .undone .total {
    color: var(--clientela-text-muted);
    text-decoration: line-through;
    text-decoration-color: color-mix(in srgb, currentColor 55%, transparent);
  }
  .points {
    grid-area: points;
    justify-self: end;
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 2px 10px;
    font-size: 0.86em;
    font-variant-numeric: tabular-nums;
  }
  .earned {
    color: var(--clientela-success-text);
    font-weight: 600;
  }
  .reversed,
  .unrecovered {
    color: var(--clientela-warning-text);
  }
  .undone .earned {
    text-decoration: line-through;
  }
  .items {
    padding: 0 0 14px 28px;
  }
  .no-items {
    font-size: 0.92em;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: 0.94em;
  }
  th {
    padding: 6px 10px;
    background: var(--clientela-surface-sunken);
    border-bottom: 1px solid var(--clientela-border);
    font-size: 0.86em;
    font-weight: 650;
    color: var(--clientela-text-muted);
    text-align: left;
  }
  td {
    padding: 7px 10px;
    border-bottom: 1px solid var(--clientela-border);
    vertical-align: top;
  }
  .num {
    text-align: right;
    white-space: nowrap;
  }
  .product {
    overflow-wrap: anywhere;
  }
  .sku {
    font-size: 0.88em;
    white-space: nowrap;
  }
  /* A narrow panel: the summary stacks, and item rows become label: value blocks instead of clipped columns. */
  @container (max-width: 520px) {
    .orders-scroll {
      padding: 0 16px 12px;
    }
    .header .filters,
    .filters .field {
      width: 100%;
    }
    .order-head {
      grid-template-columns: minmax(0, 1fr) auto;
      grid-template-areas: 'toggle toggle' 'status total' 'points points';
      gap: 6px 10px;
    }
    .order-status {
      justify-self: start;
      margin-left: 28px;
    }
    .points {
      justify-self: start;
      justify-content: flex-start;
      margin-left: 28px;
    }
    .items {
      padding-left: 0;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
    table,
    tbody,
    tr,
    td {
      display: block;
    }
    tr {
      padding: 6px 10px;
      border-bottom: 1px solid var(--clientela-border);
    }
    td {
      display: flex;
      justify-content: space-between;
      gap: 12px;
      padding: 2px 0;
      border: 0;
      text-align: right;
    }
    td::before {
      content: attr(data-label);
      color: var(--clientela-text-muted);
      font-weight: 600;
      text-align: left;
    }
  }
`;

export const styles = [baseStyles, controlStyles, badgeStyles, stateStyles, panelStyles, statusBadges, orders];
