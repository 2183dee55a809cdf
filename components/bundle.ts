/**
 * The single-file build (dist/clientela.bundle.js, lit included) for a plain
 * `<script type="module">`: registers the default tags and exports the
 * classes, so a page may also `import { define, CustomerCard } from '…/clientela.bundle.js'`.
 */
export { define } from './define.ts';
export * from './index.ts';
