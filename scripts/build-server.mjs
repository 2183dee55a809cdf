#!/usr/bin/env node
/**
 * The server as plain JavaScript in dist/server (or the folder given), run
 * by `node dist/server/main.js` with production dependencies only.
 *
 * One esbuild bundle of main.ts and migrate.ts with their dependencies, cut
 * into chunks where the sources import lazily (the server after the
 * configuration check, each database driver, its migrator). A start then
 * reads a few files instead of resolving, reading and compiling some 550
 * modules one by one, which took about 0.7 s of CPU, more than half of the
 * second a start may take (bench/sections/production.ts). PGlite stays in
 * node_modules, beside its WebAssembly and data files; it is loaded only
 * without DATABASE_URL. The migrations are copied to dist/server/db/migrations,
 * where db/client.ts looks for them when bundled.
 *
 * tsconfig.server.json's compiler options apply (class fields as tsc
 * emits them). Source maps have the mappings only: a stack trace under
 * `node --enable-source-maps` names the .ts line; the sources are in git.
 * Types are checked by `npm run typecheck`.
 */
import { cp, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

export async function buildServer({ outDir = join(root, 'dist/server') } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['server/main.ts', 'server/migrate.ts'],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: 'tsconfig.server.json',
    external: ['@electric-sql/pglite'],
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
    // The CommonJS packages inside (pino, postgres' neighbours, sanitize-html…) call require() for Node's modules.
    banner: { js: "import { createRequire as __clientelaCreateRequire } from 'node:module'; const require = __clientelaCreateRequire(import.meta.url);" },
  });
  await cp(join(root, 'server/db/migrations'), join(outDir, 'db/migrations'), { recursive: true });
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  try {
    const outDir = await buildServer({ outDir: process.argv[2] });
    console.log(`Built ${relative(process.cwd(), outDir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
