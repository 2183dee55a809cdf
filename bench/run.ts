/**
 * `npm run bench [-- options] [section …]`: prints each section's table and
 * merges the figures into bench/results.json (keyed `section.target`).
 *
 *   --only a,b        the sections to run (or name them as arguments)
 *   --target t        postgres, pglite or both (default both)
 *   --size n          customers of the large tenant on PostgreSQL (default 1,000,000)
 *   --pglite-size n   customers of the large tenant on PGlite (default 100,000)
 *
 * `large` sections share one generated tenant per target (INSERT … SELECT,
 * not the API), in a fresh PostgreSQL database (dropped after) or an
 * in-memory PGlite; every other section gets a fresh database of its own.
 * Each section lists the targets it runs on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createBenchDatabase, type BenchDatabase, type Target } from './database.ts';
import { largeTenant, type LargeTenant } from './fixture.ts';
import { benchDuplicates, type DuplicatesResult } from './sections/duplicates.ts';
import { benchEventFanOut, type EventFanOutResult } from './sections/events.ts';
import { benchFrontend, type FrontendResult } from './sections/frontend.ts';
import { benchInsights, type InsightsBenchResult } from './sections/insights.ts';
import { benchLoad, type LoadResult } from './sections/load.ts';
import { benchLookup, type LookupResult } from './sections/lookup.ts';
import { benchMerge, type MergeResult } from './sections/merge.ts';
import { benchPoints, type PointsBenchResult } from './sections/points.ts';
import { benchProduction, START_LIMIT_MS, type ProductionResult } from './sections/production.ts';
import { benchSearch, searchTable, type SearchBenchResult } from './sections/search.ts';

type Row = Record<string, string | number>;

interface Section<R> {
  name: string;
  targets: Target[];
  /** Runs on the shared large tenant, or on a fresh database. */
  large?: (fixture: LargeTenant, bench: BenchDatabase) => Promise<R>;
  fresh?: (bench: BenchDatabase) => Promise<R>;
  table(result: R): Row[];
}

const section = <R>(s: Section<R>) => s as Section<unknown>;
const both: Target[] = ['postgres', 'pglite'];
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const kB = (bytes: number) => Math.round(bytes / 100) / 10;

const SECTIONS = [
  section<SearchBenchResult>({
    name: 'search',
    targets: both,
    large: (fixture, bench) => benchSearch(bench.database, { fixture }),
    table: (r) => [
      ...searchTable(r),
      ...r.pages.map((p) => ({ case: `keyset: row ${p.depth.toLocaleString('en')} vs first page, sort=${p.sort}`, 'p50 ms': ratio(p.deep.p50, p.first.p50), 'p95 ms': ratio(p.deep.p95, p.first.p95), 'max ms': '×', items: '' })),
    ],
  }),
  section<LookupResult>({
    name: 'lookup',
    targets: both,
    large: (fixture) => benchLookup(fixture),
    table: (r) => [
      { case: 'GET /customers/:id over HTTP', 'p50 ms': r.http.p50, 'p95 ms': r.http.p95, 'max ms': r.http.max },
      { case: 'same queries, raw driver', 'p50 ms': r.driver.p50, 'p95 ms': r.driver.p95, 'max ms': r.driver.max },
      { case: 'ratio (target ≤ 1.3 at p50)', 'p50 ms': r.ratioP50, 'p95 ms': r.ratioP95, 'max ms': '' },
    ],
  }),
  section<DuplicatesResult>({
    name: 'duplicates',
    targets: both,
    large: (fixture) => benchDuplicates(fixture),
    table: (r) => [
      { case: `GET /customers/:id/duplicates (${r.one.found} of ${r.one.runs} have one)`, 'p50 ms': r.one.p50, 'p95 ms': r.one.p95, 'max ms': r.one.max },
      { case: `GET /duplicates to the end, ${r.scan.customers.toLocaleString('en')} customers: ${r.scan.pages} pages, ${r.scan.groups} groups`, 'p50 ms': r.scan.firstPageMs, 'p95 ms': '', 'max ms': `${r.scan.seconds} s` },
    ],
  }),
  section<LoadResult>({
    name: 'load',
    targets: both,
    large: (fixture, bench) => benchLoad(fixture, bench.url),
    table: (r) =>
      r.cases.map((c) => ({ case: `${c.case}, ${r.connections} connections`, 'req/s': c.requestsPerSecond, 'p50 ms': c.latencyP50, 'p99 ms': c.latencyP99, 'non-2xx': c.non2xx, errors: c.errors, 'server RSS MB idle/peak': `${r.rssMbIdle}/${r.rssMbPeak}` })),
  }),
  section<MergeResult>({
    name: 'merge',
    targets: both,
    fresh: (bench) => benchMerge(bench.database),
    table: (r) => [
      r.merge
        ? { case: `merge ${r.sources} sources × ${r.entriesPerSource.toLocaleString('en')} ledger entries`, 'p50 ms': r.merge.p50, 'p95 ms': r.merge.p95, 'max ms': r.merge.max, runs: r.merge.runs, ledger: 'adds up' }
        : { case: `merge: skipped (${r.skipped})`, 'p50 ms': '', 'p95 ms': '', 'max ms': '', runs: 0, ledger: '' },
    ],
  }),
  section<PointsBenchResult>({
    name: 'points',
    targets: both,
    fresh: (bench) => benchPoints(bench.database),
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
  section<InsightsBenchResult>({
    name: 'insights',
    targets: both,
    fresh: (bench) => benchInsights(bench.database),
    table: (r) => [
      { case: `GET /customers/:id/insights, all time, ${r.orders.toLocaleString('en')} orders (target p95 ≤ 50 ms on PostgreSQL)`, 'p50 ms': r.allTime.p50, 'p95 ms': r.allTime.p95, 'max ms': r.allTime.max },
      { case: 'GET /customers/:id/insights, last 12 months', 'p50 ms': r.lastYear.p50, 'p95 ms': r.lastYear.p95, 'max ms': r.lastYear.max },
      { case: 'GET /customers/:id/orders, first page of 25 with items', 'p50 ms': r.ordersPage.p50, 'p95 ms': r.ordersPage.p95, 'max ms': r.ordersPage.max },
      { case: 'CPU per all-time insights request (Node + PostgreSQL backends)', 'p50 ms': r.cpuMsPerInsights ?? 'n/a', 'p95 ms': '', 'max ms': '' },
    ],
  }),
  section<EventFanOutResult>({
    name: 'events',
    targets: ['postgres'],
    fresh: (bench) => benchEventFanOut(bench.database),
    table: (r) =>
      (['perSubscriberMs', 'lastSubscriberMs'] as const).map((key) => ({
        case: `${key === 'perSubscriberMs' ? 'each' : 'last'} of ${r.subscribers} subscribers, commit → event`,
        'p50 ms': r[key].p50,
        'p95 ms': r[key].p95,
        'max ms': r[key].max,
      })),
  }),
  section<FrontendResult>({
    name: 'frontend',
    targets: ['postgres'],
    fresh: (bench) => benchFrontend(bench.database),
    table: (r) => [
      ...r.sizes.map((s) => ({ case: `${s.entry} (${s.modules} modules)`, value: `${kB(s.gzipBytes)} kB gzip`, raw: `${kB(s.bytes)} kB` })),
      { case: `<member-list> first row, ${r.customers.toLocaleString('en')} customers`, value: `${r.firstRowMs} ms`, raw: '' },
      { case: `scroll to the bottom, page-size ${r.pageSize}`, value: `${r.scroll.seconds} s, ${r.scroll.pages} pages, ${r.scroll.itemsLoaded} rows`, raw: r.scroll.reachedEnd ? 'reached the end' : 'DID NOT reach the end' },
      { case: 'max rows in the DOM', value: r.scroll.maxDomRows, raw: '' },
      { case: 'long tasks (> 50 ms)', value: r.longTasks.count, raw: `max ${r.longTasks.maxMs} ms` },
    ],
  }),
  section<ProductionResult>({
    name: 'production',
    targets: ['postgres'],
    fresh: (bench) => benchProduction(bench),
    table: (r) => [
      { case: 'npm run serve → /readyz 200, restart (migrated database)', 'p50 ms': r.startToReadyMs.restart.p50, 'max ms': r.startToReadyMs.restart.max, runs: `${r.startToReadyMs.restart.runs}, CPU p50 ${r.startCpuMs.restart.p50} ms` },
      { case: `restart p50 ÷ the ${START_LIMIT_MS / 1000} s limit (target ≤ 1)`, 'p50 ms': r.startLimitRatio, 'max ms': '', runs: '' },
      { case: 'same, first start on an empty database (migrations)', 'p50 ms': r.startToReadyMs.emptyDatabase.p50, 'max ms': r.startToReadyMs.emptyDatabase.max, runs: r.startToReadyMs.emptyDatabase.runs },
      { case: 'node alone, to its first output (the floor)', 'p50 ms': r.startToReadyMs.nodeAlone.p50, 'max ms': r.startToReadyMs.nodeAlone.max, runs: `${r.startToReadyMs.nodeAlone.runs}, CPU p50 ${r.startCpuMs.nodeAlone.p50} ms` },
      ...(['withTelemetry', 'without'] as const).map((arm) => ({
        case: `GET /customers/:id ${arm === 'withTelemetry' ? 'with' : 'without'} request log and metrics, ${r.telemetry.connections} connections, ${r.telemetry.rounds} × ${r.telemetry.secondsPerRound} s`,
        'p50 ms': r.telemetry[arm].latencyP50,
        'max ms': `p99 ${r.telemetry[arm].latencyP99}`,
        runs: `${r.telemetry[arm].requestsPerSecond} req/s`,
      })),
      { case: `overhead of logging and metrics (target ≤ 5 %); load average ${r.loadAverage.before.toFixed(1)}`, 'p50 ms': '', 'max ms': '', runs: `${r.telemetry.overheadPercent} %` },
    ],
  }),
];

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

function positive(name: string, value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { only: { type: 'string' }, target: { type: 'string' }, size: { type: 'string' }, 'pglite-size': { type: 'string' } },
  });
  const wanted = [...positionals, ...(values.only?.split(',').filter(Boolean) ?? [])];
  const unknown = wanted.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`Unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
  const target = values.target ?? 'both';
  if (!['postgres', 'pglite', 'both'].includes(target)) throw new Error('--target is postgres, pglite or both');
  const targets = target === 'both' ? both : [target as Target];
  const sizes: Record<Target, number> = {
    postgres: positive('size', values.size ?? process.env.BENCH_CUSTOMERS, 1_000_000),
    pglite: positive('pglite-size', values['pglite-size'], 100_000),
  };
  const chosen = SECTIONS.filter((s) => !wanted.length || wanted.includes(s.name));

  const results: Record<string, unknown> = {};
  const versions: Partial<Record<Target, string>> = {};
  const load = { before: loadavg()[0] };
  // Written after every section, over what the file holds then: an interrupted run keeps what it measured, and runs of other sections side by side keep theirs.
  const save = () => {
    const previous = existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { machine?: { postgres?: string; pglite?: string }; sections?: Record<string, unknown> })
      : {};
    const machine = {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      loadAverage: { before: load.before, after: loadavg()[0] },
      postgres: versions.postgres ?? previous.machine?.postgres,
      pglite: versions.pglite ?? previous.machine?.pglite,
    };
    writeFileSync(RESULTS, JSON.stringify({ machine, sections: { ...previous.sections, ...results } }, null, 2) + '\n');
  };

  const runOne = async (s: Section<unknown>, t: Target, work: () => Promise<unknown>) => {
    console.log(`\n▶ ${s.name} on ${t}`);
    const started = performance.now();
    let result: unknown;
    try {
      result = await work();
    } catch (err) {
      // One broken section is reported and the rest still run: a full run takes half an hour.
      console.error(`  ${s.name} on ${t} failed:`, err);
      results[`${s.name}.${t}`] = { target: t, error: String(err), ranAt: new Date().toISOString() };
      save();
      return;
    }
    console.table(s.table(result));
    results[`${s.name}.${t}`] = { target: t, ...(result as object), ranAt: new Date().toISOString() };
    save();
    console.log(`  ${s.name} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };

  for (const t of targets) {
    const large = chosen.filter((s) => s.large && s.targets.includes(t));
    if (large.length) {
      const bench = await createBenchDatabase(t);
      versions[t] = bench.serverVersion;
      try {
        console.log(`\n■ ${t} ${bench.serverVersion}: a tenant of ${sizes[t].toLocaleString('en')} customers for ${large.map((s) => s.name).join(', ')}`);
        const fixture = await largeTenant(bench.database, sizes[t]);
        results[`generate.${t}`] = { customers: fixture.customers, duplicates: fixture.duplicates, seconds: fixture.generateSeconds };
        for (const s of large) await runOne(s, t, () => s.large!(fixture, bench));
      } finally {
        await bench.drop();
      }
    }
    for (const s of chosen.filter((s) => s.fresh && s.targets.includes(t))) {
      const bench = await createBenchDatabase(t);
      versions[t] = bench.serverVersion;
      try {
        await runOne(s, t, () => s.fresh!(bench));
      } finally {
        await bench.drop();
      }
    }
  }

  save();
  console.log(`\nResults written to ${RESULTS}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
