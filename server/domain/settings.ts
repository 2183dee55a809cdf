/** A tenant's settings (SPEC §3): phone region, currency and the points rule. */
import { eq, sql } from 'drizzle-orm';
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { Tx } from '../db/client.ts';
import { tenants, type TenantRow } from '../db/schema.ts';
import { getTenant } from './customers.ts';

export interface SettingsPatch {
  defaultRegion?: string;
  currency?: string;
  pointsPerUnit?: number;
  pointsValidityDays?: number | null;
}

/** The ISO 4217 currencies this runtime knows, e.g. EUR, MXN, COP. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const isPhoneRegion = (code: string) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
export const isCurrency = (code: string) => CURRENCIES.has(code);

export function serializeSettings(row: TenantRow) {
  return {
    defaultRegion: row.defaultRegion,
    currency: row.currency,
    pointsPerUnit: row.pointsPerUnit,
    pointsValidityDays: row.pointsValidityDays,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function updateSettings(tx: Tx, tenantId: string, patch: SettingsPatch): Promise<TenantRow> {
  if (!Object.keys(patch).length) return getTenant(tx, tenantId);
  const [row] = await tx
    .update(tenants)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(tenants.id, tenantId))
    .returning();
  return row;
}
