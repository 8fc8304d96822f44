import autocannon from 'autocannon';

export interface LoadResult {
  /** 2xx answers per second. */
  throughput: number;
  ok: number;
  failed: number;
  /** Requests the load generator gave up on (10 s by default); the server may still have done them. */
  timeouts: number;
  p99Ms: number;
}

/** Runs autocannon in this process (the load generator) against a server in another. */
export async function runLoad(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon(options);
  const ok = result['2xx'];
  return {
    throughput: ok / result.duration,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    timeouts: result.timeouts,
    p99Ms: result.latency.p99,
  };
}
