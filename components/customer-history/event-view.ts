/**
 * How each history event reads: a one-line summary, the details that
 * matter (an edit's fields as before → after, a reason, a merge's sources),
 * and the category that picks its icon and colour.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { HistoryEvent, HistoryEventType } from '../api/history.ts';
import type { CustomFieldDefinition } from '../api/reference.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { fieldLabel, readable } from '../shared/field-values.ts';
import { kindLabel, signed } from '../shared/formatting.ts';
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
type Ref = { id?: string; name?: string | null; number?: number } | null | undefined;

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
      return { summary: t.created(typeof d.number === 'number' ? `#${d.number}` : ''), details: nothing };
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
      return {
        summary: t.points(signed(delta, format), kindLabel(String(d.kind ?? 'adjust'), delta, format)),
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
        details: html`${Number(d.pointsForfeited ?? 0) ? html`<p class="muted">${t.forfeited(format.number(Number(d.pointsForfeited)))}</p>` : nothing}${reason(d.reason, format)}`,
      };
    case 'customer.erased':
      return { summary: t.erased, details: nothing };
    default:
      return { summary: event.type, details: nothing };
  }
}

/** A merge: on the primary, which sources and which field values came from which; on a source, where it went. */
function describeMerge(event: HistoryEvent, format: Formatter, customFields: CustomFieldDefinition[]): EventView {
  const t = format.t.history;
  const d = event.data as Data;
  const into = d.mergedInto as Ref;
  if (into) return { summary: t.mergedInto(numbers([into])[0] ?? ''), details: nothing };
  const sources = ((d.sources as Ref[] | undefined) ?? []).filter(Boolean);
  const byId = new Map(sources.map((s) => [s!.id, s]));
  const fields = ((d.fields as Array<{ field: string; customerId: string; from: unknown; to: unknown }> | undefined) ?? []).filter((f) => byId.has(f.customerId));
  const moved = (d.moves as Record<string, number> | undefined) ?? {};
  const moves = [
    moved.orders ? t.movedOrders(moved.orders) : '',
    moved.ledgerEntries ? t.movedEntries(moved.ledgerEntries) : '',
    moved.notes ? t.movedNotes(moved.notes) : '',
  ].filter(Boolean);
  return {
    summary: t.merged(format.list(numbers(sources)), sources.length),
    details: html`${fields.length
      ? html`<ul class="changes">
          ${fields.map(
            (f) => html`<li>
              <span class="change-field">${fieldLabel(f.field, format, customFields)}:</span>
              <span class="from">${readable(f.field, f.from, format)}</span>
              <span class="arrow" aria-hidden="true">→</span> <span class="visually-hidden">${t.changedTo}</span>
              <span class="to">${readable(f.field, f.to, format)}</span>
              <span class="muted">(${t.takenFrom(numbers([byId.get(f.customerId)]).join(''))})</span>
            </li>`,
          )}
        </ul>`
      : nothing}${moves.length ? html`<p class="muted">${t.moved(format.list(moves))}</p>` : nothing}`,
  };
}
