/**
 * What every router shares: the validation hook, the error answers (once,
 * as components.responses), the headers a client sends and reads, and the
 * small schemas most routes use.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { ValidationFailed, zodDetails } from '../errors.ts';
import { CustomerSchema } from '../contract/customer.ts';
export { orNull } from '../contract/customer.ts';
import { uuidInput } from '../domain/ids.ts';

/** Every router uses this: a failed zod check becomes 422 with one detail per field. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationFailed(zodDetails(result.error));
      return undefined;
    },
  });
}

/** Every operation under /api/v1 declares it; the public ones (the demo session) do not. */
export const bearer = [{ bearer: [] }];

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      })
      .passthrough(),
  })
  .openapi('Error');

const PreconditionFailedSchema = z
  .object({
    error: z
      .object({
        code: z.literal('precondition_failed'),
        message: z.string(),
        current: CustomerSchema.openapi({ description: 'The customer as it is now: show it, then retry with its ETag' }),
      })
      .passthrough(),
  })
  .openapi('PreconditionFailedError');

const header = (description: string) => ({ schema: { type: 'string' as const }, required: true, description });

/** The error answers, each described once in components.responses. */
const ERROR_RESPONSES = {
  400: { name: 'BadRequest', description: 'The body is not well-formed JSON' },
  401: {
    name: 'Unauthorized',
    description: 'Missing, invalid or expired token',
    headers: { 'WWW-Authenticate': header('Bearer') },
  },
  403: { name: 'Forbidden', description: 'The token lacks the permission' },
  404: { name: 'NotFound', description: 'Not found (or of another tenant)' },
  409: { name: 'Conflict', description: 'The request conflicts with the current state (error.code says how)' },
  412: { name: 'PreconditionFailed', description: 'If-Match names an older version: error.current is the record now', schema: 'PreconditionFailedError' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than 1 MB' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not application/json' },
  422: { name: 'ValidationFailed', description: 'Validation failed: error.details names each bad field' },
  428: { name: 'PreconditionRequired', description: 'Send If-Match with the ETag you last read' },
  429: {
    name: 'TooManyRequests',
    description: 'Too many requests from this user (or open event streams of this tenant)',
    headers: { 'Retry-After': header('Seconds to wait before retrying') },
  },
  503: {
    name: 'Unavailable',
    description: 'Busy (the work would take too long now) or shutting down: try again after Retry-After',
    headers: { 'Retry-After': header('Seconds to wait before retrying') },
  },
} as const;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** Adds the error answers and the Idempotency-Key parameter to a document's components (the v1 router's, which its parent takes over). */
export function registerErrorResponses(registry: OpenAPIHono['openAPIRegistry']) {
  registry.registerComponent('parameters', 'IdempotencyKey', IDEMPOTENCY_KEY_PARAMETER);
  registry.register('Error', ErrorSchema);
  registry.register('PreconditionFailedError', PreconditionFailedSchema);
  for (const response of Object.values(ERROR_RESPONSES)) {
    registry.registerComponent('responses', response.name, {
      description: response.description,
      ...('headers' in response ? { headers: response.headers } : {}),
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${'schema' in response ? response.schema : 'Error'}` } } },
    });
  }
}

/**
 * References to the shared error answers, for an operation's `responses`.
 * `content: undefined` (dropped from the JSON document) keeps them out of the
 * typed client's answer types: a non-2xx answer is thrown, never returned.
 */
export const errors = <S extends ErrorStatus>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/${ERROR_RESPONSES[s].name}`, content: undefined }])) as Record<
    S,
    { $ref: string; content: undefined }
  >;

/** What any authenticated call may answer: no or a bad token, a missing permission, a bad parameter, the rate limit, no such thing. */
export const commonErrors = errors(401, 403, 404, 422, 429);
/** What a call with a JSON body may answer besides: malformed JSON, too large, not JSON. */
export const bodyErrors = errors(400, 413, 415);

export const jsonContent = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON body, with examples a client (and the contract test) can send as they are. */
export const jsonBody = <T extends z.ZodType>(schema: T, examples: Record<string, { summary: string; value: z.input<T> }>) => ({
  required: true,
  content: { 'application/json': { schema, examples } },
});

/** Response headers. */
export const etagHeader = { ETag: header('The customer’s version, to send back as If-Match') };
export const locationHeader = { Location: header('Where the new resource is') };

/** PATCH /customers/:id: required (428 without it); the domain, not the validator, says so, after looking the customer up. */
export const IfMatchRequired = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({ param: { required: true }, description: 'The ETag you last read; a stale one answers 412, none 428', example: '"3"' }),
});

export const IfMatchOptional = z.object({
  'if-match': z.string().optional().openapi({ description: 'Optional: the ETag you last read; a stale one answers 412', example: '"3"' }),
});

/**
 * POSTs that may be retried: the same key and body within 24 h replay the
 * first answer (SPEC §4). Checked by idempotency.ts, which every such route
 * calls; declared as a document parameter rather than a validated header so
 * that calls of the typed client without a key need no header argument.
 */
export const idempotencyKey = { $ref: '#/components/parameters/IdempotencyKey' };
const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description: 'A key you choose per change (a UUID): a retry with it is applied once',
  schema: { type: 'string' as const, minLength: 1, maxLength: 255 },
  example: '0f8fad5b-d9cb-469f-a165-70867728950e',
};

export const IdParam = z.object({
  id: uuidInput().openapi({ param: { name: 'id', in: 'path' }, example: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' }),
});

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: '1–200, default 50' }),
  cursor: z.string().max(512).optional().openapi({ description: 'Opaque cursor from nextCursor' }),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ActorSchema = z.object({ id: z.string(), name: z.string() }).openapi('Actor');
