/** GET /customers/:id/insights: a customer's purchase and points figures over a range of days. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { TOP_CATEGORIES, customerInsights } from '../../domain/insights.ts';
import { DateRangeQuery, dayRange, withRangeInOrder } from '../date-range.ts';
import { bearer, commonErrors, errors, IdParam, jsonContent, router } from '../openapi.ts';

const money = (description: string) => z.number().int().openapi({ description: `${description}, in minor units of \`currency\`` });
const instant = z.string().nullable();

export const InsightsSchema = z
  .object({
    currency: z.string().openapi({ description: "The programme's currency: every amount below is in it" }),
    metrics: z.object({
      ordersCount: z.number().int(),
      totalSpent: money('Sum of the completed orders'),
      averageOrder: money('totalSpent / ordersCount, rounded'),
      firstOrderAt: instant,
      lastOrderAt: instant,
      lastInteractionAt: instant.openapi({ description: 'The last contact-centre interaction; null while there is none' }),
    }),
    categories: z
      .array(z.object({ category: z.string().nullable(), orders: z.number().int(), quantity: z.number().int(), spent: money('Item price × quantity') }))
      .openapi({ description: `The ${TOP_CATEGORIES} categories with the most spend, most first; null is items without a category` }),
    monthly: z
      .array(
        z.object({
          month: z.string().openapi({ example: '2026-03' }),
          orders: z.number().int(),
          spent: money('Completed orders placed in the month'),
          pointsEarned: z.number().int().openapi({ description: 'Points credited by orders and positive adjustments' }),
          pointsSpent: z.number().int().openapi({ description: 'Points redeemed or deducted by hand' }),
        }),
      )
      .openapi({ description: 'Every month (UTC) from the first with activity to the last, oldest first' }),
    otherCurrencies: z
      .array(z.object({ currency: z.string(), orders: z.number().int(), spent: z.number().int() }))
      .openapi({ description: 'Completed orders recorded in another currency, left out of the figures above' }),
  })
  .openapi('CustomerInsights');

const InsightsQuery = withRangeInOrder(z.object(DateRangeQuery));

export const customerInsightRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/{id}/insights',
    operationId: 'getCustomerInsights',
    summary: "The customer's purchase and points figures",
    description: 'Completed orders only, by placedAt; points from the ledger. `from` and `to` are inclusive; without them, all time.',
    security: bearer,
    middleware: [requirePermission('customers:read')] as const,
    request: { params: IdParam, query: InsightsQuery },
    responses: { 200: jsonContent(InsightsSchema, 'The figures'), ...commonErrors, ...errors(409) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await customerInsights(c.var.db, c.var.auth.tenantId, id, dayRange(c.req.valid('query'))), 200);
  },
);
