/** For the test runners: makes the migrated PGlite template once and names it in PGLITE_TEMPLATE for every child. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makePgliteTemplate() {
  const dir = mkdtempSync(join(tmpdir(), 'clientela-pglite-'));
  const file = join(dir, 'template.tar');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const made = spawnSync(process.execPath, ['--import', 'tsx', 'test/pglite-template.ts', file], { stdio: 'inherit' });
  if (made.status !== 0) throw new Error('could not make the PGlite template');
  process.env.PGLITE_TEMPLATE = file;
  return file;
}
