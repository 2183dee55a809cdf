import { css } from 'lit';
import { stateStyles } from '../shared/async-state.ts';
import { panelStyles } from '../shared/panel-styles.ts';
import { badgeStyles, baseStyles, controlStyles } from '../shared/styles.ts';

const manager = css`
  .figures {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(140px, 1fr));
    border-top: 1px solid var(--clientela-border);
    border-bottom: 1px solid var(--clientela-border);
    background: var(--clientela-surface-sunken);
  }
  .figure {
    padding: 12px 24px;
    box-shadow: 1px 0 0 var(--clientela-border);
  }
  .figure dt {
    font-size: 0.76em;
    font-weight: 700;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--clientela-text-muted);
  }
  .figure dd {
    margin-top: 2px;
    font-size: 1.15em;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .figure.balance .big {
    font-size: 1.6em;
    font-weight: 750;
    letter-spacing: -0.02em;
  }
  .unit {
    color: var(--clientela-text-muted);
    font-size: 0.8em;
    font-weight: 550;
  }
  .progress,
  .progress-text.top {
    padding: 14px 24px 0;
  }
  .progress-text {
    display: flex;
    align-items: center;
    gap: 6px;
    font-size: 0.92em;
    color: var(--clientela-text-muted);
  }
  .bar {
    height: 8px;
    margin-top: 6px;
    border-radius: 999px;
    background: var(--clientela-neutral-soft);
    overflow: hidden;
  }
  .fill {
    display: block;
    height: 100%;
    border-radius: inherit;
  }
  .tools {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0 32px;
    padding: 4px 24px;
  }
  @container (min-width: 680px) {
    .tools {
      grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
    }
  }
  .adjust,
  .level-panel,
  .tools > .read-only {
    display: flex;
    flex-direction: column;
    gap: 12px;
    padding: 16px 0;
    min-width: 0;
  }
  .tools > .read-only {
    margin: 16px 0;
    padding: 10px 14px;
  }
  .direction {
    display: inline-flex;
    width: fit-content;
    margin: 0;
    padding: 3px;
    gap: 3px;
    border: 1px solid var(--clientela-border-strong);
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-surface-sunken);
  }
  .segment {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 4px 12px;
    border-radius: 6px;
    font-weight: 550;
    cursor: pointer;
    color: var(--clientela-text-muted);
  }
  .segment input {
    position: absolute;
    opacity: 0;
    pointer-events: none;
  }
  .segment.on {
    background: var(--clientela-surface);
    color: var(--clientela-text);
    box-shadow: var(--clientela-shadow);
  }
  .segment:has(input:focus-visible) {
    box-shadow: 0 0 0 3px var(--clientela-focus);
  }
  .actions,
  .level-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .mode {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    color: var(--clientela-text-muted);
  }
  .mode svg.icon {
    margin-top: 2px;
  }
  .mode.locked {
    color: var(--clientela-warning-text);
  }
  .level-controls {
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .ledger {
    border-top: 1px solid var(--clientela-border);
    padding: 16px 24px 20px;
  }
  .ledger h3 {
    margin-bottom: 10px;
  }
  .ledger-scroll {
    max-height: var(--clientela-ledger-height, 420px);
    overflow: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  th {
    position: sticky;
    top: 0;
    z-index: 1;
    padding: 8px 10px;
    background: var(--clientela-surface-sunken);
    border-bottom: 1px solid var(--clientela-border);
    font-size: 0.8em;
    font-weight: 650;
    color: var(--clientela-text-muted);
    text-align: left;
  }
  td {
    padding: 9px 10px;
    border-bottom: 1px solid var(--clientela-border);
    vertical-align: top;
  }
  th.num,
  td.delta,
  td.after {
    text-align: right;
  }
  td.when {
    color: var(--clientela-text-muted);
    font-size: 0.92em;
  }
  .what {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px 8px;
  }
  .reason {
    overflow-wrap: anywhere;
  }
  .by {
    flex-basis: 100%;
    font-size: 0.88em;
  }
  td.delta {
    font-weight: 650;
  }
  td.delta.up {
    color: var(--clientela-success-text);
  }
  td.delta.down {
    color: var(--clientela-danger-text);
  }
  .badge.kind-earn,
  .badge.kind-merge {
    background: var(--clientela-success-soft);
    color: var(--clientela-success-text);
  }
  .badge.kind-adjust {
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
  }
  .badge.kind-expire,
  .badge.kind-forfeit,
  .badge.kind-reversal {
    background: var(--clientela-warning-soft);
    color: var(--clientela-warning-text);
  }
`;

export const styles = [baseStyles, controlStyles, badgeStyles, stateStyles, panelStyles, manager];
