/**
 * The only module that knows which driver runs: postgres.js when
 * DATABASE_URL is set, embedded PGlite (with pg_trgm) otherwise.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction is a Db too; domain functions accept either. */
export type Tx = Db;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /**
   * LISTEN on a channel; resolves to an unsubscribe function. `onRelisten`
   * runs when a lost LISTEN connection is back: what was notified in
   * between is lost.
   */
  listen(channel: string, onPayload: (payload: string) => void, onRelisten?: () => void): Promise<() => Promise<void>>;
  /**
   * Runs `work` while no other process runs it: on PostgreSQL under a
   * session advisory lock held on a connection of its own; PGlite is opened
   * by one process only.
   */
  exclusively<T>(lockName: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: the whole cluster as a tarball, for `pgliteTemplate`. */
  dump?(): Promise<Blob>;
}

/**
 * The SQL migrations: beside this module in the sources; in db/migrations
 * beside the bundle's chunks in dist/server (scripts/build-server.mjs).
 */
export const migrationsFolder = ['./migrations', './db/migrations']
  .map((candidate) => fileURLToPath(new URL(candidate, import.meta.url)))
  .find((path) => existsSync(`${path}/meta/_journal.json`)) ?? fileURLToPath(new URL('./migrations', import.meta.url));

/** `db.execute()` answers an array on postgres.js and `{rows}` on PGlite. */
export async function query<T = Record<string, unknown>>(db: Db, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export interface OpenOptions {
  databaseUrl: string | null;
  dataDir?: string;
  max?: number;
  /** PGlite only: start from this dump (`dumpDataDir()`) instead of an empty cluster — tests load a migrated one. */
  pgliteTemplate?: Blob;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.max ?? 10);
  return openPglite(options.dataDir ?? 'memory://', options.pgliteTemplate);
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'clientela' } });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async listen(channel, onPayload, onRelisten) {
      let listened = false;
      // postgres.js reconnects a lost LISTEN connection by itself and calls this each time.
      const { unlisten } = await client.listen(channel, onPayload, () => {
        if (listened) onRelisten?.();
        listened = true;
      });
      return unlisten;
    },
    async exclusively(lockName, work) {
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(hashtext(${lockName}))`;
        try {
          return await work();
        } finally {
          await lock`select pg_advisory_unlock(hashtext(${lockName}))`;
        }
      } finally {
        lock.release();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string, template?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir, extensions: { pg_trgm }, ...(template ? { loadDataDir: template } : {}) });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return unlisten;
    },
    exclusively: (_lockName, work) => work(),
    close: () => client.close(),
    dump: () => client.dumpDataDir('none'),
  };
}

const MIGRATION_LOCK = 'clientela.migrations';

let newestShipped: number | undefined;
/** When the newest migration this code ships was made (drizzle records it as created_at); read once. */
function newestMigration(): number {
  if (newestShipped === undefined) {
    const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: Array<{ when: number }> };
    newestShipped = Math.max(...journal.entries.map((e) => e.when));
  }
  return newestShipped;
}

async function appliedMigrations(db: Db): Promise<{ count: number; newest: number }> {
  const [exists] = await query<{ table: string | null }>(db, sql`select to_regclass('drizzle.__drizzle_migrations')::text as table`);
  if (!exists?.table) return { count: 0, newest: 0 };
  const [row] = await query<{ count: number; newest: string | null }>(
    db,
    sql`select count(*)::int as count, max(created_at)::text as newest from drizzle.__drizzle_migrations`,
  );
  return { count: row.count, newest: Number(row.newest ?? 0) };
}

/** True once every migration this code ships is applied (a newer instance may have applied more). */
export async function migrationsApplied(database: Database): Promise<boolean> {
  return (await appliedMigrations(database.db)).newest >= newestMigration();
}

/**
 * Applies the pending migrations; answers how many. Instances starting at
 * once against one empty database take turns: the first applies them, the
 * others find nothing left to do.
 *
 * A restart, the usual case, finds every migration applied at once and
 * neither takes the lock nor reads the SQL files: drizzle's migrator would
 * apply nothing either (it runs only those made after the newest applied).
 */
export async function migrate(database: Database): Promise<number> {
  if (await migrationsApplied(database)) return 0;
  return database.exclusively(MIGRATION_LOCK, async () => {
    const before = await appliedMigrations(database.db);
    // Extensions first: the migrations' trigram indexes need pg_trgm.
    await database.db.execute(sql`create extension if not exists pg_trgm`);
    if (database.kind === 'postgres') {
      const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
      await run(database.db as never, { migrationsFolder });
    } else {
      const { migrate: run } = await import('drizzle-orm/pglite/migrator');
      await run(database.db as never, { migrationsFolder });
    }
    return (await appliedMigrations(database.db)).count - before.count;
  });
}
