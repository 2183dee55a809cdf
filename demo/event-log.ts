/**
 * The demo's "events the page received" panel: every public event of the
 * kit, caught on document as any host would catch it (they bubble and cross
 * shadow roots), newest first, with which element sent it and what its
 * detail says.
 */
import type { Customer } from '../components/api/types.ts';

const EVENTS = ['customer-select', 'customer-saved', 'points-changed', 'merge-request', 'customers-merged', 'member-created', 'member-removed', 'customer-view-request'] as const;
const KEEP = 50;

/** One line per detail field; a customer shows as its number and name. */
function describe(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${show(value)}`)
    .join(' · ');
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value && typeof value === 'object' && 'number' in value) {
    const c = value as Customer;
    return `#${c.number} ${[c.firstName, c.lastName].filter(Boolean).join(' ')}`.trim();
  }
  if (typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value)) return `${value.slice(0, 8)}…`;
  return String(value);
}

export function startEventLog(log: HTMLOListElement, clear: HTMLButtonElement) {
  for (const type of EVENTS) {
    document.addEventListener(type, (event) => {
      const item = document.createElement('li');
      const time = document.createElement('time');
      time.textContent = new Date().toLocaleTimeString(document.documentElement.lang);
      const name = document.createElement('code');
      name.className = 'event-name';
      name.textContent = type;
      const source = document.createElement('span');
      source.className = 'event-source';
      source.textContent = `<${(event.target as Element).localName}>`;
      const detail = document.createElement('span');
      detail.className = 'event-detail';
      detail.textContent = describe((event as Event & { detail: Record<string, unknown> }).detail ?? {});
      item.dataset.type = type;
      item.append(time, name, source, detail);
      log.prepend(item);
      while (log.children.length > KEEP) log.lastElementChild!.remove();
    });
  }
  clear.addEventListener('click', () => log.replaceChildren());
}
