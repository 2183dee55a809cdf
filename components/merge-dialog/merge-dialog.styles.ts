import { css } from 'lit';
import { stateStyles } from '../shared/async-state.ts';
import { panelStyles } from '../shared/panel-styles.ts';
import { badgeStyles, baseStyles, controlStyles, dialogStyles, searchFieldStyles } from '../shared/styles.ts';

const merge = css`
  :host {
    display: contents;
  }
  dialog {
    width: min(880px, calc(100vw - 32px));
  }
  .dialog-body {
    gap: 18px;
  }
  .dialog-head {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: 12px;
  }
  .dialog-head h2 {
    font-size: 1.2em;
  }
  .dialog-head h2:focus,
  #md-step-title:focus {
    outline: none;
  }
  .steps {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 18px;
    list-style: none;
    color: var(--clientela-text-muted);
    font-size: 0.9em;
    font-weight: 550;
  }
  .steps li {
    display: inline-flex;
    align-items: center;
    gap: 8px;
  }
  .steps .dot {
    display: inline-grid;
    place-items: center;
    width: 22px;
    height: 22px;
    border-radius: 50%;
    border: 1px solid var(--clientela-border-strong);
    font-size: 0.85em;
  }
  .steps .current {
    color: var(--clientela-text);
  }
  .steps .current .dot {
    background: var(--clientela-accent);
    border-color: var(--clientela-accent);
    color: var(--clientela-accent-text);
  }
  section,
  .group {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .primary {
    padding: 12px 16px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
  }
  .primary h3,
  .primary .muted {
    color: inherit;
  }
  .primary .muted {
    opacity: 0.85;
  }
  .number {
    color: var(--clientela-text-muted);
    font-variant-numeric: tabular-nums;
  }
  .primary .number {
    color: inherit;
  }
  .candidates {
    list-style: none;
    display: flex;
    flex-direction: column;
    border: 1px solid var(--clientela-border);
    border-radius: var(--clientela-radius-small);
    max-height: 260px;
    overflow: auto;
  }
  .candidate {
    display: flex;
    align-items: flex-start;
    gap: 12px;
    padding: 10px 14px;
  }
  .candidate + .candidate {
    border-top: 1px solid var(--clientela-border);
  }
  .candidate.on {
    background: var(--clientela-selected);
  }
  .candidate input {
    margin-top: 3px;
  }
  .candidate label {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 2px 12px;
    flex: 1;
    min-width: 0;
    cursor: pointer;
  }
  .candidate .contact {
    grid-column: 1;
    font-size: 0.9em;
    overflow-wrap: anywhere;
  }
  .why {
    grid-column: 2;
    grid-row: 1 / span 2;
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    align-content: flex-start;
    gap: 4px;
    max-width: 320px;
  }
  .badge.score {
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
  }
  .empty-line {
    padding: 4px 0;
  }
  .search {
    position: relative;
  }
  .selection {
    display: flex;
    flex-direction: column;
    gap: 6px;
    font-weight: 550;
  }
  .chips {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .blockers {
    padding: 12px 16px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-danger-soft);
    color: var(--clientela-danger-text);
  }
  .blockers h3 {
    display: flex;
    align-items: center;
    gap: 6px;
    color: inherit;
    margin-bottom: 6px;
  }
  .blockers ul {
    padding-left: 20px;
  }
  .table-scroll {
    overflow: auto;
    border: 1px solid var(--clientela-border);
    border-radius: var(--clientela-radius-small);
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    padding: 8px 12px;
    border-bottom: 1px solid var(--clientela-border);
    text-align: left;
    vertical-align: top;
  }
  tr:last-child > * {
    border-bottom: 0;
  }
  thead th {
    background: var(--clientela-surface-sunken);
    font-size: 0.86em;
    color: var(--clientela-text-muted);
    white-space: nowrap;
  }
  tbody th {
    font-weight: 600;
    white-space: nowrap;
  }
  td {
    min-width: 140px;
  }
  td label {
    margin-left: 6px;
    overflow-wrap: anywhere;
    cursor: pointer;
  }
  td.chosen {
    background: var(--clientela-selected);
    font-weight: 550;
  }
  td.empty {
    color: var(--clientela-text-muted);
  }
  td.empty label {
    cursor: not-allowed;
  }
  .moves {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(120px, 1fr));
    gap: 8px;
  }
  .moves div {
    padding: 8px 12px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-surface-sunken);
    border: 1px solid var(--clientela-border);
  }
  .moves dt {
    font-size: 0.84em;
    color: var(--clientela-text-muted);
  }
  .moves dd {
    font-size: 1.1em;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .after {
    font-weight: 550;
  }
  .warning {
    display: flex;
    gap: 10px;
    padding: 12px 16px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-warning-soft);
    color: var(--clientela-warning-text);
  }
  .warning svg.icon {
    margin-top: 2px;
  }
  .confirm {
    max-width: 320px;
  }
  .review {
    display: flex;
    flex-direction: column;
    gap: 18px;
  }
  .progress {
    display: flex;
    align-items: center;
    gap: 10px;
    font-weight: 550;
  }
  .result {
    display: flex;
    gap: 14px;
    padding: 16px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-success-soft);
    color: var(--clientela-success-text);
  }
  .result > svg.icon {
    width: 24px;
    height: 24px;
  }
  .result h3 {
    color: inherit;
    font-size: 1em;
    text-transform: none;
    letter-spacing: 0;
    margin-bottom: 4px;
  }
  .result .muted {
    color: inherit;
    opacity: 0.85;
  }
`;

export const styles = [baseStyles, controlStyles, badgeStyles, dialogStyles, stateStyles, panelStyles, searchFieldStyles, merge];
