/**
 * components/api/openapi.ts, the API shapes the components' published
 * declarations stop at (issue #28), is what scripts/api-types.ts makes of
 * the served document's schemas today: a schema changed on the server and
 * not regenerated fails here, before a host sees stale types.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { API_TYPES_FILE, apiSchemas, apiTypesSource } from '../../scripts/api-types.ts';
import { useTestApp } from './helpers.ts';

const ctx = useTestApp();

describe('the components’ API types', () => {
  it('are made from schemas the app serves at /api/openapi.json', async () => {
    const served = (await (await ctx.app.request('/api/openapi.json')).json()) as { components: { schemas: Record<string, unknown> } };
    for (const [name, schema] of Object.entries(apiSchemas())) assert.deepEqual(served.components.schemas[name], schema, `${name} as served`);
  });

  it('are up to date with them (`node --import tsx scripts/api-types.ts` or `npm run build` rewrites them)', async () => {
    assert.equal(readFileSync(API_TYPES_FILE, 'utf8'), await apiTypesSource(), 'components/api/openapi.ts is stale');
  });

  it('import nothing: the browser’s declarations stop there', () => {
    assert.doesNotMatch(readFileSync(API_TYPES_FILE, 'utf8'), /^\s*import\b/m);
  });
});
