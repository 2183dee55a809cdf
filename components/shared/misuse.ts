/**
 * Telling a host developer what they got wrong, once, in the console: the
 * components say the same on the page in the reader's language. Each
 * message names the element, the mistake and the fix.
 */
import type { ReactiveElement } from 'lit';

const told = new Set<string>();

/** console.error(message), the first time this key comes up on the page. */
export function tellOnce(key: string, message: string): void {
  if (told.has(key)) return;
  told.add(key);
  console.error(message);
}

/** How long a component waits for a provider before saying it has none (a provider defined later still counts). */
const PROVIDER_GRACE_MS = 2_000;

/** Says once, in the console, that `element` has no <clientela-provider> around it, unless one turns up soon. */
export function tellNoProvider(element: HTMLElement, hasProvider: () => boolean): void {
  setTimeout(() => {
    if (!element.isConnected || hasProvider()) return;
    tellOnce(
      'no-provider',
      `<${element.localName}>: no <clientela-provider> around it, so it cannot reach the server. Put the components inside one (docs/embedding.md, "The provider").`,
    );
  }, PROVIDER_GRACE_MS);
}

// A bundler replaces `process.env.NODE_ENV` in a host's production build (and drops what it guards);
// in a page without one, `process` does not exist and the checks stay on.
declare const process: { env: { NODE_ENV?: string } };

/** Whether this is a development build of the host page: the checks below cost a little on every connect. */
function development(): boolean {
  try {
    return process.env.NODE_ENV !== 'production';
  } catch {
    return true;
  }
}

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * In development, warns once per element and name about an own property
 * with a dash in its name: what Angular's `[customer-id]="id"` and
 * `customer-id="{{id}}"` set, which the element never reads.
 */
export function tellDashedProperties(element: ReactiveElement): void {
  if (!development()) return;
  const declared = (element.constructor as typeof ReactiveElement).elementProperties;
  for (const name of Object.keys(element)) {
    if (!name.includes('-')) continue;
    const property = camelCase(name);
    const tag = element.localName;
    const fix =
      property in element
        ? `bind \`[${property}]\` (Angular), \`:${property}.prop\` (Vue)${declared.get(property)?.attribute !== false ? ' or the attribute' : ''}`
        : `<${tag}> has no property \`${property}\` (docs/components.md lists them)`;
    const key = `dashed ${tag} ${name}`;
    if (told.has(key)) continue;
    told.add(key);
    console.warn(`${tag}: \`${name}\` was set as a property; ${fix}`);
  }
}
