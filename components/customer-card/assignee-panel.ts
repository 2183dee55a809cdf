/**
 * The account manager: shown to everyone, changeable only by an admin or by
 * the user currently assigned (SPEC §3); others see why they cannot.
 */
import { Task, initialState } from '@lit/task';
import { html, nothing, type ReactiveControllerHost } from 'lit';
import type { ClientelaClient } from '../api/client.ts';
import { setAssignee, type CustomerRecord } from '../api/customers.ts';
import { listUsers, type User } from '../api/reference.ts';
import type { Customer, Session } from '../api/types.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { errorMessage } from '../shared/async-state.ts';
import { icon } from '../shared/icons.ts';

export interface AssigneeHost extends ReactiveControllerHost, HTMLElement {
  client?: ClientelaClient;
  session: Session | null;
  customer: Customer;
  etag: string;
  format: Formatter;
  busy: boolean;
  announce(message: string): void;
  assigneeSaved(record: CustomerRecord): void;
}

export class AssigneePanel {
  private error = '';
  private readonly users: Task<readonly [ClientelaClient | undefined], User[]>;

  constructor(private readonly host: AssigneeHost) {
    this.users = new Task(host, {
      args: () => [host.client] as const,
      task: async ([client]) => (client ? listUsers(client).catch(() => []) : initialState),
    });
  }

  private get allowed(): boolean {
    const { session, customer } = this.host;
    return Boolean(session && (session.isAdmin || (customer.assignedUserId !== null && customer.assignedUserId === session.user.id)));
  }

  private async change(userId: string) {
    const { client, customer, format } = this.host;
    if (!client) return;
    this.host.busy = true;
    this.error = '';
    try {
      this.host.assigneeSaved(await setAssignee(client, customer.id, userId || null, this.host.etag));
      this.host.announce(format.t.card.saved);
    } catch (err) {
      this.error = errorMessage(err, format.t);
      this.host.requestUpdate();
    } finally {
      this.host.busy = false;
    }
  }

  render() {
    const { customer, format, session } = this.host;
    const t = format.t;
    const users: Array<Pick<User, 'id' | 'name'>> = [...(this.users.value ?? [])];
    const assigned = customer.assignedUserId;
    if (assigned && !users.some((u) => u.id === assigned)) users.push({ id: assigned, name: assigned === session?.user.id ? session.user.name : assigned });
    if (session && !users.some((u) => u.id === session.user.id)) users.push({ id: session.user.id, name: session.user.name });
    const name = assigned ? users.find((u) => u.id === assigned)?.name : null;
    return html`<section class="panel assignee" aria-labelledby="assignee-title" part="assignee">
      <h3 id="assignee-title">${t.fields.assignee}</h3>
      ${this.allowed
        ? html`<label for="assignee-select" class="visually-hidden">${t.card.assignTo}</label>
            <select id="assignee-select" ?disabled=${this.host.busy} @change=${(e: Event) => this.change((e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${!assigned}>${t.card.unassigned}</option>
              ${users.map((u) => html`<option value=${u.id} ?selected=${u.id === assigned}>${u.name}</option>`)}
            </select>`
        : html`<p class="assignee-name">${icon('user')}<span>${name ?? t.card.unassigned}</span></p>
            <p class="hint">${t.card.assigneeHint}</p>`}
      ${this.error ? html`<p class="field-error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}
