/** Small statistics helpers for the benchmarks. */

/** The p-th percentile (0–100) of `values` by nearest rank; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** Milliseconds with one decimal, e.g. `12.3 ms`. */
export const ms = (value: number) => `${value.toFixed(1)} ms`;
