/**
 * `clientela/angular` makes Angular's compiler check the kit's bindings: a
 * small host compiled by ngc with strictTemplates (as `ng new` sets it), no
 * CUSTOM_ELEMENTS_SCHEMA. Its right bindings compile; a number for
 * `customerId`, a string for `getToken`, an input the element does not have
 * and a handler of the wrong event do not. Against the build (`npm run
 * build` first).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const repo = join(import.meta.dirname, '../..');

const RIGHT = `
import { Component, signal } from '@angular/core';
import type { CustomerSelectEvent, PointsChangedEvent } from 'clientela';
import { CLIENTELA_COMPONENTS } from 'clientela/angular';

@Component({
  selector: 'app-right',
  imports: [CLIENTELA_COMPONENTS],
  template: \`
    <clientela-provider api-base="/api/v1" locale="en" [getToken]="getToken">
      <member-list [selectedId]="customerId()" (customer-select)="open($event)"></member-list>
      <customer-card [customerId]="customerId()" customer-id="c_1"></customer-card>
      <points-manager [customerId]="customerId()" (points-changed)="balance.set($event.detail.balance)"></points-manager>
      <button type="button" (click)="merge.show()">Merge</button>
      <merge-dialog #merge [customerId]="customerId()" [open]="false"></merge-dialog>
    </clientela-provider>
  \`,
})
export class RightComponent {
  readonly customerId = signal('');
  readonly balance = signal(0);
  readonly getToken = async () => 'token';
  open(event: CustomerSelectEvent) {
    this.customerId.set(event.detail.customerId);
  }
  changed(event: PointsChangedEvent) {
    return event.detail.balance;
  }
}
`;

/** Each wrong binding on a line of its own, to match the errors to them. */
const WRONG = `
import { Component } from '@angular/core';
import type { PointsChangedEvent } from 'clientela';
import { ClientelaProviderComponent, CustomerCardComponent, MemberListComponent } from 'clientela/angular';

@Component({
  selector: 'app-wrong',
  imports: [ClientelaProviderComponent, CustomerCardComponent, MemberListComponent],
  template: \`
    <clientela-provider
      [getToken]="'text'">
      <customer-card
        [customerId]="42"></customer-card>
      <customer-card
        [customerID]="'c_1'"></customer-card>
      <member-list
        (customer-select)="changed($event)"></member-list>
    </clientela-provider>
  \`,
})
export class WrongComponent {
  changed(event: PointsChangedEvent) {
    return event.detail.balance;
  }
}
`;

test('Angular checks the bindings of the kit with clientela/angular', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(join(repo, 'dist/angular/index.d.ts')), 'dist/angular is missing: run `npm run build` first');
  const host = mkdtempSync(join(tmpdir(), 'clientela-angular-'));
  try {
    mkdirSync(join(host, 'src'));
    symlinkSync(join(repo, 'node_modules'), join(host, 'node_modules'), 'dir');
    writeFileSync(join(host, 'src/right.ts'), RIGHT);
    writeFileSync(join(host, 'src/wrong.ts'), WRONG);
    writeFileSync(
      join(host, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ES2022',
          moduleResolution: 'bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['dom', 'es2022'],
          types: [],
          // What the package's exports resolve to in a host's node_modules.
          paths: { clientela: [join(repo, 'dist/types/components/index.d.ts')], 'clientela/angular': [join(repo, 'dist/angular/index.d.ts')] },
        },
        files: ['src/right.ts', 'src/wrong.ts'],
        angularCompilerOptions: { strictTemplates: true, strictInjectionParameters: true, extendedDiagnostics: { defaultCategory: 'error' } },
      }),
    );
    const ngc = join(repo, 'node_modules/@angular/compiler-cli/bundles/src/bin/ngc.js');
    const output = await promisify(execFile)(process.execPath, [ngc, '-p', host]).then(
      () => '',
      (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}`,
    );
    const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
    const errors = [...plain.matchAll(/^src\/(\w+)\.ts:(\d+):\d+ - error (\w+): (.*)$/gm)].map(([, file, line, code, message]) => ({ file, line: Number(line), code, message }));
    assert.deepEqual(
      errors.filter((e) => e.file === 'right'),
      [],
      plain,
    );
    const wrongLines = WRONG.split('\n');
    const at = (text: string) => wrongLines.findIndex((l) => l.includes(text)) + 1;
    const found = errors.filter((e) => e.file === 'wrong').map((e) => [e.line, e.code]);
    assert.deepEqual(
      found.sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [at(`[getToken]="'text'"`), 'TS2322'],
        [at('[customerId]="42"'), 'TS2322'],
        [at(`[customerID]="'c_1'"`), 'NG8002'],
        [at('(customer-select)="changed($event)"'), 'TS2345'],
      ],
      plain,
    );
  } finally {
    rmSync(host, { recursive: true, force: true });
  }
});
