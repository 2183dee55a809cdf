/** GET /customers/:id/history: the timeline, filtered by type and time. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { isoDate, isoInstant } from '../../domain/customer-input.ts';
import { listHistory } from '../../domain/history-list.ts';
import { EVENT_TYPES, type EventType } from '../../domain/history.ts';
import { invalid } from '../../errors.ts';
import { bearer, commonErrors, errors, IdParam, jsonContent, page, PageQuery, router } from '../openapi.ts';
import { EventSchema } from '../schemas.ts';

const typeList = new RegExp(`^(${EVENT_TYPES.join('|').replaceAll('.', '\\.')})(,(${EVENT_TYPES.join('|').replaceAll('.', '\\.')}))*$`);
const instant = z
  .string()
  .refine((v) => isoDate.safeParse(v).success || isoInstant.safeParse(v).success, {
    message: 'Use a date (YYYY-MM-DD) or an ISO-8601 timestamp of the years 1900–9999.',
  })
  .openapi({ anyOf: [{ format: 'date' }, { format: 'date-time' }] });

const HistoryQuery = z.object({
  types: z
    .string()
    .regex(typeList, { message: `Comma-separated event types: ${EVENT_TYPES.join(', ')}.` })
    .optional()
    .openapi({ description: 'Comma-separated event types; default: all' }),
  from: instant.optional().openapi({ description: 'Inclusive; a date means from its start (UTC)' }),
  to: instant.optional().openapi({ description: 'Inclusive; a date means to its end (UTC)' }),
  ...PageQuery,
});

const DAY_MS = 86_400_000;
/** The end of year 9999: PostgreSQL reads no later ISO timestamp. */
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const isDate = (v: string) => isoDate.safeParse(v).success;
const startOf = (v: string) => new Date(isDate(v) ? `${v}T00:00:00Z` : v);
/**
 * The exclusive end of `to`: the next day for a date; a millisecond on for a
 * timestamp, so `to` set to an event's `at` (milliseconds) keeps that event
 * although the database stores microseconds.
 */
const endOf = (v: string) => new Date(Math.min(Date.parse(isDate(v) ? `${v}T00:00:00Z` : v) + (isDate(v) ? DAY_MS : 1), LAST_INSTANT));

export const historyRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/history',
    operationId: 'listCustomerHistory',
    security: bearer,
    summary: 'The customer’s history, newest first',
    middleware: [requirePermission('customers:read')] as const,
    request: { params: IdParam, query: HistoryQuery },
    responses: { 200: jsonContent(page(EventSchema), 'One page of events'), ...commonErrors, ...errors(409) },
  }),
  async (c) => {
    const { tenantId } = c.var.auth;
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const from = query.from ? startOf(query.from) : undefined;
    const before = query.to ? endOf(query.to) : undefined;
    if (from && before && from >= before) throw invalid('to', 'Must not be before from.');
    const types = query.types ? ([...new Set(query.types.split(','))] as EventType[]) : undefined;
    return c.json(await listHistory(c.var.db, tenantId, id, { types, from, before, limit: query.limit, cursor: query.cursor }), 200);
  },
);
