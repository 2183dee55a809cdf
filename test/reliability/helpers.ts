/**
 * Shared by the reliability tests: counts that the run prints and records,
 * a fingerprint of everything a tenant has in the database, the API's own
 * OpenAPI document as the list of operations, and a request sender that
 * copes with the event stream.
 */
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import type { App } from '../../server/app.ts';
import { query, type Db } from '../../server/db/client.ts';

/** Prints a count; test/reliability/run.mjs collects these lines into the run's summary. */
export function recordCount(name: string, value: number): void {
  console.log(`reliability count: ${name} = ${value}`);
}

let tenantTables: string[] | null = null;

/**
 * A count and a hash of every row the tenant owns, per table that has a
 * tenant_id (found in the catalogue, so a new table is covered without a
 * change here), plus its row in `tenants`. Equal fingerprints: nothing was
 * written; a difference names the table.
 */
export async function fingerprint(db: Db, tenantId: string): Promise<string> {
  tenantTables ??= (
    await query<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.columns
          where table_schema = 'public' and column_name = 'tenant_id' order by table_name`,
    )
  ).map((r) => r.table_name);
  const parts = [
    sql`select 'tenants' as t, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h from tenants x where x.id = ${tenantId}`,
    ...tenantTables.map(
      (table) =>
        sql`select ${table} as t, count(*) || ':' || md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as h
            from ${sql.identifier(table)} x where x.tenant_id = ${tenantId}`,
    ),
  ];
  const [row] = await query<{ h: string }>(db, sql`select string_agg(t || '=' || h, ' ' order by t) as h from (${sql.join(parts, sql` union all `)}) s`);
  return row.h;
}

export interface JsonSchema {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, with {id}-style parameters. */
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
  statuses: number[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, JsonSchema> };
}

export async function openApiDoc(app: App): Promise<OpenApiDoc> {
  const res = await app.request('/api/openapi.json');
  assert.equal(res.status, 200);
  return (await res.json()) as OpenApiDoc;
}

/** Every operation of the API proper (/api/v1), as the document describes it. */
export function operations(doc: OpenApiDoc): Operation[] {
  const list: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, op] of Object.entries(methods)) {
      list.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema ?? null,
        statuses: Object.keys(op.responses).map(Number),
      });
    }
  }
  return list;
}

export const operationKey = (op: { method: string; path: string }) => `${op.method} ${op.path}`;

/** Resolves a local $ref (#/components/schemas/Name). */
export function resolve(doc: OpenApiDoc, schema: JsonSchema): JsonSchema {
  let current = schema;
  while (current.$ref) current = doc.components.schemas[current.$ref.split('/').pop()!];
  return current;
}

export interface Sent {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when not JSON, or null for an event stream (not read). */
  body: any;
  text: string;
}

/**
 * One request to the app. An event stream is answered for good only when it
 * ends, so its body is cancelled unread: the status and headers say enough.
 */
export async function send(app: App, method: string, url: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Sent> {
  const res = await app.request(url, { method, headers: init.headers, body: init.body });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, headers: res.headers, body: null, text: '' };
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the assertions say so
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** The spec's error body: {error: {code, message, details?: [{path, message}]}}. */
export function assertErrorBody(sent: Sent, context: string): void {
  assert.match(sent.headers.get('content-type') ?? '', /^application\/json/, `${context}: an error must be JSON`);
  const error = sent.body?.error;
  assert.ok(error && typeof error === 'object', `${context}: no error object in ${sent.text.slice(0, 300)}`);
  assert.equal(typeof error.code, 'string', `${context}: error.code`);
  assert.ok(error.code.length > 0, `${context}: empty error.code`);
  assert.equal(typeof error.message, 'string', `${context}: error.message`);
  if (error.details !== undefined) {
    assert.ok(Array.isArray(error.details), `${context}: details must be a list`);
    for (const d of error.details) {
      assert.ok(typeof d.path === 'string' && typeof d.message === 'string', `${context}: detail ${JSON.stringify(d)}`);
    }
  }
  assert.ok(!/\bat .+\.(ts|js):\d+/.test(sent.text), `${context}: the answer shows a stack trace`);
}
