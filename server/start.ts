/** Starts Clientela on a checked configuration: database, migrations, seed, HTTP, background jobs, graceful shutdown. */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { migrate, openDatabase } from './db/client.ts';
import { sweepExpiredPoints } from './domain/expiry.ts';
import { EventHub } from './events/hub.ts';
import { purgeIdempotencyKeys } from './idempotency.ts';
import { startPeriodicJob, type PeriodicJob } from './jobs.ts';
import { closeServer, Lifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { seedDemo } from './seed.ts';

/**
 * The built demo page: in dist/ when run from the sources, beside dist/server
 * when compiled. In that order: from the sources, `../demo` is the demo's
 * unbuilt source folder (its index.html loads main.ts, which no browser runs).
 */
function demoRoot(): string | null {
  for (const candidate of ['../dist/demo', '../demo']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${path}/index.html`)) return path;
  }
  return null;
}

export async function start(config: Config, logger: Logger): Promise<void> {
  const started = performance.now();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const events = new EventHub(database);
  const metrics = new Metrics();
  const lifecycle = new Lifecycle();
  // Filled in as the start proceeds; a signal at any point closes what exists.
  let server: Server | null = null;
  const jobs: PeriodicJob[] = [];
  let closing = false;
  const shutdown = async (reason: string, code = 0) => {
    if (closing) return;
    closing = true;
    lifecycle.beginShutdown();
    logger.info({ graceMs: config.shutdownGraceMs }, `${reason}: closing…`);
    // No new connections from here on; requests in flight finish.
    const drained = server ? closeServer(server, config.shutdownGraceMs, logger) : Promise.resolve(0);
    // A sweep in progress finishes its customer, then lets go; other instances carry on.
    const jobsStopped = Promise.all(jobs.map((job) => job.stop()));
    // Event streams never finish by themselves: they end now, with a retry hint.
    await events.close();
    const cut = await drained;
    await jobsStopped;
    await database.close();
    logger.info({ cut }, 'closed');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.migrate) {
    const applied = await migrate(database);
    if (applied) logger.info({ applied }, `Applied ${applied} migrations.`);
  }
  if (config.demo && config.seed) {
    const seeded = await seedDemo(database.db, config.seedCustomers);
    if (seeded) logger.info(`Seeded the demo tenant with ${seeded} customers.`);
  }
  if (closing) return;
  const app = createApp({ database, config, events, logger, metrics, lifecycle, staticRoot: demoRoot() });
  server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    const where = config.databaseUrl ? 'PostgreSQL' : `embedded PostgreSQL in ${config.dataDir}`;
    const ms = Math.round(performance.now() - started);
    logger.info({ port: info.port, ms }, `Clientela on http://localhost:${info.port} (${where}, ${config.demo ? 'demo' : 'production'} mode) in ${ms} ms`);
    if (config.demo) logger.info(`  API docs: http://localhost:${info.port}/api/docs`);
  }) as Server;
  server.on('error', (err: NodeJS.ErrnoException) => {
    const why = err.code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT)` : err.message;
    logger.fatal(`Cannot listen: ${why}`);
    void shutdown('listen failed', 1);
  });
  jobs.push(
    startPeriodicJob({
      kind: 'expiry_sweep',
      intervalMs: config.sweepIntervalMs,
      runAtStart: true,
      run: async (signal) => ({
        ...(await sweepExpiredPoints(database.db, new Date(), signal, ({ tenantId, customerId, err }) =>
          logger.warn({ job: 'expiry_sweep', tenant: tenantId, customerId, err }, 'expiry sweep: one customer failed; tried again next time'),
        )),
      }),
      logger,
      metrics,
    }),
    startPeriodicJob({
      kind: 'idempotency_purge',
      intervalMs: 60 * 60 * 1000,
      runAtStart: false,
      run: async () => void (await purgeIdempotencyKeys(database.db)),
      logger,
      metrics,
    }),
  );
}
