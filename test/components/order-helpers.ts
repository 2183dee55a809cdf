/** Orders pushed as the shop would push them, for the tests of customer-orders and customer-insights. */
import { expect } from '@open-wc/testing';
import { api } from './helpers.ts';

let sequence = 0;
/** Pushes an order as the shop would; answers its body. */
export async function pushOrder(customerId: string, placedAt: string, items: Array<{ name: string; category: string; price: number; quantity?: number }>, extra: Record<string, unknown> = {}) {
  sequence += 1;
  const lines = items.map((i) => ({ sku: null, quantity: 1, ...i }));
  const body = {
    customerId,
    externalId: `WEB-${Date.now().toString(36)}-${sequence}`,
    total: lines.reduce((s, l) => s + l.price * l.quantity, 0),
    currency: 'EUR',
    status: 'completed',
    placedAt,
    items: lines,
    ...extra,
  };
  const { status, data } = await api<{ externalId: string }>('POST', '/orders', body);
  expect(status, JSON.stringify(data)).to.be.oneOf([200, 201]);
  return body;
}

