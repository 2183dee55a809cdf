/**
 * The OpenAPI document as a contract the server tests enforce: every answer
 * they receive through `call()` is checked against the document the app
 * serves — the status is one the operation lists, the JSON body is valid by
 * its schema (JSON Schema 2020-12, with formats) and names no field the
 * schema leaves out (a generated client's types would not have it), and
 * every header the document promises is there. A mismatch fails the test that got it, so the
 * document cannot drift from the server without a red test.
 */
import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The slice of an OpenAPI 3.1 document the check reads. */
export interface Document {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas?: Record<string, unknown>; responses?: Record<string, ResponseObject>; parameters?: Record<string, unknown> };
}

export interface OperationObject {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ $ref?: string; name?: string; in?: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown; examples?: Record<string, { value: unknown }> }> };
  responses: Record<string, ResponseObject | { $ref: string }>;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: unknown }>;
}

/** The keywords of a JSON Schema the field check follows. */
interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when not JSON; not read for an event stream. */
  body: unknown;
}

/** One operation as the document has it, and a pattern for the paths it serves. */
interface Route {
  key: string;
  method: string;
  template: string;
  pattern: RegExp;
  operation: OperationObject;
}

const DOCUMENT_ID = 'https://clientela.test/openapi.json';
const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

export class Contract {
  readonly routes: Route[];
  /** Operations (`GET /api/v1/customers/{id}`) that answered at least once, by status. */
  readonly visited = new Map<string, Set<number>>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: Document) {
    addFormats.default(this.ajv);
    // Schemas refer to '#/components/schemas/…': added whole, the document is their base.
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID }, undefined, undefined, false);
    this.routes = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        operation,
      })),
    );
  }

  routeOf(method: string, url: string): Route | undefined {
    const path = new URL(url, 'http://test').pathname;
    return this.routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
  }

  /** A validator for the schema at a JSON pointer into the document. */
  validatorAt(where: string): ValidateFunction {
    let validate = this.validators.get(where);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#${where}` });
      this.validators.set(where, validate);
    }
    return validate;
  }

  errorsOf(validate: ValidateFunction): string {
    return this.ajv.errorsText(validate.errors, { separator: '; ', dataVar: 'body' });
  }

  /** Throws an AssertionError naming what the answer to `method url` breaks; answers outside the document are not checked. */
  check(method: string, url: string, answer: Answer): void {
    const route = this.routeOf(method, url);
    if (!route) return;
    const seen = this.visited.get(route.key) ?? new Set<number>();
    seen.add(answer.status);
    this.visited.set(route.key, seen);

    const context = `${route.key} (${method} ${url}) answered ${answer.status}`;
    const status = String(answer.status);
    const listed = route.operation.responses[status];
    assert.ok(listed, `${context}, which the document does not list (it lists ${Object.keys(route.operation.responses).join(', ')})`);
    const [response, at] =
      '$ref' in listed
        ? [this.document.components.responses?.[listed.$ref.split('/').pop()!], pointer('components', 'responses', listed.$ref.split('/').pop()!)]
        : [listed, pointer('paths', route.template, method.toLowerCase(), 'responses', status)];
    assert.ok(response, `${context}: the document's ${JSON.stringify(listed)} does not resolve`);

    for (const name of Object.keys(response.headers ?? {})) {
      assert.ok(answer.headers.has(name), `${context} without the ${name} header the document promises`);
    }
    const type = answer.headers.get('content-type') ?? '';
    if (type.startsWith('text/event-stream')) {
      assert.ok(response.content?.['text/event-stream'], `${context} with an event stream the document does not describe`);
      return;
    }
    if (!response.content) return;
    assert.ok(response.content['application/json'], `${context}: the document describes no JSON body`);
    assert.match(type, /^application\/json/, `${context} with content-type ${type || 'none'}, not JSON`);
    const validate = this.validatorAt(`/${at}/content/${pointer('application/json')}/schema`);
    assert.ok(validate(answer.body), `${context} with a body the document does not allow: ${this.errorsOf(validate)}\n${JSON.stringify(answer.body).slice(0, 600)}`);
    const schema = this.at(`/${at}/content/${pointer('application/json')}/schema`);
    assert.deepEqual([...this.undocumented(schema, answer.body, 'body')], [], `${context} with fields the document does not name`);
  }

  /** The part of the document a JSON pointer (`/components/schemas/Customer`) names. */
  private at(where: string): Schema {
    return where
      .split('/')
      .slice(1)
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((node: any, part) => node?.[part], this.document);
  }

  /**
   * The paths of the fields in `value` that no properties of its schema name.
   * Lenient where the schema chooses (every branch of anyOf/oneOf counts);
   * an object with additionalProperties (a record, or the error's extra
   * fields) may hold anything.
   */
  private undocumented(schema: Schema, value: unknown, path: string, found = new Set<string>()): Set<string> {
    if (value === null || typeof value !== 'object') return found;
    const branches = this.branches(schema);
    if (Array.isArray(value)) {
      for (const branch of branches) if (branch.items) value.forEach((item, i) => this.undocumented(branch.items!, item, `${path}[${i}]`, found));
      return found;
    }
    const open = branches.filter((b) => b.additionalProperties !== undefined && b.additionalProperties !== false);
    const named = branches.filter((b) => b.properties);
    if (!named.length && !open.length) return found;
    for (const [key, field] of Object.entries(value)) {
      const schemas = named.flatMap((b) => (b.properties![key] ? [b.properties![key]] : []));
      const where = `${path}.${key}`;
      if (schemas.length) {
        for (const fieldSchema of schemas) this.undocumented(fieldSchema, field, where, found);
      } else if (open.length) {
        for (const { additionalProperties } of open) if (typeof additionalProperties === 'object') this.undocumented(additionalProperties, field, where, found);
      } else {
        found.add(where);
      }
    }
    return found;
  }

  /** A schema with its $refs followed and its allOf, anyOf and oneOf spread out. */
  private branches(schema: Schema): Schema[] {
    const resolved = schema.$ref ? this.at(schema.$ref.slice(1)) : schema;
    return [resolved, ...[...(resolved.allOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])].flatMap((s) => this.branches(s))];
  }
}

/** Answers a body that would show an example of a request body invalid by its own schema. */
export function invalidExamples(contract: Contract): string[] {
  const problems: string[] = [];
  for (const route of contract.routes) {
    const media = route.operation.requestBody?.content['application/json'];
    for (const [name, example] of Object.entries(media?.examples ?? {})) {
      const validate = contract.validatorAt(`/${pointer('paths', route.template, route.method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema')}`);
      if (!validate(example.value)) problems.push(`${route.key} example ${name}: ${contract.errorsOf(validate)}`);
    }
  }
  return problems;
}

const contracts = new WeakMap<object, Promise<Contract>>();

/** The contract of an app: its own served document, read once. */
export function contractOf(app: { request: (path: string) => Response | Promise<Response> }): Promise<Contract> {
  let contract = contracts.get(app);
  if (!contract) {
    contract = Promise.resolve(app.request('/api/openapi.json')).then(async (res) => {
      assert.equal(res.status, 200, 'the app serves /api/openapi.json');
      return new Contract((await res.json()) as Document);
    });
    contracts.set(app, contract);
  }
  return contract;
}
