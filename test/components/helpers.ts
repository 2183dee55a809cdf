/**
 * Shared set-up of the component tests: real tokens from the demo session,
 * direct API calls to arrange data, a provider around each fixture, a fetch
 * spy, and waiting for things inside shadow roots.
 */
import 'axe-core/axe.min.js';
import { ContextEvent, type Context, type ContextType } from '@lit/context';
import { fixture, waitUntil as waitUntilWithin } from '@open-wc/testing';
import { html, type TemplateResult } from 'lit';
import '../../components/define.ts';
import type { ClientelaProvider } from '../../components/provider/clientela-provider.ts';
import type { Customer } from '../../components/api/types.ts';

export type DemoUser = 'admin' | 'agent';

const tokens = new Map<DemoUser, string>();

export async function tokenFor(user: DemoUser): Promise<string> {
  if (!tokens.has(user)) {
    const response = await fetch('/api/demo/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    tokens.set(user, ((await response.json()) as { token: string }).token);
  }
  return tokens.get(user)!;
}

/** A call to the API outside any component, to arrange or check data. */
export async function api<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, user: DemoUser = 'admin') {
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${await tokenFor(user)}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('ETag'), data: (text ? JSON.parse(text) : null) as T };
}

/** A made-up word no earlier run has used, so fuzzy name search finds only this run's customers. */
export function uniqueWord(length = 10): string {
  const letters = Array.from(crypto.getRandomValues(new Uint8Array(length)), (n) => String.fromCharCode(97 + (n % 26))).join('');
  return letters[0].toUpperCase() + letters.slice(1);
}

let counter = 0;
/** A fresh customer of the test's own, so tests never depend on each other's edits. */
export async function newCustomer(fields: Record<string, unknown> = {}): Promise<Customer> {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}`;
  const { status, data } = await api<Customer>('POST', '/customers', {
    firstName: 'Prueba',
    lastName: `Componente ${unique}`,
    email: `prueba.${unique}@example.com`,
    ...fields,
  });
  if (status !== 201) throw new Error(`Could not create a customer: ${status} ${JSON.stringify(data)}`);
  return data;
}

/** Mounts a template inside a provider signed in as `user`. */
export async function mount<E extends Element>(
  inner: TemplateResult,
  { user = 'admin', locale = 'es', theme = 'light' }: { user?: DemoUser; locale?: string; theme?: string } = {},
): Promise<{ provider: ClientelaProvider; element: E }> {
  const token = await tokenFor(user);
  const provider = await fixture<ClientelaProvider>(html`<clientela-provider locale=${locale} theme=${theme} .token=${token}>${inner}</clientela-provider>`);
  return { provider, element: provider.firstElementChild as E };
}

/** What a context holds where `element` sits, asked the way a component asks (the context protocol). */
export function provided<C extends Context<unknown, unknown>>(element: Element, context: C): ContextType<C> | undefined {
  let value: ContextType<C> | undefined;
  element.dispatchEvent(new ContextEvent(context, element, (v) => (value = v)));
  return value;
}

export function shadow(element: Element): ShadowRoot {
  return element.shadowRoot!;
}

export function $(element: Element, selector: string): HTMLElement | null {
  return element.shadowRoot!.querySelector<HTMLElement>(selector);
}

export function $$(element: Element, selector: string): HTMLElement[] {
  return [...element.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

/** Waits for a condition, generously: the machine running the tests may be busy. */
export function waitUntil(predicate: () => unknown, message?: string) {
  return waitUntilWithin(predicate, message, { timeout: 20_000, interval: 20 });
}

export async function waitFor(element: Element, selector: string, message = selector): Promise<HTMLElement> {
  await waitUntil(() => $(element, selector), `waiting for ${message}`);
  return $(element, selector)!;
}

export function text(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Sets a field's value as a person typing would (fires input and change). */
export function type(input: HTMLElement, value: string) {
  const field = input as HTMLInputElement;
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  field.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

export interface Recorded {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

/**
 * Records the API calls the components make; `hold` delays the answers to
 * matching requests until released, to test races.
 */
export function spyFetch() {
  const original = window.fetch;
  const calls: Recorded[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const held: Array<{ match: (url: string) => boolean; gate: Promise<void> }> = [];
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method: (init.method ?? 'GET').toUpperCase(), url, headers: new Headers(init.headers), body });
    const hold = held.find((h) => h.match(url));
    const answer = (async () => {
      // A held request ignores aborts, so only the component's own ordering can keep its late answer out.
      const response = await original(input, hold ? { ...init, signal: undefined } : init);
      if (hold) await hold.gate;
      return response;
    })();
    inFlight.add(answer);
    void answer.finally(() => inFlight.delete(answer)).catch(() => undefined);
    return answer;
  };
  return {
    calls,
    hold(match: (url: string) => boolean) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      held.push({ match, gate });
      return () => {
        held.splice(held.findIndex((h) => h.gate === gate), 1);
        release();
      };
    },
    /** Resolves once every recorded request has been answered (and the answer's handlers have run). */
    async settled() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
      await new Promise((resolve) => setTimeout(resolve));
    },
    restore() {
      window.fetch = original;
    },
  };
}
