import { css } from 'lit';

/** The notes panel: the editor with its toolbar, and each note. */
export const notesStyles = css`
  .note-form {
    display: flex;
    flex-direction: column;
    gap: 6px;
    margin-bottom: 14px;
  }
  .note-editor {
    border: 1px solid var(--clientela-border-strong);
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-surface);
    overflow: hidden;
  }
  .note-editor:focus-within {
    border-color: var(--clientela-accent);
    box-shadow: 0 0 0 3px var(--clientela-focus);
  }
  .toolbar {
    display: flex;
    gap: 2px;
    padding: 3px;
    border-bottom: 1px solid var(--clientela-border);
    background: var(--clientela-surface-sunken);
  }
  .toolbar .btn.icon-only {
    width: 28px;
    height: 28px;
  }
  .note-editor textarea {
    display: block;
    border: 0;
    border-radius: 0;
    box-shadow: none !important;
  }
  ul.notes {
    gap: 10px;
  }
  .note {
    padding: 10px 12px;
    border: 1px solid var(--clientela-border);
    border-radius: var(--clientela-radius-small);
    background: var(--clientela-surface-sunken);
  }
  .note-meta {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    min-height: 28px;
    font-size: 0.84em;
    color: var(--clientela-text-muted);
  }
  .note-body {
    overflow-wrap: anywhere;
  }
  .note-body p + p,
  .note-body ul {
    margin-top: 4px;
  }
  .note-body ul {
    padding-left: 18px;
  }
  .confirm {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-top: 8px;
    font-weight: 550;
  }
`;

/** The 412 panel: what the admin tried, what is stored now, and the ways forward. */
export const conflictStyles = css`
  .conflict {
    margin: 16px 24px 0;
    padding: 16px 18px;
    border-radius: var(--clientela-radius-small);
    border: 1px solid var(--clientela-border-strong);
    background: var(--clientela-warning-soft);
    color: var(--clientela-text);
  }
  .conflict-head {
    display: flex;
    gap: 10px;
    color: var(--clientela-warning-text);
  }
  .conflict-head svg.icon {
    margin-top: 2px;
  }
  .conflict-head p {
    color: var(--clientela-text);
  }
  .conflict h3 {
    font-size: 1em;
    font-weight: 700;
  }
  .conflict table {
    width: 100%;
    margin: 12px 0;
    border-collapse: collapse;
    background: var(--clientela-surface);
    border-radius: 6px;
    overflow: hidden;
  }
  .conflict th,
  .conflict td {
    padding: 7px 10px;
    text-align: left;
    border-bottom: 1px solid var(--clientela-border);
    font-size: 0.93em;
  }
  .conflict thead th {
    color: var(--clientela-text-muted);
    font-weight: 650;
  }
  .conflict td.mine {
    font-weight: 650;
  }
  .conflict-actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 10px;
  }
`;
