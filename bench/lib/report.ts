import type { Spread } from './statistics.js';

export interface BenchSettings {
  quick: boolean;
  /** Measured runs per figure (the median is reported, with min and max). */
  runs: number;
  /** Seconds per HTTP load run. */
  seconds: number;
  /** Another build's server entry (index.js) measured beside this one, run by run (A/B). */
  against?: string;
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
  /** CPU µs per request, run by run: server process, PostgreSQL backends, both, and the baseline's. */
  cpu?: { server: Spread; database: Spread; total: Spread; baseline: Spread };
  /** Statements the server ran per request. */
  statements?: Spread;
}
