/**
 * Prints what each public entry of package.json costs a host: the entry and
 * every module of ours it imports statically (dynamic imports load later, on
 * demand), minified (as the build wrote them: what bundlers' budgets, such as
 * Angular's, count) and gzipped (what goes over the wire). Packages the host shares
 * (lit, @lit/*, hono/client, react) are not counted, except in the
 * single-file bundle, which carries them.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const chunksOf = (output) => (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).filter((c) => c.type === 'chunk');

/** The chunk and every chunk of ours it imports statically, transitively. */
function closure(chunk, byFile) {
  const seen = new Map();
  const visit = (c) => {
    if (seen.has(c.fileName)) return;
    seen.set(c.fileName, c);
    for (const imported of c.imports) if (byFile.has(imported)) visit(byFile.get(imported));
  };
  visit(chunk);
  return [...seen.values()];
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** @param {{ modules: unknown, bundle: unknown }} outputs what vite's build() answered */
export function printSizes({ modules, bundle }) {
  const moduleChunks = chunksOf(modules);
  const byFile = new Map(moduleChunks.map((c) => [c.fileName, c]));
  const [bundleChunk] = chunksOf(bundle);
  const rows = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : target.default;
    if (!file) continue; // type-only: clientela/vue, /jsx, /svelte
    const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    let chunks;
    if (file.startsWith('./dist/lib/')) chunks = closure(byFile.get(file.slice('./dist/lib/'.length)), byFile);
    else if (file === `./dist/${bundleChunk.fileName}`) chunks = [bundleChunk];
    else continue;
    const code = chunks.map((c) => c.code).join('\n');
    rows.push([name, file.slice(2), String(chunks.length), kB(Buffer.byteLength(code)), kB(gzipSync(code).length)]);
  }
  const header = ['entry', 'file', 'modules', 'minified', 'gzip'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  console.log('\nPublic entries, as a host downloads them (lit and other packages not counted, except in the bundle):');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log();
}
