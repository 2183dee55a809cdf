/**
 * Text PostgreSQL cannot store, refused up front: a NUL character (text and
 * jsonb reject it) or an unpaired UTF-16 surrogate (jsonb rejects it; text
 * would silently turn it into U+FFFD). Also JSON nested deeper than any of
 * our bodies needs, so no later step (hashing, zod, jsonb) walks 10,000
 * levels. Without this, such input reached the database and answered 500.
 * And a `__proto__` key, which JSON.parse keeps as an own property but
 * every copy (zod's, a spread) silently drops: a custom value under that
 * name was accepted and lost instead of refused.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './env.ts';
import { ValidationFailed, type ErrorDetail } from './errors.ts';

/** Our deepest body is a customer's custom value inside `custom`; 32 leaves generous room. */
export const MAX_JSON_DEPTH = 32;

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_MESSAGE = 'Contains a character that cannot be stored (NUL or an unpaired surrogate).';

/** Whether PostgreSQL can store this text as it is (for text that arrives encoded: cursors, token claims). */
export const storable = (text: string) => !UNSTORABLE.test(text);
const JSON_TYPE = /^application\/([\w.+-]*\+)?json\b/i;

/** The first problem in a parsed JSON value, walked without recursion. */
export function jsonProblem(value: unknown): ErrorDetail | null {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (stack.length) {
    const { value: node, path } = stack.pop()!;
    const where = path.join('.') || 'body';
    if (typeof node === 'string') {
      if (UNSTORABLE.test(node)) return { path: where, message: UNSTORABLE_MESSAGE };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) return { path: where, message: `Nested deeper than ${MAX_JSON_DEPTH} levels.` };
    for (const [key, child] of Object.entries(node)) {
      if (UNSTORABLE.test(key)) return { path: [...path, key.replace(UNSTORABLE, '\uFFFD')].join('.'), message: UNSTORABLE_MESSAGE };
      if (key === '__proto__') return { path: [...path, key].join('.'), message: 'No field has this name.' };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

/** Answers 422 naming the field; malformed JSON is left to the route (400). */
export const inputGuard = createMiddleware<AppEnv>(async (c, next) => {
  const details: ErrorDetail[] = [];
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (UNSTORABLE.test(name) || values.some((v) => UNSTORABLE.test(v))) details.push({ path: name.replace(UNSTORABLE, '\uFFFD'), message: UNSTORABLE_MESSAGE });
  }
  if (c.req.raw.body && JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    let parsed: unknown;
    let readable = true;
    try {
      parsed = await c.req.json();
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      readable = false;
    }
    const problem = readable ? jsonProblem(parsed) : null;
    if (problem) details.push(problem);
  }
  if (details.length) throw new ValidationFailed(details);
  await next();
});
