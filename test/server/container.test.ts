/**
 * The container recipe, checked without Docker (it cannot run here): the
 * Dockerfile is read and its steps are carried out on this machine, each
 * stage in a directory of its own standing for the image's root. The build
 * stage's `npm ci` is the one step not repeated (the worktree's
 * node_modules stand in for it); the rest run as written: `COPY . .` with
 * .dockerignore, `npm run build:server`, the run stage's real `npm ci
 * --omit=dev` in a clean copy, the compiled server copied across, the data
 * directory made and handed to the image's user. Then the CMD starts as a
 * non-root user (the image's `node`, or `nobody` on a machine without one),
 * with the image's environment, against a fresh database; the HEALTHCHECK
 * command is what decides it is up; an API call, the metrics and SIGTERM
 * follow. compose.yaml and the Caddyfile are parsed and their services
 * checked.
 *
 * Slow (an npm ci): it runs once per `npm test`, on the PostgreSQL pass when
 * there is one.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { signToken } from '../../server/auth.ts';
import { freePort } from '../server-process.mjs';
import { onPostgres } from './helpers.ts';
import { processDatabase, ROOT, type ProcessDatabase } from './process-helpers.ts';

interface Instruction {
  op: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | null;
  instructions: Instruction[];
}

/** Instructions by stage; continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    assert.ok(op, `a Dockerfile line: ${line}`);
    if (op.toUpperCase() === 'FROM') {
      const [from, , name] = args.split(/\s+/);
      stages.push({ from, name: name ?? null, instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** The user the image's USER stands for on this machine, if this process may switch to it. */
function hostUser(name: string): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const candidate of [name, 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', candidate], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', candidate], { encoding: 'utf8' }));
      return { name: candidate, uid, gid };
    } catch {
      // no such user here
    }
  }
  return null;
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`RUN ${command} failed (${code}):\n${output}`))));
  });
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

describe('Dockerfile', { skip: !onPostgres && process.env.DATABASE_URL ? 'runs on the PostgreSQL pass' : false }, () => {
  const work = mkdtempSync(join(tmpdir(), 'clientela-image-'));
  // PostgreSQL when the pass has one; otherwise the image's own DATA_DIR, made by its RUN step.
  let database: ProcessDatabase | null = null;
  before(async () => {
    chmodSync(work, 0o755);
    if (onPostgres) database = await processDatabase();
  });
  after(async () => {
    await database?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('is two stages on Node 20 slim, ending as a non-root user with a /readyz health check', () => {
    assert.equal(dockerfile.length, 2);
    const [build, run] = dockerfile;
    assert.equal(build.name, 'build');
    for (const stage of dockerfile) assert.match(stage.from, /^node:20(\.\d+)*-slim$/);
    assert.equal(process.versions.node.split('.')[0], '20', 'this machine runs the Node the image names');
    const user = run.instructions.filter((i) => i.op === 'USER').at(-1)?.args;
    assert.ok(user && !['root', '0'].includes(user), `USER ${user}`);
    assert.match(run.instructions.find((i) => i.op === 'HEALTHCHECK')?.args ?? '', /\/readyz/);
    assert.ok(run.instructions.some((i) => i.op === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)), 'production dependencies only');
    assert.ok(run.instructions.some((i) => i.op === 'COPY' && i.args.startsWith('--from=build')), 'the build output comes from the build stage');
  });

  it('builds and starts as written, as a non-root user, with production dependencies only', async () => {
    const [buildStage, runStage] = dockerfile;
    const user = hostUser(runStage.instructions.filter((i) => i.op === 'USER').at(-1)!.args);
    const roots = new Map<string, string>();
    const env: Record<string, string> = {};
    let workdir = '/';
    let healthcheck: string[] = [];
    let command: string[] = [];
    const steps: string[] = [];

    for (const [index, stage] of dockerfile.entries()) {
      const root = join(work, `stage-${index}`);
      mkdirSync(root, { recursive: true });
      chmodSync(root, 0o755);
      roots.set(stage.name ?? String(index), root);
      workdir = '/';
      // Paths inside the image, moved under this stage's root.
      const inStage = (path: string) => join(root, isAbsolute(path) ? path : join(workdir, path));
      const mapPaths = (text: string) => text.replace(/(^|[\s=:])(\/(?:app|data)\b[^\s]*)/g, (_, lead, path) => lead + join(root, path));
      for (const { op, args } of stage.instructions) {
        if (op === 'WORKDIR') {
          workdir = args;
          mkdirSync(inStage('.'), { recursive: true });
          chmodSync(inStage('.'), 0o755);
        } else if (op === 'ENV') {
          for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key] = mapPaths(value);
        } else if (op === 'COPY') {
          const parts = args.split(/\s+/);
          const from = parts[0].startsWith('--from=') ? roots.get(parts.shift()!.slice('--from='.length)) : null;
          const dest = parts.pop()!;
          for (const source of parts) {
            const origin = from ? join(from, source) : join(ROOT, source);
            const target = source === '.' || dest.endsWith('/') ? inStage(join(dest, source === '.' ? '.' : source.split('/').at(-1)!)) : inStage(dest);
            cpSync(origin, target, {
              recursive: true,
              filter: (path) => from !== null || !ignored.some((pattern) => path === join(ROOT, pattern) || path.startsWith(join(ROOT, pattern) + '/') || (pattern.startsWith('*') && path.endsWith(pattern.slice(1)))),
            });
          }
        } else if (op === 'RUN') {
          const run = args.replace(/--mount=\S+\s+/g, '');
          if (stage === buildStage && /^npm ci\b/.test(run)) {
            // The one step not repeated: this worktree's full install stands in for it.
            symlinkSync(join(ROOT, 'node_modules'), inStage('node_modules'));
            steps.push(`(${run}: the worktree's node_modules)`);
            continue;
          }
          let shell = mapPaths(run);
          if (user) shell = shell.replace(/chown (\w+):(\w+)/g, `chown ${user.uid}:${user.gid}`);
          else shell = shell.replace(/&& chown \S+ \S+/g, '');
          // The run stage's npm ci is done for real, from npm's cache when it can.
          await sh(shell, inStage('.'), { ...process.env, ...env, NODE_ENV: stage === runStage ? env.NODE_ENV : '', npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' });
          steps.push(run);
        } else if (op === 'HEALTHCHECK') {
          healthcheck = JSON.parse(args.slice(args.indexOf('CMD') + 3).trim()) as string[];
        } else if (op === 'CMD') {
          command = JSON.parse(args) as string[];
        }
      }
    }
    assert.ok(steps.some((s) => /npm ci .*--omit=dev/.test(s)), `steps: ${steps.join('; ')}`);
    const app = join(roots.get(String(dockerfile.length - 1))!, workdir);
    // Production dependencies only: no TypeScript, no tsx, no test tools in the image.
    for (const devOnly of ['typescript', 'tsx', 'vite', 'pino-pretty', 'drizzle-kit']) {
      assert.ok(!existsSync(join(app, 'node_modules', devOnly)), `${devOnly} is in the image`);
    }
    assert.ok(existsSync(join(app, 'dist/server/main.js')) && existsSync(join(app, 'dist/server/db/migrations/meta/_journal.json')));

    const port = await freePort();
    const jwtSecret = 'container-test-secret-0123456789abcdef';
    const metricsToken = 'container-metrics-token';
    const runEnv = {
      PATH: process.env.PATH!,
      HOME: app,
      ...env,
      PORT: String(port),
      JWT_SECRET: jwtSecret,
      METRICS_TOKEN: metricsToken,
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    };
    assert.equal(command[0], 'node');
    const child = spawn(process.execPath, command.slice(1), { cwd: app, env: runEnv, uid: user?.uid, gid: user?.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      // The image's own health check decides when it is up.
      const check = () =>
        new Promise<number | null>((resolve) => {
          const probe = spawn(process.execPath, healthcheck.slice(1), { env: runEnv, uid: user?.uid, gid: user?.gid, stdio: 'ignore' });
          probe.on('exit', resolve);
        });
      // Three minutes, as for every test server: a first PGlite start on a loaded shared machine is slow.
      const deadline = Date.now() + 180_000;
      while ((await check()) !== 0) {
        assert.equal(child.exitCode, null, `the server exited:\n${output}`);
        assert.ok(Date.now() < deadline, `HEALTHCHECK never passed:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const url = `http://127.0.0.1:${port}`;
      assert.deepEqual(await (await fetch(`${url}/readyz`)).json(), { status: 'ready' });
      if (user) {
        const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
        assert.equal(uid, user.uid, `the server runs as uid ${uid}`);
      }
      // What the production dependencies must carry: phone numbers, sanitising, JWTs, the database, metrics.
      const token = await signToken(jwtSecret, { sub: 'ops', name: 'Ops', tid: 'tenant-image', role: 'admin' }, 600);
      const created = await fetch(`${url}/api/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'Imagen', phones: [{ number: '+34 612 345 678' }] }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      assert.equal(((await created.json()) as { phones: Array<{ number: string }> }).phones[0].number, '+34612345678');
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      assert.match(await metrics.text(), /http_requests_total\{method="POST",route="\/api\/v1\/customers",status="201"\} 1/);
      assert.equal((await fetch(`${url}/api/openapi.json`)).status, 200);
      // JSON lines in production.
      for (const line of output.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), line);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('compose.yaml and the Caddyfile', () => {
  it('run PostgreSQL, two instances of the image and Caddy in front, on /readyz', () => {
    const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, any>; volumes?: Record<string, unknown> };
    const services = compose.services;
    assert.match(services.postgres.image, /^postgres:\d+/);
    assert.ok(services.postgres.healthcheck, 'PostgreSQL has a health check');
    const instances = Object.entries(services).filter(([, s]) => s.build === '.');
    assert.deepEqual(instances.map(([name]) => name), ['clientela-1', 'clientela-2']);
    for (const [name, service] of instances) {
      assert.match(service.environment.DATABASE_URL, /^postgres:\/\/.*@postgres:5432\//, name);
      assert.ok(service.environment.JWT_SECRET, `${name} JWT_SECRET`);
      assert.equal(service.depends_on.postgres.condition, 'service_healthy');
      const stopSeconds = Number(/^(\d+)s$/.exec(service.stop_grace_period)?.[1]);
      assert.ok(stopSeconds * 1000 > Number(service.environment.SHUTDOWN_GRACE_MS), `${name}: stop_grace_period outlasts SHUTDOWN_GRACE_MS`);
    }
    const caddy = services.caddy;
    assert.match(caddy.image, /^caddy:/);
    assert.ok(caddy.volumes.some((v: string) => v.startsWith('./Caddyfile:/etc/caddy/Caddyfile')));
    assert.deepEqual(Object.keys(caddy.depends_on).sort(), ['clientela-1', 'clientela-2']);

    const caddyfile = readFileSync(join(ROOT, 'Caddyfile'), 'utf8');
    assert.match(caddyfile, /reverse_proxy clientela-1:3000 clientela-2:3000 \{/);
    assert.match(caddyfile, /health_uri \/readyz/);
    assert.match(caddyfile, /flush_interval -1/, 'event streams pass unbuffered');
    const braces = [...caddyfile.replace(/\{\$[^}]*\}/g, '')].reduce((depth, ch) => depth + (ch === '{' ? 1 : ch === '}' ? -1 : 0), 0);
    assert.equal(braces, 0, 'balanced braces');
  });
});
