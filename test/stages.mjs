/**
 * For the test runners (test/run.mjs, test/reliability/run.mjs): one stage
 * as a child process, and stages side by side.
 */
import { spawn } from 'node:child_process';

/**
 * Runs one stage; answers its seconds, or rejects naming its exit code.
 * `buffered`: its output is held and printed whole when it ends, for a stage
 * running beside another (their lines would interleave). `onLine`: each line
 * of its standard output, as it comes.
 */
export function runStage(label, command, args, { env = {}, buffered = false, onLine } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    console.log(`\n▶ ${label}${buffered ? ' (in parallel; its output follows when it ends)' : ''}`);
    const piped = buffered || Boolean(onLine);
    const child = spawn(command, args, { stdio: ['ignore', piped ? 'pipe' : 'inherit', buffered ? 'pipe' : 'inherit'], env: { ...process.env, ...env } });
    const held = [];
    let pending = '';
    child.stderr?.on('data', (data) => held.push(data));
    child.stdout?.on('data', (data) => {
      if (buffered) held.push(data);
      else process.stdout.write(data);
      if (!onLine) return;
      pending += data;
      const lines = pending.split('\n');
      pending = lines.pop();
      lines.forEach(onLine);
    });
    child.on('exit', (code) => {
      const seconds = (Date.now() - started) / 1000;
      if (buffered) process.stdout.write(`\n── output of ${label} ──\n${Buffer.concat(held).toString()}`);
      if (code === 0) {
        console.log(`✔ ${label} (${seconds.toFixed(1)} s)`);
        resolve(seconds);
      } else {
        const error = new Error(`${label} failed with exit code ${code} after ${seconds.toFixed(1)} s`);
        error.seconds = seconds;
        reject(error);
      }
    });
  });
}

/** Waits for every stage given (falsy ones skipped); the first failure is thrown once all have ended. */
export async function together(...runs) {
  const failed = (await Promise.allSettled(runs.filter(Boolean))).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
