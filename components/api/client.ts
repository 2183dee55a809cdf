/**
 * The one HTTP client every component shares. `rpc` is hono's typed client
 * over the server's own route types (`hc<V1>`), so paths, params, queries,
 * bodies and answers type-check against the server: every call, reads and
 * writes alike, goes through it. Underneath, `send` adds the bearer token,
 * asks `getToken()` again once on a 401, and turns any non-2xx answer into a
 * typed {@link ApiError}.
 */
import { hc } from 'hono/client';
import type { V1 } from '../../server/routes/v1.ts';
import { tellOnce } from '../shared/misuse.ts';
import { ApiError, isAbort } from './api-error.ts';

export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

export interface ClientOptions {
  /** Where the API lives, e.g. `/api/v1` or `https://crm.example.com/api/v1`. */
  apiBase: string;
  /** A fixed token. */
  token?: string | null;
  /** Called for the first token and again, once, when the server answers 401. */
  getToken?: TokenSource;
}

export class ClientelaClient {
  readonly apiBase: string;
  /**
   * The components' calls, typed by the server's routes. Internal: left out
   * of the published declarations (stripInternal), which would otherwise
   * carry the whole server's route types, zod's and hono's into a host.
   * @internal
   */
  readonly rpc;
  private token: string | null;
  private pendingToken: Promise<string | null> | null = null;
  /** Bumped by every getToken() answer, so requests refused together refresh once. */
  private tokenGeneration = 0;

  private getToken?: TokenSource;

  constructor(options: ClientOptions) {
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.token = options.token ?? null;
    this.getToken = options.getToken;
    this.rpc = hc<V1>(this.apiBase, { fetch: (input: RequestInfo | URL, init?: RequestInit) => this.send(input, init) });
  }

  /**
   * Where tokens come from from now on, for the same session: a given token
   * replaces the one in use; without one, the token in use stays until the
   * server refuses it, then `getToken` is asked.
   */
  replaceTokenSource(token: string | null, getToken: TokenSource | undefined): void {
    this.getToken = getToken;
    if (token) this.token = token;
  }

  /** The token in use, fetching it through getToken() the first time. */
  async currentToken(): Promise<string | null> {
    if (this.token) return this.token;
    if (!this.getToken) return null;
    return this.refreshToken();
  }

  /** Asks getToken() for a fresh token; concurrent callers share one call. */
  refreshToken(): Promise<string | null> {
    if (!this.getToken) return Promise.resolve(this.token);
    this.pendingToken ??= Promise.resolve(this.getToken())
      .then((token) => {
        this.tokenGeneration += 1;
        return (this.token = token ?? null);
      })
      .finally(() => (this.pendingToken = null));
    return this.pendingToken;
  }

  /** fetch() with the bearer token; throws ApiError on anything but 2xx. */
  private async send(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const attempt = async (token: string | null) => {
      const headers = new Headers(init.headers);
      if (token) headers.set('Authorization', `Bearer ${token}`);
      if (typeof init.body === 'string' && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
      headers.set('Accept', 'application/json');
      try {
        return await fetch(input, { ...init, headers });
      } catch (err) {
        if (isAbort(err)) throw err;
        throw ApiError.network(err);
      }
    };
    const token = await this.currentToken();
    const generation = this.tokenGeneration;
    let response = await attempt(token);
    if (response.status === 401 && this.getToken) {
      // Requests refused together share one refresh: only a token nobody has replaced yet is asked for again.
      const fresh = this.pendingToken ?? (this.tokenGeneration !== generation ? Promise.resolve(this.token) : this.refreshToken());
      response = await attempt(await fresh);
    }
    if (await notTheApi(response)) throw this.notTheApi(init.method ?? 'GET', input, response);
    if (!response.ok) throw await ApiError.fromResponse(response);
    return response;
  }

  private notTheApi(method: string, input: RequestInfo | URL, response: Response): ApiError {
    const url = input instanceof Request ? input.url : String(input);
    const type = response.headers.get('Content-Type') || 'no content type';
    tellOnce(
      `not-api ${this.apiBase}`,
      `clientela-provider: api-base "${this.apiBase}" is not Clientela's API: ${method} ${url} answered ${response.status} (${type}). ` +
        "Point api-base at the server's /api/v1, or route that path to it (docs/embedding.md).",
    );
    return ApiError.notApi(this.apiBase, response.status);
  }
}

/**
 * Whether an answer comes from something other than Clientela's API, which
 * always answers JSON: a web page (a host's 404 page, a single-page app's
 * fallback answering 200 for every path), or a 404 that is not the API's
 * JSON error, or the API's own "no route" (a wrong version in the path).
 */
async function notTheApi(response: Response): Promise<boolean> {
  if ((response.headers.get('Content-Type') ?? '').includes('text/html')) return true;
  if (response.status !== 404) return false;
  const body = (await response.clone().json().catch(() => null)) as { error?: { message?: unknown } } | null;
  return !body?.error || /^No route for /.test(String(body.error.message));
}

/** A random key for POSTs that may be retried (SPEC §4, Idempotency-Key). */
export const idempotencyKey = () => crypto.randomUUID();
