/**
 * A throwaway PostgreSQL database for one benchmark run, on the server of
 * DATABASE_URL (or the local one), migrated like production and dropped after.
 */
import postgres from 'postgres';
import { migrate, openDatabase, type Database } from '../server/db/client.ts';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  database: Database;
  name: string;
  serverVersion: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL): Promise<BenchDatabase> {
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
    name,
    serverVersion,
    async drop() {
      await database.close();
      const again = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
