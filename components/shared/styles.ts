/** The styles every component shares: reset, controls, badges, dialogs. All read the --clientela-* tokens. */
import { css } from 'lit';

export const baseStyles = css`
  /*
   * Every inherited text property is set here, so the host page's typography
   * (body { text-transform: uppercase; letter-spacing: … }) stops at the
   * component instead of leaking in through inheritance.
   */
  :host {
    box-sizing: border-box;
    font-family: var(--clientela-font, system-ui, sans-serif);
    font-size: var(--clientela-font-size, 14px);
    font-style: normal;
    font-weight: 400;
    font-variant: normal;
    font-stretch: normal;
    line-height: 1.45;
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    text-align: start;
    text-indent: 0;
    text-shadow: none;
    white-space: normal;
    word-break: normal;
    overflow-wrap: normal;
    hyphens: manual;
    cursor: auto;
    visibility: visible;
    color: var(--clientela-text, inherit);
    -webkit-font-smoothing: antialiased;
  }
  :host([hidden]) {
    display: none;
  }
  /* Not inherited from the host element, which a page's own "* { box-sizing: … }" reaches. */
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3,
  h4,
  p,
  dl,
  dd,
  ul,
  ol {
    margin: 0;
  }
  ul,
  ol {
    padding: 0;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .muted {
    color: var(--clientela-text-muted);
  }
  :focus-visible {
    outline: 2px solid var(--clientela-accent);
    outline-offset: 2px;
  }
  /* Headings get focus only to move a screen reader there (after a 412, a deletion): no ring. */
  [tabindex='-1']:focus-visible:not(.row) {
    outline: none;
  }
  svg.icon {
    width: 16px;
    height: 16px;
    flex: none;
    stroke: currentColor;
    fill: none;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
`;

export const controlStyles = css`
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    height: 34px;
    padding: 0 14px;
    border-radius: var(--clientela-radius-small);
    border: 1px solid var(--clientela-border-strong);
    background: var(--clientela-surface);
    color: var(--clientela-text);
    font: inherit;
    font-weight: 550;
    white-space: nowrap;
    cursor: pointer;
    transition: background-color 0.12s, border-color 0.12s, box-shadow 0.12s;
  }
  .btn:hover:not(:disabled) {
    background: var(--clientela-surface-hover);
  }
  .btn:focus-visible {
    outline: none;
    box-shadow: 0 0 0 3px var(--clientela-focus);
  }
  .btn:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .btn.primary {
    background: var(--clientela-accent);
    border-color: var(--clientela-accent);
    color: var(--clientela-accent-text);
  }
  .btn.primary:hover:not(:disabled) {
    background: var(--clientela-accent-hover);
    border-color: var(--clientela-accent-hover);
  }
  .btn.danger {
    background: var(--clientela-danger);
    border-color: var(--clientela-danger);
    color: var(--clientela-accent-text);
  }
  .btn.danger:hover:not(:disabled) {
    background: var(--clientela-danger-hover);
  }
  .btn.ghost {
    border-color: transparent;
    background: transparent;
  }
  .btn.ghost:hover:not(:disabled) {
    background: var(--clientela-surface-hover);
  }
  .btn.small {
    height: 28px;
    padding: 0 10px;
    font-size: 0.93em;
  }
  .btn.icon-only {
    width: 32px;
    height: 32px;
    padding: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 5px;
    min-width: 0;
  }
  .field > label,
  .field-label {
    font-size: 0.86em;
    font-weight: 600;
    color: var(--clientela-text-muted);
  }
  :where(input:not([type='checkbox']):not([type='radio']), select, textarea) {
    width: 100%;
    min-height: 34px;
    padding: 6px 10px;
    border-radius: var(--clientela-radius-small);
    border: 1px solid var(--clientela-border-strong);
    background: var(--clientela-surface);
    color: var(--clientela-text);
    font: inherit;
    transition: border-color 0.12s, box-shadow 0.12s;
  }
  :where(textarea) {
    resize: vertical;
    min-height: 72px;
  }
  :where(input, select, textarea):focus {
    outline: none;
    border-color: var(--clientela-accent);
    box-shadow: 0 0 0 3px var(--clientela-focus);
  }
  [aria-invalid='true'] {
    border-color: var(--clientela-danger) !important;
  }
  :where(input[type='checkbox']) {
    width: 16px;
    height: 16px;
    margin: 0;
    accent-color: var(--clientela-accent);
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    cursor: pointer;
  }
  .field-error {
    color: var(--clientela-danger-text);
    font-size: 0.86em;
    font-weight: 500;
  }
  .hint {
    color: var(--clientela-text-muted);
    font-size: 0.86em;
  }
`;

export const badgeStyles = css`
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    height: 22px;
    padding: 0 8px;
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 650;
    letter-spacing: 0.01em;
    white-space: nowrap;
    background: var(--clientela-neutral-soft);
    color: var(--clientela-neutral-text);
  }
  .badge.status-active {
    background: var(--clientela-success-soft);
    color: var(--clientela-success-text);
  }
  .badge.status-inactive {
    background: var(--clientela-warning-soft);
    color: var(--clientela-warning-text);
  }
  .badge.status-disabled,
  .badge.bad {
    background: var(--clientela-danger-soft);
    color: var(--clientela-danger-text);
  }
  .badge.vip {
    background: var(--clientela-accent-soft);
    color: var(--clientela-accent-soft-text);
  }
  .badge.status-active::before,
  .badge.status-inactive::before,
  .badge.status-disabled::before,
  .badge.status-removed::before {
    content: '';
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: currentColor;
  }
  .level-chip {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-weight: 550;
    white-space: nowrap;
  }
  .level-chip .swatch {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    box-shadow: inset 0 0 0 1px rgb(0 0 0 / 0.15);
  }
  .tag {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    height: 24px;
    padding: 0 4px 0 9px;
    border-radius: 6px;
    border: 1px solid var(--clientela-border);
    background: var(--clientela-surface-sunken);
    font-size: 0.88em;
  }
  .tag:not(:has(button)) {
    padding-right: 9px;
  }
  .tag button {
    display: inline-grid;
    place-items: center;
    width: 18px;
    height: 18px;
    border: 0;
    border-radius: 4px;
    background: transparent;
    color: var(--clientela-text-muted);
    cursor: pointer;
    padding: 0;
  }
  .tag button:hover {
    background: var(--clientela-surface-hover);
    color: var(--clientela-text);
  }
  .tag button svg.icon {
    width: 12px;
    height: 12px;
  }
`;

export const dialogStyles = css`
  dialog {
    width: min(520px, calc(100vw - 32px));
    max-height: calc(100vh - 48px);
    padding: 0;
    border: 1px solid var(--clientela-border);
    border-radius: var(--clientela-radius);
    background: var(--clientela-surface);
    color: var(--clientela-text);
    box-shadow: var(--clientela-shadow-overlay);
  }
  dialog::backdrop {
    background: var(--clientela-backdrop, rgb(15 23 42 / 0.45));
  }
  dialog form,
  .dialog-body {
    display: flex;
    flex-direction: column;
    gap: 16px;
    padding: 22px 24px;
  }
  dialog h2 {
    font-size: 1.15em;
    font-weight: 650;
  }
  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: 8px;
    padding-top: 4px;
  }
`;

/** A search box with its magnifier icon inside, on the left. */
export const searchFieldStyles = css`
  .search svg.icon {
    position: absolute;
    left: 10px;
    top: 50%;
    transform: translateY(-50%);
    color: var(--clientela-text-muted);
    pointer-events: none;
  }
  .search input {
    padding-left: 34px;
  }
`;
