import type { Spread } from './statistics.js';

export interface BenchSettings {
  quick: boolean;
  /** Measured runs per figure (the median is reported, with min and max). */
  runs: number;
  /** Seconds per HTTP load run. */
  seconds: number;
}

export interface ResultRow {
  benchmark: string;
  engine: string;
  metric: string;
  unit: string;
  value: Spread;
  baselineLabel?: string;
  baseline?: Spread;
  /** value ÷ baseline per run (throughput), or baseline-relative for latency as stated in the target. */
  ratio?: Spread;
  target?: string;
  met?: boolean;
  note?: string;
}
