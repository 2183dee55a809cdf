/**
 * The frame points-manager, customer-history and merge-dialog share with
 * the card: a surface with a header, small uppercase section titles, notes
 * and form errors, and the "load more" end of a list.
 */
import { css } from 'lit';

/** The surface every panel-like component sits on, the card included. */
export const surfaceStyles = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  a {
    color: var(--clientela-accent);
    text-decoration: none;
  }
  a:hover {
    text-decoration: underline;
  }
  .card {
    background: var(--clientela-surface);
    border: 1px solid var(--clientela-border);
    border-radius: var(--clientela-radius);
    box-shadow: var(--clientela-shadow);
    overflow: clip;
  }
`;

const panelFrame = css`
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 10px 16px;
    padding: 18px 24px 14px;
  }
  h2 {
    font-size: 1.15em;
    font-weight: 700;
    letter-spacing: -0.01em;
  }
  h3 {
    font-size: 0.76em;
    font-weight: 700;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--clientela-text-muted);
  }
  .note {
    padding: 10px 14px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-neutral-soft);
    color: var(--clientela-neutral-text);
  }
  .note.warning {
    background: var(--clientela-warning-soft);
    color: var(--clientela-warning-text);
  }
  .form-error {
    padding: 10px 14px;
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-danger-soft);
    color: var(--clientela-danger-text);
    font-weight: 550;
  }
  time {
    white-space: nowrap;
  }
  .btn.more {
    display: flex;
    width: 100%;
    margin-top: 4px;
    color: var(--clientela-accent);
  }
  .badge svg.icon {
    width: 12px;
    height: 12px;
  }
`;

export const panelStyles = [surfaceStyles, panelFrame];
