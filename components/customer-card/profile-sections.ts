/** The profile's sections (contact, identity, address, billing, programme, custom fields), viewed or edited. */
import { html, nothing, type TemplateResult } from 'lit';
import type { CustomFieldDefinition } from '../api/reference.ts';
import type { Customer, DuplicateHint } from '../api/types.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { icon } from '../shared/icons.ts';
import { renderControl, renderPhonesEditor, renderTagsEditor, renderViewItem, type FieldSpec, type FormProps } from './profile-fields.ts';

/** The customer, the edit in progress and what a click asks for, given by the card at each render. */
export interface SectionsProps extends FormProps {
  customer: Customer;
  definitions: CustomFieldDefinition[];
  editing: boolean;
  format: Formatter;
  selectCustomer(id: string): void;
}

const options = <K extends string>(labels: Record<K, string>) => Object.entries(labels) as Array<[K, string]>;

/** "Also on #1043, #1051" with each number a button that picks that customer. */
function duplicateHints(props: SectionsProps, field: DuplicateHint['field'], value?: string) {
  const hints = props.customer.duplicateHints.filter((h) => h.field === field && (value === undefined || h.value === value));
  const others = hints.flatMap((h) => h.customers).filter((c) => c.id !== props.customer.id);
  if (!others.length) return nothing;
  const { t } = props;
  return html`<div class="dup-hint" part="duplicate-hint">
    ${icon('alert')}
    <span class="visually-hidden">${t.card.duplicateLabel}:</span>
    <span>${t.card.duplicateHint}</span>
    ${others.map(
      (other) => html`<button type="button" class="link" aria-label=${t.card.openCustomer(other.number)} @click=${() => props.selectCustomer(other.id)}>
        ${t.card.number(other.number)}
      </button>`,
    )}
  </div>`;
}

function section(title: string, id: string, body: TemplateResult, editing: boolean) {
  return html`<section class="section" aria-labelledby=${`section-${id}`} part="section">
    <h3 id=${`section-${id}`}>${title}</h3>
    ${editing ? html`<div class="grid">${body}</div>` : html`<dl class="grid">${body}</dl>`}
  </section>`;
}

function fields(props: SectionsProps, specs: FieldSpec[]) {
  return html`${specs.map((spec) => (props.editing ? renderControl(spec, props) : renderViewItem(spec, props.t)))}`;
}

function contact(props: SectionsProps) {
  const { t, customer: c } = props;
  const phonesView = c.phones.length
    ? html`<ul class="plain">
        ${c.phones.map(
          (p) => html`<li><a href=${`tel:${p.number}`}>${p.number}</a>${p.label ? html` <span class="muted">· ${p.label}</span>` : nothing}${duplicateHints(props, 'phone', p.number)}</li>`,
        )}
      </ul>`
    : null;
  const specs: FieldSpec[] = [
    { path: 'firstName', label: t.fields.firstName, view: c.firstName, maxlength: 100, autocomplete: 'given-name' },
    { path: 'lastName', label: t.fields.lastName, view: c.lastName, maxlength: 100, autocomplete: 'family-name' },
    {
      path: 'email',
      label: t.fields.email,
      kind: 'email',
      view: c.email ? html`<a href=${`mailto:${c.email}`}>${c.email}</a>` : null,
      maxlength: 254,
      autocomplete: 'email',
      after: duplicateHints(props, 'email'),
    },
    { path: 'emailSubscribed', label: t.fields.emailSubscribed, kind: 'checkbox', view: c.emailSubscribed ? t.common.yes : t.common.no },
  ];
  const phones = props.editing
    ? renderPhonesEditor(props, (number) => duplicateHints(props, 'phone', number))
    : renderViewItem({ path: 'phones', label: t.fields.phones, view: phonesView, wide: true }, t);
  return section(t.card.sections.contact, 'contact', html`${fields(props, specs)}${phones}`, props.editing);
}

function identity(props: SectionsProps) {
  const { t, customer: c, format } = props;
  const specs: FieldSpec[] = [
    { path: 'idType', label: t.fields.idType, kind: 'select', options: options(t.idTypes), view: c.idType ? t.idTypes[c.idType as keyof typeof t.idTypes] : null },
    { path: 'idNumber', label: t.fields.idNumber, view: c.idNumber, maxlength: 50, after: duplicateHints(props, 'idNumber') },
    { path: 'gender', label: t.fields.gender, kind: 'select', options: options(t.genders), view: c.gender ? t.genders[c.gender as keyof typeof t.genders] : null },
    { path: 'birthday', label: t.fields.birthday, kind: 'date', view: c.birthday ? format.date(c.birthday) : null, autocomplete: 'bday' },
    { path: 'city', label: t.fields.city, view: c.city, maxlength: 100 },
    { path: 'externalId', label: t.fields.externalId, view: c.externalId, maxlength: 100 },
    { path: 'registeredAt', label: t.fields.registeredAt, kind: 'date', view: format.date(c.registeredAt) },
    { path: 'registrationCode', label: t.fields.registrationCode, view: c.registrationCode, maxlength: 50 },
  ];
  const readOnly = [
    renderViewItem({ path: 'shareCode', label: t.fields.shareCode, view: html`<code>${c.shareCode}</code>` }, t),
    renderViewItem({ path: 'store', label: t.fields.store, view: c.store }, t),
  ];
  return section(t.card.sections.identity, 'identity', html`${fields(props, specs)}${props.editing ? html`<dl class="readonly">${readOnly}</dl>` : readOnly}`, props.editing);
}

function address(props: SectionsProps) {
  const { t, customer: c } = props;
  const a = (c.address ?? {}) as Record<string, string | null | undefined>;
  const specs: FieldSpec[] = [
    { path: 'address.line1', label: t.fields.line1, view: a.line1, maxlength: 200, autocomplete: 'address-line1', wide: true },
    { path: 'address.line2', label: t.fields.line2, view: a.line2, maxlength: 200, autocomplete: 'address-line2', wide: true },
    { path: 'address.postalCode', label: t.fields.postalCode, view: a.postalCode, maxlength: 20, autocomplete: 'postal-code' },
    { path: 'address.city', label: t.fields.addressCity, view: a.city, maxlength: 100, autocomplete: 'address-level2' },
    { path: 'address.region', label: t.fields.region, view: a.region, maxlength: 100, autocomplete: 'address-level1' },
    { path: 'address.country', label: t.fields.country, view: a.country, maxlength: 2, autocomplete: 'country' },
  ];
  return section(t.card.sections.address, 'address', fields(props, specs), props.editing);
}

function legal(props: SectionsProps) {
  const { t, customer: c, draft } = props;
  const l = (c.legal ?? {}) as Record<string, string | null | undefined>;
  const type = props.editing ? draft.legal.type : (l.type ?? '');
  const specs: FieldSpec[] = [
    { path: 'legal.type', label: t.fields.legalType, kind: 'select', options: options(t.legalTypes), view: l.type ? t.legalTypes[l.type as keyof typeof t.legalTypes] : null },
  ];
  if (type && type !== 'person') {
    specs.push(
      { path: 'legal.companyName', label: t.fields.companyName, view: l.companyName, maxlength: 200, required: true },
      { path: 'legal.taxId', label: t.fields.taxId, view: l.taxId, maxlength: 50 },
    );
  }
  if (type) {
    specs.push(
      { path: 'legal.iban', label: t.fields.iban, view: l.iban, maxlength: 42 },
      { path: 'legal.bic', label: t.fields.bic, view: l.bic, maxlength: 11 },
      { path: 'legal.bankName', label: t.fields.bankName, view: l.bankName, maxlength: 200 },
      { path: 'legal.legalAddress', label: t.fields.legalAddress, view: l.legalAddress, maxlength: 300, wide: true },
    );
  }
  return section(t.card.sections.legal, 'legal', fields(props, specs), props.editing);
}

function programme(props: SectionsProps) {
  const { t, customer: c, format } = props;
  const specs: FieldSpec[] = [
    { path: 'vip', label: t.fields.vip, kind: 'checkbox', view: c.vip ? t.common.yes : t.common.no },
    { path: 'bad', label: t.fields.bad, kind: 'checkbox', view: c.bad ? t.common.yes : t.common.no },
    {
      path: 'personalDiscount',
      label: t.fields.personalDiscount,
      kind: 'number',
      view: c.personalDiscount === null ? null : format.percent(c.personalDiscount),
    },
  ];
  const tags = props.editing
    ? renderTagsEditor(props)
    : renderViewItem(
        {
          path: 'tags',
          label: t.fields.tags,
          wide: true,
          view: c.tags.length ? html`<ul class="tags">${c.tags.map((tag) => html`<li class="tag">${tag}</li>`)}</ul>` : null,
        },
        t,
      );
  return section(t.card.sections.programme, 'programme', html`${fields(props, specs)}${tags}`, props.editing);
}

function custom(props: SectionsProps) {
  const { t, customer: c, format, definitions } = props;
  if (!definitions.length) return nothing;
  const specs = definitions.map((d): FieldSpec => {
    const value = c.custom[d.key];
    const kind = ({ text: 'text', integer: 'number', decimal: 'number', date: 'date', boolean: 'checkbox', enum: 'select' } as const)[d.type] ?? 'text';
    let view: unknown = value;
    if (d.type === 'boolean') view = value === undefined ? null : value ? t.common.yes : t.common.no;
    else if (d.type === 'date' && typeof value === 'string') view = format.date(value);
    else if ((d.type === 'integer' || d.type === 'decimal') && typeof value === 'number') view = format.number(value);
    return {
      path: `custom.${d.key}`,
      label: d.label,
      kind,
      options: d.options?.map((o) => [o, o] as const),
      required: d.required,
      view,
      wide: d.type === 'text',
    };
  });
  return section(t.card.sections.custom, 'custom', fields(props, specs), props.editing);
}

export function renderSections(props: SectionsProps) {
  return html`${contact(props)}${identity(props)}${address(props)}${legal(props)}${programme(props)}${custom(props)}`;
}
