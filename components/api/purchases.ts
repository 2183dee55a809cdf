/** What a customer bought (SPEC §7): their orders, newest first, and the figures computed from them. */
import type { z } from '@hono/zod-openapi';
import type { ORDER_STATUSES } from '../../server/domain/orders.ts';
import type { InsightsSchema } from '../../server/routes/customers/insights.ts';
import type { OrderSchema } from '../../server/routes/schemas.ts';
import type { ClientelaClient } from './client.ts';
import type { Page } from './types.ts';

export type Order = z.infer<typeof OrderSchema>;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type Insights = z.infer<typeof InsightsSchema>;

/** Days as `YYYY-MM-DD`, both inclusive; empty: no bound. */
export interface DayRange {
  from: string;
  to: string;
}

export async function listOrders(
  client: ClientelaClient,
  id: string,
  status: OrderStatus | '',
  cursor: string | null,
  limit: number,
  signal?: AbortSignal,
): Promise<Page<Order>> {
  const response = await client.rpc.customers[':id'].orders.$get(
    { param: { id }, query: { status: status || undefined, limit: String(limit), cursor: cursor ?? undefined } },
    { init: { signal } },
  );
  return response.json();
}

export async function getInsights(client: ClientelaClient, id: string, range: DayRange, signal?: AbortSignal): Promise<Insights> {
  const response = await client.rpc.customers[':id'].insights.$get(
    { param: { id }, query: { from: range.from || undefined, to: range.to || undefined } },
    { init: { signal } },
  );
  return response.json();
}
