/**
 * What a demo customer bought over two years, so the orders list and the
 * insights charts have something to say: a catalogue of 13 categories, each
 * shopper with a few favourite ones, more orders in December and July, a
 * few refunds and cancellations, recent orders still in progress, and
 * redemptions now and then. The ledger is walked in time order, so balances,
 * FIFO `remaining`, reversals clamped to the balance and lifetime points come
 * out exactly as the API would have written them.
 */
import type { SeededRandom } from './random.ts';

interface Product {
  sku: string;
  name: string;
  price: number;
}

export const CATALOGUE: Record<string, Product[]> = {
  Alimentación: [
    { sku: 'CAF-001', name: 'Café de Colombia 500 g', price: 899 },
    { sku: 'ACE-010', name: 'Aceite de oliva virgen extra 1 L', price: 1150 },
    { sku: 'CHO-003', name: 'Chocolate negro 85 %', price: 349 },
    { sku: 'JAM-120', name: 'Jamón ibérico loncheado 100 g', price: 1495 },
  ],
  Bebidas: [
    { sku: 'AGU-006', name: 'Agua mineral 6 × 1,5 L', price: 299 },
    { sku: 'ZUM-014', name: 'Zumo de naranja natural 1 L', price: 275 },
    { sku: 'TE-030', name: 'Té verde matcha 100 g', price: 1290 },
  ],
  Bodega: [
    { sku: 'VIN-075', name: 'Vino tinto Rioja crianza', price: 1275 },
    { sku: 'CAV-020', name: 'Cava brut nature', price: 990 },
    { sku: 'VER-011', name: 'Vermut rojo artesano', price: 1450 },
  ],
  Droguería: [
    { sku: 'DET-300', name: 'Detergente líquido 40 lavados', price: 1195 },
    { sku: 'LIM-045', name: 'Limpiador multiusos ecológico', price: 349 },
  ],
  Belleza: [
    { sku: 'CRE-210', name: 'Crema hidratante facial', price: 1890 },
    { sku: 'PER-500', name: 'Perfume eau de toilette 100 ml', price: 4950 },
    { sku: 'CHA-060', name: 'Champú sólido', price: 790 },
  ],
  Ropa: [
    { sku: 'CAM-220', name: 'Camiseta de algodón', price: 1999 },
    { sku: 'VAQ-340', name: 'Vaqueros rectos', price: 4995 },
    { sku: 'ABR-900', name: 'Abrigo de lana', price: 12900 },
  ],
  Calzado: [
    { sku: 'ZAP-310', name: 'Zapatillas de running', price: 7495 },
    { sku: 'BOT-410', name: 'Botines de piel', price: 8990 },
    { sku: 'SAN-120', name: 'Sandalias de verano', price: 2995 },
  ],
  Hogar: [
    { sku: 'SAR-015', name: 'Juego de sábanas 150 cm', price: 3490 },
    { sku: 'TAZ-008', name: 'Set de 4 tazas de cerámica', price: 1990 },
    { sku: 'LAM-230', name: 'Lámpara de mesa', price: 3995 },
  ],
  Electrónica: [
    { sku: 'AUR-500', name: 'Auriculares inalámbricos', price: 5990 },
    { sku: 'CAR-025', name: 'Cargador rápido USB-C', price: 1995 },
    { sku: 'ALT-700', name: 'Altavoz bluetooth', price: 8900 },
  ],
  Libros: [
    { sku: 'LIB-042', name: 'Libro «Cien años de soledad»', price: 1890 },
    { sku: 'LIB-108', name: 'Libro «La sombra del viento»', price: 1095 },
    { sku: 'LIB-215', name: 'Guía de viaje de Andalucía', price: 2290 },
  ],
  Juguetes: [
    { sku: 'JUG-033', name: 'Puzle de 1000 piezas', price: 1499 },
    { sku: 'JUG-140', name: 'Juego de mesa familiar', price: 2995 },
  ],
  Deportes: [
    { sku: 'DEP-077', name: 'Esterilla de yoga', price: 2490 },
    { sku: 'DEP-210', name: 'Botella térmica 750 ml', price: 1590 },
    { sku: 'DEP-500', name: 'Raqueta de pádel', price: 8995 },
  ],
  Mascotas: [
    { sku: 'MAS-010', name: 'Pienso para perro adulto 3 kg', price: 1690 },
    { sku: 'MAS-044', name: 'Arena para gatos 10 L', price: 895 },
  ],
};
const CATEGORIES = Object.keys(CATALOGUE);

/** More shopping around Christmas and the summer sales. */
const MONTH_WEIGHT = [0.6, 0.5, 0.5, 0.55, 0.6, 0.65, 0.85, 0.6, 0.55, 0.6, 0.8, 1];
const DAY = 86_400_000;

export interface SeedItem {
  sku: string;
  name: string;
  category: string;
  quantity: number;
  price: number;
}

export interface SeedOrder {
  externalId: string;
  placedAt: Date;
  status: 'pending' | 'processing' | 'completed' | 'cancelled' | 'refunded';
  total: number;
  items: SeedItem[];
  pointsEarned: number;
  pointsReversed: number;
  pointsUnrecovered: number;
  updatedAt: Date;
}

export interface SeedLedgerEntry {
  kind: 'earn' | 'redeem' | 'reversal';
  delta: number;
  balanceAfter: number;
  remaining: number;
  createdAt: Date;
  /** The externalId of the order an earn or reversal belongs to. */
  orderRef: string | null;
  reason: string | null;
}

export interface PurchaseHistory {
  orders: SeedOrder[];
  ledger: SeedLedgerEntry[];
  balance: number;
  lifetime: number;
}

/**
 * `count` orders placed between `from` and `to` (ms), named `${prefix}-1…`,
 * earning floor(total in whole units) points when completed.
 */
export function purchaseHistory(r: SeededRandom, options: { prefix: string; count: number; from: number; to: number }): PurchaseHistory {
  const { prefix, count, from, to } = options;
  const favourites = new Set(Array.from({ length: 3 }, () => r.pick(CATEGORIES)));
  const category = () => (r.chance(0.75) ? r.pick([...favourites]) : r.pick(CATEGORIES));
  const times: number[] = [];
  while (times.length < count && to > from) {
    const at = from + Math.floor(r.next() * (to - from));
    if (r.next() < MONTH_WEIGHT[new Date(at).getUTCMonth()]) times.push(at);
  }
  times.sort((a, b) => a - b);

  type Step = { at: number; kind: 'earn' | 'reversal' | 'redeem'; order?: SeedOrder };
  const steps: Step[] = [];
  const orders = times.map((at, k): SeedOrder => {
    const items = Array.from({ length: r.chance(0.55) ? 1 : r.int(2, 4) }, () => {
      const name = category();
      const product = r.pick(CATALOGUE[name]);
      return { ...product, category: name, quantity: r.chance(0.75) ? 1 : r.int(2, 3) };
    });
    const total = items.reduce((s, i) => s + i.price * i.quantity, 0);
    const recent = at > to - 6 * DAY;
    const roll = r.next();
    const status = recent && roll < 0.5 ? (roll < 0.2 ? 'pending' : 'processing') : roll > 0.96 ? 'refunded' : roll > 0.93 ? 'cancelled' : 'completed';
    const order: SeedOrder = {
      externalId: `${prefix}-${k + 1}`,
      placedAt: new Date(at),
      status,
      total,
      items,
      pointsEarned: status === 'completed' || status === 'refunded' ? Math.floor(total / 100) : 0,
      pointsReversed: 0,
      pointsUnrecovered: 0,
      updatedAt: new Date(at),
    };
    if (order.pointsEarned > 0) steps.push({ at, kind: 'earn', order });
    if (status === 'refunded') {
      order.updatedAt = new Date(Math.min(to, at + r.int(3, 20) * DAY));
      steps.push({ at: order.updatedAt.getTime(), kind: 'reversal', order });
    }
    if (order.pointsEarned > 0 && r.chance(0.22)) steps.push({ at: Math.min(to, at + r.int(1, 40) * DAY), kind: 'redeem' });
    return order;
  });
  steps.sort((a, b) => a.at - b.at || (a.kind === 'earn' ? -1 : 1));

  const ledger: SeedLedgerEntry[] = [];
  let balance = 0;
  let lifetime = 0;
  const consume = (amount: number) => {
    let left = amount;
    for (const entry of ledger) {
      if (left <= 0) break;
      const take = Math.min(entry.remaining, left);
      entry.remaining -= take;
      left -= take;
    }
  };
  for (const step of steps) {
    const createdAt = new Date(step.at);
    if (step.kind === 'earn') {
      const points = step.order!.pointsEarned;
      balance += points;
      lifetime += points;
      ledger.push({ kind: 'earn', delta: points, balanceAfter: balance, remaining: points, createdAt, orderRef: step.order!.externalId, reason: null });
    } else if (step.kind === 'reversal') {
      const order = step.order!;
      const taken = Math.min(balance, order.pointsEarned);
      consume(taken);
      balance -= taken;
      lifetime -= order.pointsEarned;
      order.pointsReversed = taken;
      order.pointsUnrecovered = order.pointsEarned - taken;
      ledger.push({ kind: 'reversal', delta: -taken, balanceAfter: balance, remaining: 0, createdAt, orderRef: order.externalId, reason: null });
    } else if (balance >= 100) {
      const spent = 100 * r.int(1, Math.min(5, Math.floor(balance / 100)));
      consume(spent);
      balance -= spent;
      ledger.push({ kind: 'redeem', delta: -spent, balanceAfter: balance, remaining: 0, createdAt, orderRef: null, reason: 'Canje de puntos en tienda' });
    }
  }
  return { orders, ledger, balance, lifetime };
}
