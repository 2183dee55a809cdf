/**
 * Telling a host developer what they got wrong, once, in the console: the
 * components say the same on the page in the reader's language. Each
 * message names the element, the mistake and the fix.
 */
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
