/**
 * <customer-card customer-id="…">: a customer's profile to view and edit,
 * with marks, tags, status actions, account manager, notes, duplicate hints
 * and figures. Saves send only the changed fields with If-Match; a 422 puts
 * each message by its field, a 412 shows what changed meanwhile.
 *
 * @fires customer-saved - The profile, status or account manager was saved.
 * @fires customer-select - A duplicate hint's customer was picked.
 * @fires member-removed - The customer was removed from the programme.
 * @fires customer-view-request - The orders or history link was used: `detail.view` is `orders` or `history`; the host shows that view.
 * @csspart card - The whole card
 * @csspart header - Name, marks and actions
 * @csspart metrics - The strip of figures
 * @csspart record - Created and updated dates, and the links to orders and history
 * @csspart level - The level chip in the header
 * @csspart status - The status badge in the header
 * @csspart edit-button - The "Edit" button
 * @csspart duplicate-hint - A possible duplicate, with a way to open it
 * @csspart assignee - The account manager panel
 * @csspart note - One note
 * @csspart loading - Beside `state`: while loading
 * @csspart empty - Beside `state`: nothing to show
 * @csspart error - Beside `state`: what went wrong, with a retry
 * @csspart profile - The profile sections
 * @csspart section - One profile section
 * @csspart aside - Account manager and notes
 * @csspart notes - The notes panel
 * @csspart conflict - The 412 panel
 * @csspart dialog - The status dialog
 * @csspart state - Loading, error and empty states
 */
import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError } from '../api/api-error.ts';
import type { ClientelaClient } from '../api/client.ts';
import { etagOf } from '../../server/contract/etag.ts';
import { changeStatus, getCustomer, latestEvent, patchCustomer, removeCustomer, type CustomerRecord } from '../api/customers.ts';
import type { LiveEvent } from '../api/event-stream.ts';
import { listCustomFields, type CustomFieldDefinition } from '../api/reference.ts';
import type { Customer, CustomerPatch } from '../api/types.ts';
import { CustomerSavedEvent, CustomerSelectEvent, CustomerViewRequestEvent, MemberRemovedEvent } from '../events.ts';
import { Announcer } from '../shared/announcer.ts';
import { errorMessage, renderAsync, renderEmpty, renderLoading } from '../shared/async-state.ts';
import { ClientelaElement } from '../shared/clientela-element.ts';
import { LiveUpdates } from '../shared/live-updates.ts';
import { openModal } from '../shared/modal.ts';
import { AssigneePanel } from './assignee-panel.ts';
import { renderHeader, renderMetrics, type StatusAction } from './card-header.ts';
import { renderRecordLine } from './record-line.ts';
import { renderConflict, type Conflict } from './conflict-panel.ts';
import { styles } from './customer-card.styles.ts';
import { setAt, toDraft, toPatch, type Draft } from './draft.ts';
import { NotesPanel } from './notes-panel.ts';
import { fieldId } from './profile-fields.ts';
import { renderSections, type SectionsProps } from './profile-sections.ts';
import { renderStatusDialog } from './status-dialog.ts';

/** What one load read: the customer (or its merge survivor) and the tenant's custom fields. */
interface Loaded {
  /** The customer-id it was read for. */
  id: string;
  record: CustomerRecord;
  definitions: CustomFieldDefinition[];
}

export class CustomerCard extends ClientelaElement {
  static override styles = styles;

  /** The customer shown (their id); empty: none, with a hint to pick one. */
  @property({ attribute: 'customer-id', reflect: true }) customerId = '';

  /** The customer on screen: the last load, or the answer of a save made since. */
  @state() private record: CustomerRecord | null = null;
  @state() private editing = false;
  @state() private draft: Draft = null as unknown as Draft;
  @state() private fieldErrors = new Map<string, string>();
  @state() private saving = false;
  @state() private saveError = '';
  @state() private conflict: Conflict | null = null;
  @state() private pendingAction: StatusAction | null = null;
  @state() private statusError = '';
  private base: Draft | null = null;
  /** The load whose record is on screen. */
  private shownLoad: Loaded | undefined;

  private readonly loader = new Task(this, {
    args: () => [this.client, this.customerId] as const,
    task: async ([client, id]: readonly [ClientelaClient | undefined, string], { signal }): Promise<Loaded | typeof initialState> => {
      if (!client || !id) return initialState;
      const [record, definitions] = await Promise.all([getCustomer(client, id, signal), listCustomFields(client).catch(() => [])]);
      return { id, record, definitions };
    },
  });

  private readonly announcer = new Announcer(this);
  private readonly notesPanel = new NotesPanel(this, { customerId: () => this.shownId, announcer: this.announcer });
  private readonly assigneePanel = new AssigneePanel(this, {
    record: () => this.record!,
    busy: () => this.saving,
    announcer: this.announcer,
    onSaved: (record) => {
      this.show(record);
      this.dispatchEvent(new CustomerSavedEvent({ customer: record.customer, changed: ['assignedUserId'] }));
    },
  });

  constructor() {
    super();
    // Changes made elsewhere (another admin, another component) show up without a reload.
    new LiveUpdates(
      this,
      () => [this.customerId, this.shownId],
      (event) => this.onLiveEvent(event),
    );
  }

  /** Re-reads the customer from the server, dropping any unsaved edit. */
  reload() {
    return this.loader.run();
  }

  /** The id of the customer on screen: a merged-away id is answered with the survivor. */
  private get shownId(): string {
    return this.record?.customer.id ?? '';
  }
  private get customer(): Customer {
    return this.record!.customer;
  }
  private get definitions(): CustomFieldDefinition[] {
    return this.shownLoad?.definitions ?? [];
  }
  /** Saving the profile, a status or the account manager: the other actions wait. */
  private get busy(): boolean {
    return this.saving || this.assigneePanel.busy;
  }
  private get format() {
    return this.i18n.format;
  }
  private get t() {
    return this.i18n.t;
  }

  protected override willUpdate(changed: PropertyValues) {
    super.willUpdate(changed);
    const loaded = this.loader.value;
    if (loaded && loaded !== this.shownLoad) {
      this.shownLoad = loaded;
      this.show(loaded.record);
    }
  }

  private show(record: CustomerRecord) {
    this.record = record;
    this.editing = false;
    this.conflict = null;
    this.fieldErrors = new Map();
    this.saveError = '';
    this.base = toDraft(record.customer, this.definitions);
    this.draft = this.base;
  }

  private onLiveEvent(event: LiveEvent) {
    if (!this.record || this.busy) return;
    const newer = event.kind === 'reset' || event.version === null || event.version > this.record.customer.version;
    if (event.kind === 'reset' || event.type.startsWith('note.')) void this.notesPanel.reload();
    // An open edit is not pulled from under the admin: If-Match catches the clash when they save.
    if (newer && !this.editing) void this.loader.run();
  }

  private startEditing() {
    this.base = toDraft(this.customer, this.definitions);
    this.draft = this.base;
    this.editing = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${fieldId('firstName')}`)?.focus());
  }

  private cancelEditing() {
    this.show(this.record!);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="edit-button"]')?.focus());
  }

  private setField(path: string, value: unknown) {
    this.draft = setAt(this.draft, path, value);
    if (this.fieldErrors.has(path)) {
      const next = new Map(this.fieldErrors);
      next.delete(path);
      this.fieldErrors = next;
    }
  }

  private async save(e: SubmitEvent) {
    e.preventDefault();
    const patch = toPatch(this.draft, this.base!, this.definitions);
    if (!Object.keys(patch).length) {
      this.announcer.announce(this.t.card.noChanges);
      this.cancelEditing();
      return;
    }
    await this.applyPatch(patch, this.record!.etag);
  }

  private async applyPatch(patch: CustomerPatch, etag: string) {
    const client = this.client!;
    const before = this.customer;
    this.saving = true;
    this.saveError = '';
    try {
      const record = await patchCustomer(client, before.id, patch, etag);
      this.show(record);
      this.announcer.announce(this.t.card.saved);
      this.dispatchEvent(new CustomerSavedEvent({ customer: record.customer, changed: Object.keys(patch) }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~="edit-button"]')?.focus();
    } catch (err) {
      await this.saveFailed(err, patch, before);
    } finally {
      this.saving = false;
    }
  }

  private async saveFailed(err: unknown, patch: CustomerPatch, before: Customer) {
    if (err instanceof ApiError && err.status === 422 && err.details.length) {
      this.fieldErrors = err.fieldErrors((m) => this.format.serverMessage(m));
      this.saveError = this.t.errors.validation(this.fieldErrors.size);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } else if (err instanceof ApiError && err.status === 412 && err.current) {
      const changedBy = await this.lastChange(before.id);
      this.conflict = { current: err.current, patch, base: before, changedBy };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#conflict-title')?.focus();
    } else {
      this.saveError = errorMessage(err, this.t);
    }
  }

  /** Who changed the customer last, from its history; unknown if the history cannot be read. */
  private async lastChange(id: string): Promise<Conflict['changedBy']> {
    try {
      const event = await latestEvent(this.client!, id);
      return event?.actor ? { name: event.actor.name, at: event.at } : null;
    } catch {
      return null;
    }
  }

  private reloadFromConflict() {
    const current = this.conflict!.current;
    this.show({ customer: current, etag: etagOf(current) });
  }

  private reapplyAfterConflict() {
    const { current, patch } = this.conflict!;
    const mine = this.draft;
    this.record = { customer: current, etag: etagOf(current) };
    this.base = toDraft(current, this.definitions);
    // The draft keeps only this admin's own edits on top of the current record.
    let draft = this.base;
    for (const key of Object.keys(patch) as Array<keyof Draft>) {
      if (key === 'custom') {
        for (const field of Object.keys(patch.custom ?? {})) draft = setAt(draft, `custom.${field}`, mine.custom[field]);
      } else draft = { ...draft, [key]: mine[key] };
    }
    this.draft = draft;
    this.conflict = null;
    void this.applyPatch(patch, etagOf(current));
  }

  private askStatus(action: StatusAction) {
    this.pendingAction = action;
    this.statusError = '';
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector<HTMLDialogElement>('#status-dialog');
      if (dialog) openModal(dialog, this.renderRoot.querySelector<HTMLElement>('#status-reason'));
    });
  }

  private closeStatus() {
    this.renderRoot.querySelector<HTMLDialogElement>('#status-dialog')?.close();
    this.pendingAction = null;
  }

  private async confirmStatus(action: StatusAction, reason: string) {
    if (action !== 'remove' && !reason.trim()) {
      this.statusError = this.t.statusActions.reasonRequired;
      return;
    }
    const client = this.client!;
    const id = this.customer.id;
    this.saving = true;
    try {
      const status = action === 'deactivate' ? 'inactive' : action === 'disable' ? 'disabled' : 'active';
      const record = action === 'remove' ? await removeCustomer(client, id, reason.trim()) : await changeStatus(client, id, status, reason.trim(), this.record!.etag);
      this.closeStatus();
      this.show(record);
      this.announcer.announce(this.t.statusActions.done(this.t.status[record.customer.status]));
      this.dispatchEvent(
        action === 'remove'
          ? new MemberRemovedEvent({ customerId: id, customer: record.customer })
          : new CustomerSavedEvent({ customer: record.customer, changed: ['status'] }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 412 && err.current) {
        this.closeStatus();
        this.show({ customer: err.current, etag: etagOf(err.current) });
        this.announcer.announce(this.t.errors.conflict);
        return;
      }
      this.statusError = err instanceof ApiError && err.status === 422 && err.details.length ? err.details.map((d) => this.format.serverMessage(d.message)).join(' ') : errorMessage(err, this.t);
    } finally {
      this.saving = false;
    }
  }

  private sections(): SectionsProps {
    return {
      customer: this.customer,
      definitions: this.definitions,
      editing: this.editing,
      format: this.format,
      t: this.t,
      draft: this.draft,
      fieldErrors: this.fieldErrors,
      setField: (path, value) => this.setField(path, value),
      selectCustomer: (id) => this.dispatchEvent(new CustomerSelectEvent({ customerId: id, customer: null })),
    };
  }

  private renderForm() {
    const t = this.t;
    return html`<form id="profile-form" class="profile editing" part="profile" novalidate aria-label=${t.card.editing} @submit=${(e: SubmitEvent) => this.save(e)}>
      ${this.saveError ? html`<p class="form-error" role="alert">${this.saveError}</p>` : nothing} ${renderSections(this.sections())}
      <div class="edit-bar">
        <button type="button" class="btn" @click=${() => this.cancelEditing()}>${t.common.cancel}</button>
        <button type="submit" class="btn primary" ?disabled=${this.busy}>${this.busy ? t.common.saving : t.common.save}</button>
      </div>
    </form>`;
  }

  private renderCard() {
    const c = this.customer;
    const { busy, format } = this;
    const header = {
      customer: c,
      format,
      editing: this.editing,
      canEdit: this.can('customers:write'),
      canRemove: this.can('customers:delete'),
      busy,
      startEditing: () => this.startEditing(),
      cancelEditing: () => this.cancelEditing(),
      askStatus: (action: StatusAction) => this.askStatus(action),
    };
    const conflict = {
      conflict: this.conflict,
      format,
      definitions: this.definitions,
      busy,
      reloadFromConflict: () => this.reloadFromConflict(),
      reapplyAfterConflict: () => this.reapplyAfterConflict(),
    };
    const statusDialog = {
      pendingAction: this.pendingAction,
      statusError: this.statusError,
      busy,
      confirmStatus: (action: StatusAction, reason: string) => void this.confirmStatus(action, reason),
      closeStatus: () => this.closeStatus(),
    };
    return html`<article class="card" part="card" aria-labelledby="card-title" aria-busy=${busy ? 'true' : 'false'}>
      ${renderHeader(header)} ${renderMetrics(c, format)}
      ${renderRecordLine(c, format, (view) => this.dispatchEvent(new CustomerViewRequestEvent({ customerId: c.id, view })))} ${renderConflict(conflict)}
      <div class="body">
        ${this.editing ? this.renderForm() : html`<div class="profile" part="profile">${renderSections(this.sections())}</div>`}
        <aside class="aside" part="aside">${this.assigneePanel.render()} ${this.notesPanel.render()}</aside>
      </div>
      ${renderStatusDialog(statusDialog, this.t)}
    </article>`;
  }

  protected override render() {
    if (!this.client) return this.renderNoProvider();
    if (!this.customerId) return html`<div class="card placeholder" part="card">${renderEmpty(this.t.card.noneSelected, this.t.card.noneSelectedHint)}</div>`;
    // Another customer on its way: do not leave the previous one on screen meanwhile.
    const switching = this.loader.status === TaskStatus.PENDING && this.shownLoad?.id !== this.customerId;
    return html`${switching ? renderLoading(this.t) : renderAsync(this.loader, this.t, { complete: () => (this.record ? this.renderCard() : nothing) })}
      ${this.announcer.render()}`;
  }
}
