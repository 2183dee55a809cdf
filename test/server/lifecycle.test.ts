/**
 * The foundation's promise about the life cycle, on a real server process
 * with the embedded database on disk: Ctrl-C closes cleanly, and a restart
 * keeps the data, the demo secret, and does not seed again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServer, type StartedServer } from '../server-process.mjs';
import { onPostgres } from './helpers.ts';

function interrupt(server: StartedServer): Promise<number | null> {
  return new Promise((resolve) => {
    server.child.once('exit', (code) => resolve(code));
    server.child.kill('SIGINT');
  });
}

async function json(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: (await res.json()) as any };
}

// The embedded database is the one at stake; on the PostgreSQL pass this file would repeat itself.
describe('server life cycle on the embedded database', { skip: onPostgres && 'runs on the PGlite pass only' }, () => {
  it('closes cleanly on Ctrl-C and keeps everything across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clientela-lifecycle-'));
    try {
      const first = await startServer({ dataDir, seedCustomers: 20 });
      const { body: session } = await json(`${first.url}/api/demo/session`, { method: 'POST', body: JSON.stringify({ user: 'admin' }) });
      const auth = { authorization: `Bearer ${session.token}` };
      const created = await json(`${first.url}/api/v1/customers`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ firstName: 'Íñigo', lastName: 'Zubizarreta', email: 'inigo@example.com' }),
      });
      assert.equal(created.status, 201);
      const before = await json(`${first.url}/api/v1/customers?limit=200`, { headers: auth });
      assert.equal(before.body.items.length, 21);

      assert.equal(await interrupt(first), 0, `exit code after SIGINT; output:\n${first.output()}`);
      assert.match(first.output(), /SIGINT: closing/);

      const second = await startServer({ dataDir, seedCustomers: 20 });
      try {
        // The demo secret lives in DATA_DIR, so the first run's token is still good.
        const again = await json(`${second.url}/api/v1/customers/${created.body.id}`, { headers: auth });
        assert.equal(again.status, 200);
        assert.equal(again.body.lastName, 'Zubizarreta');
        const after = await json(`${second.url}/api/v1/customers?limit=200`, { headers: auth });
        assert.deepEqual(
          after.body.items.map((c: { id: string }) => c.id).sort(),
          before.body.items.map((c: { id: string }) => c.id).sort(),
          'the same customers, and no second seeding',
        );
        assert.doesNotMatch(second.output(), /Seeded/);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
