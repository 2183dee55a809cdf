/**
 * Background work an instance runs on a timer (the expiry sweep, the purge
 * of old idempotency keys): never two runs of one kind at once in a
 * process, each run counted in the metrics and logged by kind, and a stop
 * that lets the run in progress reach a safe point, then releases it.
 * Several instances may run the same kind at once: each job is written to
 * be safe for that (row locks, idempotent deletes).
 */
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export interface PeriodicJobOptions {
  kind: string;
  /** 0 or less: the job never runs. */
  intervalMs: number;
  /** Run once at start, before the first interval. */
  runAtStart: boolean;
  /** One run; stops early (between units of work) when `signal` aborts. Answers what it did, for the log. */
  run(signal: AbortSignal): Promise<Record<string, unknown> | void>;
  logger: Logger;
  metrics: Metrics;
}

export interface PeriodicJob {
  /** Stops the timer, aborts a run in progress and resolves once it has returned. */
  stop(): Promise<void>;
}

export function startPeriodicJob(options: PeriodicJobOptions): PeriodicJob {
  const { kind, logger, metrics } = options;
  if (options.intervalMs <= 0) return { stop: async () => {} };
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  const state = (name: 'running' | 'waiting', value: number) => metrics.jobs.set({ kind, state: name }, value);
  state('waiting', 1);
  state('running', 0);

  const tick = () => {
    if (running || stopping.signal.aborted) return;
    state('waiting', 0);
    state('running', 1);
    const started = performance.now();
    running = options
      .run(stopping.signal)
      .then(
        (did) => {
          metrics.jobRuns.inc({ kind, outcome: 'succeeded' });
          logger.info({ job: kind, ms: Math.round(performance.now() - started), ...did }, 'job done');
        },
        (err: unknown) => {
          metrics.jobRuns.inc({ kind, outcome: 'failed' });
          logger.error({ job: kind, err }, 'job failed');
        },
      )
      .finally(() => {
        running = null;
        state('running', 0);
        state('waiting', stopping.signal.aborted ? 0 : 1);
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  if (options.runAtStart) tick();
  return {
    async stop() {
      clearInterval(timer);
      stopping.abort();
      state('waiting', 0);
      await running;
    },
  };
}
