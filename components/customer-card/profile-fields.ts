/**
 * The building blocks of the profile: one field spec renders as a term and
 * value when viewing, or as a labelled control with its error when editing.
 * Ids derive from the field's path, which is also the path of the server's
 * 422 details, so an error lands next to its field.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Translation } from '../i18n/en.ts';
import { icon } from '../shared/icons.ts';
import { getAt, type Draft } from './draft.ts';

export type FieldKind = 'text' | 'email' | 'date' | 'number' | 'select' | 'checkbox' | 'textarea';

export interface FieldSpec {
  /** Draft path and 422 detail path: `email`, `address.city`, `custom.size`. */
  path: string;
  label: string;
  kind?: FieldKind;
  options?: ReadonlyArray<readonly [value: string, label: string]>;
  /** What viewing shows; defaults to the draft's text. */
  view?: unknown;
  maxlength?: number;
  autocomplete?: string;
  required?: boolean;
  wide?: boolean;
  /** Extra content under the value or control (duplicate hints). */
  after?: TemplateResult | typeof nothing;
}

/** The draft, its errors and the way to change it, as the card gives them. */
export interface FormProps {
  draft: Draft;
  fieldErrors: Map<string, string>;
  t: Translation;
  setField(path: string, value: unknown): void;
}

export const fieldId = (path: string) => `field-${path.replace(/[^\w-]/g, '-')}`;
const errorId = (path: string) => `${fieldId(path)}-error`;

function fieldError(props: FormProps, path: string) {
  const message = props.fieldErrors.get(path);
  return message ? html`<span class="field-error" id=${errorId(path)}>${message}</span>` : nothing;
}

export function renderViewItem(spec: FieldSpec, t: Translation) {
  const value = spec.view;
  const shown = value === null || value === undefined || value === '' ? html`<span class="muted">${t.common.none}</span>` : value;
  return html`<div class="item ${spec.wide ? 'wide' : ''}">
    <dt>${spec.label}</dt>
    <dd>${shown}${spec.after ?? nothing}</dd>
  </div>`;
}

export function renderControl(spec: FieldSpec, props: FormProps) {
  const id = fieldId(spec.path);
  const invalid = props.fieldErrors.has(spec.path);
  const describedBy = invalid ? errorId(spec.path) : undefined;
  const value = getAt(props.draft, spec.path);
  const onInput = (e: Event) => {
    const target = e.target as HTMLInputElement;
    props.setField(spec.path, spec.kind === 'checkbox' ? target.checked : target.value);
  };
  if (spec.kind === 'checkbox') {
    return html`<div class="field check-field ${spec.wide ? 'wide' : ''}">
      <label class="check">
        <input type="checkbox" id=${id} .checked=${value === true} @change=${onInput} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy)} />
        <span>${spec.label}</span>
      </label>
      ${fieldError(props, spec.path)}
    </div>`;
  }
  let control: TemplateResult;
  if (spec.kind === 'select') {
    control = html`<select id=${id} @change=${onInput} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy)} ?required=${spec.required}>
      <option value="" ?selected=${value === ''}>${props.t.common.none}</option>
      ${(spec.options ?? []).map(([v, label]) => html`<option value=${v} ?selected=${value === v}>${label}</option>`)}
    </select>`;
  } else if (spec.kind === 'textarea') {
    control = html`<textarea id=${id} .value=${String(value ?? '')} @input=${onInput} maxlength=${ifDefined(spec.maxlength)} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy)}></textarea>`;
  } else {
    control = html`<input
      id=${id}
      type=${spec.kind ?? 'text'}
      .value=${String(value ?? '')}
      @input=${onInput}
      maxlength=${ifDefined(spec.maxlength)}
      autocomplete=${ifDefined(spec.autocomplete)}
      inputmode=${ifDefined(spec.kind === 'number' ? 'decimal' : undefined)}
      ?required=${spec.required}
      aria-invalid=${invalid ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy)}
    />`;
  }
  return html`<div class="field ${spec.wide ? 'wide' : ''}">
    <label for=${id}>${spec.label}${spec.required ? html` <span aria-hidden="true">*</span>` : nothing}</label>
    ${control} ${spec.after ?? nothing} ${fieldError(props, spec.path)}
  </div>`;
}

/** The phone list: number and label per row, add and remove. */
export function renderPhonesEditor(props: FormProps, hints: (number: string) => TemplateResult | typeof nothing) {
  const { t, draft } = props;
  const phones = draft.phones;
  const setPhones = (next: Draft['phones']) => props.setField('phones', next);
  return html`<fieldset class="field wide phones">
    <legend class="field-label">${t.fields.phones}</legend>
    ${phones.map((phone, i) => {
      const path = `phones.${i}.number`;
      const invalid = props.fieldErrors.has(path);
      return html`<div class="phone-row">
        <div class="field">
          <label for=${fieldId(path)} class="visually-hidden">${t.fields.phoneNumber} ${i + 1}</label>
          <input
            id=${fieldId(path)}
            type="tel"
            autocomplete="tel"
            .value=${phone.number}
            placeholder=${t.fields.phoneNumber}
            @input=${(e: Event) => setPhones(phones.map((p, j) => (j === i ? { ...p, number: (e.target as HTMLInputElement).value } : p)))}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${ifDefined(invalid ? errorId(path) : undefined)}
          />
          ${hints(phone.number)} ${fieldError(props, path)}
        </div>
        <div class="field label-field">
          <label for=${fieldId(`phones.${i}.label`)} class="visually-hidden">${t.fields.phoneLabel} ${i + 1}</label>
          <input
            id=${fieldId(`phones.${i}.label`)}
            .value=${phone.label}
            placeholder=${t.fields.phoneLabel}
            maxlength="40"
            @input=${(e: Event) => setPhones(phones.map((p, j) => (j === i ? { ...p, label: (e.target as HTMLInputElement).value } : p)))}
          />
        </div>
        <button type="button" class="btn ghost icon-only" aria-label=${t.card.removePhone(i + 1)} @click=${() => setPhones(phones.filter((_, j) => j !== i))}>
          ${icon('x')}
        </button>
      </div>`;
    })}
    ${fieldError(props, 'phones')}
    <div>
      <button type="button" class="btn small" @click=${() => setPhones([...phones, { number: '', label: '' }])}>${icon('plus')}${t.card.addPhone}</button>
    </div>
  </fieldset>`;
}

/** Tags as removable chips and a text box: Enter or comma adds. */
export function renderTagsEditor(props: FormProps) {
  const { t, draft } = props;
  const add = (input: HTMLInputElement) => {
    const tag = input.value.replace(/,/g, '').trim();
    if (tag && !draft.tags.includes(tag)) props.setField('tags', [...draft.tags, tag]);
    input.value = '';
  };
  const tagErrors = [...props.fieldErrors].filter(([path]) => path === 'tags' || path.startsWith('tags.'));
  return html`<div class="field wide">
    <label for=${fieldId('tags')}>${t.fields.tags}</label>
    <div class="tag-editor">
      <ul class="tags" aria-label=${t.fields.tags}>
        ${draft.tags.map(
          (tag) => html`<li class="tag">
            ${tag}
            <button type="button" aria-label=${t.card.removeTag(tag)} @click=${() => props.setField('tags', draft.tags.filter((x) => x !== tag))}>${icon('x')}</button>
          </li>`,
        )}
      </ul>
      <input
        id=${fieldId('tags')}
        placeholder=${t.card.addTag}
        aria-describedby=${`${fieldId('tags')}-hint`}
        aria-invalid=${tagErrors.length ? 'true' : 'false'}
        maxlength="50"
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add(e.target as HTMLInputElement);
          }
        }}
        @blur=${(e: FocusEvent) => add(e.target as HTMLInputElement)}
      />
    </div>
    <span class="hint" id=${`${fieldId('tags')}-hint`}>${t.card.addTagHint}</span>
    ${tagErrors.map(([, message]) => html`<span class="field-error">${message}</span>`)}
  </div>`;
}
