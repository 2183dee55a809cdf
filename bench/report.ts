/**
 * `npx tsx bench/report.ts`: the figures of bench/results.json as the
 * Markdown tables of docs/performance.md, each next to its target, so the
 * document quotes the run rather than retyping it.
 */
import { readFileSync } from 'node:fs';
import type { Latency } from './stats.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8')) as { machine: Json; sections: Record<string, Json> };
const s = results.sections;
const TARGETS = ['postgres', 'pglite'] as const;
const label = { postgres: 'PostgreSQL', pglite: 'PGlite' };
const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const verdict = (value: number, limit: number) => (value <= limit ? 'met' : `missed by ${((value / limit - 1) * 100).toFixed(0)} %`);
const table = (header: string[], rows: Array<Array<string | number>>) =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const out: string[] = [];
const m = results.machine;
out.push(`Machine: ${m.cpus} × ${m.cpu}, ${m.memoryGb} GB RAM, Node ${m.node}, PostgreSQL ${m.postgres ?? '—'}, PGlite (PostgreSQL ${m.pglite ?? '—'}); load average ${m.loadAverage?.before?.toFixed(1)} before, ${m.loadAverage?.after?.toFixed(1)} after.`);

for (const t of TARGETS) {
  const search = s[`search.${t}`];
  if (!search) continue;
  out.push(`\n### Search, ${label[t]}, ${search.customers.toLocaleString('en')} customers (target p95 ≤ 30 ms on 1M)\n`);
  out.push(table(['case', 'p50', 'p95', 'items', 'target'], [...search.search, ...search.filters].map((c: Latency & { case: string; items: number }) => [c.case, ms(c.p50), ms(c.p95), c.items, verdict(c.p95, 30)])));
  out.push(`\n### Keyset pages, ${label[t]} (target: row 10,000 ≤ 1.2 × page 1 at p50)\n`);
  out.push(
    table(
      ['sort', 'page 1 p50', `row ${search.pages[0].depth.toLocaleString('en')} p50`, 'ratio', 'target'],
      search.pages.map((p: { sort: string; first: Latency; deep: Latency }) => [p.sort, ms(p.first.p50), ms(p.deep.p50), (p.deep.p50 / p.first.p50).toFixed(2), verdict(p.deep.p50 / p.first.p50, 1.2)]),
    ),
  );
}

const rows = (name: string, f: (r: Json, t: (typeof TARGETS)[number]) => Array<Array<string | number>>) =>
  TARGETS.flatMap((t) => (s[`${name}.${t}`] ? f(s[`${name}.${t}`], t) : []));

out.push('\n### GET /customers/:id, full stack over HTTP vs the same queries through the driver (target ≤ 1.3× at p50)\n');
out.push(
  table(
    ['database', 'customers', 'HTTP p50 / p95', 'driver p50 / p95', 'ratio p50', 'target'],
    rows('lookup', (r, t) => [[label[t], r.customers.toLocaleString('en'), `${ms(r.http.p50)} / ${ms(r.http.p95)}`, `${ms(r.driver.p50)} / ${ms(r.driver.p95)}`, r.ratioP50.toFixed(2), verdict(r.ratioP50, 1.3)]]),
  ),
);

out.push("\n### Duplicates (target: one customer's p95 ≤ 50 ms on 1M)\n");
out.push(
  table(
    ['database', 'case', 'figure', 'target'],
    rows('duplicates', (r, t) => [
      [label[t], `GET /customers/:id/duplicates on ${r.customers.toLocaleString('en')} (${r.one.found}/${r.one.runs} have one)`, `p50 ${ms(r.one.p50)}, p95 ${ms(r.one.p95)}`, verdict(r.one.p95, 50)],
      [label[t], `GET /duplicates paged to the end, ${r.scan.customers.toLocaleString('en')} customers`, `${r.scan.seconds} s, ${r.scan.pages} pages, ${r.scan.groups} groups`, '—'],
    ]),
  ),
);

out.push('\n### Merge of 10 sources × 10,000 ledger entries, through the API (target < 1 s)\n');
out.push(
  table(
    ['database', 'runs', 'p50', 'max', 'ledger', 'target'],
    rows('merge', (r, t) => [r.merge ? [label[t], r.merge.runs, ms(r.merge.p50), ms(r.merge.max), 'adds up', verdict(r.merge.p50, 1000)] : [label[t], 0, '—', '—', '—', `skipped: ${r.skipped}`]]),
  ),
);

out.push('\n### Points, 32 concurrent clients\n');
out.push(
  table(
    ['database', 'path', 'ops/s', 'p50', 'p95', 'refused (409)', 'ledger check'],
    rows('points', (r, t) =>
      (['api', 'domain'] as const).map((k) => [label[t], k === 'api' ? 'POST /points (app.request)' : 'recordPointsChange', r[k].opsPerSecond, ms(r[k].latencyMs.p50), ms(r[k].latencyMs.p95), r[k].refused, `${r.ledgerEntries} entries add up`]),
    ),
  ),
);

out.push('\n### Under load (autocannon, 32 connections)\n');
out.push(
  table(
    ['database', 'request', 'req/s', 'p50', 'p99', 'errors / non-2xx', 'server RSS idle → peak'],
    rows('load', (r, t) => r.cases.map((c: Json) => [`${label[t]} (${r.customers.toLocaleString('en')}, server ${r.server})`, c.case, c.requestsPerSecond, ms(c.latencyP50), ms(c.latencyP99), `${c.errors} / ${c.non2xx}`, `${r.rssMbIdle} → ${r.rssMbPeak} MB`])),
  ),
);

const ev = s['events.postgres'];
if (ev) {
  out.push(`\n### Live events, ${ev.subscribers} subscribers (PostgreSQL)\n`);
  out.push(table(['', 'p50', 'p95', 'max'], [['each subscriber, commit → event', ms(ev.perSubscriberMs.p50), ms(ev.perSubscriberMs.p95), ms(ev.perSubscriberMs.max)], ['last subscriber', ms(ev.lastSubscriberMs.p50), ms(ev.lastSubscriberMs.p95), ms(ev.lastSubscriberMs.max)]]));
}

const fe = s['frontend.postgres'];
if (fe) {
  out.push(`\n### Front end (build of ${fe.builtAt})\n`);
  out.push(table(['entry', 'modules', 'raw', 'gzip'], fe.sizes.map((e: Json) => [e.entry, e.modules, `${(e.bytes / 1000).toFixed(1)} kB`, `${(e.gzipBytes / 1000).toFixed(1)} kB`])));
  const bundle = fe.sizes.find((e: Json) => e.entry === 'clientela/bundle');
  if (bundle) out.push(`\nAll components with Lit (the single-file bundle): ${(bundle.gzipBytes / 1000).toFixed(1)} kB gzip, target ≤ 50 kB: ${verdict(bundle.gzipBytes / 1000, 50)}.`);
  out.push(`\n\`<member-list>\` in headless Chromium against ${fe.customers.toLocaleString('en')} customers, page-size ${fe.pageSize}:\n`);
  out.push(
    table(
      ['measure', 'figure'],
      [
        ['first data row after navigation', ms(fe.firstRowMs)],
        ['scroll to the bottom', `${fe.scroll.seconds} s, ${fe.scroll.pages} pages, ${fe.scroll.itemsLoaded.toLocaleString('en')} rows loaded, ${fe.scroll.reachedEnd ? 'end reached' : 'end NOT reached'}`],
        ['most rows in the DOM at once', fe.scroll.maxDomRows],
        ['long tasks (> 50 ms), whole visit', `${fe.longTasks.count}, longest ${ms(fe.longTasks.maxMs)}`],
      ],
    ),
  );
}
console.log(out.join('\n'));
