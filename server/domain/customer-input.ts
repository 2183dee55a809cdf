/**
 * Validation of customer bodies (POST and PATCH) in one pass, so a form gets
 * every field's error at once: the static zod shape, then the checks that
 * need the tenant (phone region, custom field definitions).
 */
import { z } from '@hono/zod-openapi';
import { isValidIBAN, electronicFormatIBAN, isValidBIC } from 'ibantools';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { MAX_PHONES, MAX_TAGS } from '../contract/limits.ts';
import { customFields, tenants, type CustomFieldRow, type Phone } from '../db/schema.ts';
import { notFound, ValidationFailed, type ErrorDetail } from '../errors.ts';
import { customValue } from './custom-fields.ts';
import { normalizeEmail } from './normalize.ts';

export const ID_TYPES = ['national_id', 'passport', 'tax_id', 'foreign_id', 'other'] as const;
export const GENDERS = ['female', 'male', 'other'] as const;
export const LEGAL_TYPES = ['person', 'company', 'sole_trader'] as const;

const text = (max: number) => z.string().trim().max(max, { message: `At most ${max} characters.` });
/** A blank optional text means "no value": stored as null, never as ''. */
const optionalText = (max: number) =>
  text(max)
    .transform((v) => v || null)
    .nullable()
    .optional();

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use the format YYYY-MM-DD.' })
  .refine((v) => !Number.isNaN(Date.parse(v + 'T00:00:00Z')) && new Date(v + 'T00:00:00Z').toISOString().startsWith(v), {
    message: 'Not a real date.',
  })
  .openapi({ format: 'date' });

/**
 * An ISO-8601 timestamp within years 1900–9999 in UTC: PostgreSQL misreads a
 * five-digit year (answering 500), and year 0001 was read back as 2001.
 */
export const isoInstant = z
  .iso.datetime({ offset: true, message: 'Use an ISO-8601 timestamp.' })
  .refine((v) => {
    const year = new Date(v).getUTCFullYear();
    // An unreadable timestamp is reported once, by the format check above.
    return Number.isNaN(year) || (year >= 1900 && year <= 9999);
  }, { message: 'Must be between the years 1900 and 9999.' });

const birthday = isoDate
  .refine((v) => v >= '1900-01-01', { message: 'Must not be before 1900-01-01.' })
  .refine((v) => v < new Date().toISOString().slice(0, 10), { message: 'Must be in the past.' });

const PhoneInput = z.strictObject({
  number: z.string().trim().min(1, { message: 'Required.' }).max(40, { message: 'At most 40 characters.' }),
  label: optionalText(40),
});

const AddressInput = z.strictObject({
  line1: optionalText(200),
  line2: optionalText(200),
  city: optionalText(100),
  region: optionalText(100),
  postalCode: optionalText(20),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'Use a two-letter ISO country code, e.g. ES.' })
    .nullable()
    .optional(),
});

const LegalInput = z.strictObject({
  type: z.enum(LEGAL_TYPES),
  companyName: optionalText(200),
  taxId: optionalText(50),
  iban: z
    .string()
    .max(42)
    .transform((v) => electronicFormatIBAN(v) ?? v)
    .refine((v) => isValidIBAN(v), { message: 'Not a valid IBAN (checksum failed).' })
    .nullable()
    .optional(),
  bic: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => isValidBIC(v), { message: 'Not a valid BIC.' })
    .nullable()
    .optional(),
  bankName: optionalText(200),
  legalAddress: optionalText(300),
});

const emailFormat = z.email();

const Tag = z.string().trim().min(1, { message: 'Tags cannot be empty.' }).max(50, { message: 'At most 50 characters.' });

/** Writable on create and on PATCH. */
const editable = {
  firstName: optionalText(100),
  lastName: optionalText(100),
  email: z
    .string()
    .trim()
    .max(254, { message: 'At most 254 characters.' })
    .refine((v) => v === '' || emailFormat.safeParse(v).success, { message: 'Not a valid email address.' })
    .transform((v) => (v ? normalizeEmail(v) : null))
    .nullable()
    .optional()
    .openapi({ anyOf: [{ type: 'string', format: 'email' }, { const: '' }, { type: 'null' }], description: 'An empty text or null clears it' }),
  emailSubscribed: z.boolean().optional(),
  phones: z.array(PhoneInput).max(MAX_PHONES, { message: `At most ${MAX_PHONES} phones.` }).optional(),
  idType: z.enum(ID_TYPES).nullable().optional(),
  idNumber: optionalText(50),
  externalId: optionalText(100),
  gender: z.enum(GENDERS).nullable().optional(),
  city: optionalText(100),
  birthday: birthday.nullable().optional(),
  address: AddressInput.nullable().optional(),
  registeredAt: isoInstant.optional(),
  registrationCode: optionalText(50),
  custom: z.record(z.string().max(64), z.unknown()).optional(),
  tags: z.array(Tag).max(MAX_TAGS, { message: `At most ${MAX_TAGS} tags.` }).optional(),
  vip: z.boolean().optional(),
  bad: z.boolean().optional(),
  personalDiscount: z.number().min(0, { message: 'Between 0 and 100.' }).max(100, { message: 'Between 0 and 100.' }).nullable().optional(),
  legal: LegalInput.nullable().optional(),
};

const someText = (max: number) => ({ type: 'string' as const, minLength: 1, maxLength: max, pattern: '\\S' });

export const CustomerCreateSchema = z
  .strictObject({
    ...editable,
    store: optionalText(100),
  })
  .openapi('CustomerCreate', {
    description: 'A customer needs at least a name, an email or a phone.',
    anyOf: [
      { required: ['firstName'], properties: { firstName: someText(100) } },
      { required: ['lastName'], properties: { lastName: someText(100) } },
      { required: ['email'], properties: { email: { type: 'string', format: 'email', maxLength: 254 } } },
      { required: ['phones'], properties: { phones: { type: 'array', minItems: 1 } } },
    ],
  });

export const CustomerPatchSchema = z.strictObject(editable).openapi('CustomerPatch');

export type CustomerCreateInput = z.output<typeof CustomerCreateSchema>;
export type CustomerPatchInput = z.output<typeof CustomerPatchSchema>;

export interface InputContext {
  defaultRegion: string;
  customFields: CustomFieldRow[];
}

export function normalizePhone(raw: string, region: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.replace(/^00/, '+'), region as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

function validateCustom(values: Record<string, unknown>, definitions: CustomFieldRow[], creating: boolean, details: ErrorDetail[]) {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  for (const [key, value] of Object.entries(values)) {
    const def = byKey.get(key);
    const path = `custom.${key}`;
    if (!def) {
      details.push({ path, message: 'No custom field with this key.' });
      continue;
    }
    if (value === null) {
      if (def.required) details.push({ path, message: 'Required.' });
      continue;
    }
    const problem = customValueProblem(def, value);
    if (problem) details.push({ path, message: problem });
  }
  if (creating) {
    for (const def of definitions) {
      if (def.required && (customValue(values, def.key) ?? null) === null) {
        details.push({ path: `custom.${def.key}`, message: 'Required.' });
      }
    }
  }
}

function customValueProblem(def: CustomFieldRow, value: unknown): string | null {
  switch (def.type) {
    case 'text':
      return typeof value === 'string' && value.length <= 1000 ? null : 'Must be text of at most 1000 characters.';
    case 'integer':
      return Number.isSafeInteger(value) ? null : 'Must be a whole number.';
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Must be a number.';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Must be true or false.';
    case 'date':
      return typeof value === 'string' && isoDate.safeParse(value).success ? null : 'Use the format YYYY-MM-DD.';
    case 'enum':
      return typeof value === 'string' && (def.options ?? []).includes(value) ? null : `Must be one of: ${(def.options ?? []).join(', ')}.`;
    default:
      return 'Unsupported field type.';
  }
}

type Identity = { firstName?: string | null; lastName?: string | null; email?: string | null; phones?: unknown[] };

/** A customer needs at least a name, an email or a phone: on create, and after every edit. */
export function identityProblem(customer: Identity): ErrorDetail | null {
  if (customer.firstName || customer.lastName || customer.email || customer.phones?.length) return null;
  return { path: 'firstName', message: 'A customer needs at least a name, an email or a phone.' };
}

type Parsed<T> = Omit<T, 'phones'> & { phones?: Phone[] };
export type CustomerCreateFields = Parsed<CustomerCreateInput>;
export type CustomerPatchFields = Parsed<CustomerPatchInput>;

/** What the checks need of the tenant: its phone region and custom field definitions. */
export async function inputContext(tx: Tx, tenantId: string): Promise<InputContext> {
  const [[tenant], definitions] = await Promise.all([
    tx.select({ defaultRegion: tenants.defaultRegion }).from(tenants).where(eq(tenants.id, tenantId)),
    tx.select().from(customFields).where(eq(customFields.tenantId, tenantId)),
  ]);
  if (!tenant) throw notFound('Tenant');
  return { defaultRegion: tenant.defaultRegion, customFields: definitions };
}

/**
 * The checks that need the tenant, written against the body as sent so they
 * also run when its shape is wrong: phones in the tenant's default region
 * (answered in E.164), custom values by their definitions.
 */
function tenantChecks(body: { phones?: unknown; custom?: unknown }, mode: 'create' | 'patch', ctx: InputContext) {
  const details: ErrorDetail[] = [];
  const phones: Phone[] = [];
  if (Array.isArray(body.phones)) {
    body.phones.forEach((phone: { number?: unknown; label?: string | null } | null, i) => {
      const number = phone?.number;
      if (typeof number !== 'string' || !number.trim()) return;
      const e164 = normalizePhone(number, ctx.defaultRegion);
      if (!e164) details.push({ path: `phones.${i}.number`, message: `Not a valid phone number (default region ${ctx.defaultRegion}).` });
      else if (phones.some((p) => p.number === e164)) details.push({ path: `phones.${i}.number`, message: 'This number is listed twice.' });
      else phones.push({ number: e164, label: phone?.label ?? null });
    });
  }
  const custom = body.custom;
  if (custom && typeof custom === 'object' && !Array.isArray(custom)) {
    validateCustom(custom as Record<string, unknown>, ctx.customFields, mode === 'create', details);
  } else if (mode === 'create') {
    validateCustom({}, ctx.customFields, true, details);
  }
  return { details, phones };
}

/**
 * Completes a body its route schema accepted with the checks that need the
 * tenant; throws ValidationFailed naming every bad field at once.
 */
export function completeCustomerInput(input: CustomerCreateInput, mode: 'create', ctx: InputContext): CustomerCreateFields;
export function completeCustomerInput(input: CustomerPatchInput, mode: 'patch', ctx: InputContext): CustomerPatchFields;
export function completeCustomerInput(input: CustomerCreateInput | CustomerPatchInput, mode: 'create' | 'patch', ctx: InputContext) {
  const { details, phones } = tenantChecks(input, mode, ctx);
  const completed: CustomerCreateFields = { ...input, phones: input.phones && phones, tags: input.tags && [...new Set(input.tags)] };
  if (completed.legal && completed.legal.type !== 'person' && !completed.legal.companyName) {
    details.push({ path: 'legal.companyName', message: 'Required for a company or sole trader.' });
  }
  if (mode === 'create') {
    const problem = identityProblem(completed);
    if (problem) details.push(problem);
  }
  if (details.length) throw new ValidationFailed(details);
  return stripUndefined(completed);
}

/**
 * Every problem of a customer body its route schema refused: the schema's,
 * and the tenant's checks on the same body, so a form shows them all at once.
 */
export function customerBodyProblems(body: unknown, schemaDetails: ErrorDetail[], mode: 'create' | 'patch', ctx: InputContext): ErrorDetail[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return schemaDetails;
  return [...schemaDetails, ...tenantChecks(body, mode, ctx).details];
}

export function stripUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
