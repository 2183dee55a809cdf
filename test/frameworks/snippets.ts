/**
 * The code blocks of docs/frameworks/*.md, and what custom-elements.json
 * says the elements accept, for test/frameworks/snippets.test.ts.
 *
 * A block may be preceded by HTML comments (invisible on the rendered page):
 * - `<!-- file: src/App.vue -->` names the file it becomes in its page's
 *   project, so other blocks can import it (else `snippet-<line>.<lang>`);
 * - `<!-- expect-error -->` marks a block that shows a mistake: its checker
 *   must reject it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Snippet {
  /** e.g. `vue.md` */
  page: string;
  /** Line of the block's first code line in the page (1-based). */
  line: number;
  lang: string;
  /** Path inside the page's project. */
  file: string;
  code: string;
  expectError: boolean;
}

const EXTENSIONS: Record<string, string> = { vue: 'vue', svelte: 'svelte', ts: 'ts', tsx: 'tsx', js: 'js', html: 'html', css: 'css', sh: 'sh', json: 'json', erb: 'erb', django: 'html', php: 'php' };

export function readSnippets(dir: string): Snippet[] {
  const out: Snippet[] = [];
  for (const page of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
    const lines = readFileSync(join(dir, page), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^(\s*)```(\S*)/.exec(lines[i]);
      if (!open) continue;
      const [, indent, lang] = open;
      const notes: string[] = [];
      for (let j = i - 1; j >= 0 && /^\s*<!--.*-->\s*$/.test(lines[j]); j--) notes.push(lines[j]);
      const end = lines.findIndex((l, k) => k > i && l.startsWith(`${indent}\`\`\``) && l.trim() === '```');
      if (end === -1) throw new Error(`${page}:${i + 1}: a code block that never closes`);
      const code = lines
        .slice(i + 1, end)
        .map((l) => l.slice(indent.length))
        .join('\n');
      const named = notes.map((n) => /<!--\s*file:\s*(\S+)\s*-->/.exec(n)?.[1]).find(Boolean);
      out.push({
        page,
        line: i + 2,
        lang,
        file: named ?? `snippet-${i + 2}.${EXTENSIONS[lang] ?? (lang || 'txt')}`,
        code: code + '\n',
        expectError: notes.some((n) => /<!--\s*expect-error\s*-->/.test(n)),
      });
      i = end;
    }
  }
  return out;
}

interface ManifestElement {
  name: string;
  tagName?: string;
  attributes?: Array<{ name: string; fieldName?: string }>;
  members?: Array<{ name: string; kind: string; privacy?: string; static?: boolean }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}

/** What one element accepts, by the names each way of writing them uses. */
export interface ElementApi {
  attributes: Set<string>;
  /** Properties and methods a host may set or call. */
  properties: Set<string>;
  events: Set<string>;
  parts: Set<string>;
}

export interface KitApi {
  elements: Map<string, ElementApi>;
  cssProperties: Set<string>;
}

export function readKitApi(manifestPath: string): KitApi {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { modules: Array<{ declarations?: ManifestElement[] }> };
  const elements = new Map<string, ElementApi>();
  const cssProperties = new Set<string>();
  for (const declaration of manifest.modules.flatMap((m) => m.declarations ?? [])) {
    if (!declaration.tagName) continue;
    const names = (list?: Array<{ name: string }>) => new Set((list ?? []).map((x) => x.name));
    const publicMembers = (declaration.members ?? []).filter((m) => (m.privacy ?? 'public') === 'public' && !m.static).map((m) => m.name);
    elements.set(declaration.tagName, {
      attributes: names(declaration.attributes),
      properties: new Set([...publicMembers, ...(declaration.attributes ?? []).map((a) => a.fieldName ?? a.name)]),
      events: names(declaration.events),
      parts: names(declaration.cssParts),
    });
    for (const p of declaration.cssProperties ?? []) cssProperties.add(p.name);
  }
  return { elements, cssProperties };
}

/** Attributes any element takes. */
const GLOBAL_ATTRIBUTES = new Set(['id', 'class', 'style', 'lang', 'dir', 'hidden', 'slot', 'part', 'exportparts', 'title', 'tabindex', 'role', 'inert']);

/**
 * The kit's tags in an HTML (or server template, or Angular template)
 * fragment, with each attribute checked against the manifest. Angular
 * syntax: `[prop]` must be a property, `(event)` an event, `[attr.name]` an
 * attribute; `#ref` and structural directives pass.
 */
export function checkMarkup(markup: string, kit: KitApi): string[] {
  const problems: string[] = [];
  for (const tag of markup.matchAll(/<([a-z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const [, name, rest] = tag;
    const element = kit.elements.get(name);
    if (!element) {
      if (name.includes('-') && /^(clientela|customer|member|points|merge)-/.test(name)) problems.push(`<${name}> is no element of the kit`);
      continue;
    }
    for (const attribute of rest.matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const raw = attribute[1];
      let match: RegExpExecArray | null;
      if ((match = /^\[attr\.([\w-]+)\]$/.exec(raw))) {
        if (!element.attributes.has(match[1])) problems.push(`<${name}> has no attribute "${match[1]}" (${raw})`);
      } else if ((match = /^\[([\w.]+)\]$/.exec(raw))) {
        if (!element.properties.has(match[1])) problems.push(`<${name}> has no property "${match[1]}" (${raw})`);
      } else if ((match = /^\(([\w-]+)\)$/.exec(raw))) {
        if (!element.events.has(match[1])) problems.push(`<${name}> fires no "${match[1]}" event (${raw})`);
      } else if (raw.startsWith('#') || raw.startsWith('*') || raw.startsWith('data-') || raw.startsWith('aria-') || GLOBAL_ATTRIBUTES.has(raw)) {
        continue;
      } else if (!element.attributes.has(raw)) {
        problems.push(`<${name}> has no attribute "${raw}"`);
      }
    }
  }
  return problems;
}

/** Custom properties and parts named in CSS, checked against the manifest. */
export function checkCss(css: string, kit: KitApi): string[] {
  const problems: string[] = [];
  for (const [, property] of css.matchAll(/(--clientela-[\w-]+)/g)) {
    if (!kit.cssProperties.has(property)) problems.push(`no theme token ${property}`);
  }
  for (const [, tag, part] of css.matchAll(/([a-z][\w-]*)::part\(([\w-]+)\)/g)) {
    const element = kit.elements.get(tag);
    if (!element) problems.push(`${tag}::part(${part}): <${tag}> is no element of the kit`);
    else if (!element.parts.has(part)) problems.push(`<${tag}> has no part "${part}"`);
  }
  return problems;
}

/** A server template (ERB, Django/Jinja, PHP) as the HTML it renders, with each template tag blanked. */
export function templateToHtml(source: string): string {
  return source.replace(/<%[\s\S]*?%>|\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}|<\?(?:php|=)[\s\S]*?\?>/g, (tag) => 'x'.repeat(Math.min(tag.length, 1)));
}

/** Inline module scripts and import maps of an HTML fragment, with the line each starts on (0-based, in the fragment). */
export function scriptsOf(html: string): Array<{ kind: 'module' | 'importmap' | 'classic'; code: string; line: number }> {
  const out: Array<{ kind: 'module' | 'importmap' | 'classic'; code: string; line: number }> = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    if (/\bsrc=/.test(match[1]) || !match[2].trim()) continue;
    const type = /type=["']?([\w-]+)/.exec(match[1])?.[1];
    const kind = type === 'module' ? 'module' : type === 'importmap' ? 'importmap' : 'classic';
    out.push({ kind, code: match[2], line: html.slice(0, match.index! + match[0].indexOf('>') + 1).split('\n').length - 1 });
  }
  return out;
}
