/**
 * The back office in Angular: the kit's typed components from
 * `clientela/angular` (no CUSTOM_ELEMENTS_SCHEMA), the selected customer in
 * a signal, the kit's events as outputs, logged in the host's event panel,
 * and the merge dialog opened through a template reference. "Refresh
 * sign-in" hands the provider a new token function for the same admin, as a
 * `[getToken]="tokenSource()"` binding does; the components must not reload.
 * "Hide details" takes the card, the points and the history out of the page
 * with `@if` and puts them back, as a routed view does.
 */
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import type { CustomerSavedEvent, CustomerSelectEvent, CustomersMergedEvent, PointsChangedEvent } from 'clientela';
import { CLIENTELA_COMPONENTS, type MemberListComponent } from 'clientela/angular';

interface Logged {
  id: number;
  type: string;
  source: string;
  text: string;
}

/** The host's backend mints the token (docs/embedding.md). */
async function fetchToken() {
  const response = await fetch('/admin/clientela-token', { method: 'POST' });
  return ((await response.json()) as { token: string }).token;
}

@Component({
  selector: 'app-root',
  imports: [CLIENTELA_COMPONENTS],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar"><h1>Acme Shop · Back office (Angular)</h1></header>
    <clientela-provider api-base="/api/v1" locale="en" theme="light" [getToken]="tokenSource()">
      <nav class="host-actions">
        <button type="button" id="open-merge" [disabled]="!customerId()" (click)="merge.show()">Merge duplicates…</button>
        <button type="button" id="refresh-sign-in" (click)="refreshSignIn()">Refresh sign-in</button>
        <button type="button" id="toggle-details" (click)="detailsShown.set(!detailsShown())">{{ detailsShown() ? 'Hide details' : 'Show details' }}</button>
      </nav>
      <main class="workspace">
        <member-list #list [selectedId]="customerId()" (customer-select)="selected($event)"></member-list>
        <merge-dialog #merge [customerId]="customerId()" (customers-merged)="merged($event, list)"></merge-dialog>
        @if (detailsShown()) {
          <customer-card [customerId]="customerId()" (customer-saved)="saved($event, list)"></customer-card>
          <points-manager [customerId]="customerId()" (points-changed)="log($event, 'balance ' + $event.detail.balance)"></points-manager>
          <customer-history [customerId]="customerId()"></customer-history>
        }
      </main>
    </clientela-provider>
    <section class="events">
      <h2>Events the host received</h2>
      <ol id="host-events">
        @for (event of events(); track event.id) {
          <li [attr.data-type]="event.type" [attr.data-source]="event.source">{{ event.type }} from &lt;{{ event.source }}&gt;: {{ event.text }}</li>
        }
      </ol>
    </section>
  `,
})
export class BackOfficeComponent {
  readonly customerId = signal('');
  readonly events = signal<Logged[]>([]);
  readonly detailsShown = signal(true);
  /** One function until the admin refreshes their sign-in. */
  readonly tokenSource = signal(() => fetchToken());

  refreshSignIn() {
    this.tokenSource.set(() => fetchToken());
  }

  selected(event: CustomerSelectEvent) {
    this.log(event, `customer ${event.detail.customerId}`);
    this.customerId.set(event.detail.customerId);
  }

  saved(event: CustomerSavedEvent, list: MemberListComponent) {
    this.log(event, `saved ${event.detail.changed.join(', ')}`);
    list.upsert(event.detail.customer);
  }

  merged(event: CustomersMergedEvent, list: MemberListComponent) {
    this.log(event, `merged ${event.detail.sourceIds.join(', ')} into ${event.detail.customerId}`);
    this.customerId.set(event.detail.customerId);
    list.refresh();
  }

  log(event: CustomerSelectEvent | CustomerSavedEvent | PointsChangedEvent | CustomersMergedEvent, text: string) {
    const source = (event.target as Element).localName;
    this.events.update((previous) => [{ id: previous.length, type: event.type, source, text }, ...previous]);
  }
}
