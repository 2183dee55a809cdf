#!/usr/bin/env node
/**
 * The server as plain JavaScript in dist/server (or the folder given), run
 * by `node dist/server/main.js` with production dependencies only. Each
 * module is transpiled on its own (the sources are isolatedModules-clean)
 * with tsconfig.server.json's options, its `.ts` imports rewritten to `.js`;
 * the migrations are copied beside db/client.js, where it looks for them.
 * Types are checked by `npm run typecheck`; a whole-program tsc here would
 * take ten times as long to emit the same files.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;

export async function buildServer({ outDir = join(root, 'dist/server') } = {}) {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.server.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  const sourceDir = join(root, 'server');
  await rm(outDir, { recursive: true, force: true });
  await Promise.all(
    config.fileNames.map(async (file) => {
      const target = join(outDir, relative(sourceDir, file)).replace(/\.ts$/, '.js');
      const { outputText, sourceMapText } = ts.transpileModule(await readFile(file, 'utf8'), {
        fileName: file,
        compilerOptions: { ...config.options, outDir: dirname(target) },
      });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, outputText);
      if (sourceMapText) await writeFile(`${target}.map`, sourceMapText);
    }),
  );
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
