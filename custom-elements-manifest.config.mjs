/**
 * custom-elements.json (in dist/, named by package.json "customElements"):
 * tags, attributes, properties, events, slots, CSS parts and custom
 * properties of every element. The analyzer reads attributes and properties
 * from the Lit decorators and their JSDoc; this config adds what it cannot
 * see in this code base's layout:
 * - tag names from define.ts's `define('tag', Class)` calls (the classes
 *   themselves register nothing);
 * - each element's description, @fires, @csspart, @cssprop and @slot from
 *   its module's header comment (where the kit documents its elements), with
 *   each event typed by its class in events.ts;
 * - the theme tokens documented in theme.ts, which every element inherits;
 * - module paths of the published JavaScript (dist/lib) instead of the sources;
 * - only the public API: private and protected members (state, queries,
 *   helpers, and what ClientelaElement gives the classes built on it) are
 *   left out, so each element lists what its documentation promises.
 */
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');
const toPublished = (path) => path.replace(/^\/?components\/(.*)\.ts$/, 'dist/lib/$1.js');

/** `@name first - description` lines and the text before the first tag, from a file's leading comment. */
function headerDoc(source) {
  const comment = /^\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  const lines = comment.split('\n').map((line) => line.replace(/^\s*\* ?/, '').trimEnd());
  const firstTag = lines.findIndex((line) => line.startsWith('@'));
  const description = (firstTag === -1 ? lines : lines.slice(0, firstTag)).join(' ').replace(/\s+/g, ' ').trim();
  const tags = [];
  for (const line of lines) {
    const match = /^@(\w+)\s+(\S+)(?:\s+-)?\s*(.*)$/.exec(line);
    if (match) tags.push({ tag: match[1], name: match[2], description: match[3] });
    else if (tags.length && line && !line.startsWith('@')) tags.at(-1).description += ` ${line.trim()}`;
  }
  return { description, tags };
}

const tagNames = new Map([...read('./components/define.ts').matchAll(/define\('([\w-]+)',\s*(\w+)\)/g)].map((m) => [m[2], m[1]]));
const eventClasses = new Map([...read('./components/events.ts').matchAll(/export class (\w+) extends Event[\s\S]*?super\('([\w-]+)'/g)].map((m) => [m[2], m[1]]));
const themeTokens = headerDoc(read('./components/theme.ts'))
  .tags.filter((t) => t.tag === 'cssprop')
  .map(({ name, description }) => ({ name, description }));

/** Each class of the manifest with its module. */
function* classes(manifest) {
  for (const mod of manifest.modules) {
    for (const declaration of mod.declarations ?? []) if (declaration.kind === 'class') yield { mod, declaration };
  }
}

function documentElements() {
  return {
    name: 'clientela-elements',
    packageLinkPhase({ customElementsManifest }) {
      for (const { mod, declaration } of classes(customElementsManifest)) {
        const tagName = tagNames.get(declaration.name);
        if (!tagName) continue;
        const { description, tags } = headerDoc(read(`./${mod.path.replace(/^\//, '')}`));
        const of = (kind) => tags.filter((t) => t.tag === kind).map(({ name, description }) => ({ name, description }));
        Object.assign(declaration, {
          tagName,
          customElement: true,
          description: declaration.description || description,
          events: of('fires').map((e) => ({ ...e, type: { text: eventClasses.get(e.name) ?? 'Event' } })),
          cssParts: of('csspart'),
          slots: of('slot').map((s) => ({ ...s, name: s.name === '-' ? '' : s.name })),
          cssProperties: [...of('cssprop').filter((p) => !p.name.includes('*')), ...themeTokens],
        });
      }
    },
  };
}

/** Drops every member that is not public API (private, protected, #private) from every class. */
function publicMembersOnly() {
  return {
    name: 'clientela-public-members',
    packageLinkPhase({ customElementsManifest }) {
      for (const { declaration } of classes(customElementsManifest)) {
        if (declaration.members) declaration.members = declaration.members.filter((m) => (m.privacy ?? 'public') === 'public' && !m.name.startsWith('#'));
      }
    },
  };
}

/**
 * Each event's `detail` type, from its class in events.ts, in the event's
 * description: the manifest's `type` names the event's class, and tools that
 * show events (editors, the framework typings) show the description.
 */
function eventDetails() {
  const details = new Map([...read('./components/events.ts').matchAll(/export class (\w+) extends Event \{\s*constructor\(readonly detail: (.*)\) \{/g)].map((m) => [m[1], m[2]]));
  return {
    name: 'clientela-event-details',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          for (const event of declaration.events ?? []) {
            const detail = details.get(event.type?.text);
            if (detail) event.description = `${event.description} \`detail\`: \`${detail}\``.trim();
          }
        }
      }
    },
  };
}

/** Points every module path and cross-module reference at the dist/lib file a host imports. */
function publishedPaths() {
  return {
    name: 'clientela-published-paths',
    packageLinkPhase({ customElementsManifest }) {
      const visit = (value) => {
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value === 'object') {
          for (const [key, inner] of Object.entries(value)) {
            if ((key === 'path' || key === 'module') && typeof inner === 'string') value[key] = toPublished(inner);
            else visit(inner);
          }
        }
      };
      visit(customElementsManifest.modules);
    },
  };
}

export default {
  globs: ['components/**/*.ts'],
  exclude: ['components/react/**', 'components/bundle.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [documentElements(), publicMembersOnly(), eventDetails(), publishedPaths()],
};
