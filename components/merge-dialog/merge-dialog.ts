/**
 * <merge-dialog customer-id="…">: merges duplicates into this customer, in
 * a native modal <dialog>. Pick sources (suggested duplicates with their
 * score and reasons, or a search by name, email, phone or #number; up to
 * 10), review (blockers, a choice per conflicting field, what moves, the
 * balance and level after), confirm by typing the customer's number, then
 * the result with a way to the survivor. The merge cannot be undone; a
 * host may veto it by cancelling `merge-request`. Needs customers:merge.
 *
 * Open it with `show()` or the `open` attribute; it closes itself, or with
 * `close()`.
 *
 * @fires merge-request - Cancelable, just before merging: preventDefault() stops it.
 * @fires customers-merged - The sources were merged into this customer.
 * @fires customer-select - The admin asked to open the surviving customer.
 * @csspart dialog - The <dialog>
 * @csspart primary - The customer that stays
 * @csspart candidate - A customer that can be picked as a source
 * @csspart selection - The picked sources
 * @csspart blockers - Why the merge cannot be done
 * @csspart conflicts - The table of conflicting fields
 * @csspart moves - What the merge moves
 * @csspart after - The balance and level after the merge
 * @csspart left-out - The phones and tags that do not fit the primary's limits and stay in the merge record
 * @csspart warning - The irreversible-action warning
 * @csspart merge-button - The button that merges
 * @csspart result - The outcome
 * @csspart survivor-link - The button that opens the customer that stayed
 * @csspart loading - Beside `state`: while loading
 * @csspart empty - Beside `state`: nothing to show
 * @csspart error - Beside `state`: what went wrong, with a retry
 * @csspart state - Loading, error and empty states
 */
import { Task, initialState } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError } from '../api/api-error.ts';
import { idempotencyKey, type ClientelaClient } from '../api/client.ts';
import { displayName, getCustomer, listCustomers } from '../api/customers.ts';
import type { LiveEvent } from '../api/event-stream.ts';
import { listDuplicates, mergeCustomers, previewMerge, type MergeCandidate, type MergePreview, type MergeResult } from '../api/merge.ts';
import { listCustomFields, listLevels } from '../api/reference.ts';
import { CustomerSelectEvent, CustomersMergedEvent, MergeRequestEvent } from '../events.ts';
import { errorMessage, renderAsync } from '../shared/async-state.ts';
import { ClientelaElement } from '../shared/clientela-element.ts';
import { icon } from '../shared/icons.ts';
import { LiveUpdates } from '../shared/live-updates.ts';
import { openModal } from '../shared/modal.ts';
import { PagedQuery } from '../shared/paged-query.ts';
import { styles } from './merge-dialog.styles.ts';
import { renderPick, type PickProps } from './merge-pick.ts';
import { confirmed, defaultChoices, renderReview, type ReviewProps } from './merge-review.ts';

type Step = 'pick' | 'review' | 'merging' | 'done';
const SEARCH_RESULTS = 8;

export class MergeDialog extends ClientelaElement {
  static override styles = styles;

  /** The customer that stays: the sources are merged into it. */
  @property({ attribute: 'customer-id', reflect: true }) customerId = '';
  /** Whether the dialog is open; it sets this back to false when it closes itself. */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private step: Step = 'pick';
  @state() private selected = new Map<string, MergeCandidate>();
  @state() private searchText = '';
  @state() private choices: Record<string, string> = {};
  @state() private confirmText = '';
  @state() private notice = '';
  @state() private mergeError = '';
  @state() private result: MergeResult | null = null;
  /** Bumped to preview again (the customers changed meanwhile). */
  @state() private previewRound = 0;
  /** One key per intended merge, kept for a retry after a lost answer. */
  private mergeKey: { sources: string; key: string } | null = null;
  /** The preview whose conflicts the choices were made for. */
  private chosenFor: MergePreview | undefined;

  private readonly search = new PagedQuery<{ client: ClientelaClient; q: string }, MergeCandidate>(this, async (q, _cursor, signal) => {
    const page = await listCustomers(q.client, { q: q.q, limit: String(SEARCH_RESULTS) }, signal);
    return { items: page.items, nextCursor: null };
  });

  private readonly setup = new Task(this, {
    args: () => [this.client, this.customerId, this.open] as const,
    task: async ([client, id, open]: readonly [ClientelaClient | undefined, string, boolean], { signal }) => {
      if (!client || !id || !open) return initialState;
      const [record, levels, customFields] = await Promise.all([
        getCustomer(client, id, signal),
        listLevels(client).catch(() => []),
        listCustomFields(client).catch(() => []),
      ]);
      return { primary: record.customer, levels, customFields };
    },
  });

  private readonly suggestionsTask = new Task(this, {
    args: () => [this.client, this.customerId, this.open && this.can('customers:merge')] as const,
    task: async ([client, id, wanted]: readonly [ClientelaClient | undefined, string, boolean], { signal }) =>
      client && id && wanted ? listDuplicates(client, id, signal) : initialState,
  });

  private readonly previewTask = new Task(this, {
    args: () => [this.client, this.customerId, this.step === 'review' ? [...this.selected.keys()].join(',') : '', this.previewRound] as const,
    task: async ([client, id, sources]: readonly [ClientelaClient | undefined, string, string, number], { signal }) =>
      client && id && sources ? previewMerge(client, id, sources.split(','), signal) : initialState,
  });

  constructor() {
    super();
    new LiveUpdates(this, () => (this.open && this.step === 'review' ? [this.customerId, ...this.selected.keys()] : []), (e) => this.onLive(e));
  }

  /** Opens the dialog at its first step. */
  show() {
    this.open = true;
  }

  /** Closes the dialog, as its own close button does. */
  close() {
    this.open = false;
  }

  private get format() {
    return this.i18n.format;
  }
  private get primary() {
    return this.setup.value!.primary;
  }
  private get preview() {
    return this.previewTask.value!;
  }

  private get dialog() {
    return this.renderRoot.querySelector<HTMLDialogElement>('dialog');
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    super.willUpdate(changed);
    // Opening starts afresh at the first step.
    if ((changed.has('open') || changed.has('customerId')) && this.open && !this.dialog?.open) this.reset();
    const preview = this.previewTask.value;
    if (preview && preview !== this.chosenFor) {
      this.chosenFor = preview;
      this.choices = defaultChoices(preview.conflicts, this.customerId, this.choices);
    }
  }

  protected override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    if (changed.has('open') || changed.has('customerId')) {
      const dialog = this.dialog;
      if (this.open && dialog && !dialog.open) openModal(dialog, this.renderRoot.querySelector<HTMLElement>('#md-title'));
      else if (!this.open && dialog?.open) dialog.close();
    }
  }

  private reset() {
    this.step = 'pick';
    this.selected = new Map();
    this.searchText = '';
    this.choices = {};
    this.confirmText = '';
    this.notice = '';
    this.mergeError = '';
    this.result = null;
    this.mergeKey = null;
  }

  private setSearch(text: string) {
    this.searchText = text;
    if (this.client && text.trim()) this.search.set({ client: this.client, q: text.trim() });
  }

  private toggle(candidate: MergeCandidate, on: boolean) {
    const next = new Map(this.selected);
    if (on) next.set(candidate.id, candidate);
    else next.delete(candidate.id);
    this.selected = next;
  }

  private async goTo(step: Step) {
    this.step = step;
    this.mergeError = '';
    if (step !== 'review') this.notice = '';
    if (step === 'pick') this.confirmText = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#md-step-title')?.focus();
  }

  private onLive(event: LiveEvent) {
    if (this.step !== 'review') return;
    const known = event.kind === 'change' && event.customerId === this.customerId ? this.setup.value?.primary.version : undefined;
    if (event.kind === 'change' && known !== undefined && event.version !== null && event.version <= known) return;
    this.notice = this.i18n.t.merge.changedMeanwhile;
    this.previewRound += 1;
  }

  private async merge() {
    const client = this.client;
    if (!client || this.step !== 'review' || !confirmed(this.confirmText, this.primary)) return;
    const sourceIds = [...this.selected.keys()];
    const request = new MergeRequestEvent({ customerId: this.customerId, sourceIds });
    if (!this.dispatchEvent(request)) {
      this.mergeError = this.i18n.t.merge.vetoed;
      return;
    }
    const sources = sourceIds.join(',');
    if (this.mergeKey?.sources !== sources) this.mergeKey = { sources, key: idempotencyKey() };
    this.step = 'merging';
    this.mergeError = '';
    try {
      this.result = await mergeCustomers(client, this.customerId, sourceIds, this.choices, this.mergeKey.key);
      this.mergeKey = null;
      await this.goTo('done');
      this.dispatchEvent(new CustomersMergedEvent({ customerId: this.customerId, sourceIds, mergeId: this.result.mergeId, customer: this.result.customer }));
    } catch (err) {
      this.step = 'review';
      this.mergeFailed(err);
    }
  }

  private mergeFailed(err: unknown) {
    const t = this.i18n.t.merge;
    if (err instanceof ApiError && err.status === 403) this.mergeError = t.forbidden;
    else if (err instanceof ApiError && (err.status === 409 || err.status === 412 || err.status === 422)) {
      // The customers changed since the preview (merged elsewhere, erased, edited): preview again.
      this.mergeError = err.status === 412 ? t.stale : `${t.refused} ${err.message}`;
      this.previewRound += 1;
    } else this.mergeError = errorMessage(err, this.i18n.t);
  }

  private openSurvivor() {
    const customer = this.result!.customer;
    this.close();
    this.dispatchEvent(new CustomerSelectEvent({ customerId: customer.id, customer }));
  }

  private pickProps(): PickProps {
    return {
      format: this.format,
      primary: this.primary,
      suggestions: this.suggestionsTask.value,
      suggestionsError: this.suggestionsTask.error,
      retrySuggestions: () => void this.suggestionsTask.run(),
      search: this.search,
      searchText: this.searchText,
      selected: this.selected,
      toggle: (candidate, on) => this.toggle(candidate, on),
      setSearch: (text) => this.setSearch(text),
    };
  }

  private reviewProps(): ReviewProps {
    return {
      format: this.format,
      primary: this.primary,
      selected: this.selected,
      preview: this.preview,
      levels: this.setup.value?.levels ?? [],
      customFields: this.setup.value?.customFields ?? [],
      choices: this.choices,
      confirmText: this.confirmText,
      choose: (field, customerId) => (this.choices = { ...this.choices, [field]: customerId }),
      setConfirmText: (text) => (this.confirmText = text),
    };
  }

  private renderSteps() {
    const t = this.i18n.t.merge;
    const order: Array<Exclude<Step, 'merging'>> = ['pick', 'review', 'done'];
    const current = this.step === 'merging' ? 'review' : this.step;
    return html`<ol class="steps" aria-label=${t.stepsLabel}>
      ${order.map((s, i) => html`<li class=${s === current ? 'current' : ''} aria-current=${s === current ? 'step' : 'false'}><span class="dot">${i + 1}</span>${t.steps[s]}</li>`)}
    </ol>`;
  }

  private renderBody() {
    const t = this.i18n.t;
    if (!this.can('customers:merge')) {
      return html`<div class="state error" role="alert" part="state error">${icon('lock')}<p>${t.merge.needsPermission}</p></div>
        <div class="dialog-actions"><button type="button" class="btn" @click=${() => this.close()}>${t.common.close}</button></div>`;
    }
    return renderAsync(this.setup, t, { complete: () => this.renderStep() });
  }

  private renderStep() {
    const t = this.i18n.t;
    const m = t.merge;
    const actions = (buttons: unknown) => html`<div class="dialog-actions">${buttons}</div>`;
    switch (this.step) {
      case 'pick':
        return html`<h3 id="md-step-title" class="visually-hidden" tabindex="-1">${m.steps.pick}</h3>
          ${renderPick(this.pickProps())}
          ${actions(html`<button type="button" class="btn" @click=${() => this.close()}>${t.common.cancel}</button>
            <button type="button" class="btn primary" ?disabled=${!this.selected.size} @click=${() => this.goTo('review')}>${m.next}</button>`)}`;
      case 'review':
      case 'merging': {
        const merging = this.step === 'merging';
        const ready = this.previewTask.value && !this.preview.blockers.length && confirmed(this.confirmText, this.primary);
        return html`<h3 id="md-step-title" class="visually-hidden" tabindex="-1">${m.steps.review}</h3>
          ${this.notice ? html`<p class="note" role="status">${this.notice}</p>` : nothing}
          <div class="review" ?inert=${merging}>${renderAsync(this.previewTask, t, { complete: () => renderReview(this.reviewProps()) })}</div>
          ${this.mergeError ? html`<p class="form-error" role="alert">${this.mergeError}</p>` : nothing}
          ${merging ? html`<p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>${m.merging}</p>` : nothing}
          ${actions(html`<button type="button" class="btn" ?disabled=${merging} @click=${() => this.goTo('pick')}>${m.back}</button>
            <button type="button" class="btn danger" part="merge-button" ?disabled=${!ready || merging} @click=${() => this.merge()}>
              ${icon('merge')}${m.mergeButton(this.selected.size)}
            </button>`)}`;
      }
      case 'done': {
        const customer = this.result!.customer;
        return html`<div class="result" part="result">
            ${icon('check')}
            <div>
              <h3 id="md-step-title" tabindex="-1">${m.doneTitle}</h3>
              <p>${m.done(this.selected.size, `#${customer.number}`, displayName(customer))}</p>
              <p class="muted">${m.doneBalance(this.format.number(customer.points))}</p>
            </div>
          </div>
          ${actions(html`<button type="button" class="btn" @click=${() => this.close()}>${t.common.close}</button>
            <button type="button" class="btn primary" part="survivor-link" @click=${() => this.openSurvivor()}>${m.openSurvivor(`#${customer.number}`)}</button>`)}`;
      }
    }
  }

  protected override render() {
    if (!this.client) return this.open ? this.renderNoProvider() : nothing;
    const t = this.i18n.t.merge;
    const primary = this.setup.value?.primary;
    return html`<dialog
      part="dialog"
      aria-labelledby="md-title"
      aria-busy=${this.step === 'merging' ? 'true' : 'false'}
      @cancel=${(e: Event) => this.step === 'merging' && e.preventDefault()}
      @close=${() => (this.open = false)}
    >
      ${this.open
        ? html`<div class="dialog-body">
            <header class="dialog-head">
              <h2 id="md-title" tabindex="-1">${primary ? t.titleFor(`#${primary.number}`, displayName(primary)) : t.title}</h2>
              <button type="button" class="btn ghost icon-only" aria-label=${this.i18n.t.common.close} ?disabled=${this.step === 'merging'} @click=${() => this.close()}>
                ${icon('x')}
              </button>
            </header>
            ${this.can('customers:merge') ? this.renderSteps() : nothing} ${this.renderBody()}
          </div>`
        : nothing}
    </dialog>`;
  }
}
