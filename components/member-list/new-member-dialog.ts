/**
 * The "new member" dialog: a native <dialog> with the few fields a member
 * needs to exist, checked before sending (a name, an email or a phone) and
 * then by the server, whose 422 details land next to their fields. The
 * tenant's required custom fields are asked here too, or no member could be
 * created once one exists.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { ApiError } from '../api/api-error.ts';
import { listCustomFields, type CustomFieldDefinition } from '../api/reference.ts';
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
  /** The required custom fields, read when the dialog opens. */
  private required: CustomFieldDefinition[] = [];

  private readonly provided = new Provided(this.host);
  private readonly dialog = createRef<HTMLDialogElement>();
  private readonly form = createRef<HTMLFormElement>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: NewMemberOptions,
  ) {}

  async open() {
    const client = this.provided.client;
    const definitions = client ? await listCustomFields(client).catch(() => []) : [];
    this.required = definitions.filter((d) => d.required);
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
    if (this.required.length) body.custom = Object.fromEntries(this.required.map((d) => [d.key, customValue(d, data.get(`custom.${d.key}`))]));
    this.busy = true;
    this.host.requestUpdate();
    try {
      const { customer } = await createCustomer(this.provided.client!, body, this.key);
      this.close();
      this.options.onCreated(customer);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.details.length) {
        for (const d of err.details) this.errors.set(d.path.startsWith('phones.') ? 'phone' : d.path, this.provided.format.serverMessage(d.message));
        const placed = (path: string) => FIELDS.includes(path as Field) || this.required.some((d) => path === `custom.${d.key}`);
        const unplaced = err.details.filter((d) => !placed(d.path.startsWith('phones.') ? 'phone' : d.path));
        if (unplaced.length) this.formError = unplaced.map((d) => this.provided.format.serverMessage(d.message)).join(' ');
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

  /** One input per required custom field, named and checked by the server like any other field. */
  private customField(d: CustomFieldDefinition) {
    const id = `nm-custom-${d.key}`;
    const error = this.errors.get(`custom.${d.key}`);
    const describedBy = ifDefined(error ? `${id}-error` : undefined);
    const invalid = error ? 'true' : 'false';
    const name = `custom.${d.key}`;
    const errorText = error ? html`<span class="field-error" id=${`${id}-error`}>${error}</span>` : nothing;
    if (d.type === 'boolean') {
      return html`<div class="field"><label class="check"><input id=${id} name=${name} type="checkbox" aria-invalid=${invalid} aria-describedby=${describedBy} />${d.label}</label>${errorText}</div>`;
    }
    const label = html`<label for=${id}>${d.label} <span aria-hidden="true">*</span></label>`;
    const control =
      d.type === 'enum'
        ? html`<select id=${id} name=${name} required aria-invalid=${invalid} aria-describedby=${describedBy}>
            <option value=""></option>
            ${(d.options ?? []).map((o) => html`<option value=${o}>${o}</option>`)}
          </select>`
        : html`<input
            id=${id}
            name=${name}
            required
            type=${d.type === 'date' ? 'date' : d.type === 'text' ? 'text' : 'number'}
            step=${ifDefined(d.type === 'decimal' ? 'any' : undefined)}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
          />`;
    return html`<div class="field">${label}${control}${errorText}</div>`;
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
          ${this.required.map((d) => this.customField(d))}
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

/** A form value as the API takes it for the field's type: the text itself when it is no number, so the server names the problem. */
function customValue(d: CustomFieldDefinition, raw: FormDataEntryValue | null): unknown {
  if (d.type === 'boolean') return raw === 'on';
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return null;
  if (d.type === 'integer' || d.type === 'decimal') {
    const n = Number(text.replace(',', '.'));
    return Number.isFinite(n) ? n : text;
  }
  return text;
}
