/**
 * The browser entry points' declarations stand alone: a host that imports
 * types from `clientela`, `clientela/define` (and each element's own entry
 * point) type-checks with
 * `skipLibCheck: false`, no ambient types (`types: []`) and only the
 * browser's libraries, and its compiler reads nothing of the server, its
 * libraries (zod, hono, drizzle) or Node's types: only TypeScript's own
 * libraries, the kit's component declarations and Lit's. Against the build
 * (`npm run build` first), with `clientela` in node_modules as a host has it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';

const repo = realpathSync(join(import.meta.dirname, '../..'));

const HOST = `
import type {
  ClientelaClient,
  ClientelaProvider,
  Customer,
  CustomerCreate,
  CustomerPatch,
  CustomerSelectEvent,
  CustomersMergedEvent,
  PointsChangedEvent,
  Session,
} from 'clientela';
import type { define } from 'clientela/define';
import 'clientela/define';
import type { ClientelaProvider as Provider } from 'clientela/clientela-provider';
import type { CustomerCard } from 'clientela/customer-card';
import type { CustomerHistory } from 'clientela/customer-history';
import type { CustomerInsights } from 'clientela/customer-insights';
import type { CustomerOrders } from 'clientela/customer-orders';
import type { MemberList } from 'clientela/member-list';
import type { MergeDialog } from 'clientela/merge-dialog';
import type { PointsManager } from 'clientela/points-manager';

export type Register = typeof define;
export type Elements = [Provider, CustomerCard, CustomerHistory, CustomerInsights, CustomerOrders, MemberList, MergeDialog, PointsManager];

const provider: ClientelaProvider = document.querySelector('clientela-provider')!;
provider.getToken = async () => {
  const response = await fetch('/admin/clientela-token', { method: 'POST' });
  return ((await response.json()) as { token: string }).token;
};

document.querySelector('member-list')?.addEventListener('customer-select', (event: CustomerSelectEvent) => {
  const card = document.querySelector('customer-card');
  if (card) card.customerId = event.detail.customerId;
});
document.addEventListener('points-changed', (event: PointsChangedEvent) => console.log(event.detail.balance.toFixed(0)));
document.addEventListener('customers-merged', (event: CustomersMergedEvent) => console.log(event.detail.sourceIds.join(', ')));

export function label(customer: Customer): string {
  return [customer.firstName, customer.lastName, customer.address?.city, customer.level?.name].filter(Boolean).join(' ') + ' #' + customer.number;
}

export const created: CustomerCreate = { firstName: 'Ana', phones: [{ number: '+34 600 000 000' }] };
export const patched: CustomerPatch = { city: 'Madrid', vip: true };
// @ts-expect-error: the types are the API's, not any
export const wrong: CustomerPatch = { city: 42 };

export const token = (client: ClientelaClient): Promise<string | null> => client.currentToken();
export const admin = (session: Session | null): boolean => session?.isAdmin ?? false;
`;

/** What a host's compiler may read: TypeScript's libraries, the kit's component declarations, Lit's. */
const ALLOWED = [
  /^node_modules\/typescript\/lib\/lib\.[\w.]+\.d\.ts$/,
  /^dist\/types\/components\//,
  /^node_modules\/(lit|lit-html|lit-element|@lit\/[\w-]+|@lit-labs\/[\w-]+|@types\/trusted-types)\//,
];

test('clientela and clientela/define type-check alone: skipLibCheck off, no Node types, nothing of the server', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(join(repo, 'dist/types/components/index.d.ts')), 'dist/types is missing: run `npm run build` first');
  const host = mkdtempSync(join(tmpdir(), 'clientela-browser-types-'));
  try {
    // node_modules as a host's: the repository's packages, and clientela itself through its package.json.
    mkdirSync(join(host, 'node_modules'));
    for (const entry of readdirSync(join(repo, 'node_modules'))) symlinkSync(join(repo, 'node_modules', entry), join(host, 'node_modules', entry));
    symlinkSync(repo, join(host, 'node_modules/clientela'), 'dir');
    writeFileSync(join(host, 'host.ts'), HOST);
    writeFileSync(
      join(host, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          noUncheckedSideEffectImports: true,
          lib: ['dom', 'es2022'],
          types: [],
        },
        files: ['host.ts'],
      }),
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [tsc, '-p', host, '--listFiles', '--pretty', 'false'], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    const lines = output.split('\n').filter(Boolean);
    const errors = lines.filter((line) => /error TS\d+/.test(line));
    assert.deepEqual(errors, [], output);
    assert.equal(code, 0, output);

    const read = lines
      .filter((line) => line.startsWith(sep))
      .map((file) => realpathSync(file))
      .filter((file) => file !== realpathSync(join(host, 'host.ts')))
      .map((file) => relative(repo, file).split(sep).join('/'));
    assert.ok(read.some((file) => file.startsWith('dist/types/components/')), `the kit's declarations were read:\n${read.join('\n')}`);
    const stray = read.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
    assert.deepEqual(stray, [], `files a browser host should not need (the server's, its libraries', Node's):\n${stray.join('\n')}`);
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
});
