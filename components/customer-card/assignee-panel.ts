/**
 * The account manager: shown to everyone, changeable only by an admin or by
 * the user currently assigned (SPEC §3); others see why they cannot.
 */
import { Task, initialState } from '@lit/task';
import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { ClientelaClient } from '../api/client.ts';
import { setAssignee, type CustomerRecord } from '../api/customers.ts';
import { listUsers, type User } from '../api/reference.ts';
import type { Announcer } from '../shared/announcer.ts';
import { errorMessage } from '../shared/async-state.ts';
import { icon } from '../shared/icons.ts';
import { Provided } from '../shared/provided.ts';

export interface AssigneeOptions {
  /** The customer shown, with the ETag a change is guarded by. */
  record: () => CustomerRecord;
  /** True while the card saves something else: the choice waits for it. */
  busy: () => boolean;
  announcer: Announcer;
  /** The server has stored the new account manager. */
  onSaved: (record: CustomerRecord) => void;
}

export class AssigneePanel {
  /** True while a change is on its way. */
  busy = false;
  private error = '';
  private readonly provided = new Provided(this.host);
  private readonly users: Task<readonly [ClientelaClient | undefined], User[]>;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: AssigneeOptions,
  ) {
    this.users = new Task(host, {
      args: () => [this.provided.client] as const,
      task: async ([client]) => (client ? listUsers(client).catch(() => []) : initialState),
    });
  }

  private get allowed(): boolean {
    const { session } = this.provided;
    const { customer } = this.options.record();
    return Boolean(session && (session.isAdmin || (customer.assignedUserId !== null && customer.assignedUserId === session.user.id)));
  }

  private async change(userId: string) {
    const { client, t } = this.provided;
    if (!client) return;
    const { customer, etag } = this.options.record();
    this.busy = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      this.options.onSaved(await setAssignee(client, customer.id, userId || null, etag));
      this.options.announcer.announce(t.card.saved);
    } catch (err) {
      this.error = errorMessage(err, t);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  render() {
    const { session, t } = this.provided;
    const { customer } = this.options.record();
    const users: Array<Pick<User, 'id' | 'name'>> = [...(this.users.value ?? [])];
    const assigned = customer.assignedUserId;
    if (assigned && !users.some((u) => u.id === assigned)) users.push({ id: assigned, name: assigned === session?.user.id ? session.user.name : assigned });
    if (session && !users.some((u) => u.id === session.user.id)) users.push({ id: session.user.id, name: session.user.name });
    const name = assigned ? users.find((u) => u.id === assigned)?.name : null;
    return html`<section class="panel assignee" aria-labelledby="assignee-title" part="assignee">
      <h3 id="assignee-title">${t.fields.assignee}</h3>
      ${this.allowed
        ? html`<label for="assignee-select" class="visually-hidden">${t.card.assignTo}</label>
            <select id="assignee-select" ?disabled=${this.busy || this.options.busy()} @change=${(e: Event) => this.change((e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${!assigned}>${t.card.unassigned}</option>
              ${users.map((u) => html`<option value=${u.id} ?selected=${u.id === assigned}>${u.name}</option>`)}
            </select>`
        : html`<p class="assignee-name">${icon('user')}<span>${name ?? t.card.unassigned}</span></p>
            <p class="hint">${t.card.assigneeHint}</p>`}
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}
