/** Starts Clientela: config, database, migrations, seed, HTTP, sweeps, clean shutdown. */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrate, openDatabase } from './db/client.ts';
import { startExpirySweeps } from './domain/expiry.ts';
import { EventHub } from './events/hub.ts';
import { purgeIdempotencyKeys } from './idempotency.ts';
import { seedDemo } from './seed.ts';

async function main() {
  const started = Date.now();
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const events = new EventHub(database);
  // Filled in as the start proceeds; a signal at any point closes what exists.
  let server: Server | null = null;
  let housekeeping: NodeJS.Timeout | null = null;
  let expirySweeps: ReturnType<typeof startExpirySweeps> | null = null;
  let closing = false;
  const shutdown = async (reason: string, code = 0) => {
    if (closing) return;
    closing = true;
    console.log(`\n${reason}: closing…`);
    if (housekeeping) clearInterval(housekeeping);
    // Ends the open event streams first, or server.close() would wait for them.
    await events.close();
    server?.close();
    // A sweep in progress finishes its customer before the database closes.
    await expirySweeps?.stop();
    await database.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await migrate(database);
  if (config.demo && config.seed) {
    const seeded = await seedDemo(database.db, config.seedCustomers);
    if (seeded) console.log(`Seeded the demo tenant with ${seeded} customers.`);
  }
  if (closing) return;
  const staticRoot = fileURLToPath(new URL('../dist/demo', import.meta.url));
  const app = createApp({ database, config, events, staticRoot: existsSync(staticRoot) ? staticRoot : null });
  server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    const where = config.databaseUrl ? 'PostgreSQL' : `embedded PostgreSQL in ${config.dataDir}`;
    console.log(`Clientela on http://localhost:${info.port} (${where}, ${config.demo ? 'demo' : 'production'} mode) in ${Date.now() - started} ms`);
    console.log(`  API docs: http://localhost:${info.port}/api/docs`);
  }) as Server;
  server.on('error', (err: NodeJS.ErrnoException) => {
    const why = err.code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT)` : err.message;
    console.error(`Cannot listen: ${why}`);
    void shutdown('listen failed', 1);
  });
  housekeeping = setInterval(() => void purgeIdempotencyKeys(database.db).catch(() => {}), 60 * 60 * 1000);
  housekeeping.unref();
  expirySweeps = startExpirySweeps(database.db, config.sweepIntervalMs);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
