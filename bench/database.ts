/**
 * A throwaway database for one benchmark run, migrated like production:
 * a fresh PostgreSQL database on the server of DATABASE_URL (or the local
 * one), dropped after; or an embedded PGlite in memory, closed after.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { migrate, openDatabase, query, type Database } from '../server/db/client.ts';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

export type Target = Database['kind'];

export interface BenchDatabase {
  database: Database;
  target: Target;
  name: string;
  /** postgres:// URL of the database (PostgreSQL only): a server in another process can open it. */
  url: string | null;
  serverVersion: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(target: Target = 'postgres', serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL): Promise<BenchDatabase> {
  if (target === 'pglite') {
    const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    await migrate(database);
    const [{ server_version: serverVersion }] = await query<{ server_version: string }>(database.db, sql`show server_version`);
    return { database, target, name: 'memory://', url: null, serverVersion, drop: () => database.close() };
  }
  const name = `clientela_bench_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const [{ server_version: serverVersion }] = await admin.unsafe<Array<{ server_version: string }>>('show server_version');
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // The pool main.ts opens: the figures are what a production instance would see.
  const database = await openDatabase({ databaseUrl: url.toString() });
  await migrate(database);
  return {
    database,
    target,
    name,
    url: url.toString(),
    serverVersion,
    async drop() {
      await database.close();
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
