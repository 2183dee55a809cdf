/**
 * fast-check arbitraries for API requests, built from the OpenAPI document:
 * values that follow each schema closely enough to reach the database
 * (ids of real customers, notes and levels, plausible emails and phones),
 * and values that break it on purpose (wrong types, unknown fields, huge and
 * odd strings, nulls, deep nesting, malformed JSON, wrong content types).
 */
import fc from 'fast-check';
import { resolve, type JsonSchema, type OpenApiDoc, type Operation } from './helpers.ts';

/** Ids the fuzzer has seen created: requests mostly aim at things that exist. */
export interface Pools {
  customers: string[];
  notes: Array<{ customerId: string; noteId: string }>;
  levels: string[];
  merges: string[];
  customFields: Array<{ key: string; type: string; options?: string[] | null; required?: boolean }>;
  /** The tenant's currency as last set: orders in another one are refused. */
  currency: string;
}

export interface FuzzRequest {
  op: Operation;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Set when If-Match should carry the customer's current ETag, read just before sending. */
  currentEtagOf?: string;
  /** What kind of request this is meant to be, for the counts. */
  intent: 'valid-ish' | 'broken';
}

/** A pick from a pool as it is when the request is generated (pools grow during the run). */
const fromPool = <T>(pool: () => T[], fallback: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.nat().chain((i) => {
    const items = pool();
    // Recent items are likelier alive (not erased or merged away).
    return items.length ? fc.constant(items[items.length - 1 - (i % Math.min(items.length, 40))]) : fallback;
  });

/** Names, including some that are also members of Object.prototype (a lookup by name must not find those). */
const NAMES = ['José', 'María José', 'Ñuño', 'Zoë', "O'Connor", 'Núñez-García', '李', 'Ana', ' espacios ', 'x'.repeat(100), 'Constructor', 'toString', '__proto__', 'valueOf de la Hoz'];
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

/** Strings that break things: control characters, unpaired surrogates, markup, SQL, huge. */
const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202e\u200b', "'; drop table customers; --", '<script>alert(1)</script>', '%00', '../../etc', ''),
  fc.constantFrom(1_000, 20_000, 300_000).map((n) => 'é'.repeat(n)),
);

const deepNest = fc.integer({ min: 20, max: 3_000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
});

/** Any JSON value, skewed to the kinds that break validators. */
export const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -0, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, '', [], {}),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  oddString,
  fc.jsonValue({ maxDepth: 3 }),
  deepNest,
);

function uuid(pools: Pools): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: fromPool(() => pools.customers, fc.uuid()) }, fromPool(() => pools.levels, fc.uuid()), fc.uuid());
}

const isoInstant = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const birthday = fc.date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2015-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const isoDay = fc.date({ min: new Date('1890-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** Values for fields whose meaning the schema alone does not carry. */
function byName(name: string, pools: Pools): fc.Arbitrary<unknown> | null {
  switch (name) {
    case 'email':
      return fc.oneof(
        { weight: 4, arbitrary: fc.stringMatching(/^[a-z]{1,8}(\.[a-z]{1,8})?$/).map((local) => `${local}@example.com`) },
        fc.constantFrom('ana.garcia@example.com', 'ANA@Example.COM', 'not-an-email', ''),
        fc.emailAddress(),
      );
    case 'phones': {
      const valid = fc.constantFrom('+34 612 345 678', '+34 699 111 222', '0034 699 111 223', '+52 55 1234 5678', '+57 301 234 5678', '+54 9 11 2345 6789');
      const label = fc.option(fc.oneof({ weight: 5, arbitrary: fc.constantFrom('móvil', 'casa', 'trabajo') }, fc.constant('x'.repeat(41))));
      const phone = (number: fc.Arbitrary<string>) => fc.record({ number, label }, { requiredKeys: ['number'] });
      return fc.oneof(
        { weight: 4, arbitrary: fc.uniqueArray(phone(valid), { maxLength: 2, selector: (p) => p.number }) },
        fc.array(phone(fc.oneof(valid, fc.constantFrom('612345678', '12', 'teléfono', ''))), { maxLength: 12 }),
      );
    }
    case 'iban':
      return fc.constantFrom('ES91 2100 0418 4502 0005 1332', 'GB82WEST12345698765432', 'ES00 1234', null);
    case 'bic':
      return fc.constantFrom('CAIXESBBXXX', 'DEUTDEFF', 'nope', null);
    case 'currency':
      return fc.oneof(
        { weight: 6, arbitrary: fc.constant(null).map(() => pools.currency) },
        fc.constantFrom('EUR', 'MXN', 'COP', 'JPY', 'KWD'),
        fc.constantFrom('XXX', 'eur'),
      );
    case 'defaultRegion':
    case 'country':
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom('ES', 'MX', 'CO', 'AR') }, fc.constantFrom('ZZ', 'es'));
    case 'legal':
      return fc.option(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom({ type: 'person' }, { type: 'company', companyName: 'Ferretería Núñez SL', taxId: 'B12345678', iban: 'ES91 2100 0418 4502 0005 1332', bic: 'CAIXESBBXXX' }) },
          fc.constantFrom({ type: 'company' }, { type: 'sole_trader', companyName: 'Ana', iban: 'ES00 1234' }, { type: 'alien' }),
        ),
      );
    case 'customerId':
      return fromPool(() => pools.customers, fc.uuid());
    case 'sourceIds':
    case 'customerIds':
      return fc.oneof(
        // Distinct picks, deduplicated after the fact: a pool may hold fewer customers than asked for.
        {
          weight: 4,
          arbitrary: fc
            .array(fromPool(() => pools.customers, fc.uuid()), { minLength: name === 'customerIds' ? 2 : 1, maxLength: 3 })
            .map((ids) => [...new Set(ids)]),
        },
        fc.array(fromPool(() => pools.customers, fc.uuid()), { maxLength: 12 }),
      );
    case 'levelId':
      return fc.option(fromPool(() => pools.levels, fc.uuid()));
    case 'userId':
    case 'assignedUserId':
      return fc.constantFrom('user-1', 'fuzz-admin', 'someone-else', null);
    case 'birthday':
      return fc.oneof({ weight: 6, arbitrary: fc.option(birthday) }, isoDay);
    case 'registeredFrom':
    case 'registeredTo':
      return fc.option(isoDay);
    case 'registeredAt':
    case 'placedAt':
      return isoInstant;
    case 'from':
    case 'to':
      return fc.oneof(isoDay, isoInstant, fc.constantFrom('2024-02-30', 'ayer'));
    case 'delta':
      // Mostly amounts a balance can take; sometimes the bounds, zero, or more than anyone holds.
      return fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -40, max: 500 }) }, fc.constantFrom(0, -1_000_000, 1_000_000, 1_000_001));
    case 'cursor':
      return fc.constantFrom('', 'abc', 'eyJ4IjoxfQ', '%%%');
    case 'firstName':
    case 'lastName':
    case 'name':
      return fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 30 }));
    case 'custom':
      return fc.oneof({ weight: 6, arbitrary: customValues(pools) }, fc.dictionary(fc.string({ maxLength: 8 }), wildValue, { maxKeys: 3 }));
    case 'required':
      // One required custom field the fuzzer made up would refuse every later new member without it.
      return fc.constant(false);
    case 'fieldChoices':
      // The choice must name the primary or a source: mostly left to the default.
      return fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, fc.dictionary(fc.constantFrom('firstName', 'email', 'city', 'custom.socio', 'nope'), fromPool(() => pools.customers, fc.uuid()), { maxKeys: 2 }));
    case 'lastEventId':
    case 'last-event-id':
      return fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.constantFrom('999999999999999', '-1', 'x'));
    default:
      return null;
  }
}

/** Values for the required custom fields and a few others, read from the definitions as they are now. */
function customValues(pools: Pools): fc.Arbitrary<Record<string, unknown>> {
  return fc.nat().chain((seed) => {
    const fields = pools.customFields;
    const chosen = fields.filter((f, i) => f.required || ((seed >> i % 30) & 3) === 0);
    return fc.tuple(...chosen.map((f) => (f.required ? typedCustomValue(f) : customValue(f)))).map((values) => Object.fromEntries(chosen.map((f, i) => [f.key, values[i]])));
  });
}

function typedCustomValue(field: Pools['customFields'][number]): fc.Arbitrary<unknown> {
  const typed: Record<string, fc.Arbitrary<unknown>> = {
    text: fc.string({ minLength: 1, maxLength: 40 }),
    integer: fc.integer({ min: -100_000, max: 100_000 }),
    decimal: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    date: isoDay,
    boolean: fc.boolean(),
    enum: fc.constantFrom(...(field.options?.length ? field.options : ['?'])),
  };
  return typed[field.type] ?? fc.string({ minLength: 1 });
}

/** A value for a custom field, mostly of its type. */
function customValue(field: Pools['customFields'][number]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 8, arbitrary: typedCustomValue(field) }, fc.constant(null), wildValue);
}

/** A value that follows the schema (most of the time: some hints aim just outside it). */
export function validish(doc: OpenApiDoc, schema: JsonSchema, pools: Pools, name = '', depth = 0): fc.Arbitrary<unknown> {
  const hinted = byName(name, pools);
  if (hinted) return hinted;
  const s = resolve(doc, schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  // On an object, anyOf/oneOf constrain its properties (a customer needs a name, an email or a phone): follow one.
  if (alternatives && s.properties) return fc.constantFrom(...alternatives).chain((a) => validish(doc, constrained(s, a), pools, name, depth));
  if (alternatives) return fc.oneof(...alternatives.map((a) => validish(doc, a, pools, name, depth)));
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : ['string'];
  const nonNull = types.filter((t) => t !== 'null');
  const arb = fc.oneof(...(nonNull.length ? nonNull : ['null']).map((t) => ofType(doc, s, t, pools, depth)));
  return types.includes('null') ? fc.oneof({ weight: 5, arbitrary: arb }, fc.constant(null)) : arb;
}

/** An object schema with one of its anyOf/oneOf alternatives applied. */
function constrained(s: JsonSchema, alternative: JsonSchema): JsonSchema {
  return {
    ...s,
    anyOf: undefined,
    oneOf: undefined,
    properties: { ...s.properties, ...alternative.properties },
    required: [...new Set([...(s.required ?? []), ...(alternative.required ?? [])])],
  };
}

function ofType(doc: OpenApiDoc, s: JsonSchema, type: string, pools: Pools, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000_000);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000);
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 5_000) }), fc.integer({ min, max }));
    }
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'array': {
      const max = Math.min(s.maxItems ?? 5, 5);
      return fc.array(validish(doc, s.items ?? {}, pools, '', depth + 1), { minLength: Math.min(s.minItems ?? 0, max), maxLength: max });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      if (s.properties) {
        // The required properties and up to four others: every extra field is one more way to miss.
        const required = Object.keys(s.properties).filter((k) => s.required?.includes(k));
        const optional = Object.keys(s.properties).filter((k) => !s.required?.includes(k));
        return fc
          .subarray(optional, { maxLength: Math.min(4, optional.length) })
          .chain((chosen) => fc.record(Object.fromEntries([...required, ...chosen].map((k) => [k, validish(doc, s.properties![k], pools, k, depth + 1)]))));
      }
      const values = typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
      return fc.dictionary(fc.string({ maxLength: 10 }), validish(doc, values, pools, '', depth + 1), { maxKeys: 3 });
    }
    default:
      return stringFor(s, pools);
  }
}

function stringFor(s: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  if (s.format === 'uuid') return uuid(pools);
  if (s.format === 'date-time') return isoInstant;
  if (s.format === 'date') return isoDay;
  if (s.format === 'email') return fc.emailAddress();
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 1_000));
  const maxLength = Math.min(s.maxLength ?? 60, 200);
  const minLength = Math.min(s.minLength ?? 0, maxLength);
  const names = NAMES.filter((n) => n.length <= maxLength);
  return fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 20) }), fc.constantFrom(...names));
}

/** The body: mostly schema-shaped, often broken in one of several ways. */
function bodyFor(doc: OpenApiDoc, schema: JsonSchema, pools: Pools): fc.Arbitrary<{ text: string; contentType: string | null; broken: boolean }> {
  const json = (value: unknown, broken: boolean) => ({ text: JSON.stringify(value), contentType: 'application/json', broken });
  const shaped = validish(doc, schema, pools);
  return fc.oneof(
    { weight: 10, arbitrary: shaped.map((v) => json(v, false)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(shaped, fc.oneof(fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`), fc.constantFrom(...PROTOTYPE_KEYS)), wildValue)
        .map(([v, k, w]) => json(withKey(v, k, w), true)),
    },
    { weight: 4, arbitrary: fc.tuple(shaped, fc.nat(), wildValue).map(([v, i, w]) => json(replaceKey(v, i, w), true)) },
    { weight: 2, arbitrary: wildValue.map((w) => json(w, true)) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', 'nul', '[1,]', '{"a":1}}', '\u0000', '"\\ud800"').map((text) => ({ text, contentType: 'application/json', broken: true })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shaped, fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded'))
        .map(([v, contentType]) => ({ text: JSON.stringify(v), contentType, broken: true })),
    },
    { weight: 1, arbitrary: fc.constant({ text: JSON.stringify({ firstName: 'x'.repeat(1_100_000) }), contentType: 'application/json', broken: true }) },
  );
}

function withKey(value: unknown, key: string, extra: unknown): unknown {
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...value, [key]: extra } : value;
}

function replaceKey(value: unknown, index: number, replacement: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return replacement;
  const keys = Object.keys(value);
  if (!keys.length) return { [`x${index}`]: replacement };
  return { ...value, [keys[index % keys.length]]: replacement };
}

/** encodeURIComponent, with unpaired surrogates (which it refuses) sent as U+FFFD. */
function encodePathSegment(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

function pathParam(op: Operation, name: string, pools: Pools): fc.Arbitrary<{ value: string; broken: boolean }> {
  const real =
    name === 'noteId'
      ? fromPool(() => pools.notes.map((n) => n.noteId), fc.uuid())
      : name === 'key'
        ? fromPool(() => pools.customFields.map((f) => f.key), fc.constantFrom('socio', 'nada'))
      : op.path.startsWith('/api/v1/levels/')
        ? fromPool(() => pools.levels, fc.uuid())
      : op.path.startsWith('/api/v1/merges/')
        ? fromPool(() => pools.merges, fc.uuid())
        : fromPool(() => pools.customers, fc.uuid());
  return fc.oneof(
    { weight: 12, arbitrary: real.map((value) => ({ value, broken: false })) },
    { weight: 2, arbitrary: fc.uuid().map((value) => ({ value, broken: false })) },
    { weight: 2, arbitrary: fc.oneof(oddString, fc.constantFrom('0', '-1', 'null', '1042', '%', '..')).map((v) => ({ value: encodePathSegment(v) || 'x', broken: true })) },
    // Raw escapes that decode to nothing valid: a NUL, an unpaired surrogate in UTF-8, broken percent signs.
    { weight: 1, arbitrary: fc.constantFrom('%00', '%ED%A0%80', '%', '%zz', '%C0%AF').map((value) => ({ value, broken: true })) },
  );
}

/** One request for an operation. */
export function requestFor(doc: OpenApiDoc, op: Operation, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const customerScoped = op.path.startsWith('/api/v1/customers/{id}');
  const writes = op.method !== 'GET';

  const independent = fc.tuple(...pathParams.map((p) => pathParam(op, p.name, pools))).map((values) => {
    let url = op.path;
    pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, values[i].value)));
    return { url, broken: values.some((v) => v.broken) };
  });
  // A note is found only under its own customer: pick the pair together most of the time.
  const notePair = fromPool(() => pools.notes, fc.constant({ customerId: '00000000-0000-4000-8000-000000000000', noteId: '00000000-0000-4000-8000-000000000000' })).map(
    (n) => ({ url: op.path.replace('{id}', n.customerId).replace('{noteId}', n.noteId), broken: false }),
  );
  const path = pathParams.some((p) => p.name === 'noteId') ? fc.oneof({ weight: 3, arbitrary: notePair }, independent) : independent;

  const queryArb = fc
    .tuple(
      ...queryParams
        .filter((p) => p.name !== 'access_token')
        .map((p) =>
          fc.option(
            fc.oneof(
              // A cursor of our own making is never valid: only the server mints them.
              { weight: 4, arbitrary: validish(doc, p.schema, pools, p.name).map((v) => ({ name: p.name, value: String(v), broken: p.name === 'cursor' })) },
              { weight: 1, arbitrary: wildValue.map((v) => ({ name: p.name, value: typeof v === 'string' ? v : JSON.stringify(v), broken: true })) },
            ),
            { freq: p.name === 'cursor' ? 12 : 2 },
          ),
        ),
      fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 })), { freq: 8 }),
    )
    .map((parts) => {
      const extra = parts.pop() as [string, string] | null;
      const pairs = (parts as Array<{ name: string; value: string; broken: boolean } | null>).filter((p) => p !== null);
      const search = new URLSearchParams(pairs.map((p) => [p.name, p.value]));
      if (extra) search.append(extra[0], extra[1]);
      return { search: search.toString(), broken: pairs.some((p) => p.broken) };
    });

  const ifMatch =
    customerScoped && writes
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constant('current') },
          fc.constantFrom('"1"', '"2"', 'W/"1"', '*', '"abc"', '', '"99999999999999999999"'),
          fc.constant(undefined),
        )
      : fc.constant(undefined);
  // Mostly fresh keys; sometimes a reused one (a replay, or 422 for another body), sometimes an invalid one.
  const idempotencyKey =
    op.method === 'POST'
      ? fc.option(fc.oneof({ weight: 8, arbitrary: fc.uuid() }, fc.constantFrom('k-1', 'k-2', 'k-3'), fc.constantFrom('', 'k'.repeat(300))), { freq: 3 })
      : fc.constant(null);
  const lastEventId = op.parameters.some((p) => p.name === 'last-event-id') ? fc.option(validish(doc, {}, pools, 'last-event-id') as fc.Arbitrary<string>) : fc.constant(null);
  const body = op.body ? fc.option(bodyFor(doc, op.body, pools), { freq: 20 }) : fc.constant(null);

  return fc.tuple(path, queryArb, ifMatch, idempotencyKey, lastEventId, body).map(([p, q, match, key, eventId, b]) => {
    const headers: Record<string, string> = {};
    if (match !== undefined && match !== 'current') headers['if-match'] = match;
    if (key !== null) headers['idempotency-key'] = key;
    if (eventId !== null) headers['last-event-id'] = eventId;
    if (b?.contentType) headers['content-type'] = b.contentType;
    const broken = p.broken || q.broken || Boolean(b?.broken) || (op.body !== null && b === null);
    return {
      op,
      url: q.search ? `${p.url}?${q.search}` : p.url,
      headers,
      body: b?.text,
      currentEtagOf: match === 'current' ? p.url.split('/')[4] : undefined,
      intent: broken ? 'broken' : 'valid-ish',
    };
  });
}
