/**
 * `npm run bench [-- section …]`: each section runs on one fresh PostgreSQL
 * database (on DATABASE_URL's server, or the local one) that is dropped
 * afterwards; the figures are printed as tables and merged into
 * bench/results.json. A section is a name, a run on a migrated database and
 * the rows of its table: add one to SECTIONS.
 *
 * BENCH_CUSTOMERS sets the size of the search section (default 100,000).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Database } from '../server/db/client.ts';
import { createBenchDatabase } from './database.ts';
import { benchEventFanOut, type EventFanOutResult } from './sections/events.ts';
import { benchPoints, type PointsBenchResult } from './sections/points.ts';
import { benchSearch, searchTable, type SearchBenchResult } from './sections/search.ts';

interface Section<R> {
  name: string;
  run(database: Database): Promise<R>;
  table(result: R): Array<Record<string, string | number>>;
}

const section = <R>(s: Section<R>) => s as Section<unknown>;

function sizeFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const SECTIONS = [
  section<SearchBenchResult>({
    name: 'search',
    run: (database) => benchSearch(database, { customers: sizeFromEnv('BENCH_CUSTOMERS', 100_000) }),
    table: searchTable,
  }),
  section<EventFanOutResult>({
    name: 'events',
    run: (database) => benchEventFanOut(database),
    table: (r) =>
      (['perSubscriberMs', 'lastSubscriberMs'] as const).map((key) => ({
        case: `${key === 'perSubscriberMs' ? 'each' : 'last'} of ${r.subscribers} subscribers, commit → event`,
        'p50 ms': r[key].p50,
        'p95 ms': r[key].p95,
        'max ms': r[key].max,
      })),
  }),
  section<PointsBenchResult>({
    name: 'points',
    run: (database) => benchPoints(database),
    table: (r) =>
      (['api', 'domain'] as const).map((key) => ({
        case: `${r.clients} clients, ${r.members} members, ${key === 'api' ? 'POST /points' : 'recordPointsChange'}`,
        'ops/s': r[key].opsPerSecond,
        'p50 ms': r[key].latencyMs.p50,
        'p95 ms': r[key].latencyMs.p95,
        refused: r[key].refused,
        ledger: r.ledgerConsistent ? `${r.ledgerEntries} entries add up` : 'BROKEN',
      })),
  }),
];

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`Unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
  const chosen = SECTIONS.filter((s) => !wanted.length || wanted.includes(s.name));
  const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { sections?: Record<string, unknown> }) : {};
  const results: Record<string, unknown> = { ...previous.sections };
  let serverVersion = '';

  for (const s of chosen) {
    const bench = await createBenchDatabase();
    serverVersion = bench.serverVersion;
    console.log(`\n▶ ${s.name} (PostgreSQL ${bench.serverVersion}, database ${bench.name})`);
    try {
      const started = performance.now();
      const result = await s.run(bench.database);
      console.table(s.table(result));
      console.log(`  ${s.name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
      results[s.name] = { ...(result as object), ranAt: new Date().toISOString() };
    } finally {
      await bench.drop();
    }
  }

  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', postgres: serverVersion };
  writeFileSync(RESULTS, JSON.stringify({ machine, sections: results }, null, 2) + '\n');
  console.log(`\nResults written to ${RESULTS}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
