/**
 * What a host developer does with /api/openapi.json: generate the types with
 * openapi-typescript, write the calls with openapi-fetch, type-check them
 * with `tsc --strict` and run them. host.ts is that host (and the snippet in
 * docs/api.md); this test does each step against a real server, so a
 * document that a generated client cannot use the first time fails CI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import openapiTS, { astToString } from 'openapi-typescript';
import { signToken } from '../../server/auth.ts';
import { startServer } from '../server-process.mjs';

const here = import.meta.dirname;
const secret = 'generated-client-test-secret-0123456789abcdef0123456789';
let server: Awaited<ReturnType<typeof startServer>>;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'clientela-client-'));
  server = await startServer({ dataDir, seedCustomers: 0, env: { JWT_SECRET: secret, SEED: '0' } });
});
after(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a client generated from /api/openapi.json', () => {
  it('type-checks with tsc --strict and runs the core flow against a real server', async () => {
    const document = await (await fetch(`${server.url}/api/openapi.json`)).json();
    mkdirSync(join(here, 'generated'), { recursive: true });
    writeFileSync(join(here, 'generated', 'clientela.ts'), astToString(await openapiTS(document)));

    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const checked = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(checked.status, 0, `tsc --strict on host.ts:\n${checked.stdout}${checked.stderr}`);
    const host = readFileSync(join(here, 'host.ts'), 'utf8');
    assert.doesNotMatch(host, /\bas\s+(?!const\b)|\bany\b/, 'the host needs no cast and no any');

    // A specifier TypeScript does not follow: host.ts imports the generated file, which a fresh clone lacks.
    const { coreFlow } = await import(new URL('./host.ts', import.meta.url).href);
    const token = await signToken(secret, { sub: 'host-backend', name: 'Host Backend', tid: 'generated-client', role: 'admin' });
    const result = await coreFlow(server.url, token);
    assert.equal(result.balance, 150);
    assert.equal(result.city, 'Madrid');
    assert.equal(result.version, 3, 'created, points, edit');
    assert.deepEqual(result.found, [result.customerId]);
    assert.deepEqual(result.ledger, [{ kind: 'adjust', delta: 150, actor: 'Host Backend' }]);
    assert.deepEqual(result.history, ['customer.updated', 'points.changed']);
    assert.equal(result.blockers, 0);
    assert.equal(result.mergedPoints, 150);
    assert.match(result.mergeId, /^[0-9a-f-]{36}$/);
  });

  it('is the snippet docs/api.md shows', () => {
    const docs = readFileSync(join(here, '../../docs/api.md'), 'utf8');
    const host = readFileSync(join(here, 'host.ts'), 'utf8');
    assert.ok(docs.includes('```ts\n' + host + '```'), 'docs/api.md shows test/client/host.ts as it is');
  });
});
