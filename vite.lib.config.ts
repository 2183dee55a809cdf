import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

const root = import.meta.dirname;

/**
 * The npm build: one ES module per source file under dist/lib, mirroring
 * components/ (so a host's bundler keeps only what it imports, and each file
 * sits beside its declaration in dist/types/components), with every package
 * import of a declared dependency (lit, @lit/*, hono/client, react) left to
 * the host's resolver so it is shared, not duplicated. The entries are package.json's public modules.
 */
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { default?: string }>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};
export const libraryEntries: Record<string, string> = Object.fromEntries(
  Object.values(pkg.exports)
    .map((target) => (typeof target === 'string' ? target : target.default))
    // Type-only exports (clientela/vue, /jsx, /svelte) have no module.
    .filter((file): file is string => file?.startsWith('./dist/lib/') === true)
    .map((file) => {
      const name = file.slice('./dist/lib/'.length, -'.js'.length);
      return [name, resolve(root, `components/${name}.ts`)];
    }),
);

/** The packages a host installs with ours; anything else (such as the compiler's decorator helper) is built in. */
const packages = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
const isPackageImport = (id: string) => packages.some((name) => id === name || id.startsWith(`${name}/`));

/** The npm modules (default), or with `--mode bundle` the single file with lit inside. */
export default defineConfig(({ mode }) => (mode === 'bundle' ? bundle : modules));

const modules: UserConfig = {
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'dist/lib'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: {
      entry: libraryEntries,
      formats: ['es'],
    },
    rolldownOptions: {
      external: isPackageImport,
      output: { preserveModules: true, preserveModulesRoot: resolve(root, 'components'), entryFileNames: '[name].js' },
    },
  },
};

/** dist/clientela.bundle.js: everything in one minified file, for a plain `<script type="module">` and no bundler. */
const bundle: UserConfig = {
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: { entry: resolve(root, 'components/bundle.ts'), formats: ['es'], fileName: () => 'clientela.bundle.js' },
    rolldownOptions: { output: { minify: true, codeSplitting: false } },
  },
};
