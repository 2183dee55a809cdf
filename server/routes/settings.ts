/** GET, PATCH /settings (settings:admin). */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { getTenant } from '../domain/customers.ts';
import { instant } from '../contract/customer.ts';
import { CURRENCIES, PHONE_REGIONS, serializeSettings, updateSettings } from '../domain/settings.ts';
import { bearer, bodyErrors, commonErrors, jsonBody, jsonContent, router } from './openapi.ts';

export const SettingsSchema = z
  .object({
    defaultRegion: z.string().openapi({ description: 'Region for phones written without a country code, e.g. ES' }),
    currency: z.string().openapi({ description: 'ISO 4217 code, e.g. EUR' }),
    pointsPerUnit: z.number().openapi({ description: 'Points earned per whole currency unit of a completed order' }),
    pointsValidityDays: z.number().int().nullable().openapi({ description: 'Null: points never expire' }),
    updatedAt: instant,
  })
  .openapi('Settings');

const SettingsPatch = z
  .strictObject({
    defaultRegion: z
      .enum(PHONE_REGIONS, { message: 'Not a phone region: use a two-letter ISO country code such as ES, MX, CO or AR.' })
      .optional(),
    currency: z.enum(CURRENCIES, { message: 'Not an ISO 4217 currency code such as EUR, MXN or COP.' }).optional(),
    pointsPerUnit: z
      .number({ message: 'Must be a number.' })
      .min(0, { message: 'Must be 0 or more.' })
      .max(1_000_000, { message: 'At most 1,000,000.' })
      .optional(),
    pointsValidityDays: z
      .number({ message: 'Must be a whole number of days, or null.' })
      .int({ message: 'Must be a whole number of days, or null.' })
      .min(1, { message: 'At least 1 day; null for points that never expire.' })
      .max(36_500, { message: 'At most 36,500 days.' })
      .nullable()
      .optional(),
  })
  .openapi('SettingsPatch');

const admin = requirePermission('settings:admin');

export const settingsRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      operationId: 'getSettings',
      summary: 'The tenant’s settings',
      security: bearer,
      middleware: [admin] as const,
      responses: { 200: jsonContent(SettingsSchema, 'The settings'), ...commonErrors },
    }),
    async (c) => c.json(serializeSettings(await getTenant(c.var.db, c.var.auth.tenantId)), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/',
      operationId: 'updateSettings',
      summary: 'Change some settings',
      security: bearer,
      middleware: [admin] as const,
      request: {
        body: jsonBody(SettingsPatch, {
          mexico: { summary: 'A programme in Mexico', value: { defaultRegion: 'MX', currency: 'MXN', pointsPerUnit: 0.1 } },
          expiry: { summary: 'Points expire after two years', value: { pointsValidityDays: 730 } },
        }),
      },
      responses: { 200: jsonContent(SettingsSchema, 'The settings after the change'), ...commonErrors, ...bodyErrors },
    }),
    async (c) => {
      const row = await c.var.db.transaction((tx) => updateSettings(tx, c.var.auth.tenantId, c.req.valid('json')));
      return c.json(serializeSettings(row), 200);
    },
  );
