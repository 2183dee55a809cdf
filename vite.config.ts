import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** `vite build` builds the demo page into dist/demo, served by `npm start` at /. */
export default defineConfig({
  root: resolve(import.meta.dirname, 'demo'),
  build: {
    outDir: resolve(import.meta.dirname, 'dist/demo'),
    emptyOutDir: true,
    target: 'es2022',
  },
  esbuild: { target: 'es2022' },
  server: { proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' } },
});
