/**
 * The demo host: a back office that embeds the kit. It gets short-lived
 * tokens from the demo session endpoint, switches user, language and theme,
 * and wires the list to the card (picking a member opens their profile).
 */
import '../components/define.ts';
import { TABS, selectTab, showCustomer, type Tab } from './detail-view.ts';
import { startEventLog } from './event-log.ts';

type DemoUser = 'admin' | 'agent';
type Locale = 'es' | 'en';

/** The host page's own copy (the components bring theirs). */
const HOST_TEXT: Record<Locale, Record<string, string>> = {
  es: {
    brand: 'Clientela',
    navCustomers: 'Clientes',
    navLoyalty: 'Fidelización',
    navDuplicates: 'Duplicados',
    navHistory: 'Historial',
    navSettings: 'Ajustes',
    demoNote: 'Página de demostración: datos ficticios.',
    title: 'Clientes',
    subtitle: 'Miembros del programa de fidelización',
    user: 'Usuario',
    admin: 'Administradora',
    agent: 'Agente',
    language: 'Idioma',
    theme: 'Tema',
    light: 'Claro',
    dark: 'Oscuro',
    signedIn: 'Sesión: {name}',
    tabProfile: 'Ficha',
    tabPoints: 'Puntos',
    tabOrders: 'Pedidos',
    tabInsights: 'Compras',
    tabHistory: 'Historial',
    mergeDuplicates: 'Fusionar duplicados',
    detail: 'Cliente',
    views: 'Vistas del cliente',
    eventsTitle: 'Eventos que recibe la página',
    clearEvents: 'Vaciar',
    noEvents: 'Aún nada: elige un cliente, edítalo o cambia sus puntos.',
  },
  en: {
    brand: 'Clientela',
    navCustomers: 'Customers',
    navLoyalty: 'Loyalty',
    navDuplicates: 'Duplicates',
    navHistory: 'History',
    navSettings: 'Settings',
    demoNote: 'Demo page: made-up data.',
    title: 'Customers',
    subtitle: 'Members of the loyalty programme',
    user: 'User',
    admin: 'Administrator',
    agent: 'Agent',
    language: 'Language',
    theme: 'Theme',
    light: 'Light',
    dark: 'Dark',
    signedIn: 'Signed in: {name}',
    tabProfile: 'Profile',
    tabPoints: 'Points',
    tabOrders: 'Orders',
    tabInsights: 'Purchases',
    tabHistory: 'History',
    mergeDuplicates: 'Merge duplicates',
    detail: 'Customer',
    views: 'Customer views',
    eventsTitle: 'Events the page receives',
    clearEvents: 'Clear',
    noEvents: 'Nothing yet: pick a customer, edit them or change their points.',
  },
};

const provider = document.querySelector('clientela-provider')!;
const list = document.querySelector('member-list')!;
const card = document.querySelector('customer-card')!;
const merge = document.querySelector('merge-dialog')!;
const userSelect = document.querySelector<HTMLSelectElement>('#user')!;
const localeSelect = document.querySelector<HTMLSelectElement>('#locale')!;
const themeSelect = document.querySelector<HTMLSelectElement>('#theme')!;
const whoami = document.querySelector<HTMLElement>('#whoami')!;

const params = new URLSearchParams(location.search);
let user: DemoUser = params.get('user') === 'agent' ? 'agent' : 'admin';
let locale: Locale = params.get('locale') === 'en' ? 'en' : 'es';
let signedInName = '';

async function demoSession(who: DemoUser) {
  const response = await fetch('/api/demo/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: who }),
  });
  if (!response.ok) throw new Error(`Demo session failed: ${response.status}`);
  return (await response.json()) as { token: string; user: { name: string } };
}

function applyText() {
  const text = HOST_TEXT[locale];
  document.documentElement.lang = locale;
  for (const el of document.querySelectorAll<HTMLElement>('[data-text]')) el.textContent = text[el.dataset.text!] ?? el.textContent;
  for (const el of document.querySelectorAll<HTMLElement>('[data-label]')) el.setAttribute('aria-label', text[el.dataset.label!] ?? '');
  whoami.textContent = signedInName ? text.signedIn.replace('{name}', signedInName) : '';
  provider.locale = locale;
}

function signIn(who: DemoUser) {
  user = who;
  provider.getToken = async () => {
    const session = await demoSession(who);
    signedInName = session.user.name;
    applyText();
    return session.token;
  };
}

function setTheme(theme: 'light' | 'dark') {
  provider.theme = theme;
  document.documentElement.dataset.theme = theme;
}

list.addEventListener('customer-select', (e) => showCustomer(e.detail.customerId));
list.addEventListener('member-created', (e) => showCustomer(e.detail.customer.id));
card.addEventListener('customer-saved', (e) => list.upsert(e.detail.customer));
card.addEventListener('member-removed', (e) => e.detail.customer && list.upsert(e.detail.customer));
// The card's "orders" and "history" links: the host decides where they lead (here, a tab).
card.addEventListener('customer-view-request', (e) => selectTab(e.detail.view, { focus: true }));
card.addEventListener('customer-select', (e) => {
  showCustomer(e.detail.customerId);
  list.selectedId = e.detail.customerId;
});
list.addEventListener('member-removed', (e) => {
  if (card.customerId === e.detail.customerId) void card.reload();
});
// The sources of a merge leave the list; the survivor stays selected.
merge.addEventListener('customers-merged', () => list.refresh());
merge.addEventListener('customer-select', (e) => {
  showCustomer(e.detail.customerId);
  list.selectedId = e.detail.customerId;
  selectTab('profile');
});

userSelect.value = user;
localeSelect.value = locale;
themeSelect.value = params.get('theme') === 'dark' ? 'dark' : 'light';
userSelect.addEventListener('change', () => signIn(userSelect.value as DemoUser));
localeSelect.addEventListener('change', () => {
  locale = localeSelect.value as Locale;
  applyText();
});
themeSelect.addEventListener('change', () => setTheme(themeSelect.value as 'light' | 'dark'));

startEventLog(document.querySelector<HTMLOListElement>('#events')!, document.querySelector<HTMLButtonElement>('#clear-events')!);
setTheme(themeSelect.value as 'light' | 'dark');
applyText();
signIn(user);
if (params.get('customer')) showCustomer(params.get('customer')!);
const tab = params.get('tab');
if (TABS.includes(tab as Tab)) selectTab(tab as Tab);
