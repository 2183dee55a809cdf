import { css } from 'lit';
import { stateStyles } from '../shared/async-state.ts';
import { badgeStyles, baseStyles, controlStyles, dialogStyles } from '../shared/styles.ts';
import { surfaceStyles } from '../shared/panel-styles.ts';
import { conflictStyles, notesStyles } from './panels.styles.ts';
import { recordStyles } from './record-line.ts';

const card = css`
  .header {
    display: flex;
    flex-wrap: wrap;
    gap: 16px;
    align-items: flex-start;
    padding: 20px 24px;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 52px;
    height: 52px;
    flex: none;
    border-radius: 50%;
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
    font-size: 1.25em;
    font-weight: 700;
    letter-spacing: 0.02em;
  }
  .who {
    flex: 1 1 240px;
    min-width: 0;
  }
  .title-row {
    display: flex;
    align-items: baseline;
    flex-wrap: wrap;
    gap: 4px 10px;
  }
  h2 {
    font-size: 1.4em;
    font-weight: 700;
    letter-spacing: -0.015em;
    line-height: 1.25;
  }
  .number {
    color: var(--clientela-text-muted);
    font-weight: 550;
    font-variant-numeric: tabular-nums;
  }
  .marks {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 10px;
    margin-top: 8px;
  }
  .badge svg.icon {
    width: 12px;
    height: 12px;
  }
  .since {
    font-size: 0.9em;
  }
  .header-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: flex-end;
  }
  @container (max-width: 640px) {
    .header-actions {
      flex-basis: 100%;
      justify-content: flex-start;
      padding-left: 68px;
    }
  }
  .btn.danger-outline {
    color: var(--clientela-danger-text);
  }
  .btn.danger-outline:hover:not(:disabled) {
    background: var(--clientela-danger-soft);
  }
  .metrics {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
    border-top: 1px solid var(--clientela-border);
    border-bottom: 1px solid var(--clientela-border);
    background: var(--clientela-surface-sunken);
  }
  .metric {
    padding: 12px 24px;
    box-shadow: 1px 0 0 var(--clientela-border);
  }
  .metric dt,
  .section h3,
  .panel h3 {
    font-size: 0.76em;
    font-weight: 700;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--clientela-text-muted);
  }
  .metric dd {
    margin-top: 2px;
    font-size: 1.15em;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .body {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
  }
  .aside {
    border-top: 1px solid var(--clientela-border);
  }
  @container (min-width: 760px) {
    .body {
      grid-template-columns: minmax(0, 1fr) minmax(260px, 32%);
    }
    .aside {
      border-top: 0;
      border-left: 1px solid var(--clientela-border);
    }
  }
  .profile,
  .aside {
    padding: 4px 24px 20px;
    min-width: 0;
  }
  .section,
  .panel {
    padding: 18px 0;
  }
  .section + .section,
  .panel + .panel {
    border-top: 1px solid var(--clientela-border);
  }
  .section h3,
  .panel h3 {
    margin-bottom: 12px;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
    gap: 14px 24px;
    align-items: start;
  }
  .wide {
    grid-column: 1 / -1;
  }
  dl.grid dt,
  dl.readonly dt {
    font-size: 0.84em;
    font-weight: 550;
    color: var(--clientela-text-muted);
    margin-bottom: 2px;
  }
  dl.grid dd {
    overflow-wrap: anywhere;
  }
  dl.readonly {
    display: contents;
  }
  code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.92em;
    padding: 1px 6px;
    border-radius: 5px;
    border: 1px solid var(--clientela-border);
    background: var(--clientela-surface-sunken);
  }
  ul.plain,
  ul.tags,
  ul.notes {
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  ul.tags {
    flex-direction: row;
    flex-wrap: wrap;
    gap: 6px;
  }
  .dup-hint {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px 6px;
    width: fit-content;
    margin-top: 5px;
    padding: 3px 9px;
    border-radius: 6px;
    background: var(--clientela-warning-soft);
    color: var(--clientela-warning-text);
    font-size: 0.85em;
    font-weight: 500;
  }
  .dup-hint svg.icon {
    width: 13px;
    height: 13px;
  }
  button.link {
    padding: 0 2px;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    font-weight: 700;
    text-decoration: underline;
    cursor: pointer;
  }
  fieldset.phones {
    border: 0;
    margin: 0;
    padding: 0;
    gap: 8px;
  }
  .phone-row {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(90px, 140px) auto;
    gap: 8px;
    align-items: start;
  }
  .tag-editor {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    padding: 4px 6px;
    border: 1px solid var(--clientela-border-strong);
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-surface);
  }
  .tag-editor:focus-within {
    border-color: var(--clientela-accent);
    box-shadow: 0 0 0 3px var(--clientela-focus);
  }
  .tag-editor input {
    flex: 1;
    min-width: 120px;
    border: 0;
    box-shadow: none !important;
    min-height: 28px;
    padding: 2px 4px;
  }
  .check-field {
    padding-top: 22px;
  }
  .edit-bar {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    padding: 14px 0 0;
    border-top: 1px solid var(--clientela-border);
    background: var(--clientela-surface);
  }
  .form-error {
    margin-top: 16px;
    padding: 10px 14px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-danger-soft);
    color: var(--clientela-danger-text);
    font-weight: 550;
  }
  .assignee select {
    max-width: 100%;
  }
  .assignee-name {
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 550;
    margin-bottom: 4px;
  }
`;

export const styles = [baseStyles, controlStyles, badgeStyles, dialogStyles, stateStyles, surfaceStyles, card, notesStyles, conflictStyles, recordStyles];
