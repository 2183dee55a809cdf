/**
 * `npm run migrate`: applies the pending migrations and exits, for
 * deployments that migrate once before starting instances with MIGRATE=0.
 * Safe to run while instances start: migrations take an advisory lock.
 */
import { ConfigError, loadDatabaseConfig } from './config.ts';
import { migrate, openDatabase } from './db/client.ts';
import { createLogger, scrub } from './logger.ts';

let config: ReturnType<typeof loadDatabaseConfig>;
try {
  config = loadDatabaseConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : `Configuration error: ${String(err)}`);
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, json: config.production });
const started = performance.now();
try {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, max: 2 });
  try {
    const applied = await migrate(database);
    const ms = Math.round(performance.now() - started);
    logger.info({ applied, ms }, applied ? `Applied ${applied} migrations in ${ms} ms.` : 'The database is up to date.');
  } finally {
    await database.close();
  }
} catch (err) {
  logger.fatal({ err }, `Migrations failed: ${scrub(err instanceof Error ? err.message : String(err))}`);
  process.exit(1);
}
