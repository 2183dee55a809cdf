/**
 * What a host platform's own script does around the kit, written the way a
 * host developer would, without any of the kit's internals: get a token for
 * the signed-in admin, hand it to the provider, open the picked customer in
 * the other components, and react to the events they send (here: list them
 * in the page's event panel). `prefix` is for hosts that registered the
 * classes under other tag names.
 */
const EVENTS = ['customer-select', 'customer-saved', 'points-changed', 'customers-merged', 'merge-request', 'member-created', 'member-removed'];

/** The host's backend mints a token for its signed-in admin (test/e2e/host-backend.ts, as docs/embedding.md shows). */
async function fetchToken(role) {
  const response = await fetch(`/admin/clientela-token?role=${role}`, { method: 'POST' });
  if (!response.ok) throw new Error(`No token: ${response.status}`);
  return (await response.json()).token;
}

export function startBackOffice({ prefix = '', role = 'owner' } = {}) {
  const $ = (name) => document.querySelector(prefix + name);
  const provider = $('clientela-provider');
  const list = $('member-list');
  const views = ['customer-card', 'points-manager', 'merge-dialog', 'customer-history', 'customer-orders', 'customer-insights'].map($).filter(Boolean);
  const log = document.querySelector('#host-events');

  provider.getToken = () => fetchToken(role);

  const mergeButton = document.querySelector('#open-merge');
  const open = (customerId) => {
    for (const view of views) view.customerId = customerId;
    list.selectedId = customerId;
    mergeButton.disabled = !customerId;
  };
  mergeButton.addEventListener('click', () => $('merge-dialog').show());

  for (const type of EVENTS) {
    document.addEventListener(type, (event) => {
      const item = document.createElement('li');
      item.dataset.type = type;
      item.dataset.source = event.target.localName;
      item.textContent = `${type} from <${event.target.localName}>: ${JSON.stringify(summary(event.detail))}`;
      log.prepend(item);
    });
  }
  document.addEventListener('customer-select', (e) => open(e.detail.customerId));
  document.addEventListener('customers-merged', (e) => {
    open(e.detail.customerId);
    list.refresh?.();
  });
  document.addEventListener('customer-saved', (e) => list.upsert?.(e.detail.customer));
}

/** The interesting part of an event's detail, without whole customer records. */
function summary(detail) {
  const out = {};
  for (const [key, value] of Object.entries(detail ?? {})) out[key] = value && typeof value === 'object' && !Array.isArray(value) ? value.id : value;
  return out;
}
