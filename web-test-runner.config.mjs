/**
 * Component tests in a real Chromium against the real server: test/run.mjs
 * starts one on an embedded database and passes its URL in CLIENTELA_URL;
 * run alone (`npx web-test-runner`), this config starts its own. /api and
 * /healthz are proxied to it so tests use the same relative '/api/v1' as a
 * host page would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { BROWSER_ARGS, ensureBrowser } from './scripts/browser.mjs';
import { startServer } from './test/server-process.mjs';

let ownServer = null;
let target = process.env.CLIENTELA_URL;
if (!target) {
  const dataDir = mkdtempSync(join(tmpdir(), 'clientela-wtr-'));
  ownServer = await startServer({ dataDir, seedCustomers: 300 });
  ownServer.dataDir = dataDir;
  target = ownServer.url;
}

const HOP_BY_HOP = new Set(['connection', 'content-length', 'content-encoding', 'transfer-encoding', 'keep-alive']);

async function proxy(context, next) {
  if (!context.path.startsWith('/api/') && context.path !== '/healthz') return next();
  const chunks = [];
  for await (const chunk of context.req) chunks.push(chunk);
  const headers = Object.fromEntries(Object.entries(context.request.headers).filter(([k]) => !HOP_BY_HOP.has(k) && k !== 'host'));
  // When the page goes away (a closed EventSource, a finished test), so does the request to the server.
  const upstream = new AbortController();
  context.res.once('close', () => upstream.abort());
  let response;
  try {
    response = await fetch(target + context.url, {
      method: context.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: 'manual',
      signal: upstream.signal,
    });
  } catch (err) {
    if (upstream.signal.aborted) return; // the page gave up on this request (a superseded search)
    throw err;
  }
  context.status = response.status;
  response.headers.forEach((value, key) => {
    if (!HOP_BY_HOP.has(key)) context.set(key, value);
  });
  context.body = response.body ? Readable.fromWeb(response.body).on('error', () => undefined) : '';
}

export default {
  files: 'test/components/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: ensureBrowser(),
        args: BROWSER_ARGS,
      },
      // Puppeteer's 30 s navigation limit is too short on a busy shared machine, where a test file's first load compiles many modules.
      async createPage({ context }) {
        const page = await context.newPage();
        page.setDefaultNavigationTimeout(180_000);
        return page;
      },
    }),
  ],
  middleware: [proxy],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname, target: 'es2022' }),
    {
      name: 'clientela-server',
      async serverStop() {
        if (ownServer) {
          await ownServer.stop();
          rmSync(ownServer.dataDir, { recursive: true, force: true });
        }
      },
    },
  ],
  testFramework: { config: { timeout: 60_000 } },
  // Generous: CI and the shared development machine run on two busy cores.
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 900_000,
};
