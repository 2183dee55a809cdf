/**
 * custom-elements.json is complete, so the typings made from it are: every
 * CSS part a template sets, every theme token and custom property a style
 * reads, every event a component fires (with its detail) and every
 * property declared with @property (with a description) is in it, and it
 * promises nothing the sources do not have. Read against the sources and
 * the built manifest (`npm run build` first).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const repo = join(import.meta.dirname, '../..');
const components = join(repo, 'components');

interface Named {
  name: string;
  description?: string;
}
interface Declaration {
  name: string;
  /** Its module's published path, e.g. dist/lib/customer-card/customer-card.js. */
  path?: string;
  tagName?: string;
  attributes?: Array<Named & { fieldName?: string }>;
  members?: Array<Named & { kind: string; privacy?: string }>;
  events?: Array<Named & { type?: { text: string } }>;
  cssParts?: Named[];
  cssProperties?: Named[];
}

const manifestPath = join(repo, 'dist/custom-elements.json');
const elements = new Map<string, Declaration>();
if (existsSync(manifestPath)) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { modules: Array<{ path: string; declarations?: Declaration[] }> };
  for (const mod of manifest.modules) for (const d of mod.declarations ?? []) if (d.tagName) elements.set(d.tagName, { ...d, path: mod.path });
}

/** The folder of each element's sources (that of its module: dist/lib/<folder>/…); shared/ is everyone's. */
const FOLDERS: Record<string, string> = Object.fromEntries([...elements].map(([tag, d]) => [tag, /^dist\/lib\/([\w-]+)\//.exec(d.path ?? '')?.[1] ?? tag]));

const sources = (folder: string) =>
  readdirSync(join(components, folder))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(components, folder, f), 'utf8'))
    .join('\n');
const names = (list?: Named[]) => new Set((list ?? []).map((x) => x.name));
const sorted = (set: Iterable<string>) => [...set].sort();

test('the manifest is built', () => {
  assert.ok(elements.size > 0, `${manifestPath} is missing: run \`npm run build\` first`);
});

test('every CSS part a template sets is documented, and no other', () => {
  const shared = new Set([...sources('shared').matchAll(/part="([^"$]+)"/g)].flatMap((m) => m[1].split(/\s+/)));
  for (const [tag, folder] of Object.entries(FOLDERS)) {
    const used = new Set([...sources(folder).matchAll(/part="([^"$]+)"/g)].flatMap((m) => m[1].split(/\s+/)));
    if (tag !== 'clientela-provider') for (const part of shared) used.add(part);
    assert.deepEqual(sorted(names(elements.get(tag)?.cssParts)), sorted(used), `<${tag}>'s parts`);
  }
});

test('every theme token the provider sets and every custom property a style reads is documented', () => {
  const themeTokens = new Set([...readFileSync(join(components, 'theme.ts'), 'utf8').matchAll(/^\s*(--clientela-[\w-]+):/gm)].map((m) => m[1]));
  for (const [tag, folder] of Object.entries(FOLDERS)) {
    const documented = names(elements.get(tag)?.cssProperties);
    const read = [...`${sources(folder)}\n${sources('shared')}`.matchAll(/var\((--clientela-[\w-]+)/g)].map((m) => m[1]);
    const missing = [...new Set([...themeTokens, ...(tag === 'clientela-provider' ? [] : read)])].filter((p) => !documented.has(p));
    assert.deepEqual(missing, [], `<${tag}> documents every token it can be themed with`);
    for (const p of elements.get(tag)?.cssProperties ?? []) assert.ok(p.description, `<${tag}> ${p.name} has a description`);
  }
});

test('every event a component fires is documented with its class and detail, and no other', () => {
  const eventNames = new Map([...readFileSync(join(components, 'events.ts'), 'utf8').matchAll(/export class (\w+) extends Event[\s\S]*?super\('([\w-]+)'/g)].map((m) => [m[1], m[2]]));
  for (const [tag, folder] of Object.entries(FOLDERS)) {
    const fired = new Set([...sources(folder).matchAll(/new (\w+Event)\(/g)].map((m) => eventNames.get(m[1])).filter((n): n is string => Boolean(n)));
    const documented = elements.get(tag)?.events ?? [];
    assert.deepEqual(sorted(documented.map((e) => e.name)), sorted(fired), `<${tag}>'s events`);
    for (const event of documented) {
      assert.equal(eventNames.get(event.type?.text ?? ''), event.name, `${event.name} is typed by its class`);
      assert.match(event.description ?? '', /`detail`: `\{.*\}`/, `${event.name} documents its detail`);
    }
  }
});

test('every @property is documented, as an attribute or a property, with a description', () => {
  for (const [tag, folder] of Object.entries(FOLDERS)) {
    const element = elements.get(tag)!;
    const declared = [...sources(folder).matchAll(/@property\([^)]*\)\s+(?:override\s+)?(\w+)/g)].map((m) => m[1]);
    for (const name of declared) {
      const documented = [...(element.attributes ?? []).filter((a) => a.fieldName === name), ...(element.members ?? []).filter((m) => m.name === name)];
      assert.ok(documented.length > 0, `<${tag}>.${name} is in the manifest`);
      assert.ok(
        documented.every((d) => d.description),
        `<${tag}>.${name} has a description`,
      );
    }
  }
});

test("VS Code's custom data lists every tag with its attributes, and every theme token and part", () => {
  const html = JSON.parse(readFileSync(join(repo, 'dist/frameworks/vscode.html-custom-data.json'), 'utf8')) as { tags: Array<{ name: string; attributes: Named[] }> };
  const css = JSON.parse(readFileSync(join(repo, 'dist/frameworks/vscode.css-custom-data.json'), 'utf8')) as { properties: Named[]; pseudoElements: Named[] };
  for (const [tag, element] of elements) {
    const entry = html.tags.find((t) => t.name === tag);
    assert.ok(entry, `<${tag}> is in vscode.html-custom-data.json`);
    assert.deepEqual(sorted(names(entry.attributes)), sorted(names(element.attributes)), `<${tag}>'s attributes`);
    for (const p of element.cssProperties ?? []) assert.ok(names(css.properties).has(p.name), `${p.name} is in vscode.css-custom-data.json`);
    for (const part of element.cssParts ?? []) assert.ok(names(css.pseudoElements).has(`::part(${part.name})`), `::part(${part.name})`);
  }
});
