/** GET, POST /custom-fields: the tenant's custom field definitions. */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../auth.ts';
import {
  createCustomField,
  CUSTOM_FIELD_TYPES,
  CustomFieldKeySchema,
  deleteCustomField,
  listCustomFields,
  serializeCustomField,
  updateCustomField,
} from '../domain/custom-fields.ts';
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

const Options = z.array(Option).max(100, { message: 'At most 100 options.' });

/**
 * What a path may name: a NUL reached PostgreSQL as a 500. Looser than a
 * new definition's key (CustomFieldKeySchema), so definitions stored before
 * keys were checked strictly can still be edited and deleted.
 */
const CustomFieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, {
  message: 'Start with a letter; letters, digits and _ only; at most 64 characters.',
});

const CustomFieldInput = z
  .strictObject({
    key: CustomFieldKeySchema,
    label: z.string().trim().min(1, { message: 'Required.' }).max(100, { message: 'At most 100 characters.' }),
    type: z.enum(CUSTOM_FIELD_TYPES, { message: `One of: ${CUSTOM_FIELD_TYPES.join(', ')}.` }),
    options: Options.nullable().optional(),
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

/** The key and type are fixed once defined: stored values were checked against them. */
const CustomFieldPatch = z
  .strictObject({
    label: z.string().trim().min(1, { message: 'Required.' }).max(100, { message: 'At most 100 characters.' }).optional(),
    options: Options.nullable().optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .superRefine((field, ctx) => {
    const options = field.options ?? [];
    if (new Set(options).size !== options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Options must be distinct.' });
  })
  .openapi('CustomFieldPatch');

const KeyParam = z.object({
  key: CustomFieldKey.openapi({ param: { name: 'key', in: 'path' } }),
});

const admin = requirePermission('settings:admin');

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
      middleware: [admin] as const,
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
        customerIds: [],
      }));
      return c.json(answer.body, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{key}',
      operationId: 'updateCustomField',
      summary: 'Edit a custom field (label, options, required, position); a new required field binds new members and edits of it only',
      security: bearer,
      middleware: [admin] as const,
      request: {
        params: KeyParam,
        body: jsonBody(CustomFieldPatch, {
          relabel: { summary: 'A new label, required from now on', value: { label: 'Talla', required: true } },
          options: { summary: 'The options of an enum field', value: { options: ['S', 'M', 'L', 'XL', 'XXL'] } },
        }),
      },
      responses: { 200: jsonContent(CustomFieldSchema, 'The definition'), ...commonErrors, ...bodyErrors },
    }),
    async (c) => {
      const { key } = c.req.valid('param');
      const input = c.req.valid('json');
      const row = await c.var.db.transaction((tx) => updateCustomField(tx, c.var.auth.tenantId, key, input));
      return c.json(serializeCustomField(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{key}',
      operationId: 'deleteCustomField',
      summary: 'Delete a custom field; customers’ stored values stay readable in their history',
      security: bearer,
      middleware: [admin] as const,
      request: { params: KeyParam },
      responses: { 204: { description: 'Deleted' }, ...commonErrors },
    }),
    async (c) => {
      const { key } = c.req.valid('param');
      await c.var.db.transaction((tx) => deleteCustomField(tx, c.var.auth.tenantId, key));
      return c.body(null, 204);
    },
  );
