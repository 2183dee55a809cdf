/**
 * What every end-to-end test file shares: the Clientela server (test/run.mjs
 * passes CLIENTELA_URL and the JWT secret it started it with; alone, the
 * file starts its own), the host platform's server, the React, Svelte and
 * Vue hosts built with vite from the published modules, the Angular host
 * compiled ahead of time by ngc and bundled by vite, one Chromium for all
 * tests, and API calls to arrange and check data, in the hosts' tenant and in
 * the demo's.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BROWSER_ARGS, ensureBrowser } from '../../scripts/browser.mjs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import vue from '@vitejs/plugin-vue';
import { build, type Plugin } from 'vite';
import type { Customer } from '../../components/api/types.ts';
import { startServer, type StartedServer } from '../server-process.mjs';
import { mintToken } from './host-backend.ts';
import { startHostServer, type HostServer } from './host-server.ts';

const repo = join(import.meta.dirname, '../..');

export interface Environment {
  /** As the host's admin, in the host's tenant. */
  api: ApiClient;
  /** As the demo's admin, in the seeded demo tenant. */
  demoApi: ApiClient;
  /** The host platform's server; empty when started with `{ hosts: false }`. */
  hostUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `clientela/react` as a host's bundler resolves it: through package.json's exports, to the built module. */
function publishedModule(subpath: string): string {
  const { exports } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
  const file = join(repo, exports[subpath].default);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  return file;
}

async function buildReactHost(outDir: string) {
  await build({
    configFile: false,
    root: join(repo, 'test/e2e/hosts/react'),
    base: '/react-app/',
    logLevel: 'error',
    resolve: { alias: [{ find: /^clientela\/react$/, replacement: publishedModule('./react') }] },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
}

/**
 * The Svelte 5 and Vue 3 hosts, as those apps' own vite builds make them (Vue told which tags are
 * custom elements, as docs/frameworks/vue.md says), with `clientela/define` from the published modules.
 */
async function buildFrameworkHost(framework: 'svelte' | 'vue', outDir: string) {
  const manifest = JSON.parse(readFileSync(join(repo, 'dist/custom-elements.json'), 'utf8')) as { modules: Array<{ declarations?: Array<{ tagName?: string }> }> };
  const kitTags = new Set(manifest.modules.flatMap((m) => m.declarations ?? []).flatMap((d) => (d.tagName ? [d.tagName] : [])));
  await build({
    configFile: false,
    root: join(repo, `test/e2e/hosts/${framework}`),
    base: `/${framework}-app/`,
    logLevel: 'error',
    plugins: [framework === 'svelte' ? svelte({ configFile: false }) : vue({ template: { compilerOptions: { isCustomElement: (tag) => kitTags.has(tag) } } })],
    resolve: { alias: [{ find: /^clientela\/define$/, replacement: publishedModule('./define') }] },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
}

/**
 * Angular's own packages (and `clientela/angular`) ship partially compiled
 * declarations (`ɵɵngDeclare…`) that an app's build links into full
 * definitions, as the Angular CLI does with this Babel plugin; unlinked,
 * they would need the JIT compiler at run time. Babel is the one
 * @angular/compiler-cli depends on for it.
 */
function angularLinker(): Plugin {
  const requireFromCompiler = createRequire(createRequire(import.meta.url).resolve('@angular/compiler-cli/package.json'));
  const babel = requireFromCompiler('@babel/core') as {
    transformAsync(code: string, options: object): Promise<{ code?: string | null; map?: object | null } | null>;
  };
  return {
    name: 'angular-linker',
    async transform(code, id) {
      if (!code.includes('ɵɵngDeclare')) return null;
      const { default: linkerPlugin } = await import('@angular/compiler-cli/linker/babel');
      const linked = await babel.transformAsync(code, {
        filename: id,
        babelrc: false,
        configFile: false,
        compact: false,
        sourceMaps: true,
        plugins: [linkerPlugin],
      });
      return linked?.code ? { code: linked.code, map: linked.map as never } : null;
    },
  };
}

/**
 * The Angular host as `ng build` makes it: compiled ahead of time by ngc
 * (strict templates: a wrong binding fails the build), with its index.html,
 * then bundled and linked by vite, `clientela/define` and
 * `clientela/angular` from the published modules.
 */
async function buildAngularHost(outDir: string) {
  const source = join(repo, 'test/e2e/hosts/angular');
  const compiled = mkdtempSync(join(tmpdir(), 'clientela-angular-aot-'));
  try {
    const ngc = join(repo, 'node_modules/@angular/compiler-cli/bundles/src/bin/ngc.js');
    await promisify(execFile)(process.execPath, [ngc, '-p', join(source, 'tsconfig.json'), '--outDir', compiled]).catch((err: { stdout?: string; stderr?: string }) => {
      throw new Error(`ngc could not compile the Angular host:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
    copyFileSync(join(source, 'index.html'), join(compiled, 'index.html'));
    symlinkSync(join(repo, 'node_modules'), join(compiled, 'node_modules'), 'dir');
    await build({
      configFile: false,
      root: compiled,
      base: '/angular-app/',
      logLevel: 'error',
      plugins: [angularLinker()],
      resolve: {
        alias: [
          { find: /^clientela\/define$/, replacement: publishedModule('./define') },
          { find: /^clientela\/angular$/, replacement: publishedModule('./angular') },
        ],
      },
      build: { outDir, emptyOutDir: true, target: 'es2022' },
    });
  } finally {
    rmSync(compiled, { recursive: true, force: true });
  }
}

export async function startEnvironment({ hosts = true } = {}): Promise<Environment> {
  publishedModule('./bundle');
  let ownServer: (StartedServer & { dataDir: string }) | null = null;
  let target = process.env.CLIENTELA_URL;
  let secret = process.env.CLIENTELA_JWT_SECRET ?? '';
  if (target && !secret) throw new Error('CLIENTELA_URL needs CLIENTELA_JWT_SECRET too: the hosts sign their own tokens.');
  if (!target) {
    const dataDir = mkdtempSync(join(tmpdir(), 'clientela-e2e-'));
    secret = randomBytes(32).toString('hex');
    const started = await startServer({ dataDir, seedCustomers: 50, env: { JWT_SECRET: secret } }).catch((err: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
    ownServer = Object.assign(started, { dataDir });
    target = ownServer.url;
  }
  const jwtSecret = secret;
  const reactDir = mkdtempSync(join(tmpdir(), 'clientela-react-host-'));
  const svelteDir = mkdtempSync(join(tmpdir(), 'clientela-svelte-host-'));
  const vueDir = mkdtempSync(join(tmpdir(), 'clientela-vue-host-'));
  const angularDir = mkdtempSync(join(tmpdir(), 'clientela-angular-host-'));
  let host: HostServer | null = null;
  let browser: Browser | null = null;
  try {
    if (hosts) {
      await Promise.all([buildReactHost(reactDir), buildFrameworkHost('svelte', svelteDir), buildFrameworkHost('vue', vueDir), buildAngularHost(angularDir)]);
      host = await startHostServer(target, jwtSecret, { '/react-app/': reactDir, '/svelte-app/': svelteDir, '/vue-app/': vueDir, '/angular-app/': angularDir });
    }
    browser = await chromium.launch({
      executablePath: ensureBrowser(),
      args: BROWSER_ARGS,
    });
  } catch (err) {
    await host?.close();
    rmSync(reactDir, { recursive: true, force: true });
    rmSync(svelteDir, { recursive: true, force: true });
    rmSync(vueDir, { recursive: true, force: true });
    rmSync(angularDir, { recursive: true, force: true });
    if (ownServer) {
      await ownServer.stop();
      rmSync(ownServer.dataDir, { recursive: true, force: true });
    }
    throw err;
  }
  const openedBrowser = browser;
  const openedHost = host;
  return {
    api: new ApiClient(target, () => mintToken(jwtSecret, 'owner')),
    demoApi: new ApiClient(target, () => demoToken(target)),
    hostUrl: openedHost?.url ?? '',
    browser: openedBrowser,
    async close() {
      await openedBrowser.close();
      await openedHost?.close();
      rmSync(reactDir, { recursive: true, force: true });
      rmSync(svelteDir, { recursive: true, force: true });
      rmSync(vueDir, { recursive: true, force: true });
      rmSync(angularDir, { recursive: true, force: true });
      if (ownServer) {
        await ownServer.stop();
        rmSync(ownServer.dataDir, { recursive: true, force: true });
      }
    },
  };
}

async function demoToken(origin: string): Promise<string> {
  const response = await fetch(`${origin}/api/demo/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'admin' }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Direct API calls, to arrange data and to check what the pages did. */
export class ApiClient {
  private token: Promise<string> | null = null;
  constructor(
    readonly origin: string,
    private readonly getToken: () => Promise<string>,
  ) {}

  private bearer() {
    this.token ??= this.getToken();
    return this.token;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T; headers: Headers }> {
    const response = await fetch(`${this.origin}/api/v1${path}`, {
      method,
      redirect: 'manual',
      headers: { Authorization: `Bearer ${await this.bearer()}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, data: (text ? JSON.parse(text) : null) as T, headers: response.headers };
  }

  async createCustomer(fields: Record<string, unknown>): Promise<Customer> {
    const { status, data } = await this.call<Customer>('POST', '/customers', fields);
    if (status !== 201) throw new Error(`Could not create a customer: ${status} ${JSON.stringify(data)}`);
    return data;
  }

  async customer(id: string): Promise<Customer> {
    const { status, data } = await this.call<Customer>('GET', `/customers/${id}`);
    if (status !== 200) throw new Error(`GET /customers/${id} answered ${status}`);
    return data;
  }
}

/** A page of its own (fresh storage) that remembers every script error and CSP violation it sees. */
export async function openPage(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { reportViolation(text: string): void }).reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sample})`);
    });
  });
  await page.goto(url);
  return { context, page, problems };
}
