/** Orders as a shop pushes them (POST /orders), for the purchase and insights tests. */
import assert from 'node:assert/strict';
import type { CallOptions, CallResult } from './helpers.ts';

type Api = <T = any>(method: string, path: string, options?: CallOptions) => Promise<CallResult<T>>;

export interface OrderLine {
  name?: string;
  category?: string | null;
  quantity?: number;
  price: number;
}

let sequence = 0;

/** A completed order in euros, its total the sum of its lines; `overrides` changes any field. */
export function orderBody(customerId: string, placedAt: string, lines: OrderLine[], overrides: Record<string, unknown> = {}) {
  sequence += 1;
  const items = lines.map((l, i) => ({ sku: `SKU-${i}`, name: l.name ?? `Artículo ${i}`, category: l.category ?? null, quantity: l.quantity ?? 1, price: l.price }));
  return {
    customerId,
    externalId: `ORD-${sequence}`,
    total: items.reduce((s, i) => s + i.price * i.quantity, 0),
    currency: 'EUR',
    status: 'completed',
    placedAt,
    items,
    ...overrides,
  };
}

/** Pushes an order (created or updated) and answers the stored order. */
export async function pushOrder(api: Api, body: Record<string, unknown>) {
  const res = await api('POST', '/orders', { body });
  assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.body));
  return res.body as { id: string } & Record<string, any>;
}
