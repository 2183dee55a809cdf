/** GET /customers: search and list (the query lives in domain/customer-search.ts). */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { isoDate, STATUSES } from '../domain/customer-input.ts';
import { searchCustomers, SORT_VALUES, type SearchOptions } from '../domain/customer-search.ts';
import { getTenant } from '../domain/customers.ts';
import { invalid } from '../errors.ts';
import { commonErrors, jsonContent, page, PageQuery, router } from './openapi.ts';
import { CustomerListItemSchema } from './schemas.ts';
import { uuidInput } from '../domain/ids.ts';

const statusList = new RegExp(`^(${STATUSES.join('|')})(,(${STATUSES.join('|')}))*$`);
const flag = z.enum(['true', 'false'], { message: 'Use true or false.' });

export const CustomerListQuery = z.object({
  q: z.string().max(200, { message: 'At most 200 characters.' }).optional().openapi({
    description: 'Name (accent- and case-insensitive, typo-tolerant), email prefix, phone in any format, #number, id number or external id',
  }),
  status: z
    .string()
    .regex(statusList, { message: `Comma-separated statuses: ${STATUSES.join(', ')}.` })
    .optional()
    .openapi({ description: 'Comma-separated; default: every status' }),
  levelId: uuidInput().optional(),
  tag: z.string().min(1).max(50, { message: 'At most 50 characters.' }).optional(),
  vip: flag.optional(),
  bad: flag.optional(),
  assignedUserId: z.string().min(1).max(128).optional(),
  registeredFrom: isoDate.optional().openapi({ description: 'YYYY-MM-DD, inclusive (UTC)' }),
  registeredTo: isoDate.optional().openapi({ description: 'YYYY-MM-DD, inclusive (UTC)' }),
  sort: z
    .enum(SORT_VALUES as [string, ...string[]], { message: `One of: ${SORT_VALUES.join(', ')}.` })
    .optional()
    .openapi({ description: 'Prefix - for descending. Default: relevance with q, else -registeredAt' }),
  ...PageQuery,
});

export const customerListRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/customers',
    summary: 'Search and list customers, one keyset page at a time',
    middleware: [requirePermission('customers:read')] as const,
    request: { query: CustomerListQuery },
    responses: { 200: jsonContent(page(CustomerListItemSchema), 'One page of customers'), ...commonErrors },
  }),
  async (c) => {
    const { tenantId } = c.var.auth;
    const query = c.req.valid('query');
    if (query.registeredFrom && query.registeredTo && query.registeredFrom > query.registeredTo) {
      throw invalid('registeredTo', 'Must not be before registeredFrom.');
    }
    const tenant = await getTenant(c.var.db, tenantId);
    const options: SearchOptions = {
      ...query,
      status: query.status?.split(',') as SearchOptions['status'],
      vip: query.vip === undefined ? undefined : query.vip === 'true',
      bad: query.bad === undefined ? undefined : query.bad === 'true',
      sort: query.sort as SearchOptions['sort'],
    };
    return c.json(await searchCustomers(c.var.db, tenantId, tenant.defaultRegion, options), 200);
  },
);
