/**
 * <clientela-provider>: gives every Clientela component inside it the API
 * client, the session (user and permissions) and the locale, through
 * @lit/context, and sets the theme tokens they inherit.
 *
 * @slot - The components and any host markup around them.
 * @cssprop --clientela-* - See theme.ts for the tokens.
 */
import { provide } from '@lit/context';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError } from '../api/api-error.ts';
import { ClientelaClient, type TokenSource } from '../api/client.ts';
import { EventStream } from '../api/event-stream.ts';
import { sameIdentity, sameSession, sessionFromToken } from '../api/session.ts';
import type { Session } from '../api/types.ts';
import { clientContext, liveContext, localeContext, sessionContext, type LocaleSettings } from '../context.ts';
import { tellDashedProperties, tellOnce } from '../shared/misuse.ts';
import { themeTokens } from '../theme.ts';

/**
 * Attributes a host sets by mistake for properties that only work as
 * properties (a function; a token, which does not belong in the DOM): what
 * Vue's `:get-token="fn"`, Angular's `[attr.get-token]` or a template
 * language writes. Each maps to its property.
 */
const PROPERTY_ONLY: Record<string, 'getToken' | 'token'> = { 'get-token': 'getToken', gettoken: 'getToken', token: 'token' };

export class ClientelaProvider extends LitElement {
  static override styles = [
    themeTokens,
    css`
      :host {
        display: block;
        font-family: var(--clientela-font);
        font-size: var(--clientela-font-size);
        color: var(--clientela-text);
      }
    `,
  ];

  /** Base URL of the API. */
  @property({ attribute: 'api-base' }) apiBase = '/api/v1';
  /** `es`, `en` or a regional tag such as `es-MX`; unset: the page's `lang`. */
  @property({ reflect: true }) locale = '';
  /** ISO 4217 code that amounts are shown in. */
  @property() currency = 'EUR';
  /** `light`, `dark`, or `auto` to follow the system. */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  /** A fixed bearer token (a property, never an attribute: tokens do not belong in the DOM). */
  @property({ attribute: false }) token: string | null = null;
  /** Called for a token, and again once when the server answers 401. */
  @property({ attribute: false }) getToken: TokenSource | null = null;

  @provide({ context: clientContext })
  @state()
  private client?: ClientelaClient;

  @provide({ context: sessionContext })
  @state()
  private session: Session | null = null;

  @provide({ context: localeContext })
  @state()
  private localeSettings?: LocaleSettings;

  /** The tenant's live changes over one connection, opened while some component listens. */
  @provide({ context: liveContext })
  @state()
  private live?: EventStream;

  /** The property a host tried to set as an attribute, when it set none of the two: requests fail at once, saying why. */
  @state() private misplacedTokenSource = '';

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, ...Object.keys(PROPERTY_ONLY)];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    const property = PROPERTY_ONLY[name];
    if (!property) return super.attributeChangedCallback(name, old, value);
    if (value === null) return;
    tellOnce(
      `attribute ${property}`,
      `clientela-provider: ${property} must be set as a property (Vue: \`:${property}.prop\`, Angular: \`[${property}]\`)`,
    );
    this.misplacedTokenSource = property;
  }

  private readonly langObserver = new MutationObserver(() => this.updateLocale());

  override connectedCallback(): void {
    super.connectedCallback();
    this.langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    void this.updateComplete.then(() => tellDashedProperties(this));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.langObserver.disconnect();
    // Once the components inside have let go (they leave with it), so does the connection: a page that swaps
    // providers would otherwise hold several of the browser's six connections to the server for a second each.
    queueMicrotask(() => {
      if (!this.isConnected) this.live?.releaseIfIdle();
    });
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('apiBase') || changed.has('misplacedTokenSource') || !this.client) this.connectClient();
    else if (changed.has('token') || changed.has('getToken')) this.followTokenSource(this.client);
    if (changed.has('locale') || changed.has('currency') || !this.localeSettings) this.updateLocale();
  }

  /** The one identity check pending after new token functions (several set in a row are asked once). */
  private identityCheck: ReturnType<typeof setTimeout> | undefined;

  /**
   * A new token or token function keeps the client, the session, the live
   * stream and all the components have loaded while its token names the
   * same tenant and user: frameworks hand a new function on every render
   * (Angular's `[getToken]="tokenSource()"`). Another user or tenant starts
   * everything over. A new function is asked once, soon, whose token it gives.
   */
  private followTokenSource(client: ClientelaClient) {
    if (!this.session || (!this.token && !this.getToken)) return this.connectClient();
    if (this.token) {
      const next = sessionFromToken(this.token);
      if (!sameIdentity(this.session, next)) return this.connectClient();
      client.replaceTokenSource(this.token, this.tokenSource(client));
      if (!sameSession(this.session, next)) this.session = next;
      return;
    }
    client.replaceTokenSource(null, this.tokenSource(client));
    clearTimeout(this.identityCheck);
    this.identityCheck = setTimeout(() => {
      if (this.client === client) void client.refreshToken().catch(() => undefined);
    });
  }

  /** The host's getToken, telling the provider whose token each answer is. */
  private tokenSource(client: ClientelaClient): TokenSource | undefined {
    const getToken = this.getToken;
    if (!getToken) return undefined;
    return async () => {
      const token = await getToken();
      if (this.client === client) this.followIdentity(token ?? null);
      return token;
    };
  }

  /** A token from getToken(): the same user of the same tenant updates the session; another starts over with it. */
  private followIdentity(token: string | null) {
    const next = sessionFromToken(token);
    if (this.session && !sameIdentity(this.session, next)) this.connectClient(token);
    else if (!sameSession(this.session, next)) this.session = next;
  }

  /** Resolved with the first token once the host sets `token` or `getToken`. */
  private tokenArrival: { promise: Promise<string | null>; resolve: (token: string | null) => void } | null = null;

  /** A new client (and so a reload of every component), with `knownToken` when getToken() just gave one. */
  private connectClient(knownToken: string | null = null) {
    clearTimeout(this.identityCheck);
    const getToken = this.getToken;
    const waiting = this.tokenArrival;
    let source: TokenSource | undefined;
    if (!this.token && !getToken && this.misplacedTokenSource) {
      // The host meant to give a token source but wrote an attribute: no use waiting for one.
      this.tokenArrival = null;
      source = () => Promise.reject(ApiError.noToken());
    } else if (!this.token && !getToken) {
      // Hosts often set the token a moment after the elements upgrade: requests wait for it
      // (for a while) instead of going out unsigned; then they fail, saying the page gave none.
      this.tokenArrival = deferredToken(TOKEN_WAIT_MS, () =>
        tellOnce(
          'no-token',
          `clientela-provider: no token after ${TOKEN_WAIT_MS / 1000} s: set its getToken property to a function that answers one (or its token property).`,
        ),
      );
      const arrival = this.tokenArrival.promise;
      source = () => arrival.then((token) => token ?? Promise.reject(ApiError.noToken()));
    } else {
      this.tokenArrival = null;
    }
    const token = this.token ?? knownToken;
    const client = new ClientelaClient({ apiBase: this.apiBase, token, getToken: source });
    if (getToken) client.replaceTokenSource(token, this.tokenSource(client));
    this.client = client;
    this.live?.close();
    this.live = new EventStream(client);
    this.session = sessionFromToken(token);
    if (waiting) void client.currentToken().then(waiting.resolve, () => waiting.resolve(null));
    else if (!token && getToken) void client.currentToken().catch(() => undefined);
  }

  private updateLocale() {
    const locale = this.locale || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language;
    if (locale !== this.localeSettings?.locale || this.currency !== this.localeSettings?.currency) {
      this.localeSettings = { locale, currency: this.currency };
    }
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

/** How long requests made before the host gives a token wait for one. */
const TOKEN_WAIT_MS = 10_000;

function deferredToken(timeoutMs: number, onTimeout: () => void) {
  let resolve!: (token: string | null) => void;
  let settled = false;
  const promise = new Promise<string | null>((done) => {
    resolve = (token) => {
      settled = true;
      done(token);
    };
    setTimeout(() => {
      if (!settled) onTimeout();
      resolve(null);
    }, timeoutMs);
  });
  return { promise, resolve };
}
