/**
 * The one error path: domain code throws these, `onError` turns them into
 * the spec's body `{error: {code, message, details?}}`.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';

export type ErrorDetail = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Enough for any form; thousands of bad values (5,000 unknown custom keys) must not make a huge answer. */
export const MAX_DETAILS = 100;

export class ValidationFailed extends ApiError {
  constructor(readonly details: ErrorDetail[], message = 'Some fields are not valid.') {
    const listed = details.slice(0, MAX_DETAILS);
    super(422, 'validation_failed', details.length > MAX_DETAILS ? `${message} The first ${MAX_DETAILS} of ${details.length} problems are listed.` : message, { details: listed });
  }
}

export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found.`);
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new ApiError(409, 'conflict', message, extra);
export const forbidden = (message = 'You do not have permission to do this.') => new ApiError(403, 'forbidden', message);
export const unauthorized = (message = 'A valid bearer token is required.') =>
  new ApiError(401, 'unauthorized', message, {}, { 'WWW-Authenticate': 'Bearer' });
export const invalid = (path: string, message: string) => new ValidationFailed([{ path, message }]);

/** Fields a client may read but never write directly; named as such in errors. */
const READ_ONLY_FIELDS = new Set([
  'id', 'number', 'store', 'points', 'lifetimePoints', 'shareCode', 'version', 'createdAt', 'updatedAt',
  'metrics', 'duplicateHints', 'mergedInto', 'level',
]);
const ELSEWHERE: Record<string, string> = {
  status: 'Change the status with POST /customers/:id/status.',
  assignedUserId: 'Change the assignee with PUT /customers/:id/assignee.',
  levelId: 'Change the level with PUT /customers/:id/level.',
  levelLocked: 'Change the level with PUT /customers/:id/level.',
};

function unknownKeyMessage(key: string): string {
  // hasOwn: a body key such as "constructor" must not find Object.prototype's.
  if (Object.hasOwn(ELSEWHERE, key)) return `Not writable here. ${ELSEWHERE[key]}`;
  return READ_ONLY_FIELDS.has(key) ? 'Read-only field.' : 'Unknown field.';
}

export function zodDetails(error: ZodError, prefix = ''): ErrorDetail[] {
  const details = error.issues.map((issue) => {
    let path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      // One detail per unknown field, named, so nothing is silently dropped.
      return issue.keys.map((key) => ({ path: [path, key].filter(Boolean).join('.'), message: unknownKeyMessage(key) }));
    }
    if (!path) path = prefix || 'body';
    return [{ path, message }];
  });
  return details.flat();
}

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/** Maps PostgreSQL errors that bad input can still cause onto client errors. */
function fromDatabaseError(err: unknown): ApiError | null {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const code = (cause as { code?: string })?.code;
  if (code === '23505') return conflict('This value is already taken.');
  if (code === '23503') return conflict('This is still referenced by other records, or refers to one that does not exist.');
  if (code === '22P02' || code === '22003' || code === '22007' || code === '22008') {
    return new ApiError(422, 'validation_failed', 'A value is out of range or malformed.', { details: [{ path: 'body', message: 'A value is out of range or malformed.' }] });
  }
  if (code === '40001' || code === '40P01') return new ApiError(409, 'conflict', 'A concurrent change got in the way; retry.');
  if (code === '23514' && String((cause as Error).message).includes('points')) {
    return new ApiError(409, 'insufficient_points', 'Not enough points.');
  }
  return null;
}

export function handleError(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.extra), err.status as 400, err.headers);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) return c.json(errorBody('payload_too_large', 'The request body is too large.'), 413);
    if (status === 400) return c.json(errorBody('bad_request', err.message || 'The request could not be read.'), 400);
    if (status === 415) return c.json(errorBody('unsupported_media_type', 'Send the body as application/json.'), 415);
    return c.json(errorBody(status === 401 ? 'unauthorized' : 'error', err.message), status);
  }
  const mapped = fromDatabaseError(err);
  if (mapped) return handleError(mapped, c);
  // Logged (scrubbed) with the request line by telemetry.ts; the id lets a user's report find it.
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'unknown';
  return c.json(errorBody('internal', 'Something went wrong on our side.', { requestId }), 500);
}
