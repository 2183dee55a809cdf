/**
 * The README's configuration table and the server agree: every environment
 * variable the server reads is in the table, and the table lists none it
 * does not read. Both are read at test time: server/config.ts (and any other
 * server file) as source text, README.md's table under "## Configuration".
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const repo = join(import.meta.dirname, '../..');

/** Names of environment variables a source reads, in the ways this code base reads them. */
export function variablesRead(source: string): Set<string> {
  const name = '([A-Z][A-Z0-9_]*)';
  const patterns = [
    new RegExp(`process\\.env\\.${name}`, 'g'), // process.env.PORT
    new RegExp(`process\\.env\\[['"\`]${name}['"\`]\\]`, 'g'), // process.env['PORT']
    new RegExp(`\\benv\\.${name}`, 'g'), // env.PORT (loadConfig's parameter)
    new RegExp(`\\benv\\[['"\`]${name}['"\`]\\]`, 'g'), // env['PORT']
    new RegExp(`\\(\\s*env\\s*,\\s*['"\`]${name}['"\`]`, 'g'), // intFromEnv(env, 'PORT', …)
  ];
  const found = new Set<string>();
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]);
  // const { PORT, HOST } = process.env
  for (const [, names] of source.matchAll(/\{([^}]*)\}\s*=\s*(?:process\.)?env\b/g)) {
    for (const part of names.split(',')) {
      const key = /^\s*([A-Z][A-Z0-9_]*)/.exec(part)?.[1];
      if (key) found.add(key);
    }
  }
  return found;
}

/** The variables named in the first column of the README's configuration table. */
export function variablesDocumented(readme: string): Set<string> {
  const section = /^## Configuration\s*$([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  return new Set([...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((m) => m[1]));
}

function serverSources(): string {
  const dir = join(repo, 'server');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
}

test('the readers find the ways variables are read, and the table parser reads a table', () => {
  const source = [
    "const a = process.env.ALPHA; const b = process.env['BETA'];",
    "const c = env.GAMMA ?? ''; const d = intFromEnv(env, 'DELTA', 1, 0, 2); const e = flagFromEnv(env, \"EPSILON\", true);",
    'const { ZETA, ETA: eta } = process.env;',
    'const lower = env.notAVariable; const text = "env.ALSO_NOT";',
  ].join('\n');
  const read = variablesRead(source);
  for (const name of ['ALPHA', 'BETA', 'GAMMA', 'DELTA', 'EPSILON', 'ZETA', 'ETA']) assert.ok(read.has(name), name);
  assert.ok(!read.has('notAVariable'));
  const readme = '# X\n## Configuration\n\n| variable | default |\n|---|---|\n| `PORT` | `3000` |\n| `DATA_DIR` | x |\n\nText `NOT_A_ROW`.\n## Next\n| `OTHER` | y |\n';
  assert.deepEqual([...variablesDocumented(readme)].sort(), ['DATA_DIR', 'PORT']);
});

test("every environment variable the server reads is in README's table, and the table lists only those", () => {
  const read = variablesRead(serverSources());
  const documented = variablesDocumented(readFileSync(join(repo, 'README.md'), 'utf8'));
  assert.ok(read.has('PORT') && read.has('DATABASE_URL'), `the server's reads were found: ${[...read].join(', ')}`);
  assert.ok(documented.size > 0, "README.md has a table under '## Configuration'");
  const undocumented = [...read].filter((name) => !documented.has(name)).sort();
  const unread = [...documented].filter((name) => !read.has(name)).sort();
  assert.deepEqual(undocumented, [], `read by the server but missing from README's configuration table: ${undocumented.join(', ')}`);
  assert.deepEqual(unread, [], `in README's configuration table but read nowhere in server/: ${unread.join(', ')}`);
});
