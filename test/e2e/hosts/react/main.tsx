/**
 * A React host: the kit through its @lit/react wrappers, the selected
 * customer in React state, and the events as typed `on…` props.
 */
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientelaProvider, CustomerCard, CustomerHistory, MemberList, MergeDialog, PointsManager } from 'clientela/react';

/** The host's backend mints the token (docs/embedding.md). Stable: each new function would cost a token request. */
async function fetchToken() {
  const response = await fetch('/admin/clientela-token', { method: 'POST' });
  return ((await response.json()) as { token: string }).token;
}

interface LoggedEvent {
  id: number;
  type: string;
  source: string;
  text: string;
}

function BackOffice() {
  const [customerId, setCustomerId] = useState('');
  const [events, setEvents] = useState<LoggedEvent[]>([]);
  const mergeDialog = useRef<HTMLElementTagNameMap['merge-dialog']>(null);
  const log = (event: Event, text: string) =>
    setEvents((previous) => [{ id: previous.length, type: event.type, source: (event.target as Element).localName, text }, ...previous]);

  return (
    <>
      <header className="topbar">
        <h1>Acme Shop · Back office (React)</h1>
      </header>
      <ClientelaProvider apiBase="/api/v1" locale="en" theme="light" getToken={fetchToken}>
        <nav className="host-actions">
          <button type="button" id="open-merge" disabled={!customerId} onClick={() => mergeDialog.current?.show()}>
            Merge duplicates…
          </button>
        </nav>
        <main className="workspace">
          <MemberList
            selectedId={customerId}
            onCustomerSelect={(e) => {
              log(e, `customer ${e.detail.customerId}`);
              setCustomerId(e.detail.customerId);
            }}
          />
          <CustomerCard customerId={customerId} onCustomerSaved={(e) => log(e, `saved ${e.detail.changed.join(', ')}`)} />
          <PointsManager customerId={customerId} onPointsChanged={(e) => log(e, `balance ${e.detail.balance}`)} />
          <MergeDialog
            ref={mergeDialog}
            customerId={customerId}
            onCustomersMerged={(e) => {
              log(e, `merged ${e.detail.sourceIds.join(', ')} into ${e.detail.customerId}`);
              setCustomerId(e.detail.customerId);
            }}
          />
          <CustomerHistory customerId={customerId} />
        </main>
      </ClientelaProvider>
      <section className="events">
        <h2>Events the host received</h2>
        <ol id="host-events">
          {events.map((e) => (
            <li key={e.id} data-type={e.type} data-source={e.source}>
              {e.type} from &lt;{e.source}&gt;: {e.text}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

createRoot(document.querySelector('#root')!).render(
  <StrictMode>
    <BackOffice />
  </StrictMode>,
);
