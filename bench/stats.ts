/** Latency summaries shared by the benchmark sections. */
export interface Latency {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles of milliseconds, rounded to 0.01 ms. */
export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  const round = (n: number) => Math.round(n * 100) / 100;
  return { runs: sorted.length, p50: round(rank(0.5)), p95: round(rank(0.95)), max: round(sorted[sorted.length - 1]) };
}

/** Runs `work` and answers its result and how long it took in ms. */
export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}
