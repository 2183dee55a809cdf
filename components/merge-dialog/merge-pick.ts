/** The first step of a merge: the customer that stays, suggested duplicates with their score, and a search to add sources. */
import { html, nothing } from 'lit';
import { displayName } from '../api/customers.ts';
import { MAX_MERGE_SOURCES } from '../../server/contract/limits.ts';
import type { DuplicateSuggestion, MergeCandidate } from '../api/merge.ts';
import type { Customer } from '../api/types.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { renderError, renderLoading } from '../shared/async-state.ts';
import { icon } from '../shared/icons.ts';
import type { PagedQuery } from '../shared/paged-query.ts';

/** What the step shows and what its controls ask for, given by the dialog at each render. */
export interface PickProps {
  format: Formatter;
  primary: Customer;
  suggestions: DuplicateSuggestion[] | undefined;
  suggestionsError: unknown;
  retrySuggestions(): void;
  search: Pick<PagedQuery<unknown, MergeCandidate>, 'items' | 'error' | 'loaded' | 'loading' | 'reload'>;
  searchText: string;
  selected: ReadonlyMap<string, MergeCandidate>;
  toggle(candidate: MergeCandidate, on: boolean): void;
  setSearch(text: string): void;
}

const contact = (c: MergeCandidate) => [c.email, c.phones[0]?.number, c.city].filter(Boolean).join(' · ');

export function renderPrimary(primary: Customer, format: Formatter) {
  const t = format.t.merge;
  return html`<section class="primary" part="primary" aria-labelledby="md-primary-title">
    <h3 id="md-primary-title">${t.keeps}</h3>
    <p class="who"><strong>${displayName(primary)}</strong> <span class="number">#${primary.number}</span></p>
    <p class="muted">${[primary.email, primary.phones[0]?.number, format.t.points.balance + ': ' + format.number(primary.points)].filter(Boolean).join(' · ')}</p>
  </section>`;
}

function renderCandidate(props: PickProps, candidate: MergeCandidate, extra?: { score: number; reasons: string[] }) {
  const { format, selected } = props;
  const t = format.t.merge;
  const checked = selected.has(candidate.id);
  const full = selected.size >= MAX_MERGE_SOURCES && !checked;
  const id = `md-c-${candidate.id}`;
  return html`<li class="candidate ${checked ? 'on' : ''}" part="candidate">
    <input type="checkbox" id=${id} .checked=${checked} ?disabled=${full} @change=${(e: Event) => props.toggle(candidate, (e.target as HTMLInputElement).checked)} />
    <label for=${id}>
      <span class="who"><strong>${displayName(candidate)}</strong> <span class="number">#${candidate.number}</span></span>
      <span class="contact muted">${contact(candidate) || format.t.common.none}</span>
      ${extra
        ? html`<span class="why">
            <span class="badge score">${t.score(format.percent(Math.floor(extra.score * 1000) / 10))}</span>
            ${extra.reasons.map((r) => html`<span class="badge reason">${(t.reasons as Record<string, string>)[r] ?? r}</span>`)}
          </span>`
        : nothing}
    </label>
  </li>`;
}

function renderSuggestions(props: PickProps) {
  const t = props.format.t;
  if (props.suggestionsError) return renderError(props.suggestionsError, t, () => props.retrySuggestions());
  if (!props.suggestions) return renderLoading(t);
  if (!props.suggestions.length) return html`<p class="muted empty-line">${t.merge.noSuggestions}</p>`;
  return html`<ul class="candidates" aria-labelledby="md-suggested-title">
    ${props.suggestions.map((s) => renderCandidate(props, s.customer, s))}
  </ul>`;
}

function renderSearchResults(props: PickProps) {
  const t = props.format.t;
  const search = props.search;
  if (!props.searchText.trim()) return nothing;
  if (search.error) return renderError(search.error, t, () => search.reload());
  if (!search.loaded || search.loading === 'first') return renderLoading(t);
  const results = search.items.filter((c) => c.id !== props.primary.id);
  if (!results.length) return html`<p class="muted empty-line" role="status">${t.merge.noResults}</p>`;
  return html`<ul class="candidates" aria-label=${t.merge.searchResults}>
    ${results.map((c) => renderCandidate(props, c))}
  </ul>`;
}

export function renderPick(props: PickProps) {
  const { format, selected } = props;
  const t = format.t.merge;
  return html`${renderPrimary(props.primary, format)}
    <section class="pick-section" aria-labelledby="md-suggested-title">
      <h3 id="md-suggested-title">${t.suggested}</h3>
      ${renderSuggestions(props)}
    </section>
    <section class="pick-section" aria-labelledby="md-search-title">
      <h3 id="md-search-title">${t.searchTitle}</h3>
      <div class="search">
        ${icon('search')}
        <input
          type="search"
          id="md-search"
          aria-labelledby="md-search-title"
          placeholder=${t.searchPlaceholder}
          autocomplete="off"
          maxlength="200"
          .value=${props.searchText}
          @input=${(e: Event) => props.setSearch((e.target as HTMLInputElement).value)}
        />
      </div>
      ${renderSearchResults(props)}
    </section>
    <div class="selection" part="selection">
      <p role="status" aria-live="polite">${t.selectedCount(selected.size, MAX_MERGE_SOURCES)}</p>
      ${selected.size >= MAX_MERGE_SOURCES ? html`<p class="hint">${t.limitReached(MAX_MERGE_SOURCES)}</p>` : nothing}
      ${selected.size
        ? html`<ul class="chips">
            ${[...selected.values()].map(
              (c) => html`<li class="tag">
                #${c.number} ${displayName(c)}
                <button type="button" aria-label=${t.unselect(displayName(c))} @click=${() => props.toggle(c, false)}>${icon('x')}</button>
              </li>`,
            )}
          </ul>`
        : nothing}
    </div>`;
}
