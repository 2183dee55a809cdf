/** GET, POST /custom-fields: the tenant's custom field definitions. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import { createCustomField, CUSTOM_FIELD_TYPES, listCustomFields, serializeCustomField } from '../domain/custom-fields.ts';
import { idempotent } from '../idempotency.ts';
import { instant } from '../contract/customer.ts';
import { bearer, bodyErrors, commonErrors, errors, idempotencyKey, jsonBody, jsonContent, page, router } from './openapi.ts';

export const CustomFieldSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string()).nullable(),
    required: z.boolean(),
    position: z.number().int(),
    createdAt: instant,
  })
  .openapi('CustomField');

const Option = z.string().trim().min(1, { message: 'Options cannot be empty.' }).max(100, { message: 'At most 100 characters.' });

const CustomFieldInput = z
  .strictObject({
    key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
      message: 'Start with a letter; letters, digits and _ only; at most 64 characters.',
    }),
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
      path: '/',
      operationId: 'listCustomFields',
      summary: 'The tenant’s custom field definitions, in display order',
      security: bearer,
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
      path: '/',
      operationId: 'createCustomField',
      summary: 'Define a custom field; honours Idempotency-Key',
      security: bearer,
      middleware: [requirePermission('settings:admin')] as const,
      parameters: [idempotencyKey],
      request: {
        body: jsonBody(CustomFieldInput, {
          size: { summary: 'A choice among options', value: { key: 'shirtSize', label: 'Talla de camiseta', type: 'enum', options: ['S', 'M', 'L', 'XL'] } },
          children: { summary: 'A whole number', value: { key: 'children', label: 'Hijos', type: 'integer' } },
        }),
      },
      responses: { 201: jsonContent(CustomFieldSchema, 'The new definition'), ...commonErrors, ...bodyErrors, ...errors(409) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const answer = await idempotent(c, input, async (tx) => ({
        status: 201,
        body: serializeCustomField(await createCustomField(tx, c.var.auth.tenantId, input)),
      }));
      return c.json(answer.body, 201);
    },
  );
