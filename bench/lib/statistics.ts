/** The value at a percentile (0–100) of an unsorted list; nearest-rank, so it is always a real sample. */
export function percentile(values: readonly number[], rank: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** Median of several runs with the extremes, so one lucky or unlucky run cannot make the headline. */
export function spread(runs: readonly number[]): Spread {
  return { median: percentile(runs, 50), min: Math.min(...runs), max: Math.max(...runs), runs: [...runs] };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  if (value !== 0 && Math.abs(value) < 0.01) return value.toPrecision(2);
  return value.toFixed(2);
}

export function formatSpread(value: Spread, unit = ''): string {
  return `${formatNumber(value.median)}${unit} (${formatNumber(value.min)}–${formatNumber(value.max)})`;
}
