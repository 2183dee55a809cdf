/**
 * A tenant's custom field definitions; customer values are checked against
 * them in customer-input.ts. A customer's values are an object keyed by
 * definition key, so a key must never be a name every object already
 * answers to (`constructor`, `toString`…), and values are always read as
 * the object's own properties (customValue).
 */
import { z } from '@hono/zod-openapi';
import { and, asc, count, eq, max } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { customFields, type CustomFieldRow } from '../db/schema.ts';
import { conflict, notFound, ValidationFailed, type ErrorDetail } from '../errors.ts';

export const CUSTOM_FIELD_TYPES = ['text', 'integer', 'decimal', 'date', 'boolean', 'enum'] as const;

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

export const CustomFieldKeySchema = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, { message: 'Start with a lower-case letter; letters, digits and _ only; at most 40 characters.', abort: true })
  .refine((key) => !PROTOTYPE_NAMES.has(key), { message: 'Reserved: every JavaScript object has a property of this name.' });

/** A customer's value for a key, only when the customer has one of its own (never one of Object.prototype's). */
export function customValue(values: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(values, key) ? values[key] : undefined;
}
export const MAX_CUSTOM_FIELDS = 100;

export interface NewCustomField {
  key: string;
  label: string;
  type: (typeof CUSTOM_FIELD_TYPES)[number];
  options?: string[] | null;
  required?: boolean;
  position?: number;
}

export function serializeCustomField(row: CustomFieldRow) {
  return {
    key: row.key,
    label: row.label,
    type: row.type as NewCustomField['type'],
    options: row.options ?? null,
    required: row.required,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
  };
}

export function listCustomFields(tx: Tx, tenantId: string) {
  return tx.select().from(customFields).where(eq(customFields.tenantId, tenantId)).orderBy(asc(customFields.position), asc(customFields.key));
}

/** Adds a definition at the end unless a position is given; 409 when the key is taken or the tenant has too many. */
export async function createCustomField(tx: Tx, tenantId: string, input: NewCustomField): Promise<CustomFieldRow> {
  const mine = eq(customFields.tenantId, tenantId);
  const [existing] = await tx.select().from(customFields).where(and(mine, eq(customFields.key, input.key)));
  if (existing) throw conflict(`A custom field with the key "${input.key}" already exists.`);
  const [{ n, last }] = await tx.select({ n: count(), last: max(customFields.position) }).from(customFields).where(mine);
  if (n >= MAX_CUSTOM_FIELDS) throw conflict(`A tenant has at most ${MAX_CUSTOM_FIELDS} custom fields.`);
  const [row] = await tx
    .insert(customFields)
    .values({
      tenantId,
      key: input.key,
      label: input.label,
      type: input.type,
      options: input.type === 'enum' ? input.options : null,
      required: input.required ?? false,
      position: input.position ?? (last ?? 0) + 1,
    })
    .returning();
  return row;
}

export interface CustomFieldPatch {
  label?: string;
  options?: string[] | null;
  required?: boolean;
  position?: number;
}

/**
 * PATCH /custom-fields/:key: the key and type never change (stored values
 * were checked against them). A field made required is asked of new members
 * and of edits of that field only, never of existing customers' other edits.
 */
export async function updateCustomField(tx: Tx, tenantId: string, key: string, patch: CustomFieldPatch): Promise<CustomFieldRow> {
  const where = and(eq(customFields.tenantId, tenantId), eq(customFields.key, key));
  const [row] = await tx.select().from(customFields).where(where).for('update');
  if (!row) throw notFound('Custom field');
  const options = patch.options ?? row.options ?? [];
  const details: ErrorDetail[] = [];
  if (row.type === 'enum' && patch.options !== undefined && !options.length) details.push({ path: 'options', message: 'An enum needs at least one option.' });
  if (row.type !== 'enum' && patch.options?.length) details.push({ path: 'options', message: 'Only enum fields have options.' });
  if (details.length) throw new ValidationFailed(details);
  const changes = {
    ...(patch.label !== undefined ? { label: patch.label } : {}),
    ...(row.type === 'enum' && patch.options ? { options: patch.options } : {}),
    ...(patch.required !== undefined ? { required: patch.required } : {}),
    ...(patch.position !== undefined ? { position: patch.position } : {}),
  };
  if (!Object.keys(changes).length) return row;
  const [updated] = await tx.update(customFields).set(changes).where(where).returning();
  return updated;
}

/**
 * DELETE /custom-fields/:key: only the definition goes. Customers' stored
 * values are left as they are (nothing is erased behind the history's back),
 * so the history keeps showing every change of the field.
 */
export async function deleteCustomField(tx: Tx, tenantId: string, key: string): Promise<void> {
  const gone = await tx
    .delete(customFields)
    .where(and(eq(customFields.tenantId, tenantId), eq(customFields.key, key)))
    .returning({ key: customFields.key });
  if (!gone.length) throw notFound('Custom field');
}
