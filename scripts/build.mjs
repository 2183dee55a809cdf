#!/usr/bin/env node
/**
 * `npm run build`: the demo page (dist/demo), the npm modules (dist/lib), the
 * single-file bundle (dist/clientela.bundle.js), the type declarations
 * (dist/types, their API shapes first made from the OpenAPI document's
 * schemas: scripts/api-types.ts), custom-elements.json (dist/) and the framework typings made
 * from it (dist/frameworks, scripts/framework-types.mjs), Angular components
 * made from it (dist/angular, scripts/angular-proxies.mjs), the server as plain
 * JavaScript (dist/server, scripts/build-server.mjs), then the size of each
 * public entry as a host downloads it. Declarations and the manifest are made by
 * child processes while vite builds, so the whole takes about as long as the
 * slowest of them.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'vite';
import { generateAngularComponents } from './angular-proxies.mjs';
import { buildServer } from './build-server.mjs';
import { generateFrameworkTypes } from './framework-types.mjs';
import { printSizes } from './size-report.mjs';

const root = new URL('..', import.meta.url).pathname;
const started = Date.now();

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed with exit code ${code}`))));
  });
}

const bin = (name) => join(root, 'node_modules/.bin', name);

/**
 * tsc keeps the sources' `.ts` import specifiers in the declarations; a
 * host's TypeScript resolves `./x.js` to `./x.d.ts`, so that is what they get.
 */
async function rewriteDeclarationImports(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    const rewritten = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1$2.js$3');
    if (rewritten !== text) await writeFile(file, rewritten);
  }
}

async function declarations() {
  // The API shapes the declarations stop at, without the server's types (a TypeScript script: tsx).
  await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/api-types.ts')]);
  // tsc's incremental record says nothing of the files it wrote: without them, start over.
  if (!existsSync(join(root, 'dist/types/components/index.d.ts'))) await rm(join(root, 'dist/.cache/types.tsbuildinfo'), { force: true });
  await run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  await rewriteDeclarationImports(join(root, 'dist/types'));
}

async function bundles() {
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  const modules = await build({ configFile: join(root, 'vite.lib.config.ts') });
  const bundle = await build({ configFile: join(root, 'vite.lib.config.ts'), mode: 'bundle' });
  return { modules, bundle };
}

try {
  const types = declarations();
  const manifest = run(bin('cem'), ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']);
  const [outputs] = await Promise.all([
    bundles(),
    types,
    manifest.then(() => generateFrameworkTypes(root)),
    // Angular's components import the kit's declarations and are made from the manifest.
    Promise.all([types, manifest]).then(() => generateAngularComponents(root)),
    buildServer(),
  ]);
  printSizes(outputs);
  console.log(`Built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
