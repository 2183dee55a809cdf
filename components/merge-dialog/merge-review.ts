/**
 * The second step: what the merge would do. Blockers, the conflicting
 * fields side by side with a choice each, the counts that move, the balance
 * and level after, the irreversible-action warning and the typed
 * confirmation.
 */
import { html, nothing } from 'lit';
import type { MergeCandidate, MergeConflict, MergePreview } from '../api/merge.ts';
import type { Level } from '../api/reference.ts';
import type { Customer } from '../api/types.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import type { CustomFieldDefinition } from '../api/reference.ts';
import { fieldLabel, isEmpty, readable } from '../shared/field-values.ts';
import { icon } from '../shared/icons.ts';

/** What the step shows and what its controls ask for, given by the dialog at each render. */
export interface ReviewProps {
  format: Formatter;
  primary: Customer;
  selected: ReadonlyMap<string, MergeCandidate>;
  preview: MergePreview;
  levels: Level[];
  customFields: CustomFieldDefinition[];
  choices: Record<string, string>;
  confirmText: string;
  choose(field: string, customerId: string): void;
  setConfirmText(text: string): void;
}

const MOVES = ['orders', 'ledgerEntries', 'notes', 'events', 'tags', 'phones'] as const;

/**
 * The value kept for each conflicting field when the admin does not choose:
 * the primary's, unless it is empty and a source's is not (an empty value
 * never wins over a filled one). Earlier choices stay while they still apply.
 */
export function defaultChoices(conflicts: MergeConflict[], primaryId: string, previous: Record<string, string> = {}): Record<string, string> {
  const choices: Record<string, string> = {};
  for (const conflict of conflicts) {
    const filled = conflict.values.filter((v) => !isEmpty(v.value)).map((v) => v.customerId);
    const kept = previous[conflict.field];
    if (kept && filled.includes(kept)) choices[conflict.field] = kept;
    else if (conflict.chosen && filled.includes(conflict.chosen)) choices[conflict.field] = conflict.chosen;
    else if (filled.includes(primaryId) || !filled.length) choices[conflict.field] = primaryId;
    else choices[conflict.field] = filled[0];
  }
  return choices;
}

/** The typed confirmation matches the primary's number ("1042" or "#1042"). */
export const confirmed = (text: string, primary: Customer) => text.trim().replace(/^#/, '') === String(primary.number);

function numberOf(props: ReviewProps, customerId: string): string {
  if (customerId === props.primary.id) return `#${props.primary.number}`;
  const source = props.selected.get(customerId);
  return source ? `#${source.number}` : '';
}

function renderBlockers(props: ReviewProps) {
  const t = props.format.t.merge;
  const blockers = props.preview.blockers;
  if (!blockers.length) return nothing;
  return html`<div class="blockers" part="blockers" role="alert">
    <h3>${icon('alert')}${t.blockedTitle}</h3>
    <ul>
      ${blockers.map(
        (b) => html`<li data-code=${b.code}>
          ${b.customerId ? html`<strong>${numberOf(props, b.customerId)}</strong> ` : nothing}${(t.blockers as Record<string, string>)[b.code] ?? b.message}
        </li>`,
      )}
    </ul>
  </div>`;
}

function renderConflicts(props: ReviewProps) {
  const { format, preview, primary, selected } = props;
  const t = format.t.merge;
  const columns = [primary.id, ...selected.keys()];
  if (!preview.conflicts.length) return html`<p class="muted">${t.noConflicts}</p>`;
  return html`<div class="table-scroll" role="region" tabindex="0" aria-labelledby="md-conflicts-title">
    <table class="conflicts" part="conflicts">
      <thead>
        <tr>
          <th scope="col">${t.field}</th>
          ${columns.map((id) => html`<th scope="col">${numberOf(props, id)}${id === primary.id ? html` <span class="badge">${t.primaryBadge}</span>` : nothing}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${preview.conflicts.map((conflict) => {
          const label = fieldLabel(conflict.field, format, props.customFields);
          return html`<tr>
            <th scope="row">${label}</th>
            ${columns.map((id) => {
              const value = conflict.values.find((v) => v.customerId === id)?.value ?? null;
              const empty = isEmpty(value);
              const inputId = `md-choice-${conflict.field}-${id}`;
              return html`<td class=${empty ? 'empty' : props.choices[conflict.field] === id ? 'chosen' : ''}>
                <input
                  type="radio"
                  id=${inputId}
                  name=${`md-choice-${conflict.field}`}
                  .checked=${props.choices[conflict.field] === id}
                  ?disabled=${empty}
                  aria-label=${t.keepValue(label, numberOf(props, id), readable(conflict.field, value, format))}
                  @change=${() => props.choose(conflict.field, id)}
                />
                <label for=${inputId} aria-hidden="true">${readable(conflict.field, value, format)}</label>
              </td>`;
            })}
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

function renderOutcome(props: ReviewProps) {
  const { format, preview } = props;
  const t = format.t.merge;
  const level = props.levels.find((l) => l.id === preview.after.levelId);
  return html`<dl class="moves" part="moves">
      ${MOVES.map((key) => html`<div><dt>${t.moves[key]}</dt><dd>${format.number(preview.moves[key] ?? 0)}</dd></div>`)}
    </dl>
    <p class="after" part="after">
      ${t.after(format.number(preview.after.points), format.number(preview.after.lifetimePoints), level?.name ?? format.t.points.noLevel)}
    </p>
    ${preview.leftOut && (preview.leftOut.phones.length || preview.leftOut.tags.length)
      ? html`<p class="hint" part="left-out">${t.leftOut(preview.leftOut.phones, preview.leftOut.tags)}</p>`
      : nothing}`;
}

export function renderReview(props: ReviewProps) {
  const { format, primary, selected } = props;
  const t = format.t.merge;
  const blocked = props.preview.blockers.length > 0;
  const sources = [...selected.values()].map((c) => `#${c.number}`);
  const typedWrong = props.confirmText.trim() !== '' && !confirmed(props.confirmText, primary);
  return html`${renderBlockers(props)}
    <div class="group">
      <h3 id="md-conflicts-title">${t.conflictsTitle}</h3>
      <p class="hint">${t.conflictsHint}</p>
      ${renderConflicts(props)}
    </div>
    <div class="group">
      <h3>${t.outcomeTitle}</h3>
      ${renderOutcome(props)}
    </div>
    ${blocked
      ? nothing
      : html`<div class="warning" part="warning">
            ${icon('alert')}
            <div>
              <strong>${t.irreversibleTitle}</strong>
              <p>${t.irreversible(format.list(sources), `#${primary.number}`, sources.length)}</p>
            </div>
          </div>
          <div class="field confirm">
            <label for="md-confirm">${t.confirmLabel(String(primary.number))}</label>
            <input
              id="md-confirm"
              autocomplete="off"
              inputmode="numeric"
              .value=${props.confirmText}
              aria-invalid=${typedWrong ? 'true' : 'false'}
              aria-describedby="md-confirm-hint"
              @input=${(e: Event) => props.setConfirmText((e.target as HTMLInputElement).value)}
            />
            <span class="hint" id="md-confirm-hint">${typedWrong ? t.confirmMismatch : t.confirmHint}</span>
          </div>`}`;
}
