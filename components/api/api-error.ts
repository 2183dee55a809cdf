/** The spec's error body (`{error: {code, message, details}}`) as a typed exception. */
import type { Customer } from './types.ts';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    /** On 412: the record as it is now on the server. */
    readonly current: Customer | null = null,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Builds the error from a non-2xx response, whatever its body looks like. */
  static async fromResponse(response: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy's HTML page, an empty body): the status alone speaks.
    }
    const error = (body as { error?: Record<string, unknown> } | null)?.error;
    if (!error || typeof error !== 'object') {
      return new ApiError(response.status, response.status >= 500 ? 'internal' : 'error', response.statusText || `HTTP ${response.status}`);
    }
    const { code, message, details, current, ...extra } = error;
    return new ApiError(
      response.status,
      typeof code === 'string' ? code : 'error',
      typeof message === 'string' ? message : `HTTP ${response.status}`,
      Array.isArray(details) ? (details as FieldError[]) : [],
      (current as Customer | undefined) ?? null,
      extra,
    );
  }

  /** A network failure or an aborted request, in the same shape. */
  static network(cause: unknown): ApiError {
    return new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
  }

  /** No request was sent: the page gave the provider neither `token` nor `getToken`. */
  static noToken(): ApiError {
    return new ApiError(401, 'no_token', 'Not signed in: the page gave no token function.');
  }

  /** The answer came from something other than Clientela's API (a web page, "no such route"): `api-base` is wrong. */
  static notApi(apiBase: string, status: number): ApiError {
    return new ApiError(status, 'not_api', `No Clientela API answers at ${apiBase}.`, [], null, { apiBase });
  }

  /** Field errors keyed by path (`email`, `phones.0.number`, `custom.size`), optionally translated. */
  fieldErrors(translate: (message: string) => string = (m) => m): Map<string, string> {
    const map = new Map<string, string>();
    for (const detail of this.details) if (!map.has(detail.path)) map.set(detail.path, translate(detail.message));
    return map;
  }
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';
