/**
 * The demo's customer detail: card, points, orders, purchase figures and
 * history of one customer as tabs, and a "merge duplicates" button that opens the merge dialog. All
 * four follow the same customer; the components keep each other current
 * through the live event stream, the host only says which customer.
 */
const card = document.querySelector('customer-card')!;
const points = document.querySelector('points-manager')!;
const timeline = document.querySelector('customer-history')!;
const orders = document.querySelector('customer-orders')!;
const insights = document.querySelector('customer-insights')!;
const merge = document.querySelector('merge-dialog')!;
const mergeButton = document.querySelector<HTMLButtonElement>('#merge-button')!;
const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];

export type Tab = 'profile' | 'points' | 'orders' | 'insights' | 'history';
export const TABS: readonly Tab[] = ['profile', 'points', 'orders', 'insights', 'history'];

/** Shows one customer in every view (an empty id: none). */
export function showCustomer(customerId: string) {
  card.customerId = customerId;
  points.customerId = customerId;
  timeline.customerId = customerId;
  orders.customerId = customerId;
  insights.customerId = customerId;
  merge.customerId = customerId;
  mergeButton.disabled = !customerId;
  setParam('customer', customerId);
}

/** Keeps the view in the address, so a reload or a shared link opens the same customer and tab. */
function setParam(name: string, value: string) {
  const url = new URL(location.href);
  if (value) url.searchParams.set(name, value);
  else url.searchParams.delete(name);
  history.replaceState(null, '', url);
}

export function selectTab(tab: Tab, { focus = false } = {}) {
  for (const button of tabs) {
    const selected = button.id === `tab-${tab}`;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    document.getElementById(button.getAttribute('aria-controls')!)!.hidden = !selected;
    if (selected && focus) button.focus();
  }
  setParam('tab', tab);
}

const tabOf = (button: HTMLButtonElement) => button.id.replace('tab-', '') as Tab;

for (const button of tabs) {
  button.addEventListener('click', () => selectTab(tabOf(button)));
  // The ARIA tabs pattern: arrows move between tabs, Home and End to the ends.
  button.addEventListener('keydown', (e) => {
    const index = tabs.indexOf(button);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    selectTab(tabOf(tabs[(next + tabs.length) % tabs.length]), { focus: true });
  });
}

mergeButton.addEventListener('click', () => merge.show());
