/** Shared pieces for the routers: one validation hook, common schemas. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { ValidationFailed, zodDetails } from '../errors.ts';
import { uuidInput } from '../domain/ids.ts';

/** Every router uses this: a failed zod check becomes 422 with one detail per field. */
export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        // The hook does not say which part failed; the target tells us.
        throw new ValidationFailed(zodDetails(result.error));
      }
      return undefined;
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }).passthrough(),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** The error answers every authenticated route may give. */
export const commonErrors = {
  401: errorResponse('Missing, invalid or expired token'),
  403: errorResponse('The token lacks the permission'),
  404: errorResponse('Not found (or of another tenant)'),
  422: errorResponse('Validation failed'),
  429: errorResponse('Too many requests from this user: retry after Retry-After seconds'),
} as const;

export const errors = (...statuses: Array<400 | 409 | 412 | 413 | 428 | 429 | 301 | 503>) =>
  Object.fromEntries(statuses.map((s) => [s, errorResponse(String(s))])) as Record<number, ReturnType<typeof errorResponse>>;

export const jsonContent = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParam = z.object({
  id: uuidInput().openapi({ param: { name: 'id', in: 'path' } }),
});

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: '1–200, default 50' }),
  cursor: z.string().max(512).optional().openapi({ description: 'Opaque cursor from nextCursor' }),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ActorSchema = z.object({ id: z.string(), name: z.string() }).openapi('Actor');
