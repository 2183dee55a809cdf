/**
 * How each history event reads: a one-line summary, the details that
 * matter (an edit's fields as before → after, a reason, a merge's sources),
 * and the category that picks its icon and colour.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { HistoryEvent, HistoryEventType } from '../api/history.ts';
import type { CustomFieldDefinition } from '../api/reference.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { signed } from '../shared/formatting.ts';
import type { IconName } from '../shared/icons.ts';

export const CATEGORIES = {
  profile: ['customer.created', 'customer.updated', 'customer.status_changed', 'customer.assignee_changed', 'customer.removed', 'customer.erased'],
  points: ['points.changed', 'level.changed'],
  orders: ['order.recorded', 'order.updated'],
  notes: ['note.added', 'note.deleted'],
  merges: ['customer.merged', 'duplicates.dismissed'],
} as const satisfies Record<string, readonly HistoryEventType[]>;
export type Category = keyof typeof CATEGORIES;

const ICONS: Record<Category, IconName> = { profile: 'user', points: 'coins', orders: 'cart', notes: 'note', merges: 'merge' };

export function categoryOf(type: string): Category {
  const found = (Object.keys(CATEGORIES) as Category[]).find((c) => (CATEGORIES[c] as readonly string[]).includes(type));
  return found ?? 'profile';
}

export const iconOf = (type: string) => ICONS[categoryOf(type)];

export interface EventView {
  summary: string | TemplateResult;
  details: TemplateResult | typeof nothing;
}

type Data = Record<string, unknown>;
const ADDRESS_ORDER = ['line1', 'line2', 'postalCode', 'city', 'region', 'country'];
type Ref = { id?: string; name?: string | null; number?: number } | null | undefined;

function isEmpty(v: unknown): boolean {
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
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return format.date(value);
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

function changeList(changes: Array<{ field: string; from: unknown; to: unknown }>, format: Formatter, customFields: CustomFieldDefinition[]) {
  const t = format.t.history;
  return html`<ul class="changes">
    ${changes.map(
      (c) => html`<li>
        <span class="change-field">${fieldLabel(c.field, format, customFields)}:</span>
        <span class="from">${readable(c.field, c.from, format)}</span>
        <span class="arrow" aria-hidden="true">→</span> <span class="visually-hidden">${t.changedTo}</span>
        <span class="to">${readable(c.field, c.to, format)}</span>
      </li>`,
    )}
  </ul>`;
}

const refName = (ref: Ref, format: Formatter) => ref?.name ?? (ref?.number !== undefined ? `#${ref.number}` : format.t.history.unknown);
const numbers = (refs: Ref[]) => refs.map((r) => (r?.number !== undefined ? `#${r.number}` : '')).filter(Boolean);

const reason = (text: unknown, format: Formatter) => (typeof text === 'string' && text ? html`<p class="reason">${format.t.history.reason(text)}</p>` : nothing);

export function describeEvent(event: HistoryEvent, format: Formatter, customFields: CustomFieldDefinition[]): EventView {
  const t = format.t.history;
  const d = event.data as Data;
  switch (event.type) {
    case 'customer.created':
      return { summary: t.created, details: nothing };
    case 'customer.updated': {
      const changes = (d.changes as Array<{ field: string; from: unknown; to: unknown }> | undefined) ?? [];
      return { summary: t.updated(changes.length), details: changes.length ? changeList(changes, format, customFields) : nothing };
    }
    case 'customer.status_changed':
      return { summary: t.statusChanged(readable('status', d.from, format), readable('status', d.to, format)), details: reason(d.reason, format) };
    case 'customer.assignee_changed':
      return {
        summary: t.assigneeChanged(d.from ? refName(d.from as Ref, format) : t.unassigned, d.to ? refName(d.to as Ref, format) : t.unassigned),
        details: nothing,
      };
    case 'points.changed': {
      const delta = Number(d.delta ?? 0);
      const kind = String(d.kind ?? 'adjust') as keyof typeof format.t.points.kinds;
      return {
        summary: t.points(signed(delta, format), format.t.points.kinds[kind] ?? kind),
        details: html`${reason(d.reason, format)}<p class="muted">${t.balanceAfter(format.number(Number(d.balance ?? 0)))}</p>`,
      };
    }
    case 'level.changed': {
      const from = (d.from as Ref)?.name ?? t.noLevel;
      const to = (d.to as Ref)?.name ?? t.noLevel;
      const cause = String(d.cause ?? 'points') as keyof typeof t.levelCauses;
      const locked = d.locked === true;
      return { summary: t.levelChanged(from, to), details: html`<p class="muted">${t.levelCauses[cause] ?? cause}${locked ? ` · ${t.levelLocked}` : ''}</p>` };
    }
    case 'note.added':
      return { summary: t.noteAdded, details: nothing };
    case 'note.deleted':
      return { summary: t.noteDeleted, details: nothing };
    case 'order.recorded': {
      const earned = Number(d.pointsEarned ?? 0);
      const total = typeof d.total === 'number' ? format.money(d.total, typeof d.currency === 'string' ? d.currency : undefined) : '';
      const status = String(d.status ?? '');
      return {
        summary: t.orderRecorded(String(d.externalId ?? ''), total),
        details: html`<p class="muted">${[t.orderStatus(status), earned ? t.pointsEarned(signed(earned, format)) : ''].filter(Boolean).join(' · ')}</p>`,
      };
    }
    case 'order.updated': {
      const taken = Number(d.pointsTakenBack ?? 0);
      const changes = (d.changes as Array<{ field: string; from: unknown; to: unknown }> | undefined) ?? [];
      const status = changes.find((c) => c.field === 'status');
      return {
        summary: t.orderUpdated(String(d.externalId ?? ''), t.orderStatus(String(status?.from ?? '')), t.orderStatus(String(status?.to ?? ''))),
        details: taken ? html`<p class="muted">${t.pointsTakenBack(format.number(taken))}</p>` : nothing,
      };
    }
    case 'customer.merged':
      return describeMerge(event, format, customFields);
    case 'duplicates.dismissed': {
      const others = (d.notDuplicatesOf as string[] | undefined) ?? [];
      return { summary: t.dismissed(others.length), details: nothing };
    }
    case 'customer.removed':
      return {
        summary: t.removed,
        details: Number(d.pointsForfeited ?? 0) ? html`<p class="muted">${t.forfeited(format.number(Number(d.pointsForfeited)))}</p>` : nothing,
      };
    case 'customer.erased':
      return { summary: t.erased, details: nothing };
    default:
      return { summary: event.type, details: nothing };
  }
}

/** A merge on the primary: which sources, and which field values came from which of them. */
function describeMerge(event: HistoryEvent, format: Formatter, customFields: CustomFieldDefinition[]): EventView {
  const t = format.t.history;
  const d = event.data as Data;
  const sources = ((d.sources as Ref[] | undefined) ?? []).filter(Boolean);
  const byId = new Map(sources.map((s) => [s!.id, s]));
  const choices = Object.entries((d.fieldChoices as Record<string, string> | undefined) ?? {}).filter(([, id]) => byId.has(id));
  const moved = (d.moves as Record<string, number> | undefined) ?? {};
  const after = d.after as { points?: number } | undefined;
  return {
    summary: t.merged(format.list(numbers(sources)), sources.length),
    details: html`${choices.length
      ? html`<ul class="changes">
          ${choices.map(([field, id]) => html`<li><span class="change-field">${fieldLabel(field, format, customFields)}:</span> ${t.takenFrom(numbers([byId.get(id)!])[0] ?? '')}</li>`)}
        </ul>`
      : nothing}${moved.ledgerEntries || after?.points !== undefined
      ? html`<p class="muted">${[
          moved.orders ? t.movedOrders(moved.orders) : '',
          after?.points !== undefined ? t.balanceAfter(format.number(after.points)) : '',
        ]
          .filter(Boolean)
          .join(' · ')}</p>`
      : nothing}`,
  };
}
