import { css } from 'lit';
import { stateStyles } from '../shared/async-state.ts';
import { panelStyles } from '../shared/panel-styles.ts';
import { badgeStyles, baseStyles, controlStyles } from '../shared/styles.ts';

const history = css`
  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 10px 12px;
    padding: 0 24px 16px;
    border-bottom: 1px solid var(--clientela-border);
  }
  .filters .field {
    flex: 1 1 150px;
    max-width: 240px;
  }
  .filters .clear {
    align-self: flex-end;
    margin-bottom: 3px;
  }
  .range-error {
    flex-basis: 100%;
  }
  .timeline-scroll {
    max-height: var(--clientela-history-height, 560px);
    overflow: auto;
    padding: 8px 24px 16px;
  }
  .timeline {
    list-style: none;
    position: relative;
  }
  .event {
    position: relative;
    display: grid;
    grid-template-columns: 32px minmax(0, 1fr);
    gap: 12px;
    padding: 12px 0;
  }
  .event + .event {
    border-top: 1px solid var(--clientela-border);
  }
  .marker {
    display: grid;
    place-items: center;
    width: 32px;
    height: 32px;
    border-radius: 50%;
    background: var(--clientela-neutral-soft);
    color: var(--clientela-neutral-text);
  }
  .cat-points .marker {
    background: var(--clientela-success-soft);
    color: var(--clientela-success-text);
  }
  .cat-orders .marker {
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
  }
  .cat-notes .marker {
    background: var(--clientela-warning-soft);
    color: var(--clientela-warning-text);
  }
  .cat-merges .marker {
    background: var(--clientela-danger-soft);
    color: var(--clientela-danger-text);
  }
  .body {
    display: flex;
    flex-direction: column;
    gap: 4px;
    min-width: 0;
    padding-top: 5px;
  }
  .summary {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .changes {
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 3px;
    padding: 6px 10px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-surface-sunken);
    border: 1px solid var(--clientela-border);
    font-size: 0.94em;
  }
  .changes li {
    overflow-wrap: anywhere;
  }
  .change-field {
    font-weight: 600;
  }
  .from {
    color: var(--clientela-text-muted);
    text-decoration: line-through;
    text-decoration-color: color-mix(in srgb, currentColor 45%, transparent);
  }
  .arrow {
    margin: 0 4px;
    color: var(--clientela-text-muted);
  }
  .to {
    font-weight: 550;
  }
  .reason {
    overflow-wrap: anywhere;
  }
  .meta {
    font-size: 0.88em;
    color: var(--clientela-text-muted);
  }
`;

export const styles = [baseStyles, controlStyles, badgeStyles, stateStyles, panelStyles, history];
