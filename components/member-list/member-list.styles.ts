import { css } from 'lit';
import { stateStyles } from '../shared/async-state.ts';
import { badgeStyles, baseStyles, controlStyles, dialogStyles, searchFieldStyles } from '../shared/styles.ts';

const list = css`
  :host {
    display: block;
    height: var(--clientela-list-height, 560px);
    min-height: 320px;
    container-type: inline-size;
  }
  .list {
    display: flex;
    flex-direction: column;
    height: 100%;
    background: var(--clientela-surface);
    border: 1px solid var(--clientela-border);
    border-radius: var(--clientela-radius);
    box-shadow: var(--clientela-shadow);
    overflow: hidden;
  }
  .toolbar {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    align-items: center;
    gap: 10px 12px;
    padding: 14px 16px;
    border-bottom: 1px solid var(--clientela-border);
  }
  .search {
    position: relative;
    min-width: 0;
  }
  .filters {
    grid-column: 1 / -1;
    order: 3;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .filters select,
  .filters .tag-filter {
    width: auto;
    flex: 1 1 130px;
    max-width: 200px;
  }
  .vip-filter {
    padding: 0 6px;
    white-space: nowrap;
    font-weight: 550;
  }
  .table {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
  }
  .grid {
    display: flex;
    flex-direction: column;
    min-height: 0;
    --cols: minmax(160px, 2.3fr) minmax(84px, 0.9fr) minmax(60px, 0.6fr) minmax(136px, 1.2fr) minmax(96px, 0.9fr) 36px;
  }
  .grid:has(.rows) {
    flex: 1;
  }
  .row {
    display: grid;
    grid-template-columns: var(--cols);
    align-items: center;
    width: 100%;
    min-height: 58px;
    padding: 0 8px;
    border-bottom: 1px solid var(--clientela-border);
    cursor: pointer;
    outline: none;
  }
  .row.head {
    min-height: 40px;
    background: var(--clientela-surface-sunken);
    cursor: default;
    font-size: 0.78em;
    font-weight: 700;
    letter-spacing: 0.05em;
    text-transform: uppercase;
    color: var(--clientela-text-muted);
  }
  .rows {
    flex: 1;
    min-height: 0;
    overflow: auto;
  }
  .rows .row:hover {
    background: var(--clientela-surface-hover);
  }
  .rows .row[aria-selected='true'] {
    background: var(--clientela-selected);
    box-shadow: inset 3px 0 0 var(--clientela-accent);
  }
  .rows .row:focus-visible {
    box-shadow: inset 0 0 0 2px var(--clientela-accent);
  }
  .cell {
    display: flex;
    align-items: center;
    gap: 6px;
    min-width: 0;
    padding: 0 8px;
  }
  .cell.num {
    justify-content: flex-end;
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .cell.marks,
  .cell.date {
    white-space: nowrap;
  }
  .cell.actions {
    justify-content: flex-end;
    padding: 0;
  }
  .row:not(:hover):not(:focus-within):not(:focus) .cell.actions .btn {
    opacity: 0.55;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 34px;
    height: 34px;
    flex: none;
    border-radius: 50%;
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
    font-size: 0.82em;
    font-weight: 700;
  }
  .name-text {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .primary-text,
  .secondary-text {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .primary-text {
    font-weight: 600;
  }
  .secondary-text {
    font-size: 0.86em;
    color: var(--clientela-text-muted);
  }
  button.sort {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 4px 6px;
    margin: 0 -6px;
    border: 0;
    border-radius: 6px;
    background: none;
    color: inherit;
    font: inherit;
    letter-spacing: inherit;
    text-transform: inherit;
    cursor: pointer;
  }
  button.sort:hover {
    color: var(--clientela-text);
    background: var(--clientela-surface-hover);
  }
  button.sort.none svg.icon {
    opacity: 0.45;
  }
  button.sort.ascending,
  button.sort.descending {
    color: var(--clientela-accent);
  }
  .num button.sort {
    margin-left: auto;
  }
  .footer {
    display: flex;
    align-items: center;
    gap: 12px;
    min-height: 40px;
    padding: 6px 16px;
    border-top: 1px solid var(--clientela-border);
    color: var(--clientela-text-muted);
    font-size: 0.88em;
  }
  .footer .state.error {
    padding: 6px 10px;
    margin-left: auto;
  }
  .loading-more {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    margin-left: auto;
  }
  .loading-more .spinner {
    width: 14px;
    height: 14px;
  }
  .form-grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
    gap: 14px 16px;
  }
  @container (max-width: 700px) {
    .grid {
      --cols: minmax(170px, 2.6fr) minmax(84px, 0.9fr) minmax(60px, 0.6fr) minmax(128px, 1fr) 0 36px;
    }
    .row > .cell:nth-child(5) {
      visibility: hidden;
      padding: 0;
      overflow: hidden;
    }
  }
  @container (max-width: 580px) {
    .grid {
      --cols: minmax(160px, 1fr) 0 minmax(64px, auto) minmax(90px, auto) 0 40px;
    }
    .row > .cell:nth-child(2),
    .row > .cell:nth-child(5) {
      visibility: hidden;
      padding: 0;
      overflow: hidden;
    }
  }
`;

export const styles = [baseStyles, controlStyles, badgeStyles, dialogStyles, stateStyles, searchFieldStyles, list];
