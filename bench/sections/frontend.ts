/**
 * What the components cost a browser. Sizes: each public entry of dist/lib
 * with the modules of ours it imports statically (lit not counted), and the
 * single-file bundle (all components with lit), gzipped, as last built
 * (`npm run build`). Then headless Chromium (playwright-core) opens a page
 * with <member-list> against the app on a real port with a tenant of
 * 100,000 customers: time to the first data row, then a scroll to the very
 * bottom, page after page, counting the rows in the DOM (the virtualiser
 * should keep them bounded) and the long tasks (PerformanceObserver).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { BROWSER_ARGS, ensureBrowser } from '../../scripts/browser.mjs';
import type { Database } from '../../server/db/client.ts';
import { largeTenant, listen } from '../fixture.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');

export interface EntrySize {
  entry: string;
  modules: number;
  bytes: number;
  gzipBytes: number;
}

export interface FrontendResult {
  builtAt: string;
  sizes: EntrySize[];
  customers: number;
  pageSize: number;
  firstRowMs: number;
  scroll: { seconds: number; itemsLoaded: number; pages: number; maxDomRows: number; reachedEnd: boolean };
  longTasks: { count: number; maxMs: number; over50Ms: number };
}

/** The file and every module of ours it imports statically (dynamic imports load later). */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, spec] of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    const next = normalize(join(dirname(file), spec));
    if (existsSync(next)) closure(next, seen);
  }
  return seen;
}

export function entrySizes(): EntrySize[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> };
  const sizes: EntrySize[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : target.default;
    if (!file.endsWith('.js')) continue;
    const path = join(ROOT, file);
    if (!existsSync(path)) throw new Error(`${file} is missing: run npm run build first`);
    const code = [...closure(path)].map((f) => readFileSync(f, 'utf8')).join('\n');
    sizes.push({ entry: subpath === '.' ? 'clientela' : `clientela/${subpath.slice(2)}`, modules: closure(path).size, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length });
  }
  return sizes;
}

const PAGE = (token: string, pageSize: number) => `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>member-list bench</title>
<script>
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  window.__firstRow = new Promise((resolve) => {
    const look = () => {
      const row = document.querySelector('member-list')?.shadowRoot?.querySelector('.rows [role=row]');
      if (row) resolve(performance.now()); else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
</script></head>
<body style="margin:0">
<clientela-provider locale="es"><member-list page-size="${pageSize}" style="--clientela-list-height: 800px"></member-list></clientela-provider>
<script type="module">
  import '/bench/clientela.bundle.js';
  document.querySelector('clientela-provider').token = ${JSON.stringify(token)};
</script>
</body></html>`;

/**
 * Run in the page (as text: tsx would name the inner functions with a
 * helper the page lacks): scrolls the list's own scroller to the bottom
 * frame after frame until the last page has arrived, noting the rows in
 * the DOM.
 */
const SCROLL_TO_BOTTOM = `async (limit) => {
  const list = document.querySelector('member-list');
  const root = list.shadowRoot;
  const scroller = root.querySelector('.rows');
  const started = performance.now();
  let maxDomRows = 0;
  let pages = 1;
  let loaded = list.members.items.length;
  while (performance.now() - started < limit && !list.members.error) {
    scroller.scrollTop = scroller.scrollHeight;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    maxDomRows = Math.max(maxDomRows, root.querySelectorAll('.rows [role=row]').length);
    if (list.members.items.length > loaded) {
      loaded = list.members.items.length;
      pages += 1;
    }
    if (!list.members.hasMore && list.members.loading === 'idle') break;
  }
  return {
    seconds: Math.round((performance.now() - started) / 100) / 10,
    itemsLoaded: list.members.items.length,
    pages,
    maxDomRows,
    reachedEnd: !list.members.hasMore,
  };
}`;

export async function benchFrontend(database: Database, options: { customers?: number; pageSize?: number; timeoutSeconds?: number } = {}): Promise<FrontendResult> {
  const customers = options.customers ?? 100_000;
  const pageSize = options.pageSize ?? 200;
  const timeoutMs = (options.timeoutSeconds ?? 240) * 1000;
  const sizes = entrySizes();
  const fixture = await largeTenant(database, customers);
  const bundle = readFileSync(join(DIST, 'clientela.bundle.js'));
  const server = await listen(fixture.app, (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/bench/member-list.html') return new Response(PAGE(fixture.token, pageSize), { headers: { 'content-type': 'text/html; charset=utf-8' } });
    if (pathname === '/bench/clientela.bundle.js') return new Response(bundle, { headers: { 'content-type': 'text/javascript' } });
    return null;
  });
  const browser = await chromium.launch({ executablePath: ensureBrowser(), args: BROWSER_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => process.stderr.write(`  page error: ${err.message}\n`));
    await page.goto(`${server.url}/bench/member-list.html`);
    const firstRowMs = await page.evaluate(() => (window as unknown as { __firstRow: Promise<number> }).__firstRow);
    process.stderr.write(`  first row after ${firstRowMs.toFixed(0)} ms; scrolling to the bottom…\n`);
    const scroll = (await page.evaluate(`(${SCROLL_TO_BOTTOM})(${timeoutMs})`)) as FrontendResult['scroll'];
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    return {
      builtAt: statSync(join(DIST, 'clientela.bundle.js')).mtime.toISOString(),
      sizes,
      customers,
      pageSize,
      firstRowMs: Math.round(firstRowMs),
      scroll,
      longTasks: { count: tasks.length, maxMs: Math.round(Math.max(0, ...tasks)), over50Ms: tasks.filter((d) => d > 50).length },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
