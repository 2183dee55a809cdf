/**
 * The package as a host developer installs it: every export resolves to a
 * built file, a host's TypeScript project type-checks against the
 * declarations (typed events on elements and on the React wrappers, and
 * wrong uses rejected), the single-file bundle imports nothing, and
 * custom-elements.json describes every element.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

const repo = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types: string; default?: string }>;
  customElements: string;
  sideEffects: string[];
};

test('every export of package.json names a built file, with its declarations', () => {
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    // Type-only exports (clientela/vue, /jsx, /svelte) have no default.
    for (const file of typeof target === 'string' ? [target] : [target.types, target.default ?? target.types]) {
      assert.ok(existsSync(join(repo, file)), `${subpath} → ${file} exists`);
    }
  }
  for (const file of pkg.sideEffects.filter((f) => f.startsWith('./dist/'))) assert.ok(existsSync(join(repo, file)), `${file} exists`);
});

test('the single-file bundle imports nothing and registers every default tag', () => {
  const bundle = readFileSync(join(repo, 'dist/clientela.bundle.js'), 'utf8');
  assert.doesNotMatch(bundle, /["'`]\.{1,2}\//, 'no relative module specifier');
  assert.doesNotMatch(bundle, /\bfrom\s*["'`][@a-z]/, 'no package import');
  for (const tag of ['clientela-provider', 'member-list', 'customer-card', 'points-manager', 'merge-dialog', 'customer-history']) {
    assert.ok(bundle.includes(`"${tag}"`) || bundle.includes(`\`${tag}\``), `registers <${tag}>`);
  }
});

interface ManifestElement {
  tagName?: string;
  name: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string; type?: { text: string } }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}

test('custom-elements.json describes each element: attributes, events with their classes, parts and theme tokens', () => {
  const manifest = JSON.parse(readFileSync(join(repo, pkg.customElements), 'utf8')) as { modules: Array<{ path: string; declarations?: ManifestElement[] }> };
  const elements = new Map<string, ManifestElement & { path: string }>();
  for (const mod of manifest.modules) {
    for (const d of mod.declarations ?? []) if (d.tagName) elements.set(d.tagName, { ...d, path: mod.path });
  }
  assert.deepEqual(
    [...elements.keys()].sort(),
    ['clientela-provider', 'customer-card', 'customer-history', 'customer-insights', 'customer-orders', 'member-list', 'merge-dialog', 'points-manager'],
  );
  for (const [tag, element] of elements) {
    assert.ok(existsSync(join(repo, element.path)), `<${tag}>'s module ${element.path} is published`);
    assert.ok(element.cssProperties?.some((p) => p.name === '--clientela-accent'), `<${tag}> lists the theme tokens`);
  }
  const names = (list?: Array<{ name: string }>) => (list ?? []).map((x) => x.name);
  assert.deepEqual(names(elements.get('clientela-provider')!.attributes), ['api-base', 'locale', 'currency', 'theme']);
  assert.ok(names(elements.get('customer-card')!.attributes).includes('customer-id'));
  assert.deepEqual(
    elements.get('points-manager')!.events!.map((e) => [e.name, e.type?.text]),
    [
      ['points-changed', 'PointsChangedEvent'],
      ['customer-saved', 'CustomerSavedEvent'],
    ],
  );
  assert.ok(names(elements.get('merge-dialog')!.events).includes('customers-merged'));
  assert.ok(names(elements.get('member-list')!.cssParts).includes('row'));
});

/** A host's own project: the package linked in node_modules, as `npm install` would put it. */
let consumer = '';
before(() => {
  consumer = mkdtempSync(join(tmpdir(), 'clientela-consumer-'));
  mkdirSync(join(consumer, 'node_modules/@types'), { recursive: true });
  symlinkSync(repo, join(consumer, 'node_modules', pkg.name), 'dir');
  symlinkSync(join(repo, 'node_modules/react'), join(consumer, 'node_modules/react'), 'dir');
  symlinkSync(join(repo, 'node_modules/@types/react'), join(consumer, 'node_modules/@types/react'), 'dir');
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        jsx: 'react-jsx',
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: [],
      },
      files: ['host.tsx'],
    }),
  );
});
after(() => rmSync(consumer, { recursive: true, force: true }));

const HOST = `
import { CustomerCard, type Customer } from 'clientela';
import { define } from 'clientela/define';
import { MergeDialog } from 'clientela/merge-dialog';
import { PointsManager, ClientelaProvider } from 'clientela/react';

class AcmeCard extends CustomerCard {}
define('acme-card', AcmeCard);
const card = document.createElement('customer-card');
card.customerId = 'c1';
card.addEventListener('customer-saved', (e) => {
  const saved: Customer = e.detail.customer;
  console.log(saved.email, e.detail.changed.join());
});
const merge: MergeDialog = document.createElement('merge-dialog');
merge.show();
export const App = () => (
  <ClientelaProvider apiBase="/api/v1" locale="es" getToken={async () => 'token'}>
    <PointsManager customerId="c1" onPointsChanged={(e) => console.log(e.detail.balance.toFixed(0))} />
  </ClientelaProvider>
);
`;

async function typeCheck(source: string): Promise<string> {
  writeFileSync(join(consumer, 'host.tsx'), source);
  try {
    await promisify(execFile)(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', consumer]);
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout);
  }
}

test("a host's TypeScript project type-checks against the published declarations", async () => {
  assert.equal(await typeCheck(HOST), '');
});

test('and the declarations reject wrong uses: an unknown event detail, a wrong prop type', async () => {
  const errors = await typeCheck(
    HOST.replace('e.detail.balance.toFixed(0)', 'e.detail.points').replace('card.customerId = \'c1\'', 'card.customerId = 42'),
  );
  assert.match(errors, /Property 'points' does not exist on type '\{ customerId: string; delta: number; balance: number; lifetimePoints: number; \}'/);
  assert.match(errors, /Type 'number' is not assignable to type 'string'/);
});
