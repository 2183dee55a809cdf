/**
 * A customer field's name and value as a person reads them, whatever the
 * value's type: shared by the history (before → after) and the merge
 * dialog (the values to choose between).
 */
import type { CustomFieldDefinition } from '../api/reference.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';

type Data = Record<string, unknown>;
const ADDRESS_ORDER = ['line1', 'line2', 'postalCode', 'city', 'region', 'country'];

export function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.values(v as Data).every(isEmpty);
}

/** A field's value as a person reads it, whatever its type. */
export function readable(field: string, value: unknown, format: Formatter): string {
  const t = format.t;
  if (isEmpty(value)) return t.history.empty;
  if (typeof value === 'boolean') return value ? t.common.yes : t.common.no;
  if (typeof value === 'number') return field === 'personalDiscount' ? format.percent(value) : format.number(value);
  if (typeof value === 'string') {
    if (field === 'gender' && value in t.genders) return t.genders[value as keyof typeof t.genders];
    if (field === 'idType' && value in t.idTypes) return t.idTypes[value as keyof typeof t.idTypes];
    if (field === 'status' && value in t.status) return t.status[value as keyof typeof t.status];
    if (/^\d{4}-\d{2}-\d{2}$/.test(value) || field === 'registeredAt') return format.date(value);
    if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value)) return format.dateTime(value);
    return value;
  }
  if (Array.isArray(value)) {
    return value
      .map((item) => (item && typeof item === 'object' && 'number' in item ? [item.number, item.label ? `(${item.label})` : ''].join(' ').trim() : String(item)))
      .join(', ');
  }
  if (typeof value === 'object') {
    const parts = value as Data;
    const keys = field === 'address' ? ADDRESS_ORDER.filter((k) => k in parts) : Object.keys(parts);
    return keys
      .map((k) => parts[k])
      .filter((v) => !isEmpty(v))
      .map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))
      .join(', ');
  }
  return String(value);
}

export function fieldLabel(field: string, format: Formatter, customFields: CustomFieldDefinition[]): string {
  const t = format.t;
  if (field.startsWith('custom.')) {
    const key = field.slice('custom.'.length);
    return customFields.find((f) => f.key === key)?.label ?? key;
  }
  if (field === 'address') return t.card.sections.address;
  if (field === 'legal') return t.card.sections.legal;
  if (field === 'levelId') return t.fields.level;
  if (field === 'assignedUserId') return t.fields.assignee;
  return (t.fields as Record<string, string>)[field] ?? field;
}
