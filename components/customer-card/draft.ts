/**
 * The edit form's model: every editable field as the form holds it (strings
 * for inputs), built from a customer, and turned back into a PATCH body that
 * names only what changed (SPEC §5: partial update).
 */
import { sameValue } from '../../server/contract/canonical.ts';
import type { Customer, CustomerPatch } from '../api/types.ts';
import type { CustomFieldDefinition } from '../api/reference.ts';

export interface Draft {
  firstName: string;
  lastName: string;
  email: string;
  emailSubscribed: boolean;
  phones: Array<{ number: string; label: string }>;
  idType: string;
  idNumber: string;
  externalId: string;
  gender: string;
  city: string;
  birthday: string;
  registeredAt: string;
  registrationCode: string;
  address: { line1: string; line2: string; city: string; region: string; postalCode: string; country: string };
  tags: string[];
  vip: boolean;
  bad: boolean;
  personalDiscount: string;
  legal: { type: string; companyName: string; taxId: string; iban: string; bic: string; bankName: string; legalAddress: string };
  custom: Record<string, string | boolean>;
}

const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));

export function toDraft(customer: Customer, definitions: CustomFieldDefinition[]): Draft {
  const address = (customer.address ?? {}) as Record<string, string | null | undefined>;
  const legal = (customer.legal ?? {}) as Record<string, unknown>;
  return {
    firstName: str(customer.firstName),
    lastName: str(customer.lastName),
    email: str(customer.email),
    emailSubscribed: customer.emailSubscribed,
    phones: customer.phones.map((p) => ({ number: p.number, label: str(p.label) })),
    idType: str(customer.idType),
    idNumber: str(customer.idNumber),
    externalId: str(customer.externalId),
    gender: str(customer.gender),
    city: str(customer.city),
    birthday: str(customer.birthday),
    registeredAt: customer.registeredAt.slice(0, 10),
    registrationCode: str(customer.registrationCode),
    address: {
      line1: str(address.line1),
      line2: str(address.line2),
      city: str(address.city),
      region: str(address.region),
      postalCode: str(address.postalCode),
      country: str(address.country),
    },
    tags: [...customer.tags],
    vip: customer.vip,
    bad: customer.bad,
    personalDiscount: str(customer.personalDiscount),
    legal: {
      type: str(legal.type),
      companyName: str(legal.companyName),
      taxId: str(legal.taxId),
      iban: str(legal.iban),
      bic: str(legal.bic),
      bankName: str(legal.bankName),
      legalAddress: str(legal.legalAddress),
    },
    custom: Object.fromEntries(
      definitions.map((d) => [d.key, d.type === 'boolean' ? customer.custom[d.key] === true : str(customer.custom[d.key])]),
    ),
  };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

function objectOrNull<T extends Record<string, string>>(fields: T): Record<keyof T, string | null> | null {
  const entries = Object.entries(fields).map(([k, v]) => [k, orNull(v)] as const);
  return entries.every(([, v]) => v === null) ? null : (Object.fromEntries(entries) as Record<keyof T, string | null>);
}

/** A number when the text is one, else the text itself, so the server names the problem (422) instead of a silent null. */
function numeric(value: string, integer: boolean): number | string | null {
  const text = value.trim().replace(',', '.');
  if (!text) return null;
  const n = Number(text);
  return Number.isFinite(n) && (!integer || Number.isInteger(n)) ? n : value;
}

function customValue(definition: CustomFieldDefinition, value: string | boolean | undefined): unknown {
  if (definition.type === 'boolean') return value === true;
  const text = typeof value === 'string' ? value : '';
  if (definition.type === 'integer') return numeric(text, true);
  if (definition.type === 'decimal') return numeric(text, false);
  return orNull(text);
}

/** The body the API takes for each top-level field of the draft. */
function wire(draft: Draft): Omit<CustomerPatch, 'custom'> {
  return {
    firstName: orNull(draft.firstName),
    lastName: orNull(draft.lastName),
    email: orNull(draft.email),
    emailSubscribed: draft.emailSubscribed,
    phones: draft.phones.filter((p) => p.number.trim()).map((p) => ({ number: p.number.trim(), label: orNull(p.label) })),
    idType: orNull(draft.idType) as CustomerPatch['idType'],
    idNumber: orNull(draft.idNumber),
    externalId: orNull(draft.externalId),
    gender: orNull(draft.gender) as CustomerPatch['gender'],
    city: orNull(draft.city),
    birthday: orNull(draft.birthday),
    registeredAt: draft.registeredAt,
    registrationCode: orNull(draft.registrationCode),
    address: objectOrNull(draft.address),
    tags: draft.tags,
    vip: draft.vip,
    bad: draft.bad,
    personalDiscount: numeric(draft.personalDiscount, false) as number | null,
    legal: draft.legal.type ? ({ ...objectOrNull(draft.legal), type: draft.legal.type } as CustomerPatch['legal']) : null,
  };
}

/** Only the fields that differ from `base`, compared as the server compares them; custom values key by key. */
export function toPatch(draft: Draft, base: Draft, definitions: CustomFieldDefinition[]): CustomerPatch {
  const now = wire(draft) as Record<string, unknown>;
  const before = wire(base) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(now)) {
    if (!sameValue(now[key], before[key])) patch[key] = now[key];
  }
  if (typeof patch.registeredAt === 'string') patch.registeredAt = `${patch.registeredAt}T00:00:00.000Z`;
  const custom: Record<string, unknown> = {};
  for (const definition of definitions) {
    const value = customValue(definition, draft.custom[definition.key]);
    if (!sameValue(value, customValue(definition, base.custom[definition.key]))) custom[definition.key] = value;
  }
  if (Object.keys(custom).length) patch.custom = custom;
  return patch as CustomerPatch;
}

/** Reads a value at a dotted path (`address.city`, `phones.0.number`, `custom.size`). */
export function getAt(draft: Draft, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], draft);
}

/** A copy of the draft with one value replaced at a dotted path. */
export function setAt(draft: Draft, path: string, value: unknown): Draft {
  const copy = structuredClone(draft) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy as unknown as Draft;
}
