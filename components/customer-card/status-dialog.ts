/** The dialog that asks for a reason before a status change (deactivate, block, reactivate, remove). */
import { html, nothing } from 'lit';
import { MAX_REASON_LENGTH } from '../../server/contract/limits.ts';
import type { Translation } from '../i18n/en.ts';
import type { StatusAction } from './card-header.ts';

/** The status change asked for, its error, and the answers, given by the card at each render. */
export interface StatusDialogProps {
  pendingAction: StatusAction | null;
  statusError: string;
  busy: boolean;
  confirmStatus(action: StatusAction, reason: string): void;
  closeStatus(): void;
}

export function renderStatusDialog(props: StatusDialogProps, t: Translation) {
  const action = props.pendingAction;
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const reason = ((e.target as HTMLFormElement).elements.namedItem('reason') as HTMLTextAreaElement | null)?.value ?? '';
    if (action) props.confirmStatus(action, reason);
  };
  return html`<dialog id="status-dialog" aria-labelledby="status-title" aria-describedby="status-description" part="dialog" @close=${() => props.closeStatus()}>
    ${action
      ? html`<form @submit=${submit} novalidate>
          <h2 id="status-title">${t.statusActions.titles[action]}</h2>
          <p id="status-description" class="muted">${t.statusActions.descriptions[action]}</p>
          ${action === 'remove'
            ? nothing
            : html`<div class="field">
            <label for="status-reason">${t.statusActions.reason}</label>
            <textarea
              id="status-reason"
              name="reason"
              rows="3"
              maxlength=${MAX_REASON_LENGTH}
              required
              autofocus
              aria-describedby="status-reason-hint${props.statusError ? ' status-reason-error' : ''}"
              aria-invalid=${props.statusError ? 'true' : 'false'}
            ></textarea>
            <span class="hint" id="status-reason-hint">${t.statusActions.reasonHint}</span>
            ${props.statusError ? html`<span class="field-error" id="status-reason-error">${props.statusError}</span>` : nothing}
          </div>`}
          ${action === 'remove' && props.statusError ? html`<p class="field-error" role="alert">${props.statusError}</p>` : nothing}
          <div class="dialog-actions">
            <button type="button" class="btn" @click=${() => props.closeStatus()}>${t.common.cancel}</button>
            <button type="submit" class="btn ${action === 'reactivate' ? 'primary' : 'danger'}" ?disabled=${props.busy}>${t.statusActions[action]}</button>
          </div>
        </form>`
      : nothing}
  </dialog>`;
}
