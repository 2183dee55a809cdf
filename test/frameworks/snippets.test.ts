/**
 * Snippets that cannot rot: every code block of docs/frameworks/ is checked
 * against the built package (run `npm run build` first), as a host
 * developer's project would see it (`clientela` in node_modules, resolved
 * through package.json's exports):
 * - Vue pages by vue-tsc (strict templates), Svelte pages by svelte-check,
 *   TypeScript, TSX and the scripts of HTML pages by tsc (JavaScript with
 *   checkJs), each page's blocks as the files of one project;
 * - Angular component code for syntax, and every template, HTML page and
 *   server template for its tags, attributes, `[property]` bindings and
 *   `(event)` listeners, CSS for its theme tokens and `::part()`s, all
 *   against custom-elements.json; import maps must point at files the
 *   package ships; shell for syntax, JSON for parsing.
 * A block marked `<!-- expect-error -->` shows a mistake and must be
 * rejected. The Svelte and Vue end-to-end hosts (test/e2e/hosts/) go through
 * svelte-check and vue-tsc with their guide's pages. The three checkers run at once, one
 * process each.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';
import { checkCss, checkMarkup, readKitApi, readSnippets, scriptsOf, templateToHtml, type KitApi, type Snippet } from './snippets.ts';

const repo = join(import.meta.dirname, '../..');
const docs = join(repo, 'docs/frameworks');
const fixtures = join(import.meta.dirname, 'fixtures');

/** One diagnostic, placed back in the page (or fixture) it came from. */
interface Problem {
  where: string;
  message: string;
  snippet: Snippet | null;
}

/** A file written into a checker's project: where its lines come from. */
interface Placed {
  snippet: Snippet | null;
  /** The file's line 1 is this line of the page. */
  firstLine: number;
  label: string;
}

class Project {
  readonly files = new Map<string, Placed>();
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  write(path: string, code: string, placed: Placed) {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, code);
    this.files.set(path, placed);
  }
  place(path: string, line: number, message: string): Problem {
    const placed = this.files.get(path.replace(/^\.\//, ''));
    if (!placed) return { where: `${path}:${line}`, message, snippet: null };
    return { where: `${placed.label}:${placed.firstLine + line - 1}`, message, snippet: placed.snippet };
  }
}

let workspace = '';
let kit: KitApi;
let snippets: Snippet[] = [];
const results = new Map<string, Problem[]>();

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
  });
}

const bin = (name: string) => join(repo, 'node_modules/.bin', name);
const TS_DIAGNOSTIC = /^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/gm;

const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  moduleDetection: 'force',
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  types: [],
};

before(async () => {
  const missing = ['dist/custom-elements.json', 'dist/frameworks/vue.d.ts', 'dist/types/components/index.d.ts'].filter((f) => !existsSync(join(repo, f)));
  if (missing.length) throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first.`);
  kit = readKitApi(join(repo, 'dist/custom-elements.json'));
  snippets = readSnippets(docs);
  workspace = mkdtempSync(join(tmpdir(), 'clientela-snippets-'));
  // node_modules as a host's: the repository's packages, and clientela itself through its package.json.
  mkdirSync(join(workspace, 'node_modules'));
  for (const entry of readdirSync(join(repo, 'node_modules'))) symlinkSync(join(repo, 'node_modules', entry), join(workspace, 'node_modules', entry));
  symlinkSync(repo, join(workspace, 'node_modules/clientela'), 'dir');

  const vue = new Project(join(workspace, 'vue'));
  const svelte = new Project(join(workspace, 'svelte'));
  const tsc = new Project(join(workspace, 'tsc'));
  const label = (s: Snippet) => `docs/frameworks/${s.page}`;
  const fixture = (project: Project, name: string) =>
    project.write(`wrong/${name}`, readFileSync(join(fixtures, name), 'utf8'), { snippet: null, firstLine: 1, label: `test/frameworks/fixtures/${name}` });
  const structural = (s: Snippet, problems: string[]) => results.get('structure')!.push(...problems.map((message) => ({ where: `${label(s)}:${s.line}`, message, snippet: s })));
  results.set('structure', []);

  for (const s of snippets) {
    const page = s.page.replace(/\.md$/, '');
    const placed = { snippet: s, firstLine: s.line, label: label(s) };
    // A list of the kit's tags (Vue's isCustomElement) must name every tag the package registers.
    if (/isCustomElement/.test(s.code)) {
      const missing = [...kit.elements.keys()].filter((tag) => !s.code.includes(`'${tag}'`));
      if (missing.length) structural(s, [`isCustomElement's list misses ${missing.join(', ')}`]);
    }
    if (page === 'vue' && ['vue', 'ts'].includes(s.lang)) vue.write(s.file, s.code, placed);
    else if (page === 'svelte' && ['svelte', 'ts', 'js'].includes(s.lang)) svelte.write(s.file, s.code, placed);
    else if (page === 'angular' && s.lang === 'ts') structural(s, checkAngular(s.code));
    else if (['ts', 'tsx', 'js'].includes(s.lang)) tsc.write(`${page}/${s.file}`, s.code, placed);
    else if (['html', 'erb', 'django', 'php'].includes(s.lang)) {
      const html = s.lang === 'html' ? s.code : templateToHtml(s.code);
      structural(s, checkMarkup(html, kit));
      scriptsOf(html).forEach((script, n) => {
        const at = { snippet: s, firstLine: s.line + script.line, label: label(s) };
        if (script.kind === 'importmap') structural(s, checkImportMap(script.code));
        else tsc.write(`${page}/${s.file}.script-${n}.js`, script.code, at);
      });
    } else if (s.lang === 'css') structural(s, checkCss(s.code, kit));
    else if (s.lang === 'sh') structural(s, (await run('bash', ['-n', '-c', s.code], workspace)).trim() ? ['not valid shell'] : []);
    else if (s.lang === 'json') structural(s, parses(s.code));
    else structural(s, [`no checker for a \`\`\`${s.lang || '(no language)'} block: give it one of vue, svelte, ts, tsx, js, html, erb, django, php, css, sh, json`]);
  }
  // The generated typings themselves, as source files, so that an error inside them is reported
  // (as declaration files, skipLibCheck would skip them); elements.ts imports the package's types.
  for (const name of ['elements', 'vue', 'jsx', 'svelte']) {
    const source = readFileSync(join(repo, `dist/frameworks/${name}.d.ts`), 'utf8').replaceAll("'../types/components/index.js'", "'clientela'");
    tsc.write(`generated/${name}.ts`, source, { snippet: null, firstLine: 1, label: `dist/frameworks/${name}.d.ts` });
  }
  // The Svelte and Vue end-to-end hosts are checked with their guide's set-up too.
  for (const [project, framework, files] of [[svelte, 'svelte', ['App.svelte', 'main.ts']], [vue, 'vue', ['App.vue', 'main.ts']]] as const) {
    for (const name of files) {
      const path = `test/e2e/hosts/${framework}/${name}`;
      project.write(`e2e-host/${name}`, readFileSync(join(repo, path), 'utf8'), { snippet: null, firstLine: 1, label: path });
    }
  }
  fixture(vue, 'customer-id-number.vue');
  fixture(svelte, 'customer-id-number.svelte');
  fixture(tsc, 'customer-id-number.tsx');

  writeFileSync(
    join(vue.dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, jsx: 'preserve' }, vueCompilerOptions: { strictTemplates: true, dataAttributes: ['data-*'] }, include: ['**/*.ts', '**/*.vue'] }),
  );
  writeFileSync(join(svelte.dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, verbatimModuleSyntax: true }, include: ['**/*'] }));
  writeFileSync(
    join(tsc.dir, 'tsconfig.json'),
    // Pages' scripts are plain JavaScript: checked for names and types, not for null checks they cannot write.
    JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, jsx: 'react-jsx', allowJs: true, checkJs: true, strictNullChecks: false }, include: ['**/*'] }),
  );

  const [vueOut, svelteOut, tscOut] = await Promise.all([
    run(bin('vue-tsc'), ['-p', '.', '--pretty', 'false'], vue.dir),
    run(bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--output', 'machine', '--threshold', 'warning'], svelte.dir),
    run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.', '--pretty', 'false'], tsc.dir),
  ]);
  results.set('vue-tsc', [...vueOut.matchAll(TS_DIAGNOSTIC)].map(([, file, line, message]) => vue.place(file, Number(line), message)));
  results.set('tsc', [...tscOut.matchAll(TS_DIAGNOSTIC)].map(([, file, line, message]) => tsc.place(file, Number(line), message)));
  results.set(
    'svelte-check',
    [...svelteOut.matchAll(/^\d+ (ERROR|WARNING) "(.+?)" (\d+):\d+ "(.*)"$/gm)].map(([, kind, file, line, message]) => svelte.place(file, Number(line), `${kind}: ${message}`)),
  );
  if (!/COMPLETED/.test(svelteOut)) results.get('svelte-check')!.push({ where: 'svelte-check', message: svelteOut.trim(), snippet: null });
});

after(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

function parses(code: string): string[] {
  try {
    JSON.parse(code);
    return [];
  } catch (err) {
    return [`not JSON: ${(err as Error).message}`];
  }
}

/** Angular code: valid TypeScript, and its inline template names only what the elements have. */
function checkAngular(code: string): string[] {
  const { diagnostics } = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, experimentalDecorators: true } });
  const problems = (diagnostics ?? []).map((d) => `TypeScript: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  for (const [, template] of code.matchAll(/template:\s*`([\s\S]*?)`/g)) problems.push(...checkMarkup(template, kit));
  for (const [, styles] of code.matchAll(/styles:\s*`([\s\S]*?)`/g)) problems.push(...checkCss(styles, kit));
  return problems;
}

/** An import map's `clientela` entries must point at a file the package ships. */
function checkImportMap(code: string): string[] {
  const parsed = parses(code);
  if (parsed.length) return parsed;
  const problems: string[] = [];
  for (const [specifier, target] of Object.entries((JSON.parse(code) as { imports?: Record<string, string> }).imports ?? {})) {
    const inPackage = /(?:^|\/)clientela\/(.+)$/.exec(target)?.[1];
    if (!specifier.startsWith('clientela')) continue;
    if (!inPackage || !existsSync(join(repo, inPackage))) problems.push(`import map: ${specifier} → ${target} is no file of the package`);
  }
  return problems;
}

/** The problems of snippets that should have none, as one readable list. */
function unexpected(problems: Problem[]): string {
  return problems
    .filter((p) => !p.snippet?.expectError && !p.where.startsWith('test/frameworks/fixtures/'))
    .map((p) => `${p.where}: ${p.message}`)
    .join('\n');
}

describe('docs/frameworks snippets', () => {
  test('every code block has a checker, and the guides exist', () => {
    const pages = new Set(snippets.map((s) => s.page));
    for (const page of ['html.md', 'react.md', 'vue.md', 'angular.md', 'svelte.md', 'server-rendered.md']) assert.ok(pages.has(page), `docs/frameworks/${page}`);
    assert.equal(unexpected(results.get('structure')!.filter((p) => p.message.startsWith('no checker'))), '');
  });

  for (const checker of ['vue-tsc', 'svelte-check', 'tsc', 'structure']) {
    test(`${checker}: no problem in any snippet (nor in the end-to-end hosts)`, () => {
      assert.equal(unexpected(results.get(checker)!), '');
    });
  }

  test('each block marked expect-error is rejected by its checker', () => {
    const all = [...results.values()].flat();
    const marked = snippets.filter((s) => s.expectError);
    assert.ok(marked.length > 0, 'the guides show some mistakes');
    for (const s of marked) assert.ok(all.some((p) => p.snippet === s), `docs/frameworks/${s.page}:${s.line} is rejected`);
  });
});

describe('the typings reject a wrong type', () => {
  const rejected = (checker: string, fixture: string) =>
    results
      .get(checker)!
      .filter((p) => p.where.startsWith(`test/frameworks/fixtures/${fixture}:`))
      .map((p) => `${p.where.split(':').at(-1)}: ${p.message}`);

  test('vue-tsc rejects <customer-card :customerId="1">', () => {
    assert.deepEqual(rejected('vue-tsc', 'customer-id-number.vue'), ["6: TS2322: Type 'number' is not assignable to type 'string'."]);
  });

  test('svelte-check rejects <customer-card customerId={1}>', () => {
    assert.deepEqual(rejected('svelte-check', 'customer-id-number.svelte'), ["5: ERROR: Type 'number' is not assignable to type 'string'."]);
  });

  test('tsc rejects <customer-card customer-id={1} /> in React 19 JSX', () => {
    const problems = rejected('tsc', 'customer-id-number.tsx');
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^13: TS2322: .*"customer-id".*|^13: TS2322: Type '\{ "customer-id": number; \}' is not assignable/);
  });
});
