import { css } from 'lit';
import { stateStyles } from '../shared/async-state.ts';
import { panelStyles } from '../shared/panel-styles.ts';
import { baseStyles, controlStyles } from '../shared/styles.ts';

/** The parts of uPlot's own stylesheet the charts need, in the kit's tokens (no global CSS: it lives in the shadow root). */
const uplot = css`
  .uplot,
  .uplot *,
  .uplot *::before,
  .uplot *::after {
    box-sizing: border-box;
  }
  .uplot {
    font-family: inherit;
    line-height: 1.5;
    width: min-content;
  }
  .u-wrap {
    position: relative;
    user-select: none;
  }
  .u-over,
  .u-under {
    position: absolute;
  }
  .u-under {
    overflow: hidden;
  }
  .uplot canvas {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
  }
  .u-axis {
    position: absolute;
  }
  .u-legend {
    margin: 2px auto 0;
    font-size: 0.86em;
    text-align: center;
    color: var(--clientela-text-muted);
  }
  .u-inline {
    display: block;
  }
  .u-inline * {
    display: inline-block;
  }
  .u-inline tr {
    margin-right: 14px;
  }
  .u-legend th {
    font-weight: 600;
  }
  .u-legend th > * {
    vertical-align: middle;
    display: inline-block;
  }
  .u-legend .u-marker {
    width: 0.9em;
    height: 0.9em;
    margin-right: 4px;
    border-radius: 3px;
    background-clip: padding-box !important;
  }
  .u-inline.u-live th::after {
    content: ':';
    vertical-align: middle;
  }
  .u-inline:not(.u-live) .u-value {
    display: none;
  }
  .u-series > * {
    padding: 2px;
  }
  .u-series:first-child {
    font-weight: 600;
  }
  .u-series th {
    cursor: pointer;
  }
  .u-legend .u-off > * {
    opacity: 0.3;
  }
  .u-select {
    position: absolute;
    pointer-events: none;
  }
  .u-cursor-x,
  .u-cursor-y {
    position: absolute;
    left: 0;
    top: 0;
    pointer-events: none;
    will-change: transform;
  }
  .u-hz .u-cursor-x {
    height: 100%;
    border-right: 1px dashed var(--clientela-border-strong);
  }
  .u-hz .u-cursor-y {
    display: none;
  }
  .u-cursor-pt {
    display: none;
  }
  .u-axis.u-off,
  .u-select.u-off,
  .u-cursor-x.u-off,
  .u-cursor-y.u-off {
    display: none;
  }
`;

const insights = css`
  .header {
    align-items: flex-end;
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 8px 10px;
  }
  .filters .field {
    width: 150px;
  }
  .filters .clear {
    align-self: flex-end;
    margin-bottom: 3px;
  }
  .range-error {
    flex-basis: 100%;
  }
  .body {
    display: flex;
    flex-direction: column;
    gap: 16px;
    padding: 4px 24px 22px;
  }
  .tiles {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(130px, 1fr));
    gap: 10px;
  }
  .tile {
    padding: 10px 14px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-surface-sunken);
    border: 1px solid var(--clientela-border);
    min-width: 0;
  }
  .tile dt {
    font-size: 0.8em;
    font-weight: 650;
    color: var(--clientela-text-muted);
  }
  .tile dd {
    font-size: 1.2em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }
  .panels {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 16px;
  }
  @container (min-width: 860px) {
    .panels {
      grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
    }
    .panel-points {
      grid-column: 1 / -1;
    }
  }
  .panel {
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
    padding: 14px 16px;
    border: 1px solid var(--clientela-border);
    border-radius: var(--clientela-radius-small);
  }
  .panel-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 4px 10px;
  }
  .panel-head .btn {
    color: var(--clientela-accent);
  }
  .summary {
    font-size: 0.88em;
    color: var(--clientela-text-muted);
  }
  .visual[hidden] {
    display: none;
  }
  .chart {
    min-height: 220px;
    width: 100%;
  }
  .category-bars {
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding-top: 4px;
  }
  .category-bar {
    display: grid;
    grid-template-columns: minmax(0, 9em) minmax(40px, 1fr) auto;
    align-items: center;
    gap: 10px;
    font-size: 0.93em;
  }
  .category-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .bar-track {
    height: 12px;
    border-radius: 6px;
    background: var(--clientela-surface-sunken);
  }
  .bar-fill {
    display: block;
    height: 100%;
    border-radius: inherit;
    background: var(--clientela-chart-1, var(--clientela-accent));
  }
  .category-value {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
    white-space: nowrap;
  }
  .data-table table {
    width: 100%;
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: 0.93em;
  }
  .data-table caption {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
  .data-table th,
  .data-table td {
    padding: 6px 8px;
    border-bottom: 1px solid var(--clientela-border);
    text-align: left;
  }
  .data-table thead th {
    background: var(--clientela-surface-sunken);
    font-size: 0.86em;
    font-weight: 650;
    color: var(--clientela-text-muted);
  }
  .data-table tbody th {
    font-weight: 550;
  }
  .data-table .num {
    text-align: right;
    white-space: nowrap;
  }
  .data-table:not(.visually-hidden) {
    max-height: 320px;
    overflow: auto;
  }
  @container (max-width: 520px) {
    .header,
    .body {
      padding-left: 16px;
      padding-right: 16px;
    }
    .filters,
    .filters .field {
      width: 100%;
    }
    .filters .field {
      flex: 1 1 120px;
    }
    .tiles {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
    .panel {
      padding: 12px;
    }
    .category-bar {
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 2px 10px;
    }
    .bar-track {
      grid-column: 1 / -1;
      grid-row: 2;
    }
  }
`;

export const styles = [baseStyles, controlStyles, stateStyles, panelStyles, uplot, insights];
