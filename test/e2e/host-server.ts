/**
 * The "host platform" of the end-to-end tests: a web server of its own, on
 * another port than Clientela's, that serves the host pages (test/e2e/hosts),
 * the built kit (dist/), the packages an import-map host loads
 * (node_modules/) and a React app built for the test, and forwards /api to
 * the Clientela server as a host's reverse proxy would. Its "backend" mints
 * tokens for its admins at POST /admin/clientela-token. Pages under /csp/
 * are served with a strict Content-Security-Policy.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { mintToken, type HostRole } from './host-backend.ts';

const repo = normalize(join(import.meta.dirname, '../..'));

/** No inline script or style, no eval, nothing from other origins. */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
};

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

/**
 * @param apiTarget the Clientela server's origin
 * @param jwtSecret the secret the Clientela server checks tokens with
 * @param mounts URL prefixes served from directories, first match wins (e.g. `/react-app/` from a temp dir)
 */
export async function startHostServer(apiTarget: string, jwtSecret: string, mounts: Record<string, string> = {}): Promise<HostServer> {
  const roots: Array<[string, string]> = [
    ...Object.entries(mounts),
    ['/dist/', join(repo, 'dist')],
    ['/node_modules/', join(repo, 'node_modules')],
    ['/', join(repo, 'test/e2e/hosts')],
  ];

  async function serveFile(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const [prefix, dir] = roots.find(([p]) => pathname.startsWith(p))!;
    let file = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length))));
    if (!file.startsWith(dir + sep) && file !== dir) return notFound(res);
    const info = await stat(file).catch(() => null);
    if (info?.isDirectory()) file = join(file, 'index.html');
    else if (!info) return notFound(res);
    const headers: Record<string, string> = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
    if (pathname.startsWith('/csp/')) headers['Content-Security-Policy'] = STRICT_CSP;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }

  async function proxy(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(key) && typeof value === 'string') headers.set(key, value);
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    try {
      const answer = await fetch(apiTarget + req.url, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        redirect: 'manual',
        signal: controller.signal,
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, key) => {
        if (!HOP_BY_HOP.has(key)) out[key] = value;
      });
      res.writeHead(answer.status, out);
      if (answer.body) Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream).on('error', () => res.destroy()).pipe(res);
      else res.end();
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    }
  }

  /** A real host checks its own session here; the test host's admins pick their role in the query. */
  async function token(req: IncomingMessage, res: ServerResponse) {
    const role: HostRole = new URL(req.url ?? '/', 'http://host').searchParams.get('role') === 'support' ? 'support' : 'owner';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ token: await mintToken(jwtSecret, role) }));
  }

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://host').pathname;
    const work = pathname.startsWith('/api/')
      ? proxy(req, res)
      : pathname === '/admin/clientela-token' && req.method === 'POST'
        ? token(req, res)
        : serveFile(req, res, pathname);
    work.catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
}
