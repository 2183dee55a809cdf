import type { Auth } from './auth.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/client.ts';
import type { EventHub } from './events/hub.ts';

/** What every handler finds in `c.var`. */
export type AppEnv = {
  Variables: {
    auth: Auth;
    requestId: string;
    db: Db;
    database: Database;
    config: Config;
    events: EventHub;
  };
};
