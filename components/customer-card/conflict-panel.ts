/**
 * What a 412 shows: the fields the admin tried to change with their value
 * and the value now stored, what else changed meanwhile and who did it, and
 * the two ways forward (reload, or apply the same changes again).
 */
import { html, nothing } from 'lit';
import { sameValue } from '../../server/contract/canonical.ts';
import type { CustomFieldDefinition } from '../api/reference.ts';
import type { Customer, CustomerPatch } from '../api/types.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { icon } from '../shared/icons.ts';

export interface Conflict {
  current: Customer;
  patch: CustomerPatch;
  /** The customer as this card had loaded it, before the failed save. */
  base: Customer;
  changedBy: { name: string; at: string } | null;
}

const COMPARED = [
  'firstName', 'lastName', 'email', 'emailSubscribed', 'phones', 'idType', 'idNumber', 'externalId', 'gender', 'city', 'birthday',
  'registeredAt', 'registrationCode', 'address', 'tags', 'vip', 'bad', 'personalDiscount', 'legal', 'status', 'assignedUserId', 'points',
] as const;

function label(field: string, format: Formatter, definitions: CustomFieldDefinition[]): string {
  const t = format.t;
  if (field.startsWith('custom.')) return definitions.find((d) => d.key === field.slice(7))?.label ?? field.slice(7);
  if (field === 'address') return t.card.sections.address;
  if (field === 'legal') return t.card.sections.legal;
  return (t.fields as Record<string, string>)[field] ?? field;
}

function show(value: unknown, format: Formatter): string {
  const t = format.t;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return t.common.none;
  if (typeof value === 'boolean') return value ? t.common.yes : t.common.no;
  if (typeof value === 'number') return format.number(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v ? (v as { number?: string }).number ?? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return Object.values(value).filter((v) => v !== null && v !== '').join(', ') || t.common.none;
  return String(value);
}

/** Rows of [field, mine, theirs] for each field of the failed patch (custom values one by one). */
export function conflictRows(conflict: Conflict): Array<{ field: string; mine: unknown; theirs: unknown }> {
  const rows: Array<{ field: string; mine: unknown; theirs: unknown }> = [];
  for (const [field, mine] of Object.entries(conflict.patch)) {
    if (field === 'custom') {
      for (const [key, value] of Object.entries(mine as Record<string, unknown>)) {
        rows.push({ field: `custom.${key}`, mine: value, theirs: conflict.current.custom[key] ?? null });
      }
    } else {
      rows.push({ field, mine, theirs: (conflict.current as Record<string, unknown>)[field] });
    }
  }
  return rows;
}

/** Fields someone else changed that this admin did not touch. */
export function alsoChanged(conflict: Conflict): string[] {
  const mine = new Set(Object.keys(conflict.patch));
  const before = conflict.base as Record<string, unknown>;
  const now = conflict.current as Record<string, unknown>;
  return COMPARED.filter((f) => !mine.has(f) && !sameValue(before[f], now[f]));
}

/** The 412 on screen and the two ways forward, given by the card at each render. */
export interface ConflictProps {
  conflict: Conflict | null;
  format: Formatter;
  definitions: CustomFieldDefinition[];
  busy: boolean;
  reloadFromConflict(): void;
  reapplyAfterConflict(): void;
}

export function renderConflict(props: ConflictProps) {
  const conflict = props.conflict;
  if (!conflict) return nothing;
  const { format, definitions } = props;
  const t = format.t.conflict;
  const others = alsoChanged(conflict);
  return html`<section class="conflict" role="alert" aria-labelledby="conflict-title" part="conflict">
    <div class="conflict-head">
      ${icon('alert')}
      <div>
        <h3 id="conflict-title" tabindex="-1">${t.title}</h3>
        <p>${t.body}</p>
        ${conflict.changedBy ? html`<p class="muted">${t.changedBy(conflict.changedBy.name, format.relative(conflict.changedBy.at))}</p>` : nothing}
      </div>
    </div>
    <table>
      <thead>
        <tr>
          <th scope="col">${t.field}</th>
          <th scope="col">${t.yours}</th>
          <th scope="col">${t.theirs}</th>
        </tr>
      </thead>
      <tbody>
        ${conflictRows(conflict).map(
          (row) => html`<tr>
            <th scope="row">${label(row.field, format, definitions)}</th>
            <td class="mine">${show(row.mine, format)}</td>
            <td>${show(row.theirs, format)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${others.length
      ? html`<p class="muted">${t.alsoChanged}: ${format.list(others.map((f) => label(f, format, definitions)))}</p>`
      : nothing}
    <div class="conflict-actions">
      <button type="button" class="btn" ?disabled=${props.busy} @click=${() => props.reloadFromConflict()}>${icon('refresh')}${t.reload}</button>
      <button type="button" class="btn primary" ?disabled=${props.busy} @click=${() => props.reapplyAfterConflict()}>${t.reapply}</button>
    </div>
  </section>`;
}
