/**
 * The "add or deduct points" form. Each change the admin means to make gets
 * one Idempotency-Key, kept until the server has answered it: a double click
 * or a retry after a lost answer sends the same key, so the server applies
 * the change once. A different amount or reason is a different change.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { ApiError } from '../api/api-error.ts';
import { idempotencyKey } from '../api/client.ts';
import { changePoints, type PointsChange, type PointsChangeResult } from '../api/points.ts';
import { MAX_MANUAL_DELTA as MAX_DELTA, MAX_REASON_LENGTH as MAX_REASON } from '../../server/contract/limits.ts';
import type { Customer } from '../api/types.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { errorMessage } from '../shared/async-state.ts';
import { icon } from '../shared/icons.ts';
import { Provided } from '../shared/provided.ts';

export interface PointsFormOptions {
  /** The member whose points change. */
  customer: () => Customer;
  /** The server has applied a change. */
  onChanged: (result: PointsChangeResult, change: PointsChange) => void;
}

type Direction = 'add' | 'deduct';

export class PointsForm {
  private direction: Direction = 'add';
  private errors = new Map<'amount' | 'reason', string>();
  private formError = '';
  /** True while a change is on its way. */
  busy = false;
  /** The change on its way or last refused for want of an answer, and its key. */
  private pending: { fingerprint: string; key: string } | null = null;
  private readonly provided = new Provided(this.host);
  private readonly form = createRef<HTMLFormElement>();
  private readonly amount = createRef<HTMLInputElement>();
  private readonly reason = createRef<HTMLInputElement>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: PointsFormOptions,
  ) {}

  private async focusInvalid() {
    await this.host.updateComplete;
    this.form.value?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private setDirection(direction: Direction) {
    this.direction = direction;
    this.host.requestUpdate();
  }

  /** Checks what the server would refuse anyway, so the admin hears it at once. */
  private validate(amountText: string, reason: string): PointsChange | null {
    const { format } = this.provided;
    const t = format.t.points;
    this.errors = new Map();
    const amount = Number(amountText);
    if (!/^\d+$/.test(amountText.trim()) || amount < 1 || amount > MAX_DELTA) this.errors.set('amount', t.amountInvalid(format.number(MAX_DELTA)));
    if (!reason) this.errors.set('reason', t.reasonRequired);
    else if (reason.length > MAX_REASON) this.errors.set('reason', t.reasonTooLong(MAX_REASON));
    if (this.errors.size) return null;
    return { delta: this.direction === 'add' ? amount : -amount, reason };
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    if (this.busy) return;
    const { client, format } = this.provided;
    const customer = this.options.customer();
    const amount = this.amount.value!;
    const reason = this.reason.value!;
    this.formError = '';
    const change = this.validate(amount.value, reason.value.trim());
    if (!change || !client) {
      this.host.requestUpdate();
      await this.focusInvalid();
      return;
    }
    const fingerprint = JSON.stringify([customer.id, change]);
    if (this.pending?.fingerprint !== fingerprint) this.pending = { fingerprint, key: idempotencyKey() };
    this.busy = true;
    this.host.requestUpdate();
    try {
      const result = await changePoints(client, customer.id, change, this.pending.key);
      this.pending = null;
      amount.value = '';
      reason.value = '';
      this.options.onChanged(result, change);
    } catch (err) {
      this.failed(err, format);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
    if (this.errors.size || this.formError) await this.focusInvalid();
  }

  private failed(err: unknown, format: Formatter) {
    const t = format.t.points;
    if (err instanceof ApiError && err.code === 'insufficient_points') {
      const balance = typeof err.extra.balance === 'number' ? err.extra.balance : this.options.customer().points;
      this.errors = new Map([['amount', t.insufficient(format.number(balance))]]);
    } else if (err instanceof ApiError && err.status === 409 && err.code === 'conflict') {
      this.formError = t.blocked;
    } else if (err instanceof ApiError && err.status === 422 && err.details.length) {
      const byPath = err.fieldErrors((message) => format.serverMessage(message));
      this.errors = new Map();
      if (byPath.has('delta')) this.errors.set('amount', byPath.get('delta')!);
      if (byPath.has('reason')) this.errors.set('reason', byPath.get('reason')!);
      if (!this.errors.size) this.formError = errorMessage(err, format.t);
    } else {
      this.formError = errorMessage(err, format.t);
    }
  }

  private clearError(name: 'amount' | 'reason') {
    if (!this.errors.has(name)) return;
    this.errors = new Map([...this.errors].filter(([key]) => key !== name));
    this.host.requestUpdate();
  }

  render(blocked: boolean) {
    const t = this.provided.t.points;
    const adding = this.direction === 'add';
    const amountError = this.errors.get('amount');
    const reasonError = this.errors.get('reason');
    return html`<form class="adjust" part="adjust-form" novalidate aria-labelledby="pm-adjust-title" @submit=${(e: SubmitEvent) => this.submit(e)} ${ref(this.form)}>
      <h3 id="pm-adjust-title">${t.adjustTitle}</h3>
      ${blocked ? html`<p class="note">${t.blocked}</p>` : nothing}
      <fieldset class="direction" ?disabled=${blocked}>
        <legend class="visually-hidden">${t.direction}</legend>
        ${(['add', 'deduct'] as const).map(
          (d) => html`<label class="segment ${this.direction === d ? 'on' : ''}">
            <input type="radio" name="pm-direction" value=${d} .checked=${this.direction === d} @change=${() => this.setDirection(d)} />${icon(d === 'add' ? 'plus' : 'minus')}${t[d]}
          </label>`,
        )}
      </fieldset>
      <div class="field">
        <label for="pm-amount">${t.amount}</label>
        <input
          id="pm-amount"
          type="number"
          inputmode="numeric"
          min="1"
          max=${MAX_DELTA}
          step="1"
          required
          ?disabled=${blocked}
          aria-invalid=${amountError ? 'true' : 'false'}
          aria-describedby=${amountError ? 'pm-amount-error' : nothing}
          @input=${() => this.clearError('amount')}
          ${ref(this.amount)}
        />
        ${amountError ? html`<span class="field-error" id="pm-amount-error" role="alert">${amountError}</span>` : nothing}
      </div>
      <div class="field">
        <label for="pm-reason">${t.reason}</label>
        <input
          id="pm-reason"
          type="text"
          maxlength=${MAX_REASON}
          required
          autocomplete="off"
          placeholder=${t.reasonPlaceholder}
          ?disabled=${blocked}
          aria-invalid=${reasonError ? 'true' : 'false'}
          aria-describedby=${reasonError ? 'pm-reason-error' : 'pm-reason-hint'}
          @input=${() => this.clearError('reason')}
          ${ref(this.reason)}
        />
        ${reasonError
          ? html`<span class="field-error" id="pm-reason-error" role="alert">${reasonError}</span>`
          : html`<span class="hint" id="pm-reason-hint">${t.reasonHint}</span>`}
      </div>
      ${this.formError ? html`<p class="form-error" role="alert">${this.formError}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="btn ${adding ? 'primary' : 'danger'}" part="adjust-button" ?disabled=${this.busy || blocked}>
          ${this.busy ? t.submitting : adding ? t.submitAdd : t.submitDeduct}
        </button>
      </div>
    </form>`;
  }
}
