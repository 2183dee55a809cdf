/**
 * The "new member" dialog: a native <dialog> with the few fields a member
 * needs to exist, checked before sending (a name, an email or a phone) and
 * then by the server, whose 422 details land next to their fields.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { ApiError } from '../api/api-error.ts';
import { idempotencyKey } from '../api/client.ts';
import { createCustomer } from '../api/customers.ts';
import type { Customer, CustomerCreate } from '../api/types.ts';
import { errorMessage } from '../shared/async-state.ts';
import { openModal } from '../shared/modal.ts';
import { Provided } from '../shared/provided.ts';

export interface NewMemberOptions {
  /** The server has created the member; the dialog has closed. */
  onCreated: (customer: Customer) => void;
}

const FIELDS = ['firstName', 'lastName', 'email', 'phone'] as const;
type Field = (typeof FIELDS)[number];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class NewMemberDialog {
  private errors = new Map<string, string>();
  private formError = '';
  private busy = false;
  /** One key per opened form, so a double submit or a retry creates one member. */
  private key = idempotencyKey();

  private readonly provided = new Provided(this.host);
  private readonly dialog = createRef<HTMLDialogElement>();
  private readonly form = createRef<HTMLFormElement>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: NewMemberOptions,
  ) {}

  open() {
    this.errors = new Map();
    this.formError = '';
    this.key = idempotencyKey();
    this.form.value?.reset();
    this.host.requestUpdate();
    const dialog = this.dialog.value;
    if (dialog) openModal(dialog, dialog.querySelector<HTMLElement>('#nm-firstName'));
  }

  private close() {
    this.dialog.value?.close();
  }

  private validate(values: Record<Field, string>): Map<string, string> {
    const { t } = this.provided;
    const errors = new Map<string, string>();
    if (!values.firstName && !values.lastName && !values.email && !values.phone) errors.set('firstName', t.newMember.needContact);
    if (values.email && !EMAIL.test(values.email)) errors.set('email', t.newMember.invalidEmail);
    return errors;
  }

  private async submit(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const values = Object.fromEntries(FIELDS.map((f) => [f, String(data.get(f) ?? '').trim()])) as Record<Field, string>;
    this.errors = this.validate(values);
    this.formError = '';
    if (this.errors.size) return this.showErrors();
    const body: CustomerCreate = {
      firstName: values.firstName || null,
      lastName: values.lastName || null,
      email: values.email || null,
      emailSubscribed: data.get('emailSubscribed') === 'on',
      phones: values.phone ? [{ number: values.phone, label: null }] : [],
    };
    this.busy = true;
    this.host.requestUpdate();
    try {
      const { customer } = await createCustomer(this.provided.client!, body, this.key);
      this.close();
      this.options.onCreated(customer);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.details.length) {
        const serverMessage = (message: string) => this.provided.format.serverMessage(message);
        for (const d of err.details) this.errors.set(d.path.startsWith('phones.') ? 'phone' : d.path, serverMessage(d.message));
        const unplaced = err.details.filter((d) => !FIELDS.includes((d.path.startsWith('phones.') ? 'phone' : d.path) as Field));
        if (unplaced.length) this.formError = unplaced.map((d) => serverMessage(d.message)).join(' ');
        return this.showErrors();
      }
      this.formError = errorMessage(err, this.provided.t);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private async showErrors() {
    this.host.requestUpdate();
    await this.host.updateComplete;
    this.dialog.value?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private field(name: Field, label: string, type = 'text', autocomplete?: string) {
    const error = this.errors.get(name);
    return html`<div class="field">
      <label for=${`nm-${name}`}>${label}</label>
      <input
        id=${`nm-${name}`}
        name=${name}
        type=${type}
        autocomplete=${ifDefined(autocomplete)}
        maxlength=${name === 'email' ? 254 : 100}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${ifDefined(error ? `nm-${name}-error` : undefined)}
      />
      ${error ? html`<span class="field-error" id=${`nm-${name}-error`}>${error}</span>` : nothing}
    </div>`;
  }

  render() {
    const { t } = this.provided;
    return html`<dialog id="new-member" aria-labelledby="nm-title" aria-describedby="nm-intro" part="dialog" ${ref(this.dialog)}>
      <form novalidate @submit=${(e: SubmitEvent) => this.submit(e)} ${ref(this.form)}>
        <h2 id="nm-title">${t.newMember.title}</h2>
        <p id="nm-intro" class="muted">${t.newMember.intro}</p>
        <div class="form-grid">
          ${this.field('firstName', t.fields.firstName, 'text', 'off')} ${this.field('lastName', t.fields.lastName, 'text', 'off')}
          ${this.field('email', t.fields.email, 'email', 'off')} ${this.field('phone', t.fields.phoneNumber, 'tel', 'off')}
        </div>
        <label class="check"><input type="checkbox" name="emailSubscribed" />${t.fields.emailSubscribed}</label>
        ${this.formError ? html`<p class="field-error" role="alert">${this.formError}</p>` : nothing}
        <div class="dialog-actions">
          <button type="button" class="btn" @click=${() => this.close()}>${t.common.cancel}</button>
          <button type="submit" class="btn primary" ?disabled=${this.busy}>${this.busy ? t.newMember.creating : t.newMember.create}</button>
        </div>
      </form>
    </dialog>`;
  }
}
