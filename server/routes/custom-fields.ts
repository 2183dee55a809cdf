/** GET, POST /custom-fields: the tenant's custom field definitions. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { createCustomField, CUSTOM_FIELD_TYPES, CustomFieldKeySchema, listCustomFields, serializeCustomField } from '../domain/custom-fields.ts';
import { idempotent } from '../idempotency.ts';
import { commonErrors, errors, jsonBody, jsonContent, page, router } from './openapi.ts';

export const CustomFieldSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string()).nullable(),
    required: z.boolean(),
    position: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('CustomField');

const Option = z.string().trim().min(1, { message: 'Options cannot be empty.' }).max(100, { message: 'At most 100 characters.' });

const CustomFieldInput = z
  .strictObject({
    key: CustomFieldKeySchema,
    label: z.string().trim().min(1, { message: 'Required.' }).max(100, { message: 'At most 100 characters.' }),
    type: z.enum(CUSTOM_FIELD_TYPES, { message: `One of: ${CUSTOM_FIELD_TYPES.join(', ')}.` }),
    options: z.array(Option).max(100, { message: 'At most 100 options.' }).nullable().optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .superRefine((field, ctx) => {
    const options = field.options ?? [];
    if (field.type === 'enum' && !options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'An enum needs at least one option.' });
    } else if (field.type !== 'enum' && options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only enum fields have options.' });
    } else if (new Set(options).size !== options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Options must be distinct.' });
    }
  })
  .openapi('CustomFieldInput');

export const customFieldRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/custom-fields',
      summary: 'The tenant’s custom field definitions, in display order',
      middleware: [requirePermission('customers:read')] as const,
      responses: { 200: jsonContent(page(CustomFieldSchema), 'Every definition (one page)'), ...commonErrors },
    }),
    async (c) => {
      const rows = await listCustomFields(c.var.db, c.var.auth.tenantId);
      return c.json({ items: rows.map(serializeCustomField), nextCursor: null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/custom-fields',
      summary: 'Define a custom field',
      middleware: [requirePermission('settings:admin')] as const,
      request: { body: jsonBody(CustomFieldInput) },
      responses: { 201: jsonContent(CustomFieldSchema, 'The new definition'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const answer = await idempotent(c, input, async (tx) => ({
        status: 201,
        body: serializeCustomField(await createCustomField(tx, c.var.auth.tenantId, input)),
        customerIds: [],
      }));
      return c.json(answer.body, 201);
    },
  );
