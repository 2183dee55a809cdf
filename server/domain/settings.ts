/** A tenant's settings (SPEC §3): phone region, currency and the points rule. */
import { eq, sql } from 'drizzle-orm';
import { getCountries } from 'libphonenumber-js/max';
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
export const CURRENCIES = Intl.supportedValuesOf('currency') as [string, ...string[]];

/** The countries whose phone numbers can be read without a country code, e.g. ES, MX, CO, AR. */
export const PHONE_REGIONS = getCountries() as [string, ...string[]];

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
