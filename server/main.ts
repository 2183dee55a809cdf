/**
 * `node dist/server/main.js` (or `tsx server/main.ts`): checks the whole
 * configuration before loading anything else, so a bad one stops the start
 * at once with exit code 1 and one line naming the variable.
 */
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, scrub } from './logger.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : `Configuration error: ${String(err)}`);
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, json: config.production });
try {
  const { start } = await import('./start.ts');
  await start(config, logger);
} catch (err) {
  logger.fatal({ err }, `Could not start: ${scrub(err instanceof Error ? err.message : String(err))}`);
  process.exit(1);
}
