/**
 * Writes a migrated, empty PGlite cluster to the file named by argv[2]. The test runners make it once a
 * run and pass it in PGLITE_TEMPLATE: a test file then loads it in a fraction of the time that creating
 * a cluster and migrating it takes (PGlite's first start runs initdb).
 */
import { writeFileSync } from 'node:fs';
import { migrate, openDatabase } from '../server/db/client.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: node --import tsx test/pglite-template.ts <file>');
const database = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
try {
  await migrate(database);
  const dump = await database.dump!();
  writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
} finally {
  await database.close();
}
